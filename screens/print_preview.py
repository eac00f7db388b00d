"""打印: the print-out of one record on screen, and the keys that save or print it.

The preview is the plain-text rendering itself (what F3 saves, what a terminal printer prints), so
what the operator reads is what goes out. Files are named by 统一编号 and the time of the print-out
and written into the configured directory; every outcome is said on the screen and as a
notification, errors in Chinese. PDF work runs in a thread: a long record must not freeze the keys.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from declarant.pdf_fonts import UnprintableText
from declarant.print_pdf import render_pdf
from declarant.printout import file_stem, render_text
from screens.attachments import hint_line
from store import clock
from store.models import Receipt
from store.private import ensure_dir, write_private_text
from store.record import RecordData
from widgets.actions import bindings

NO_PRINTER = "未配置打印机"
NO_PRINTER_HELP = "未配置打印机：请在设置中填写打印机名称（printer），或先保存PDF再打印"


class PrintPreviewScreen(ModalScreen[None]):
    """The record as it prints, scrollable; F2 PDF, F3 text, F4 printer, Esc back."""

    BINDINGS = bindings("print")

    DEFAULT_CSS = """
    PrintPreviewScreen { align: center middle; }
    PrintPreviewScreen > #pp-box {
        width: 100%; max-width: 82; height: 100%;
        background: $surface;
    }
    PrintPreviewScreen #pp-title { text-style: bold; color: $text-primary; padding: 0 1; }
    PrintPreviewScreen #pp-sheet {
        height: 1fr; background: $surface; scrollbar-size-vertical: 1;
    }
    PrintPreviewScreen #pp-page { width: auto; padding: 0 0 0 1; }
    PrintPreviewScreen #pp-message { height: auto; padding: 0 1; }
    PrintPreviewScreen #pp-message.-error { color: $text-error; text-style: bold; }
    PrintPreviewScreen #pp-message.-ok { color: $text-success; }
    PrintPreviewScreen #pp-hint { color: $text-muted; padding: 0 1; }
    """

    def __init__(
        self,
        record: RecordData,
        receipts: Sequence[Receipt],
        *,
        operator_name: str,
        out_dir: Path,
        printer: str | None,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        super().__init__()
        self.record = record
        self.receipts = list(receipts)
        self.operator_name = operator_name
        self.out_dir = out_dir
        self.printer = printer or None
        self.printed_at = now()
        self.text = render_text(
            record, self.receipts, operator_name=operator_name, printed_at=self.printed_at
        )
        self.stem = file_stem(record, self.printed_at)

    def compose(self) -> ComposeResult:
        number = self.record.number_label
        with Vertical(id="pp-box"):
            yield Label(f"打印预览  统一编号 {number}", id="pp-title")
            with VerticalScroll(id="pp-sheet"):
                yield Static(self.text, id="pp-page", markup=False)
            yield Static("", id="pp-message", markup=False)
            disabled = {} if self.printer else {"print.printer": NO_PRINTER}
            yield Static(hint_line("print", disabled), id="pp-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#pp-sheet").focus()  # ↑↓ PgUp PgDn Home End scroll the page

    def say(self, message: str, *, error: bool = False, progress: bool = False) -> None:
        """On the screen's message line and, when it is an outcome, as a notification too (the
        notification outlives the preview, so the path stays readable after Esc)."""
        line = self.query_one("#pp-message", Static)
        line.update(f"✗ {message}" if error else message)  # marked: readable without colour
        line.set_class(error, "-error")
        line.set_class(not error and not progress, "-ok")
        if not progress:
            self.notify(message, severity="error" if error else "information", markup=False)

    # ---- actions (keys from tui/actions.py, scope "print") ---------------------------------
    def action_save_pdf(self) -> None:
        self._save_pdf()

    def action_save_text(self) -> None:
        path = self.out_dir / f"{self.stem}.txt"
        try:
            ensure_dir(self.out_dir)  # 0700, as the data dir
            write_private_text(path, self.text)
        except OSError as error:
            self.say(f"保存文本失败：{path}（{error.strerror or error}）", error=True)
            return
        self.say(f"已保存文本：{path}")

    def action_send_printer(self) -> None:
        if self.printer is None:
            self.say(NO_PRINTER_HELP, error=True)
            return
        self._print()

    def action_close(self) -> None:
        self.dismiss(None)

    # ---- the slow parts, off the UI thread --------------------------------------------------
    def _write_pdf(self) -> tuple[Path, int]:
        path = self.out_dir / f"{self.stem}.pdf"
        pages = render_pdf(
            self.record,
            self.receipts,
            path,
            operator_name=self.operator_name,
            printed_at=self.printed_at,
        )
        return path, pages

    @work(exclusive=True, group="print", exit_on_error=False)
    async def _save_pdf(self) -> None:
        self.say("正在生成PDF…", progress=True)
        try:
            path, pages = await asyncio.to_thread(self._write_pdf)
        except UnprintableText as refused:  # nothing written; the message names the characters
            self.say(refused.message, error=True)
            return
        except OSError as error:
            target = self.out_dir / f"{self.stem}.pdf"
            self.say(f"保存PDF失败：{target}（{error.strerror or error}）", error=True)
            return
        self.say(f"已保存PDF：{path}（共{pages}页）")

    @work(exclusive=True, group="print", exit_on_error=False)
    async def _print(self) -> None:
        printer = self.printer
        assert printer is not None
        lp = shutil.which("lp")
        if lp is None:
            self.say("找不到打印命令lp（请安装CUPS客户端），可先保存PDF", error=True)
            return
        self.say(f"正在发送到打印机 {printer}…", progress=True)
        try:
            path, pages = await asyncio.to_thread(self._write_pdf)
        except UnprintableText as refused:
            self.say(refused.message, error=True)
            return
        except OSError as error:
            self.say(f"生成打印文件失败：{error.strerror or error}", error=True)
            return
        process = await asyncio.create_subprocess_exec(
            lp,
            "-d",
            printer,
            str(path),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            why = err.decode(errors="replace").strip() or f"退出码 {process.returncode}"
            self.say(f"打印失败（打印机 {printer}）：{why}", error=True)
            return
        job = out.decode(errors="replace").strip()
        self.say(f"已发送到打印机 {printer}：{path}（共{pages}页）" + (f"  {job}" if job else ""))


__all__ = ["NO_PRINTER", "PrintPreviewScreen"]
