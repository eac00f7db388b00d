"""导入电子表格: pick a client's workbook, follow the import row by row, read what came of it.

The import itself is `declarant.sheets.import_sheet` (headless); this screen gives it the file (the
file picker: Tab completes, ↓ the tree, Enter picks), shows its progress (a bar: rows done / total),
asks the one confirmation a re-import needs (records in 暂存 with the same 进口报关单号 are updated
only after 确定), and ends with the summary: counts and the result workbook's path. A file it cannot
read is said under the path, which stays for correcting. Escape closes, except while rows are being
saved (the import then finishes its row and the rest; nothing is left half-done).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from declarant.session import Session
from declarant.sheets import Existing, ImportResult, Outcome, SheetError, import_sheet
from screens.confirm import ConfirmScreen
from store.text import inert
from widgets.file_picker import FilePicker

SHOWN_NUMBERS = 3  # numbers named in the confirmation; the rest counted


def confirmation_text(existing: list[Existing]) -> str:
    """The re-import question: how many, which (the first few), what 确定 does."""
    numbers = "、".join(e.import_decl_no for e in existing[:SHOWN_NUMBERS])
    more = f"等{len(existing)}个" if len(existing) > SHOWN_NUMBERS else ""
    return (
        f"进口报关单号 {numbers}{more} 已有暂存记录。\n"
        "确定：用表格内容更新这些记录；取消：保留原记录，只导入其他行。"
    )


def summary_text(result: ImportResult) -> str:
    lines = [result.summary()]
    if result.stopped:
        lines.append(f"导入中止：{result.stopped}（已导入的记录已保存）")
    if result.result_path is not None:
        lines.append(f"结果文件：{result.result_path}")
    elif result.result_error:
        lines.append(result.result_error)
    to_complete = sum(1 for row in result.rows if row.outcome != Outcome.REFUSED and row.problems)
    if to_complete:
        lines.append(f"{to_complete}条记录提交前需补充，详见结果文件")
    return "\n".join(lines)


class SheetImportScreen(ModalScreen[ImportResult | None]):
    """Dismisses with the import's result (None when closed before importing)."""

    DEFAULT_CSS = """
    SheetImportScreen { align: center middle; }
    SheetImportScreen > #si-box {
        width: 100%; max-width: 90; height: 100%; max-height: 22;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SheetImportScreen #si-title { text-style: bold; color: $text-primary; }
    SheetImportScreen #si-progress { height: 1; display: none; }
    SheetImportScreen #si-progress.-shown { display: block; }
    SheetImportScreen #si-status { height: auto; }
    SheetImportScreen #si-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭", show=False, priority=True),
    ]

    def __init__(self, session: Session, start_dir: Path) -> None:
        super().__init__()
        self.session = session
        self.start_dir = start_dir
        self.running = False
        self.result: ImportResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="si-box"):
            yield Label(
                "导入电子表格：选择 .xlsx 文件（可用 tuihuo template 生成模板）", id="si-title"
            )
            yield FilePicker(self.start_dir, id="si-picker")
            yield ProgressBar(id="si-progress", show_eta=False)
            yield Static("", id="si-status", markup=False)
            yield Static("Tab 补全  ↓ 目录树  Enter 导入  Esc 关闭", id="si-hint", markup=False)

    def say(self, text: str) -> None:
        """Lines for the operator; a path or a message from the file is shown inert, line by line."""
        self.query_one("#si-status", Static).update("\n".join(map(inert, text.split("\n"))))

    @on(FilePicker.Picked)
    def _picked(self, event: FilePicker.Picked) -> None:
        event.stop()
        if self.running:
            return
        self.running = True
        self.say(f"正在读取 {event.path.name}…")
        self.run_import(event.picker, event.path)

    @work(exclusive=True, group="sheet-import")
    async def run_import(self, picker: FilePicker, path: Path) -> None:
        try:
            result = await import_sheet(
                path,
                store=self.session.store,
                fetch=self.session.worker.fetch_declaration,
                confirm=self._confirm,
                progress=self._progress,
            )
        except SheetError as error:
            self.running = False
            self.say("")
            picker.show_error(error.message)
            return
        self.running = False
        self.result = result
        self.say(summary_text(result))
        self.query_one("#si-hint", Static).update("Enter 导入另一个文件  Esc 关闭")
        picker.input.focus()

    async def _confirm(self, existing: list[Existing]) -> bool:
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def answered(value: bool | None) -> None:
            if not answer.done():
                answer.set_result(bool(value))

        self.app.push_screen(
            ConfirmScreen("重新导入", confirmation_text(existing), ok="更新", cancel="保留"),
            answered,
        )
        return await answer

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.add_class("-shown")
        bar.update(total=max(total, 1), progress=done)
        self.say(f"正在导入：{done}/{total}行")

    def action_close(self) -> None:
        if self.running:
            self.say("正在导入，请等待完成（已导入的行已保存）")
            return
        self.dismiss(self.result)
