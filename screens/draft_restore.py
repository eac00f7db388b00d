"""Drafts chosen at login (发现未保存的录入内容 → 恢复) back in entry tabs, never a crash.

Each draft's payload becomes a record through `store.draft_payload.record_from_payload`, which
takes what the record model takes. A value the rules refuse ("Y 是N" in 是否属于工业品) opens as
typed, marked at its field with the refusal said, the cursor on the first. A value the model itself
refuses is left out and named; that draft row is then kept as it was (the form writes a new one),
so nothing the operator typed is lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence

from textual.screen import Screen

from screens.entry import EntryPane
from store.draft_payload import lost_words, record_from_payload
from store.models import Draft
from store.rules import check_for_save

Opener = Callable[..., Awaitable[None]]  # MainScreen._open_record(record, draft_key=, dirty=)


async def restore_drafts(
    main: Screen[object], drafts: Sequence[Draft], open_record: Opener
) -> None:
    """Open each of `drafts` with `open_record` (awaited: the form is loaded after it)."""
    for draft in drafts:
        record, lost = record_from_payload(draft.payload)
        key = str(uuid.uuid4()) if lost else draft.key
        await open_record(record, draft_key=key, dirty=True)
        pane = next((p for p in main.query(EntryPane) if p.draft_key == key), None)
        refused = check_for_save(record)
        said = lost_words(lost) if lost else ""
        if pane is not None and pane.is_attached and refused:
            # marked at the fields, the cursor on the first, its refusal said after what was lost
            pane.refusals.violations(refused, before=f"{said}；" if said else "")
        elif said:
            main.app.notify(said, severity="error", markup=False)
