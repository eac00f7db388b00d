"""常用企业: the enterprise book as a tab of its own (from the left menu).

One kind at a time (原生产企业 or 收货联系人, F4 switches), newest use first, narrowed as the
operator types in the search line (code, pinyin initials, Chinese: the popup's search). ↓ or
Enter from the search line goes to the list; on a row Enter changes it, F3 adds, F8 deletes
after a confirmation, F5 imports an .xlsx, F6 exports the whole book beside the other exports.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from declarant.book_sheet import BookSheetError, export_book, import_book
from declarant.export import local_time
from screens.book_edit import BookEditScreen, BookFileScreen
from screens.confirm import ConfirmScreen
from store import clock, params
from store.book import CONTACT, KINDS, PRODUCER, EnterpriseBook, Known
from store.errors import StoreError
from store.text import inert
from widgets.actions import bindings
from widgets.ordered_input import OrderedInput

COLUMNS = {
    PRODUCER: (
        ("name", "名称", 24),
        ("uscc", "社会信用代码", 18),
        ("code", "海关编码", 10),
        ("contact", "联系人", 8),
        ("phone", "联系电话", 14),
        ("division", "行政区划", 14),
        ("customs", "所属机构", 12),
    ),
    CONTACT: (
        ("contact", "联系人", 12),
        ("phone", "联系电话", 16),
        ("uscc", "收货人社会信用代码", 18),
        ("code", "收货人海关编码", 10),
    ),
}
TABLES = {"division": "divisions", "customs": "customs_districts"}


class BookHint(Message):
    """For the hint bar: what the book did (kind "ok"/"error"/"hint")."""

    def __init__(self, text: str, kind: str = "hint") -> None:
        super().__init__()
        self.text = text
        self.kind = kind


def _cell(column: str, value: str | None) -> Text:
    text = value or ""
    if value and column in TABLES:
        text = params.table(TABLES[column]).label(value)
    return Text(inert(text), no_wrap=True, end="")


class BookPane(Vertical):
    BINDINGS: ClassVar[list[Binding]] = [
        *bindings("book"),
        Binding("down", "to_list", show=False),
    ]

    DEFAULT_CSS = """
    BookPane #book-kind { height: 1; text-style: bold; }
    BookPane #book-search { height: 1; border: none; padding: 0; }
    BookPane #book-search:focus { background: $boost; }
    BookPane DataTable { height: 1fr; }
    BookPane #book-count { height: 1; color: $text-muted; }
    """

    def __init__(self, book: EnterpriseBook, *, export_dir: Path, start_dir: Path) -> None:
        super().__init__()
        self.book = book
        self.kind = PRODUCER
        self.export_dir = export_dir
        self.start_dir = start_dir
        self.shown: list[Known] = []
        self.last_export: Path | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="book-kind")
        yield OrderedInput(
            placeholder="检索：代码、拼音首字母或汉字", id="book-search", select_on_focus=False
        )
        yield DataTable(id="book-list", cursor_type="row", zebra_stripes=False)
        yield Static("", id="book-count", markup=False)

    @property
    def grid(self) -> DataTable[Text]:
        return self.query_one("#book-list", DataTable)

    @property
    def search(self) -> Input:
        return self.query_one("#book-search", Input)

    def on_mount(self) -> None:
        self.reload()
        self.search.focus()

    # ---- the list --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the book again and show the kind's entries the search line names."""
        try:
            entries = self.book.entries(self.kind)
        except StoreError as error:
            self.post_message(BookHint(error.message, "error"))
            return
        self.shown = entries.find(self.search.value)
        other = KINDS[CONTACT if self.kind == PRODUCER else PRODUCER]
        self.query_one("#book-kind", Label).update(
            f"常用企业：{KINDS[self.kind]}（F4 切换到{other}）"
        )
        grid = self.grid
        grid.clear(columns=True)
        for key, label, width in COLUMNS[self.kind]:
            grid.add_column(label, key=key, width=width)
        grid.add_column("最近使用", key="used_at", width=19)
        for entry in self.shown:
            values = entry.values()
            cells = [_cell(key, values.get(key)) for key, _label, _width in COLUMNS[self.kind]]
            grid.add_row(*cells, Text(local_time(entry.used_at)), key=str(entry.id))
        total = len(entries)
        found = f"，检索到{len(self.shown)}条" if self.search.value.strip() else ""
        self.query_one("#book-count", Static).update(f"共{total}条{found}")

    @on(Input.Changed, "#book-search")
    def _searched(self, _event: Input.Changed) -> None:
        self.reload()

    @on(Input.Submitted, "#book-search")
    def _search_done(self, _event: Input.Submitted) -> None:
        self.action_to_list()

    def action_to_list(self) -> None:
        if self.shown:
            self.grid.focus()

    def current(self) -> Known | None:
        grid = self.grid
        if not self.shown or grid.cursor_row is None or not 0 <= grid.cursor_row < len(self.shown):
            return None
        return self.shown[grid.cursor_row]

    @on(DataTable.RowSelected, "#book-list")
    def _row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    # ---- actions ---------------------------------------------------------------------------
    def action_toggle_kind(self) -> None:
        self.kind = CONTACT if self.kind == PRODUCER else PRODUCER
        self.reload()

    def action_add(self) -> None:
        self.app.push_screen(BookEditScreen(self.book, self.kind), self._edited)

    def action_edit(self) -> None:
        entry = self.current()
        if entry is None:
            self.post_message(BookHint("请先在列表中选择一条", "error"))
            return
        self.app.push_screen(BookEditScreen(self.book, self.kind, entry), self._edited)

    def _edited(self, saved: Known | None) -> None:
        if saved is None:
            return
        self.reload()
        self.post_message(BookHint(f"已保存：{saved.label()}", "ok"))

    def action_delete(self) -> None:
        entry = self.current()
        if entry is None:
            self.post_message(BookHint("请先在列表中选择要删除的一条", "error"))
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.book.delete(entry.id)
            except StoreError as error:
                self.post_message(BookHint(f"删除失败：{error.message}", "error"))
                return
            self.reload()
            self.post_message(BookHint(f"已删除：{entry.label()}", "ok"))

        self.app.push_screen(
            ConfirmScreen("删除", f"确定从常用企业中删除“{entry.label()}”？"), answered
        )

    def action_export_sheet(self) -> None:
        stamp = clock.to_local(clock.now()).strftime("%Y%m%d-%H%M%S")
        self._export(self.export_dir / f"常用企业-{stamp}.xlsx")

    @work(thread=True, exclusive=True, group="book-sheet")
    def _export(self, path: Path) -> None:
        try:
            count = export_book(self.book, path)
        except (OSError, StoreError) as error:
            words = getattr(error, "message", None) or error.strerror or str(error)
            self.post_message(BookHint(f"导出失败：{words}", "error"))
            return
        self.last_export = path
        self.post_message(BookHint(f"已导出{count}条：{path}", "ok"))

    def action_import_sheet(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self._import(path)

        self.app.push_screen(BookFileScreen(self.start_dir), chosen)

    @work(thread=True, exclusive=True, group="book-sheet")
    def _import(self, path: Path) -> None:
        try:
            result = import_book(self.book, path)
        except BookSheetError as error:
            self.post_message(BookHint(f"导入失败：{error.message}", "error"))
            return
        except StoreError as error:
            self.post_message(BookHint(f"导入失败：{error.message}", "error"))
            return
        self.app.call_from_thread(self.reload)
        self.post_message(BookHint(result.summary, "error" if result.refused else "ok"))
