"""The entry form's writes that must survive a database fault: its draft and the draft's discard.

Both go through the engine's `Health` (`store.pending`): written at once when the database answers,
else kept in memory (the newest content of each form) and written by the retry loop as soon as it
answers again. The form never waits on a database at fault and never loses what was typed.
"""

from __future__ import annotations

import weakref
from functools import partial
from typing import TYPE_CHECKING

from screens.db_state import fault_text, guarded, tell
from screens.entry_messages import Hint
from store.errors import DatabaseFault, StoreError
from store.pending import health
from store.record import RecordData

if TYPE_CHECKING:
    from screens.entry import EntryPane

_told: weakref.WeakKeyDictionary[EntryPane, str] = weakref.WeakKeyDictionary()


def write_draft(pane: EntryPane, record: RecordData) -> None:
    """The form's content into its draft row, now or once the database answers again."""
    store, key = pane.ctx.store, pane.draft_key
    write = partial(
        store.save_draft,
        key,
        record.model_dump(mode="json"),
        unified_no=record.key,
        base_version=record.version,
    )
    watched = health(pane.ctx.engine)
    try:
        written = watched.write(key, write)
    except StoreError as error:  # refused for good (another enterprise's draft key)
        tell(pane, f"草稿保存失败：{error.message}")
        return
    fault = watched.fault
    if written or fault is None:
        _told.pop(pane, None)
    elif _told.get(pane) != fault.state:  # once per fault, not at every field exit
        _told[pane] = fault.state
        tell(pane, fault_text("草稿保存", fault, kept=True))


def discard_draft(pane: EntryPane, key: str | None = None) -> None:
    """Drop the form's draft row (after 暂存 or 新增), now or once the database answers again."""
    pane.ctx.discard_draft(key or pane.draft_key)


def refused(pane: EntryPane, action: str, error: StoreError) -> None:
    """An action of the form refused by the store: a database fault keeps the form as a draft."""
    if isinstance(error, DatabaseFault):
        if not pane.status.locked:
            write_draft(pane, pane.collect())
        text = fault_text(action, error, kept=not pane.status.locked)
    else:
        text = error.message
    pane.post_message(Hint(text, kind="error"))


__all__ = ["discard_draft", "guarded", "refused", "write_draft"]
