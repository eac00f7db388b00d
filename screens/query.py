"""出口退货信息查询: filters, one page of results, receipts, ticks and batch delete, export.

`QueryPane` lives in a tab of the content area and reads the store inline (each call one short
indexed query); the export runs in a thread. A database fault is said, never raised (`guard_methods`).

Keys come from the action registry (`widgets.actions`, scopes "query" and "receipts"). F-keys are
priority bindings so they work from inside a filter; Space ticks only on the grid (in a filter it
types, and on 状态 it opens the list); Enter in a filter runs the query, Enter on a row opens it.

The pane is made of parts, one job each: the filters (query_filters.py), 查询 with its pages and
columns (query_grid.py), the ticks, batch delete and export (query_batch.py), the pick-one popups
(query_popups.py) and the receipts panel (receipts.py). This module holds the layout, the message
line, the rows' Enter and receipts, a status changed by a receipt, and the pane's `@on` handlers
(Textual collects them per widget class, so they stay here).
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from declarant.worker.events import StatusChanged
from screens.db_state import guard_methods
from screens.query_batch import BatchActions
from screens.query_filters import QueryFilters, filter_input, status_input
from screens.query_grid import GridPages
from screens.query_submit import BatchSubmit, Submit, SubmitActions
from screens.receipts import ReceiptsPanel
from store import clock
from store.errors import RecordNotFound
from store.operator import Operator
from store.queries import PAGE_SIZES, Page, RecordQuery
from store.records import RecordStore
from store.status import Status
from widgets.actions import bindings
from widgets.grid import RecordGrid

Refresh = Callable[[], Awaitable[object]]

HINT = "F5查询 F3重置 Enter打开 F9回执 空格勾选 F8删除 F6导出 F7选择显示列 PgDn翻页"


@guard_methods("查询", "action_run_query action_next_page action_prev_page action_first_page")
@guard_methods("查询", "action_last_page")
@guard_methods("删除", "_delete")
class QueryPane(QueryFilters, GridPages, BatchActions, SubmitActions, Vertical):
    """The query screen's content; posts `OpenRecord` on Enter on a row."""

    DEFAULT_CSS = """
    QueryPane {
        height: 1fr;
    }
    QueryPane .filters {
        height: 1;
        margin-bottom: 0;
    }
    QueryPane .filters Label {
        width: auto;
        padding: 0 1 0 0;
    }
    QueryPane .filters Input {
        margin-right: 1;
        background: $boost;
    }
    QueryPane .filters Input:focus {
        background: $primary 30%;
    }
    QueryPane .filters Input.-refused {
        background: $error 30%;
    }
    QueryPane .filters Button {
        width: auto;
        min-width: 0;
        margin-left: 1;
    }
    QueryPane #status-label {
        width: 1fr;
        color: $text-muted;
    }
    QueryPane #message {
        height: auto;
        max-height: 3;
        color: $text-muted;
        display: none;
    }
    QueryPane #message.-shown {
        display: block;
    }
    QueryPane #message.-error {
        color: $error;
        text-style: bold;
    }
    QueryPane #pager {
        height: 1;
        background: $panel;
    }
    QueryPane #hint {
        height: 1;
        color: $text-muted;
    }
    QueryPane:ansi .filters Input {
        background: ansi_default;
        text-style: underline;
    }
    QueryPane:ansi .filters Input:focus {
        background: ansi_blue;
        color: ansi_bright_white;
    }
    QueryPane:ansi .filters Input.-refused {
        background: ansi_red;
        color: ansi_bright_white;
    }
    QueryPane:ansi #message.-error {
        color: ansi_bright_red;
    }
    QueryPane:ansi #pager {
        background: ansi_default;
        text-style: reverse;
    }
    QueryPane:ansi #status-label, QueryPane:ansi #hint, QueryPane:ansi #message {
        color: ansi_default;
    }
    """

    # a key read while a filter still has typed keys queued acts after them: the App waits for
    # the focused filter before any key of the registry (widgets/ordering.py)
    BINDINGS: ClassVar[list[BindingType]] = bindings("query")  # type: ignore[assignment]

    def action_next_field(self) -> None:
        self.screen.focus_next()

    def action_prev_field(self) -> None:
        self.screen.focus_previous()

    class OpenRecord(Message):
        """Enter on a row: the app opens this record in its entry tab."""

        def __init__(self, unified_no: str) -> None:
            super().__init__()
            self.unified_no = unified_no

    def __init__(
        self,
        engine: Engine,
        operator: Operator,
        *,
        page_size: int = 20,
        refresh: Refresh | None = None,
        prefs_path: Path | None = None,
        export_dir: Path | None = None,
        show_hint: bool = True,
        submit: Submit | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.show_hint = show_hint
        self.engine = engine
        self.operator = operator
        self.store = RecordStore(engine, operator)
        self.page_size = page_size if page_size in PAGE_SIZES else 20
        self._refresh = refresh
        self.prefs_path = prefs_path
        if export_dir is None:
            if prefs_path is not None:
                export_dir = prefs_path.parent / "exports"
            else:  # a pane built without a home (a script, a test): a private folder of its own
                export_dir = Path(tempfile.mkdtemp(prefix="tuihuo-exports-"))
        self.export_dir = export_dir
        self.query_run: RecordQuery | None = None
        self.page = Page()
        self.page_no = 0
        self.ticked: set[str] = set()
        self.last_export: Path | None = None
        self.exporting = False
        self.batch = BatchSubmit(self, submit)  # 提交 of the ticked rows (screens/query_submit.py)

    # ---- composition ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        today = clock.today_local().isoformat()
        with Horizontal(classes="filters"):
            yield from filter_input("import_decl_no", restrict=r"[0-9]*", max_length=18)
            yield from filter_input("unified_no", restrict=r"[0-9]*", max_length=18)
        with Horizontal(classes="filters"):
            yield from filter_input("consignee", restrict=r"[0-9A-Za-z]*", max_length=18)
            yield from filter_input("producer", restrict=r"[0-9A-Za-z]*", max_length=18)
            yield Button("查询F5", id="run", compact=True, variant="primary")
            yield Button("重置F3", id="reset", compact=True)
        with Horizontal(classes="filters"):
            yield from filter_input("op_from", value=today, restrict=r"[0-9-]*", max_length=10)
            yield from filter_input("op_to", value=today, restrict=r"[0-9-]*", max_length=10)
            # 状态 here, where its name has room at 80 columns (after 统一编号 it had 2 cells and
            # read "人"); 当天/本周/本月 are F10/F11/F12, in the key list (Alt+K)
            yield from status_input()
        yield Static("", id="message", markup=False)
        yield RecordGrid(self._load_columns(), id="grid")
        yield Static("暂无数据", id="pager", markup=False)
        yield ReceiptsPanel(self.store, self._refresh, id="receipts")
        if self.show_hint:  # the app's own hint bar may stand in for it
            yield Static(HINT, id="hint", markup=False)

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # F-keys do these; Tab walks the filters and the grid only
            # exactly the label's width: the columns at 80 are counted (CSS refuses line-pad 0)
            button.styles.line_pad = 0
            button.styles.width = cell_len(str(button.label))
        self.query_one("#import_decl_no", Input).focus()

    @property
    def grid(self) -> RecordGrid:
        return self.query_one("#grid", RecordGrid)

    @property
    def receipts(self) -> ReceiptsPanel:
        return self.query_one("#receipts", ReceiptsPanel)

    # ---- messages to the operator --------------------------------------------------------
    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(text)
        message.set_class(error, "-error")
        message.set_class(bool(text), "-shown")  # a line only while there is something to say

    # ---- the filters' events (query_filters.py) ------------------------------------------------
    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        self._changed(event)

    @on(Input.Blurred)
    def _filter_left(self, event: Input.Blurred) -> None:
        self._left(event)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run_query()

    # ---- rows ------------------------------------------------------------------------------
    @on(RecordGrid.RowSelected, "#grid")
    def _row_chosen(self, event: RecordGrid.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.OpenRecord(event.row_key.value))

    def action_receipts(self) -> None:
        row = self.grid.current
        if row is None:
            self._say("请先查询并选择一条记录", error=True)
            return
        self.receipts.show(row.key)

    @on(ReceiptsPanel.Closed)
    def _receipts_closed(self) -> None:
        self.grid.focus()

    def status_changed(self, event: StatusChanged) -> None:
        """The worker saw a receipt change a status: redraw the row if shown, and say so."""
        unified_no, new = event.unified_no, Status(event.new)
        row = self.grid.rows_shown.get(unified_no)
        if row is not None:
            try:
                record = self.store.load(unified_no)
            except RecordNotFound:
                record = None
            if record is not None:
                self.grid.update_record(
                    replace(
                        row,
                        status=record.status,
                        return_no=record.return_no,
                        collected_at=record.collected_at,
                        updated_at=record.updated_at or row.updated_at,
                    )
                )
        if self.receipts.is_open and self.receipts.unified_no == unified_no:
            self.receipts.reload()
        self.notify(f"{unified_no} {new.label}", markup=False)

    # ---- key routing -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.screen.focused
        in_receipts = focused is not None and self.receipts in focused.ancestors_with_self
        if action == "run_query" and in_receipts:
            return False  # F5 is 刷新 there
        if action == "tick":
            return focused is self.grid
        return True

    @on(Button.Pressed, "#run")
    def _run_pressed(self) -> None:
        self.action_run_query()

    @on(Button.Pressed, "#reset")
    def _reset_pressed(self) -> None:
        self.action_reset()
