"""随附单据: the documents of one record, added, viewed and removed by keys alone.

Adding is three steps, each a small modal: the file (path with Tab completion, or the tree), then
its type from the attachment_types parameter list, then the store takes it. A file the store would
refuse is refused while its path is still in the picker, so the operator corrects it rather than
typing it again; a record holding the most documents allowed (store/limits.py) is refused before the
picker opens; what can only be known at the end (someone else added it meanwhile, the record got
locked) is said in the dialog's message line. In a locked status the list is shown and the add and
remove keys say why they do nothing.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from declarant.printout import local_time
from screens.confirm import ConfirmScreen
from screens.db_state import refusal
from store.attachments import (
    DOC_TYPES,
    AttachmentStore,
    doc_type_label,
    human_size,
)
from store.errors import StoreError
from store.models import Attachment
from store.params import table
from widgets.actions import bindings, in_scope, key_text
from widgets.file_picker import FilePicker

LOCKED_NOTE = "当前状态的数据已被海关接收，随附单据只能查看"


def hint_line(scope: str, disabled: dict[str, str] | None = None) -> str:
    """The keys of a scope as the operator reads them: "Insert/F2 添加  Esc 关闭"."""
    disabled = disabled or {}
    parts = []
    for action in in_scope(scope):
        note = f"({disabled[action.id]})" if action.id in disabled else ""
        parts.append(f"{key_text(action.keys)} {action.label}{note}")
    return "  ".join(parts)


class AttachmentsScreen(ModalScreen[None]):
    """The list of a record's documents (类型, 文件名, 大小, 添加时间) and the keys to change it."""

    BINDINGS = bindings("attachments")

    DEFAULT_CSS = """
    AttachmentsScreen { align: center middle; }
    AttachmentsScreen > #att-box {
        width: 100%; max-width: 90; height: 100%; max-height: 22;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AttachmentsScreen #att-title { text-style: bold; color: $text-primary; }
    AttachmentsScreen #att-locked { color: $text-warning; }
    AttachmentsScreen DataTable { height: 1fr; }
    AttachmentsScreen #att-message { height: auto; }
    AttachmentsScreen #att-message.-error { color: $text-error; text-style: bold; }
    AttachmentsScreen #att-message.-ok { color: $text-success; }
    AttachmentsScreen #att-hint { color: $text-muted; }
    """

    def __init__(
        self, store: AttachmentStore, unified_no: str, *, locked: bool, start_dir: Path
    ) -> None:
        super().__init__()
        self.store = store
        self.unified_no = unified_no
        self.locked = locked
        self.start_dir = start_dir
        self._last_path = ""  # what was typed last: a refused path comes back to be corrected
        self._rows: list[Attachment] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="att-box"):
            yield Label(f"随附单据  统一编号 {self.unified_no}", id="att-title")
            if self.locked:
                yield Label(LOCKED_NOTE, id="att-locked")
            table_widget: DataTable[str | Text] = DataTable(
                id="att-table", cursor_type="row", zebra_stripes=False
            )
            yield table_widget
            yield Static("", id="att-message", markup=False)
            disabled = {"attachments.add": "已锁定", "attachments.remove": "已锁定"}
            yield Static(
                hint_line("attachments", disabled if self.locked else None),
                id="att-hint",
                markup=False,
            )

    @property
    def grid(self) -> DataTable[str | Text]:
        return self.query_one("#att-table", DataTable)

    def on_mount(self) -> None:
        grid = self.grid
        # 74 columns with the cell padding: fits the 76 inside the border at 80, scrollbar too
        grid.add_column("类型", width=12, key="type")
        grid.add_column("文件名", width=30, key="name")
        grid.add_column("大小", width=8, key="size")
        grid.add_column("添加时间", width=16, key="added")
        self.reload()
        grid.focus()

    def reload(self, *, select_id: int | None = None) -> None:
        """Read the list again (after a change, or when the store refused one)."""
        try:
            self._rows = self.store.list(self.unified_no)
        except StoreError as error:
            self.say(refusal("读取随附单据", error), error=True)
            self._rows = []
        grid = self.grid
        grid.clear()
        for row in self._rows:
            grid.add_row(
                doc_type_label(row.doc_type),
                row.filename,
                Text(human_size(row.size), justify="right"),
                local_time(row.added_at)[:16],
                key=str(row.id),
            )
        if not self._rows:
            self.say("尚未添加随附单据" + ("" if self.locked else "：按 Insert 或 F2 添加"))
        if select_id is not None:
            for index, row in enumerate(self._rows):
                if row.id == select_id:
                    grid.move_cursor(row=index)

    def say(self, message: str, *, error: bool = False, ok: bool = False) -> None:
        """The dialog's message line; a refusal is marked ✗ so it reads without colour too."""
        line = self.query_one("#att-message", Static)
        line.update(f"✗ {message}" if error else message)
        line.set_class(error, "-error")
        line.set_class(ok, "-ok")

    def _current(self) -> Attachment | None:
        if not self._rows:
            return None
        index = self.grid.cursor_row
        return self._rows[index] if 0 <= index < len(self._rows) else None

    # ---- actions (keys from tui/actions.py, scope "attachments") ---------------------------
    def action_add(self) -> None:
        if self.locked:
            self.say(f"{LOCKED_NOTE}，不允许添加", error=True)
            return
        try:  # a full record is refused before a file is picked for nothing
            self.store.check_room(self.unified_no)
        except StoreError as error:
            self.say(refusal("添加", error), error=True)
            return
        self.app.push_screen(
            FilePickerScreen(self.store, self.unified_no, self.start_dir, value=self._last_path),
            callback=self._file_chosen,
        )

    def _file_chosen(self, path: Path | None) -> None:
        if path is None:
            return
        self._last_path = str(path)
        self.app.push_screen(
            DocTypeScreen(path.name), callback=lambda code: self._type_chosen(path, code)
        )

    def _type_chosen(self, path: Path, code: str | None) -> None:
        if code is None:
            self.say("已取消添加（未选择单据类型）")
            return
        try:
            added = self.store.add(self.unified_no, path, code)
        except StoreError as error:
            self.reload()
            self.say(refusal("添加", error), error=True)
            return
        self._last_path = ""
        self.reload(select_id=added.id)
        self.say(
            f"已添加：{added.filename}（{doc_type_label(code)}，{human_size(added.size)}）", ok=True
        )

    def action_details(self) -> None:
        current = self._current()
        if current is not None:
            self.app.push_screen(DetailsScreen(current))

    @on(DataTable.RowSelected, "#att-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_details()

    def action_remove(self) -> None:
        if self.locked:
            self.say(f"{LOCKED_NOTE}，不允许移除", error=True)
            return
        current = self._current()
        if current is None:
            self.say("没有可移除的随附单据", error=True)
            return
        question = f"移除随附单据“{current.filename}”（{doc_type_label(current.doc_type)}）？"
        self.app.push_screen(
            ConfirmScreen("移除", question), callback=lambda yes: self._remove(current, bool(yes))
        )

    def _remove(self, attachment: Attachment, confirmed: bool) -> None:
        if not confirmed:
            self.say("未移除")
            return
        try:
            self.store.remove(self.unified_no, attachment.id or 0)
        except StoreError as error:
            self.reload()
            self.say(refusal("移除", error), error=True)
            return
        self.reload()
        self.say(f"已移除：{attachment.filename}", ok=True)

    def action_close(self) -> None:
        self.dismiss(None)


class FilePickerScreen(ModalScreen[Path | None]):
    """Step 1 of adding: the file. The store's checks run here, the typed path kept on refusal."""

    BINDINGS = [b for b in bindings("popup") if b.action == "cancel"]  # noqa: RUF012

    DEFAULT_CSS = """
    FilePickerScreen { align: center middle; }
    FilePickerScreen > #fps-box {
        width: 100%; max-width: 90; height: 100%; max-height: 22;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FilePickerScreen #fps-title { text-style: bold; color: $text-primary; }
    FilePickerScreen #fps-hint { color: $text-muted; }
    """

    def __init__(
        self, store: AttachmentStore, unified_no: str, start_dir: Path, *, value: str = ""
    ) -> None:
        super().__init__()
        self.store = store
        self.unified_no = unified_no
        self.start_dir = start_dir
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="fps-box"):
            yield Label("添加随附单据：选择文件（PDF、JPG、PNG）", id="fps-title")
            yield FilePicker(self.start_dir, value=self.value, id="fps-picker")
            yield Static(
                f"Tab 补全  ↓ 目录树  Enter 选定  {hint_line('popup').split('  ')[-1]}",
                id="fps-hint",
                markup=False,
            )

    @on(FilePicker.Picked)
    def _picked(self, event: FilePicker.Picked) -> None:
        event.stop()
        try:
            self.store.check(self.unified_no, event.path)
        except StoreError as error:
            event.picker.show_error(refusal("添加", error))
            return
        self.dismiss(event.path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class JumpList(OptionList):
    """An OptionList that jumps as letters and digits are typed, in its own key handler (in order
    with the keys around them, where a screen's on_key would act later)."""

    async def _on_key(self, event: Key) -> None:
        character = event.character
        if character is not None and len(character) == 1 and character.isalnum():
            event.stop()
            event.prevent_default()
            screen = self.screen
            if isinstance(screen, DocTypeScreen):
                screen.jump(character)
            return
        await super()._on_key(event)


class DocTypeScreen(ModalScreen[str | None]):
    """Step 2 of adding: the type (随附单据类型), chosen by arrows or by typing its code or initials."""

    BINDINGS = bindings("popup")

    DEFAULT_CSS = """
    DocTypeScreen { align: center middle; }
    DocTypeScreen > #dt-box {
        width: 52; height: auto; max-height: 18;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DocTypeScreen #dt-title { text-style: bold; color: $text-primary; }
    DocTypeScreen OptionList { height: auto; max-height: 10; border: none; }
    DocTypeScreen #dt-hint { color: $text-muted; }
    """

    def __init__(self, filename: str) -> None:
        super().__init__()
        self.filename = filename
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dt-box"):
            yield Label("随附单据类型", id="dt-title")
            yield Label(self.filename, id="dt-file", markup=False)
            yield JumpList(
                *(Option(f"{e.code} {e.name}", id=e.code) for e in table(DOC_TYPES)), id="dt-list"
            )
            yield Static(
                "↑↓/代码/拼音首字母 选择  " + hint_line("popup"), id="dt-hint", markup=False
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def jump(self, character: str) -> None:
        """Typing jumps: "02" or "fp" → 02 发票 (the parameter table's own search)."""
        options = self.query_one(OptionList)
        for attempt in (self._typed + character, character):
            hits = table(DOC_TYPES).search(attempt, limit=1)
            if hits:
                self._typed = attempt
                options.highlighted = options.get_option_index(hits[0].code)
                return
        self._typed = ""

    def action_confirm(self) -> None:
        # after the keys already queued for the list ("02" then Enter in one burst picks 02)
        self.query_one(OptionList).call_later(self._confirm)

    def _confirm(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.is_attached:
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DetailsScreen(ModalScreen[None]):
    """One document's particulars, its SHA-256 included (what customs checks)."""

    BINDINGS = [  # noqa: RUF012
        *bindings("popup"),
        Binding("q", "cancel", show=False),
    ]

    DEFAULT_CSS = """
    DetailsScreen { align: center middle; }
    DetailsScreen > #det-box {
        width: 100%; max-width: 78; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DetailsScreen #det-title { text-style: bold; color: $text-primary; }
    DetailsScreen #det-hint { color: $text-muted; }
    """

    def __init__(self, attachment: Attachment) -> None:
        super().__init__()
        self.attachment = attachment

    def compose(self) -> ComposeResult:
        a = self.attachment
        lines = [
            f"类型      {table(DOC_TYPES).label(a.doc_type)}",
            f"文件名    {a.filename}",
            f"大小      {human_size(a.size)}（{a.size} 字节）",
            f"添加时间  {local_time(a.added_at)}",
            f"SHA-256   {a.sha256}",
        ]
        with Vertical(id="det-box"):
            yield Label("随附单据详情", id="det-title")
            yield Static("\n".join(lines), id="det-body", markup=False)
            yield Static("Enter/Esc 关闭", id="det-hint", markup=False)

    def action_confirm(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = [
    "AttachmentsScreen",
    "DetailsScreen",
    "DocTypeScreen",
    "FilePickerScreen",
    "hint_line",
]
