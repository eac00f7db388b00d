"""The entry form's backfill from a declaration file: a file picker on 进口报关单号 (Ctrl+O), and
the words that say where a backfill came from.

The picker reads the chosen file in a thread (`declarant.worker.backfill.from_file`); a file that
cannot backfill (an export declaration, a wrong namespace, hostile or broken XML, a truncated .xlsx,
a sheet without the declaration's labels …) is refused under the path input in the reader's words,
the typed path kept. A good file goes to the form's own backfill (`EntryPane.fetch_declaration`
with `chosen`), so a file fills the form exactly as the gateway's answer does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from customs.declfiles import DeclarationFileError, FileDeclaration
from customs.errors import NotFound
from declarant.worker import Backfill, Worker
from declarant.worker.backfill import from_file
from screens.entry_messages import Hint
from widgets.actions import BY_ID, bindings, key_text
from widgets.file_picker import FilePicker

if TYPE_CHECKING:
    from screens.entry import EntryPane


def picker_key() -> str:
    return key_text(BY_ID["entry.declfile"].keys)


async def obtain(worker: Worker, number: str, chosen: FileDeclaration | None) -> Backfill:
    """The backfill: the file the operator chose, else the gateway (then the watched folders)."""
    if chosen is not None:
        return Backfill(chosen.declaration, chosen)
    return await worker.find_declaration(number)


def asking(number: str, chosen: FileDeclaration | None) -> str:
    if chosen is not None:
        return f"正在从文件 {chosen.path.name} 返填…"
    return f"正在获取进口报关单 {number} 的数据…"


def failed(message: str, error: Exception) -> str:
    """The refusal's hint; a number the gateway does not know offers the file picker."""
    if isinstance(error, NotFound):
        return f"{message}（按F5重试，或按{picker_key()}从报关单文件返填）"
    return f"{message}（按F5重试）"


def with_source(pane: EntryPane, text: str, found: Backfill) -> str:
    """The backfill's hint, the file's name first (the hint bar is one line of 80 columns): "已从文件
    dec.xml 返填：2项商品（报关单报文XML 3.1；…）". The notes on codes kept or turned also come as a
    notification: a toast over a dialog; over the form the bar already says them (TuihuoApp.notify)."""
    if found.file is None:
        return text
    text = text.replace("已获取进口报关单数据", f"已从文件 {found.file.path.name} 返填", 1)
    if found.notes:
        pane.app.notify("\n".join(found.notes), title="报关单文件中的代码", markup=False)
    return f"{text}（{'；'.join((found.file.kind, *found.notes))}）"


def start_dir(pane: EntryPane) -> Path:
    """The first watched folder that exists, else the working directory."""
    folders = getattr(pane.ctx.settings, "declaration_folders", ()) or ()
    return next((Path(f) for f in folders if Path(f).is_dir()), Path.cwd())


def open_picker(pane: EntryPane) -> None:
    """Ctrl+O on the form: pick a declaration file and backfill from it (not a locked record)."""
    if pane.status.locked:
        pane.post_message(Hint("当前状态的记录不能修改，不能从报关单文件返填", kind="error"))
        return
    before = pane._typed()

    def chosen(found: FileDeclaration | None) -> None:
        pane.fields["import_decl_no"].focus()
        if found is not None:
            pane.fetch_declaration(found.declaration.number, before, chosen=found)

    pane.app.push_screen(DeclarationFileScreen(start_dir(pane)), chosen)


class DeclarationFileScreen(ModalScreen[FileDeclaration | None]):
    """Choose the declaration file; it is read here, and refused here in the reader's words."""

    BINDINGS = [b for b in bindings("popup") if b.action == "cancel"]  # noqa: RUF012

    DEFAULT_CSS = """
    DeclarationFileScreen { align: center middle; }
    DeclarationFileScreen > #dfs-box {
        width: 100%; max-width: 90; height: 100%; max-height: 22;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DeclarationFileScreen #dfs-title { text-style: bold; color: $text-primary; }
    DeclarationFileScreen #dfs-hint { color: $text-muted; }
    """

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="dfs-box"):
            yield Label("从报关单文件返填（报文XML、报关单JSON、报关单Excel）", id="dfs-title")
            yield FilePicker(self.start, id="dfs-picker")
            yield Static("Tab 补全  ↓ 目录树  Enter 选定  Esc 取消", id="dfs-hint", markup=False)

    @on(FilePicker.Picked)
    def _picked(self, event: FilePicker.Picked) -> None:
        event.stop()
        self.read(event.picker, event.path)

    @work(exclusive=True, group="declfile")
    async def read(self, picker: FilePicker, path: Path) -> None:
        try:
            found = await from_file(path)
        except DeclarationFileError as error:
            picker.show_error(error.message)
            return
        assert found.file is not None
        self.dismiss(found.file)

    def action_cancel(self) -> None:
        self.dismiss(None)
