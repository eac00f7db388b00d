"""The entry form's 统一编号: said at 暂存, asked of the gateway at the first 暂存 when online.

The 统一编号 comes from the gateway (the Single Window's system), not from this desk: a record saved
offline shows its local draft number as such ("暂无（本地草稿号202600000001）") until the worker
gets its number at the next contact; the form then shows it and the tab takes it as its title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from customs.errors import GatewayError
from declarant.worker import NotConnected, SessionState
from screens.entry_messages import Hint, RecordSaved
from store.errors import StoreError
from store.record import RecordData

if TYPE_CHECKING:
    from screens.entry import EntryPane


def grey_value(record: RecordData, key: str) -> object:
    """What a grey field of the form shows: the 统一编号 says when there is none yet."""
    if key == "unified_no" and record.key:
        return record.number_label
    return getattr(record, key, None)


def announce_saved(pane: EntryPane, saved: RecordData) -> None:
    """暂存成功 with the record's number; a record without a 统一编号 asks for one when online."""
    pane.post_message(Hint(f"暂存成功  统一编号：{saved.number_label}", kind="ok"))
    pane.app.notify(f"暂存成功\n统一编号：{saved.number_label}", title="暂存", markup=False)
    if saved.unified_no is None and saved.draft_no and pane.ctx.worker.state == SessionState.ACTIVE:
        pane.run_worker(_ask(pane, saved.draft_no), group="number", exit_on_error=False)


async def _ask(pane: EntryPane, draft_no: str) -> None:
    try:
        unified_no = await pane.ctx.worker.number(draft_no)
    except (GatewayError, NotConnected, StoreError) as error:
        why = getattr(error, "message", "") or str(error)
        pane.post_message(
            Hint(f"暂存成功，统一编号将在连接海关网关后取得（本地草稿号{draft_no}）：{why}")
        )
        return
    if unified_no is not None:
        pane.post_message(Hint(f"暂存成功  统一编号：{unified_no}", kind="ok"))


def numbered(pane: EntryPane, draft_no: str, unified_no: str) -> None:
    """The worker got the 统一编号 of `draft_no`: show it if this form holds that record."""
    if pane.record.draft_no == draft_no and pane.record.unified_no != unified_no:
        pane.run_worker(_show(pane, draft_no, unified_no), group="number", exit_on_error=False)


async def _show(pane: EntryPane, draft_no: str, unified_no: str) -> None:
    # after the load a 暂存 started (it shows the record as saved, without the number yet)
    async with pane._loading:
        if pane.record.draft_no != draft_no:
            return  # the form moved on to another record meanwhile
        pane.record = pane.record.model_copy(update={"unified_no": unified_no})
        # the stored record has it too: the number alone makes the form no more unsaved than it was
        pane._clean = {**pane._clean, "unified_no": unified_no}
        pane._show_greys()  # the 统一编号 is a grey field: nothing typed is touched
    pane.post_message(RecordSaved(pane, unified_no))
