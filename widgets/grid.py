"""The query's paged grid: one page of `RecordRow`s at a time, a tick column, chosen columns.

The grid never holds the whole result: the pane hands it one page from the store's keyset query and
it replaces its rows (the columns stay, so a page flip repaints only the body). Widths are fixed
per column, so adding a page never measures every cell again. Rows are keyed by the record's
number (统一编号, or its local draft number before the gateway issued one), which
lets a status change or a tick update one cell instead of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from declarant.export import BY_KEY, COLUMNS
from store.queries import RecordRow
from store.text import inert

TICK_KEY = "tick"
TICKED = "[x]"
UNTICKED = "[ ]"
EMPTY = "-"  # the manual's grid shows "-" for a value not there yet (退货编号 before approval)
GAP = 1  # one blank cell after each column (Textual's cell padding would take two)


def _now_state(label: str) -> str:
    """状态 in the grid: the state the record is in now, "待人工审核" of "电子审核完成，待人工审核"
    (the whole label is in the export, the receipts and the form)."""
    return label.rsplit("，", 1)[-1]


def _to_the_minute(moment: str) -> str:
    return moment[:16]  # 2026-11-30 14:05 of 2026-11-30 14:05:33


# How a column reads in the grid when it must be shorter than in the export (Column.width cells)
COMPACT = {"status": _now_state, "updated_at": _to_the_minute, "collected_at": _to_the_minute}


def plain(value: str) -> Text:
    """A cell as typed: DataTable parses str cells as markup, and "[x]" or a name with brackets
    would vanish or break; a Text is shown as it is, inert (a control character in a stored value
    shows as a mark and never reaches the terminal)."""
    return Text(inert(value), no_wrap=True, end="")


def _reader(key: str) -> Callable[[RecordRow], str]:
    text = BY_KEY[key].text
    compact = COMPACT.get(key)
    return text if compact is None else lambda row: compact(text(row))


class RecordGrid(DataTable[Text]):
    """A DataTable of one page of records; row keys are the records' numbers (`RecordRow.key`)."""

    DEFAULT_CSS = """
    RecordGrid {
        height: 1fr;
        min-height: 4;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    """

    # The moving keys are priority, as the pane's Space (tick) and F8 are: a burst such as
    # "Down Down Space F8" must tick the row the cursor reached, so every one of these keys is
    # acted on in the order it was read, not after a trip through the widgets' queues.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "打开", show=False, priority=True),
        Binding("up", "cursor_up", show=False, priority=True),
        Binding("down", "cursor_down", show=False, priority=True),
        Binding("home", "scroll_home", show=False, priority=True),
        Binding("end", "scroll_end", show=False, priority=True),
    ]

    def __init__(self, columns: Sequence[str] | None = None, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self.column_keys: list[str] = list(columns or [c.key for c in COLUMNS])
        self.rows_shown: dict[str, RecordRow] = {}

    def on_mount(self) -> None:
        self._build_columns()

    def _build_columns(self) -> None:
        self.add_column("选", key=TICK_KEY, width=len(TICKED) + GAP)
        for key in self.column_keys:
            column = BY_KEY[key]
            width = max(column.width, cell_len(column.label)) + GAP
            self.add_column(column.label, key=key, width=width)

    def set_columns(self, keys: Sequence[str], ticked: set[str]) -> None:
        """Show these columns (grid order); the page is redrawn once, with the same rows."""
        self.column_keys = list(keys)
        rows = list(self.rows_shown.values())
        self.clear(columns=True)
        self._build_columns()
        self.show_rows(rows, ticked)

    def show_rows(self, rows: Iterable[RecordRow], ticked: set[str]) -> None:
        """Replace the body with one page; the cursor stays on the same line number."""
        line = self.cursor_row
        self.clear()
        self.rows_shown = {}
        readers = [_reader(key) for key in self.column_keys]
        for row in rows:
            self.rows_shown[row.key] = row
            tick = TICKED if row.key in ticked else UNTICKED
            cells = [plain(tick), *[plain(read(row) or EMPTY) for read in readers]]
            self.add_row(*cells, key=row.key)
        if self.row_count:
            self.move_cursor(row=min(max(line, 0), self.row_count - 1), animate=False)

    def set_tick(self, unified_no: str, ticked: bool) -> None:
        with suppress(CellDoesNotExist, RowDoesNotExist):  # not on this page
            self.update_cell(unified_no, TICK_KEY, plain(TICKED if ticked else UNTICKED))

    def update_record(self, row: RecordRow) -> bool:
        """Redraw one shown record's cells; False if it is not on this page."""
        if row.key not in self.rows_shown:
            return False
        self.rows_shown[row.key] = row
        for key in self.column_keys:
            self.update_cell(row.key, key, plain(_reader(key)(row) or EMPTY))
        return True

    @property
    def current(self) -> RecordRow | None:
        """The record under the cursor."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.rows_shown.get(key or "")
