"""What the entry form tells the screen around it: a hint for the bar, a record that has a number.

Every part of the form (screens/entry*.py) posts these; the main screen shows `Hint` on its hint bar
and retitles the tab at `RecordSaved`. They live apart from the pane so that each part can import
them at its top without importing the pane itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from screens.entry import EntryPane


class Hint(Message):
    """For the hint bar: a field's input hint, a refusal (error) or a success."""

    def __init__(self, text: str, *, kind: str = "hint") -> None:
        super().__init__()
        self.text = text
        self.kind = kind


class RecordSaved(Message):
    """The pane's record has a number now (统一编号 or a local draft number), or none after 新增/删除."""

    def __init__(self, pane: EntryPane, unified_no: str) -> None:
        super().__init__()
        self.pane = pane
        self.unified_no = unified_no


def error_text(error: Exception) -> str:
    """The words of a refusal from the worker, the store, the card or the gateway."""
    return str(getattr(error, "message", "") or error)
