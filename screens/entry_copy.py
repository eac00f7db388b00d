"""复制 asked from the entry form or a row of 查询: the main screen opens the copy in a new tab.

The copy (store/copying.py) is a new, unsaved form holding every typed field of the source; its
draft row is written at once, so a copy is never lost, and the cursor waits on 进口报关单号
with the source's number selected: the new number typed replaces it (the hint asks for one).
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input
from textual.widgets.input import Selection

from store.record import RecordData


class CopyRecord(Message):
    """Open `record` (a copy, never saved) in a new entry tab."""

    def __init__(self, record: RecordData) -> None:
        super().__init__()
        self.record = record


def select_whole(field: Input) -> None:
    """Select `field`'s text: the next character typed replaces it, an arrow keeps it."""
    field.selection = Selection(0, len(field.value))
