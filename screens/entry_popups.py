"""The entry form's pickers: the parameter search (space in a code field) and the calendar (dates).

A choice is put in the field, checked like a typed value, written to the draft, and the cursor
moves on as after Enter; Esc leaves the field as it was. 原生产企业所属机构 refuses a 直属海关 in
the list itself, with the manual's words.

`FieldPopups` is a mixin of `EntryPane` (screens/entry.py): its methods act on the pane; the pane
routes `PopupRequested` here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from screens.entry_book import BookInput
from screens.popups import CalendarPopup, ParamPopup
from store import params
from store.validators import FieldError, parse_date
from widgets.fields import DateInput, ParamInput

if TYPE_CHECKING:
    from screens.entry import EntryPane


class FieldPopups:
    """The pickers of the pane's code and date fields (a mixin of EntryPane)."""

    def action_popup(self: EntryPane) -> None:
        focused = self.app.focused
        if isinstance(focused, BookInput):
            self.book.open(focused, focused.value.strip())
        elif isinstance(focused, ParamInput):
            self._open_param_popup(focused, "")
        elif isinstance(focused, DateInput):
            self._open_calendar(focused)

    def _open_param_popup(self: EntryPane, widget: ParamInput, text: str) -> None:
        refuse: dict[str, str] = {}
        if widget.spec.key == "producer_customs":
            message = "原生产企业所属机构不能选择直属海关"
            refuse = {e.code: message for e in widget.table if params.is_direct_customs(e.code)}

        def chosen(code: str | None) -> None:
            if code is None:
                widget.focus()
                return
            widget.show(code)
            self.screen.set_focus(widget)
            if self.commit(widget, moving=True):
                self.save_draft()
                self._move(1)

        self.app.push_screen(
            ParamPopup(widget.table, title=widget.spec.title, text=text, refuse=refuse), chosen
        )

    def _open_calendar(self: EntryPane, widget: DateInput) -> None:
        try:
            start = date.fromisoformat(parse_date(widget.value))
        except (FieldError, ValueError):
            start = date.today()

        def chosen(iso: str | None) -> None:
            self.screen.set_focus(widget)
            if iso is not None:
                widget.show(iso)
                if self.commit(widget, moving=True):
                    self.save_draft()
                    self._move(1)

        self.app.push_screen(CalendarPopup(start, title=widget.spec.title), chosen)
