"""出口退货信息查询: filters, one page of results, receipts, ticks and batch delete, export.

`QueryPane` lives in a tab of the content area and reads the store inline (each call one short
indexed query); the export runs in a thread. A database fault is said, never raised (`guard_methods`).

Keys come from the action registry (`widgets.actions`, scopes "query" and "receipts"). F-keys are
priority bindings so they work from inside a filter; Space ticks only on the grid (in a filter it
types, and on 状态 it opens the list); Enter in a filter runs the query, Enter on a row opens it.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from sqlalchemy import Engine
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from declarant.export import COLUMNS, EXPORT_BATCH, export_name, export_rows
from declarant.worker.events import StatusChanged
from screens.confirm import ConfirmScreen
from screens.db_state import guard_methods
from screens.query_popups import export_popup, status_popup
from screens.receipts import ReceiptsPanel
from store import clock
from store.errors import RecordNotFound
from store.operator import Operator
from store.queries import PAGE_SIZES, Page, QueryError, QueryFilter, RecordQuery, quick_range
from store.records import RecordStore
from store.status import Status
from widgets.actions import bindings
from widgets.grid import RecordGrid
from widgets.ordered_input import OrderedInput

Refresh = Callable[[], Awaitable[object]]

# filter field (QueryFilter attribute) -> label, width of its input
FILTERS: dict[str, tuple[str, int]] = {
    "import_decl_no": ("进口报关单号", 19),
    "unified_no": ("统一编号", 19),
    "status": ("状态", 2),
    "consignee": ("收货人", 19),
    "producer": ("原生产企业", 19),
    "op_from": ("最近操作时间", 11),
    "op_to": ("至", 11),
}
_ENTERPRISE_LENGTHS = (10, 18)  # customs code, USCC: checked the moment either length is reached
HINT = "F5查询 F3重置 Enter打开 F9回执 空格勾选 F8删除 F6导出 F7选择显示列 PgDn翻页"


class StatusInput(OrderedInput):
    """状态: one digit 0-8; Space opens the list of statuses with their labels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "popup", "参数", show=False, priority=True)
    ]

    def action_popup(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.value = value
            self.focus()

        self.app.push_screen(status_popup(self.value), chosen)


@guard_methods("查询", "action_run_query action_next_page action_prev_page action_first_page")
@guard_methods("查询", "action_last_page")
@guard_methods("删除", "_delete")
class QueryPane(Vertical):
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
    # the focused filter before any key of the registry (tui/ordering.py)
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

    # ---- composition ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        today = clock.today_local().isoformat()
        with Horizontal(classes="filters"):
            yield from self._filter("import_decl_no", restrict=r"[0-9]*", max_length=18)
            yield from self._filter("unified_no", restrict=r"[0-9]*", max_length=18)
            label, width = FILTERS["status"]
            yield Label(label)
            status = StatusInput(
                id="status", compact=True, restrict=r"[0-8]?", max_length=1, select_on_focus=False
            )
            status.styles.width = width
            yield status
            yield Static("", id="status-label", markup=False)
        with Horizontal(classes="filters"):
            yield from self._filter("consignee", restrict=r"[0-9A-Za-z]*", max_length=18)
            yield from self._filter("producer", restrict=r"[0-9A-Za-z]*", max_length=18)
            yield Button("查询F5", id="run", compact=True, variant="primary")
            yield Button("重置F3", id="reset", compact=True)
        with Horizontal(classes="filters"):
            yield from self._filter("op_from", value=today, restrict=r"[0-9-]*", max_length=10)
            yield from self._filter("op_to", value=today, restrict=r"[0-9-]*", max_length=10)
            yield Button("当天F10", id="range-today", compact=True)
            yield Button("本周F11", id="range-week", compact=True)
            yield Button("本月F12", id="range-month", compact=True)
        yield Static("", id="message", markup=False)
        yield RecordGrid(self._load_columns(), id="grid")
        yield Static("暂无数据", id="pager", markup=False)
        yield ReceiptsPanel(self.store, self._refresh, id="receipts")
        if self.show_hint:  # the app's own hint bar may stand in for it
            yield Static(HINT, id="hint", markup=False)

    def _filter(
        self, name: str, *, value: str = "", restrict: str, max_length: int
    ) -> ComposeResult:
        label, width = FILTERS[name]
        yield Label(label)
        field = OrderedInput(
            value=value,
            id=name,
            compact=True,
            restrict=restrict,
            max_length=max_length,
            select_on_focus=False,
        )
        field.styles.width = width
        yield field

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

    def _mark(self, fields: set[str]) -> None:
        for name in FILTERS:
            self.query_one(f"#{name}", Input).set_class(name in fields, "-refused")

    # ---- filters ---------------------------------------------------------------------------
    def _filter_values(self) -> QueryFilter:
        return QueryFilter(**{name: self.query_one(f"#{name}", Input).value for name in FILTERS})

    def _violations(self) -> dict[str, str]:
        try:
            self._filter_values().validated()
        except QueryError as error:
            found: dict[str, str] = {}
            for violation in error.violations:
                found.setdefault(violation.field, violation.message)
            return found
        return {}

    def _check_fields(self, names: set[str]) -> None:
        """Mark and explain the named fields' problems now (as typed, or on leaving a field)."""
        if names & {"op_from", "op_to"}:
            names = names | {"op_from", "op_to"}  # the range rule is about both ends
        violations = self._violations()
        if "op_from" in violations:
            violations.setdefault("op_to", violations["op_from"])
        marked = {n for n in FILTERS if self.query_one(f"#{n}", Input).has_class("-refused")}
        marked = (marked - names) | {n for n in names if n in violations}
        self._mark(marked)
        messages = [violations[n] for n in FILTERS if n in names and n in violations]
        messages += [violations[n] for n in FILTERS if n in marked and n in violations]
        if messages:
            self._say(messages[0], error=True)
        else:
            self._say("")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name == "status":
            self._show_status_label(event.value)
        if name in ("consignee", "producer"):
            if len(event.value.strip()) in _ENTERPRISE_LENGTHS or not event.value:
                self._check_fields({name})
        elif event.input.has_class("-refused"):
            self._check_fields({name})  # clear the mark once the value is right

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        if name in FILTERS and event.value.strip():
            self._check_fields({name})

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_run_query()

    def _show_status_label(self, value: str) -> None:
        text = ""
        if value.isdigit() and int(value) in {int(s) for s in Status}:
            text = Status(int(value)).label
        self.query_one("#status-label", Static).update(text)

    # ---- the query and its pages -------------------------------------------------------------
    def action_run_query(self) -> None:
        """查询: check every filter; on success show the first page and move to the grid."""
        try:
            query = self._filter_values().validated()
        except QueryError as error:
            bad = {v.field for v in error.violations}
            if "op_from" in bad:
                bad.add("op_to")
            self._mark(bad)
            self._say(error.message, error=True)
            first = next(n for n in FILTERS if n in bad)
            self.query_one(f"#{first}", Input).focus()
            return
        self._mark(set())
        self._say("")
        self.query_run = RecordQuery(self.engine, self.operator, query)
        self.ticked.clear()
        self.page_no = 1
        self._show(self.query_run.page(self.page_size))
        if self.page.rows:
            self.grid.focus()

    def _show(self, page: Page) -> None:
        self.page = page
        self.grid.show_rows(page.rows, self.ticked)
        self._update_pager()

    def _pages(self) -> int:
        return max(1, math.ceil(self.page.total / self.page_size))

    def _update_pager(self) -> None:
        pager = self.query_one("#pager", Static)
        if not self.page.total:
            pager.update("暂无数据")
            return
        text = (
            f"共 {self.page.total} 条  第 {self.page_no}/{self._pages()} 页  "
            f"每页 {self.page_size} 条(F4)"
        )
        if self.ticked:
            text += f"  已勾选 {len(self.ticked)} 条"
        pager.update(text)

    def action_next_page(self) -> None:
        if self.query_run is None or not self.page.has_next:
            return
        page = self.query_run.page(self.page_size, after=self.page.last, total=self.page.total)
        self.page_no += 1
        self._show(page)

    def action_prev_page(self) -> None:
        if self.query_run is None or not self.page.has_prev:
            return
        page = self.query_run.page(self.page_size, before=self.page.first, total=self.page.total)
        self.page_no = max(1, self.page_no - 1)
        self._show(page)

    def action_first_page(self) -> None:
        if self.query_run is None:
            return
        self.page_no = 1
        self._show(self.query_run.page(self.page_size, total=self.page.total))

    def action_last_page(self) -> None:
        if self.query_run is None or not self.page.total:
            return
        self.page_no = self._pages()
        self._show(self.query_run.page(self.page_size, last=True, total=self.page.total))

    def action_page_size(self) -> None:
        """每页条数: 10 → 20 → 50 → 100 → 10; back to the first page (its rows change)."""
        self.page_size = PAGE_SIZES[(PAGE_SIZES.index(self.page_size) + 1) % len(PAGE_SIZES)]
        if self.query_run is None:
            self._say(f"每页 {self.page_size} 条")
            return
        self.action_first_page()

    def _set_range(self, which: str) -> None:
        start, end = quick_range(which)
        self.query_one("#op_from", Input).value = start.isoformat()
        self.query_one("#op_to", Input).value = end.isoformat()
        self.action_run_query()

    def action_range_today(self) -> None:
        self._set_range("当天")

    def action_range_week(self) -> None:
        self._set_range("本周")

    def action_range_month(self) -> None:
        self._set_range("本月")

    def action_reset(self) -> None:
        """重置: the filters back to their defaults (today); the results stay until the next 查询."""
        today = clock.today_local().isoformat()
        for name in FILTERS:
            self.query_one(f"#{name}", Input).value = today if name.startswith("op_") else ""
        self._mark(set())
        self._say("")
        self.query_one("#import_decl_no", Input).focus()

    # ---- rows ------------------------------------------------------------------------------
    @on(RecordGrid.RowSelected, "#grid")
    def _row_chosen(self, event: RecordGrid.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.OpenRecord(event.row_key.value))

    def action_tick(self) -> None:
        row = self.grid.current
        if row is None:
            return
        ticked = row.key not in self.ticked
        if ticked:
            self.ticked.add(row.key)
        else:
            self.ticked.discard(row.key)
        self.grid.set_tick(row.key, ticked)
        self._update_pager()
        if self.grid.cursor_row < self.grid.row_count - 1:
            self.grid.move_cursor(row=self.grid.cursor_row + 1, animate=False)

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

    # ---- delete ----------------------------------------------------------------------------
    def action_delete_ticked(self) -> None:
        """删除: confirm with the count, delete what may be deleted, name what was refused."""
        if not self.ticked:
            self._say("请先用空格勾选要删除的记录", error=True)
            return
        chosen = sorted(self.ticked)
        text = (
            f"是否确认删除选中数据？共 {len(chosen)} 条。\n"
            "删除的数据将不可恢复，需重新录入，请谨慎操作。"
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(chosen)
            else:
                self.grid.focus()

        self.app.push_screen(ConfirmScreen("删除", text), answered)

    def _delete(self, chosen: list[str]) -> None:
        result = self.store.delete_many(chosen)
        self.ticked.difference_update(chosen)
        parts = [f"已删除{len(result.deleted)}条。"]  # no spaces: Chinese wraps anywhere
        if result.refused:
            named = "；".join(f"{no}（{why}）" for no, why in result.refused)
            parts.append(f"以下{len(result.refused)}条不允许删除：{named}")
        self._say("".join(parts), error=bool(result.refused))
        self.notify(parts[0], severity="warning" if result.refused else "information", markup=False)
        if self.query_run is not None:
            self.page_no = 1
            self._show(self.query_run.page(self.page_size))
        self.grid.focus()

    # ---- columns ---------------------------------------------------------------------------
    def _load_columns(self) -> list[str]:
        default = [c.key for c in COLUMNS]
        if self.prefs_path is None or not self.prefs_path.exists():
            return default
        try:
            saved = json.loads(self.prefs_path.read_text(encoding="utf-8"))["query"]["columns"]
        except (OSError, ValueError, KeyError, TypeError):
            return default  # a damaged prefs file must not stop the screen
        known = [c.key for c in COLUMNS if c.key in saved]
        return known or default

    def _save_columns(self, keys: list[str]) -> None:
        if self.prefs_path is None:
            return
        prefs: dict[str, object] = {}
        try:
            loaded = json.loads(self.prefs_path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                prefs = loaded  # keep whatever else the app keeps in the same file
        except (OSError, ValueError):
            pass
        section = prefs.get("query")
        section = section if isinstance(section, dict) else {}
        section["columns"] = keys
        prefs["query"] = section
        self.prefs_path.parent.mkdir(parents=True, exist_ok=True)
        self.prefs_path.write_text(json.dumps(prefs, ensure_ascii=False, indent=2), "utf-8")

    def action_choose_columns(self) -> None:
        from widgets.column_chooser import ColumnChooser

        def chosen(keys: list[str] | None) -> None:
            if keys is not None and keys != self.grid.column_keys:
                self.grid.set_columns(keys, self.ticked)
                self._save_columns(keys)
            self.grid.focus()

        self.app.push_screen(ColumnChooser(self.grid.column_keys), chosen)

    # ---- export ----------------------------------------------------------------------------
    def action_export(self) -> None:
        if self.query_run is None or not self.page.total:
            self._say("没有可导出的数据，请先查询", error=True)
            return

        def chosen(fmt: str | None) -> None:
            if fmt is not None:
                self.export(fmt)

        self.app.push_screen(export_popup(), chosen)

    def export(self, fmt: str) -> None:
        """Export the current result in `fmt` ("csv" or "xlsx") in a thread worker."""
        if self.query_run is None:
            return
        if self.exporting:
            # a thread cannot be stopped halfway: a second export waits for the first to end
            self.notify("正在导出，请稍候", severity="warning")
            return
        path = self.export_dir / export_name(fmt)
        self.exporting = True
        self._say(f"正在导出 0/{self.page.total} 条…")
        self._export(self.query_run, list(self.grid.column_keys), path, self.page.total)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, query: RecordQuery, columns: list[str], path: Path, total: int) -> None:
        def progress(done: int) -> None:
            self.app.call_from_thread(self._say, f"正在导出 {done}/{total} 条…")

        try:
            written = export_rows(query.all_rows(EXPORT_BATCH), columns, path, progress=progress)
        except Exception as error:  # disk full, permission: the operator must hear of it
            self.app.call_from_thread(self._export_failed, error, path)
            return
        self.app.call_from_thread(self._exported, written, path)

    def _export_failed(self, error: Exception, path: Path) -> None:
        self.exporting = False
        self.log.error(f"export to {path} failed: {error!r}")
        if isinstance(error, OSError):
            self._say(f"导出失败：无法写入 {path}（{error.strerror or error}）", error=True)
        else:
            self._say(f"导出失败：{error}", error=True)

    def _exported(self, written: int, path: Path) -> None:
        self.exporting = False
        self.last_export = path
        self._say(f"已导出{written}条到 {path}")
        self.notify(f"已导出{written}条到 {path}", timeout=8, markup=False)

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

    @on(Button.Pressed, "#range-today")
    def _today_pressed(self) -> None:
        self.action_range_today()

    @on(Button.Pressed, "#range-week")
    def _week_pressed(self) -> None:
        self.action_range_week()

    @on(Button.Pressed, "#range-month")
    def _month_pressed(self) -> None:
        self.action_range_month()
