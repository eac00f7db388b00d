"""The entry form within its tab: a locked record stays reachable, a background tab stays quiet.

A submitted (locked) record's fields are closed, which left nothing in the tab to take the focus:
it could not be scrolled, printed, its attachments viewed or 新增 pressed. Its form (the scrolling
area) takes the focus instead, so the pane's keys (F9 打印, F7 随附单据, F3 新增, PgDn, ↑↓) work;
Enter and the field moves give way to the scrolling there. Messages of a tab that is not shown
(a receipt reloading a record in the background) never reach the hint bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import TabbedContent, TabPane

if TYPE_CHECKING:
    from screens.entry import EntryPane

FIELD_MOVES = ("next_field", "prev_field", "tab_field")


def in_active_tab(pane: EntryPane) -> bool:
    """Whether `pane` is the content of the tab shown now (a pane outside tabs counts as shown)."""
    parent = pane.parent
    if not isinstance(parent, TabPane):
        return True
    tabs = next((a for a in pane.ancestors if isinstance(a, TabbedContent)), None)
    return tabs is None or tabs.active == parent.id


def follow_lock(pane: EntryPane, locked: bool) -> None:
    """A locked form takes the focus itself (read-only, not unreachable)."""
    form = pane.query_one("#form", VerticalScroll)
    form.can_focus = locked
    focused = pane.app.focused
    lost = focused is None or not focused.focusable or pane not in focused.ancestors
    if locked and lost and in_active_tab(pane) and pane.screen is pane.app.screen:
        pane.screen.set_focus(form, scroll_visible=False)


def status_words(pane: EntryPane) -> str:
    """What the hint bar says of the pane's record when its tab is shown ("" when editable)."""
    if not pane.status.locked:
        return ""
    return f"状态为“{pane.status.label}”，数据已被海关接收，不允许修改"
