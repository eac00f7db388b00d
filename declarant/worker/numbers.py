"""The worker's part in record numbers: the gateway issues each record's 统一编号.

At the first 暂存 when online (`Worker.number`), at the next contact for records saved offline
(every tick), and before a submission of a record that has only its local draft number. Each ask
carries a fresh random Idempotency-Key, so the client's own retries of a lost answer get the same
number back; a number issued and then not kept here (the record was deleted, another worker of this
database was first) is simply never used.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from customs.client import GatewayClient
from store.errors import RecordNotFound
from store.numbering import Numbering

log = logging.getLogger(__name__)


class NumberIssuer:
    """Asks the gateway for 统一编号 and writes them to the store, one record at a time."""

    def __init__(
        self,
        client: GatewayClient,
        numbering: Numbering,
        with_session: Callable[[Callable[[], Awaitable[object]]], Awaitable[object]],
    ) -> None:
        self.client = client
        self.numbering = numbering
        self._with_session = with_session
        self._lock = asyncio.Lock()  # one ask at a time: a tick and a 暂存 never both ask for one

    async def number(self, draft_no: str) -> str | None:
        """The 统一编号 now held by the record `draft_no` (None: deleted meanwhile).

        Gateway errors (customs.errors) pass through; the record keeps its draft number.
        """
        async with self._lock:
            return await self._number(draft_no)

    async def number_all(self) -> list[tuple[str, str]]:
        """Number every record still without a 统一编号, oldest first: [(draft_no, 统一编号)]."""
        async with self._lock:
            issued = []
            for draft_no in await asyncio.to_thread(self.numbering.unnumbered):
                unified_no = await self._number(draft_no)
                if unified_no is not None:
                    issued.append((draft_no, unified_no))
            return issued

    async def _number(self, draft_no: str) -> str | None:
        held = await asyncio.to_thread(self.numbering.held, draft_no)
        if held is not None:
            return held
        key = uuid.uuid4().hex
        answer = await self._with_session(lambda: self.client.issue_unified_no(key))
        unified_no = answer.unified_no  # type: ignore[attr-defined]
        try:
            kept = await asyncio.to_thread(self.numbering.assign, draft_no, unified_no)
        except RecordNotFound:
            log.info("统一编号 %s issued for deleted draft %s: unused", unified_no, draft_no)
            return None
        if not kept:
            return await asyncio.to_thread(self.numbering.held, draft_no)
        log.info("统一编号 %s issued for draft %s", unified_no, draft_no)
        return unified_no
