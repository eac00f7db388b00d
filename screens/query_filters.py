"""The query's filters: seven inputs, each checked as typed or on leaving, and the quick ranges.

The store's `QueryFilter` says what is wrong (store/queries.py); here a refused filter is marked
and its message shown on the pane's message line. 收货人 and 原生产企业 are checked the moment a
customs code (10) or a USCC (18) is complete; the other filters on leaving them; the date range's
rule is about both ends, so both are marked. F10/F11/F12 set 当天/本周/本月 and run the query;
F3 重置 puts the filters back to today and leaves the results until the next 查询.

`QueryFilters` is a mixin of `QueryPane` (screens/query.py): its methods act on the pane. The
pane's `@on` handlers call `_changed`/`_left` here (Textual collects them per widget class).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, Static

from screens.query_popups import status_popup
from store import clock
from store.queries import QueryError, QueryFilter, quick_range
from store.status import Status
from widgets.ordered_input import OrderedInput

if TYPE_CHECKING:
    from screens.query import QueryPane

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


def filter_input(name: str, *, value: str = "", restrict: str, max_length: int) -> ComposeResult:
    """The label and input of the filter `name` (its id), as wide as FILTERS says."""
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


def status_input() -> ComposeResult:
    """状态's label, its one-digit input and the status's name beside it."""
    label, width = FILTERS["status"]
    yield Label(label)
    status = StatusInput(
        id="status", compact=True, restrict=r"[0-8]?", max_length=1, select_on_focus=False
    )
    status.styles.width = width
    yield status
    yield Static("", id="status-label", markup=False)


class QueryFilters:
    """Checking, marking and setting the pane's filters (a mixin of QueryPane)."""

    def _mark(self: QueryPane, fields: set[str]) -> None:
        for name in FILTERS:
            self.query_one(f"#{name}", Input).set_class(name in fields, "-refused")

    def _filter_values(self: QueryPane) -> QueryFilter:
        return QueryFilter(**{name: self.query_one(f"#{name}", Input).value for name in FILTERS})

    def _violations(self: QueryPane) -> dict[str, str]:
        try:
            self._filter_values().validated()
        except QueryError as error:
            found: dict[str, str] = {}
            for violation in error.violations:
                found.setdefault(violation.field, violation.message)
            return found
        return {}

    def _check_fields(self: QueryPane, names: set[str]) -> None:
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

    def _changed(self: QueryPane, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name == "status":
            self._show_status_label(event.value)
        if name in ("consignee", "producer"):
            if len(event.value.strip()) in _ENTERPRISE_LENGTHS or not event.value:
                self._check_fields({name})
        elif event.input.has_class("-refused"):
            self._check_fields({name})  # clear the mark once the value is right

    def _left(self: QueryPane, event: Input.Blurred) -> None:
        name = event.input.id or ""
        if name in FILTERS and event.value.strip():
            self._check_fields({name})

    def _show_status_label(self: QueryPane, value: str) -> None:
        text = ""
        if value.isdigit() and int(value) in {int(s) for s in Status}:
            text = Status(int(value)).label
        self.query_one("#status-label", Static).update(text)

    def _set_range(self: QueryPane, which: str) -> None:
        start, end = quick_range(which)
        self.query_one("#op_from", Input).value = start.isoformat()
        self.query_one("#op_to", Input).value = end.isoformat()
        self.action_run_query()

    def action_range_today(self: QueryPane) -> None:
        self._set_range("当天")

    def action_range_week(self: QueryPane) -> None:
        self._set_range("本周")

    def action_range_month(self: QueryPane) -> None:
        self._set_range("本月")

    def action_reset(self: QueryPane) -> None:
        """重置: the filters back to their defaults (today); the results stay until the next 查询."""
        today = clock.today_local().isoformat()
        for name in FILTERS:
            self.query_one(f"#{name}", Input).value = today if name.startswith("op_") else ""
        self._mark(set())
        self._say("")
        self.query_one("#import_decl_no", Input).focus()
