"""The worker core: the one place where the card, the gateway and the store meet.

Every store call runs in a thread (the store is synchronous and the UI must not wait on it). A
submission is signed first (a pulled card changes nothing), then written to the outbox together with
已提交 (its documents by reference), then sent, the documents streamed from the store one at a time
(customs.stream); an answer that cannot be known leaves it in the outbox, and `resume_outbox` sends
the same submission under the same Idempotency-Key until customs answers, so a resubmission can never
make a second record at customs.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine

from customs import wire
from customs.card import AsyncCard, CardError, CardInfo, CardRemoved
from customs.card.control import PULLED, removal_reason
from customs.certificate import Certificate
from customs.client import GatewayClient
from customs.declfiles import DeclarationIndex
from customs.errors import (
    Conflict,
    GatewayError,
    GatewayUnavailable,
    NotFound,
    OutcomeUnknown,
    Rejected,
    ServerError,
    SessionExpired,
)
from customs.mapping import record_to_wire
from declarant.worker import backfill
from declarant.worker.events import (
    Event,
    NumberIssued,
    SessionState,
    StateChanged,
    StatusChanged,
    SubmissionSettled,
)
from declarant.worker.numbers import NumberIssuer
from declarant.worker.slots import CardSlot
from store import validators
from store.attachments import AttachmentNotFound, AttachmentStore
from store.errors import DatabaseFault, RecordNotFound, StrayReceipt
from store.numbering import Numbering
from store.operator import Operator
from store.outbox import OutboxEntry
from store.records import RecordStore
from store.status import Status

log = logging.getLogger(__name__)

RECEIPT_PAGE = 200


class NotConnected(Exception):
    """The operation needs a card session with the gateway."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        self.message = {
            SessionState.LOGGED_OUT: "请先插卡登录",
            SessionState.LOCKED: "电子口岸卡已拔出，请重新插卡登录",
            SessionState.OFFLINE: "未连接海关网关：可以暂存，提交需等待网关恢复后进行",
            SessionState.ACTIVE: "",
        }[state]
        super().__init__(self.message)


class SubmitOutcome(StrEnum):
    ACCEPTED = "accepted"  # customs holds the round: 已提交
    PENDING = "pending"  # no answer yet: in the outbox, sent again until answered
    FAILED = "failed"  # refused: 提交失败 with the reason


@dataclass(frozen=True, slots=True)
class SubmitResult:
    outcome: SubmitOutcome
    unified_no: str
    round: int
    message: str


class Worker:
    def __init__(
        self,
        engine: Engine,
        client: GatewayClient,
        slot: CardSlot,
        *,
        gateway_name: str,
        declaration_folders: Sequence[Path] = (),
    ) -> None:
        self.engine = engine
        self.declaration_files = DeclarationIndex(declaration_folders)
        self._warming: asyncio.Task[None] | None = None
        self.client = client
        self.slot = slot
        self.gateway_name = gateway_name
        self.state = SessionState.LOGGED_OUT
        self.operator: Operator | None = None
        self.store: RecordStore | None = None
        self.numbers: NumberIssuer | None = None
        self._card: AsyncCard | None = None
        self._certificate: Certificate | None = None
        self._stop_watch: Callable[[], None] | None = None
        self._listeners: list[Callable[[Event], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._send_lock = asyncio.Lock()
        self._ending: asyncio.Future[None] | None = None  # the gateway logout of the last lock

    # ---- listeners -------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        """Call `listener(event)` on each event; returns the call that stops it.

        A screen's listener must stop when the screen goes (after 退出 its widgets are gone).
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: Event) -> None:
        log.info("%s", event)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a listener's fault must not stop the worker
                log.exception("worker listener failed on %r", event)

    def _set_state(self, state: SessionState, message: str = "") -> None:
        if state != self.state:
            self.state = state
            self._emit(StateChanged(state, message))

    # ---- login -----------------------------------------------------------------------------
    async def probe(self) -> CardInfo:
        """Who holds the inserted card (before the PIN), for the login screen."""
        card = await asyncio.to_thread(self.slot.open)
        acard = AsyncCard(card)
        try:
            return await acard.read_info()
        finally:
            await acard.close()

    async def login(self, pin: str) -> Operator:
        """Card login: open the card, check the PIN, sign the gateway's challenge.

        Card faults raise `customs.card` errors (no reader, no card, wrong PIN with tries left,
        blocked). An unreachable gateway is not a failure: the session is OFFLINE, for drafts.
        """
        self._loop = asyncio.get_running_loop()
        card = await asyncio.to_thread(self.slot.open)
        acard = AsyncCard(card)
        try:
            info = await acard.read_info()
            await acard.verify_pin(pin)
            certificate = await acard.certificate()
        except BaseException as error:
            if isinstance(error, CardError):  # its message, never the PIN
                log.warning("card login failed: %s: %s", type(error).__name__, error)
            await acard.close()
            raise
        self._card, self._certificate = acard, certificate
        self.operator = Operator(
            card_no=info.card_no,
            name=info.operator_name,
            enterprise_uscc=info.enterprise_uscc,
            customs_code=info.customs_code,
            enterprise_name=info.enterprise_name,
        )
        self.store = RecordStore(self.engine, self.operator)
        self.numbers = NumberIssuer(
            self.client, Numbering(self.engine, self.operator), self._with_session
        )
        self._stop_watch = self.slot.watch(self._card_removed_from_thread)
        self._warming = backfill.warm(self.declaration_files)  # kept: a task needs a reference
        try:
            await self._open_gateway_session()
        except GatewayUnavailable as error:
            log.warning("gateway login failed, working offline: %s", error.detail)
            self._set_state(SessionState.OFFLINE, error.message)
        return self.operator

    async def _open_gateway_session(self) -> None:
        assert self._card is not None and self._certificate is not None
        challenge = await self.client.challenge()
        signature = await self._card.sign(bytes.fromhex(challenge.challenge))
        await self.client.login(challenge.challenge, self._certificate, signature.hex())
        self._set_state(SessionState.ACTIVE)

    def _card_removed_from_thread(self, reason: str = PULLED) -> None:
        """`reason`: why the card is gone (`PULLED`, `CONTROL_CLOSED`, `CONTROL_MUTE`), the
        lock message's first words."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.lock, f"{reason}，会话已锁定")

    def lock(self, message: str = "会话已锁定") -> None:
        """Drop the card and the gateway session at once; the store (and outbox) keeps everything.

        The token is forgotten here at once and ended at the gateway in the background (a pulled
        card must not wait on the network); `logout` waits for that end.
        """
        if self._stop_watch is not None:
            self._stop_watch()
            self._stop_watch = None
        self._card = None
        token, self.client.token = self.client.token, None
        if token is not None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a synchronous caller): the token lapses at its expiry
                log.info("gateway session not ended: no event loop")
            else:
                self._ending = loop.create_task(self._end_gateway_session(token))
        self._set_state(SessionState.LOCKED, message)

    async def _end_gateway_session(self, token: str) -> None:
        ended = await self.client.logout(token)
        log.info("gateway session %s", "ended" if ended else "not ended (gateway unreachable)")

    async def logout(self) -> None:
        """退出: end the gateway session (waiting for the gateway's answer), close the card."""
        card = self._card
        self.lock("已退出")
        ending, self._ending = self._ending, None
        if ending is not None:
            await ending
        if card is not None:
            await card.close()
        self._set_state(SessionState.LOGGED_OUT, "已退出")

    def _require(self, *states: SessionState) -> RecordStore:
        if self.state not in states or self.store is None:
            raise NotConnected(self.state)
        return self.store

    # ---- backfill --------------------------------------------------------------------------
    async def fetch_declaration(self, number: str) -> wire.ImportDeclaration:
        """The import declaration for the backfill (validators.FieldError if malformed)."""
        checked = validators.import_declaration(number)
        self._require(SessionState.ACTIVE)
        return await self._with_session(lambda: self.client.fetch_declaration(checked))

    async def find_declaration(self, number: str) -> backfill.Backfill:
        """`fetch_declaration`, else the watched folders' file when the gateway does not know it."""
        return await backfill.find(self.fetch_declaration, self.declaration_files, number)

    async def _with_session(self, call):  # type: ignore[no-untyped-def]
        """Run `call`; on an expired session sign a new challenge with the card once and retry."""
        try:
            return await call()
        except SessionExpired:
            if self._card is None:
                raise
            await self._open_gateway_session()
            return await call()

    # ---- numbers ---------------------------------------------------------------------------
    async def number(self, key: str) -> str | None:
        """The record's 统一编号 from the gateway (at the first 暂存 when online); None: deleted."""
        self._require(SessionState.ACTIVE)
        assert self.numbers is not None
        unified_no = await self.numbers.number(key)
        if unified_no is not None and unified_no != key:
            self._emit(NumberIssued(key, unified_no))
        return unified_no

    async def number_all(self) -> None:
        """Every record saved offline gets its 统一编号 (at the next contact)."""
        self._require(SessionState.ACTIVE)
        assert self.numbers is not None
        for draft_no, unified_no in await self.numbers.number_all():
            self._emit(NumberIssued(draft_no, unified_no))

    # ---- submission ------------------------------------------------------------------------
    async def submit(self, unified_no: str, *, version: int) -> SubmitResult:
        """提交 of the record `unified_no` (either number): get its 统一编号 first if it has only
        a draft number, then check, sign with the card, write 已提交 and the outbox, send."""
        store = self._require(SessionState.ACTIVE)
        if self._card is None or self._certificate is None:
            raise NotConnected(SessionState.LOCKED)
        await self.number(unified_no)
        prepared = await asyncio.to_thread(store.prepare_submission, unified_no, version=version)
        unified_no = prepared.unified_no
        record = record_to_wire(prepared.record)
        documents = AttachmentStore(self.engine, store.operator)
        # by reference: the digests were taken when each was added; the bytes are read at sending
        attachments = [
            wire.AttachmentRef(
                doc_type=doc.doc_type, filename=doc.filename, sha256=doc.sha256, size=doc.size
            )
            for doc in await asyncio.to_thread(documents.for_submission, unified_no)
        ]
        payload = wire.signed_payload(
            unified_no, prepared.round, record, [a.sha256 for a in attachments]
        )
        log.info("submit %s round %d: signing", unified_no, prepared.round)
        signature = await self._card.sign(payload)  # a pulled card raises here: nothing changed
        body = wire.SignedSubmission(
            round=prepared.round,
            record=record,
            attachments=attachments,
            signature=signature.hex(),
            certificate=self._certificate,
        ).model_dump(mode="json")
        key = uuid.uuid4().hex  # random, once per round: no other desk or enterprise can take it
        await asyncio.to_thread(store.begin_submission, prepared, body=body, idempotency_key=key)
        entry = OutboxEntry(unified_no, prepared.round, key, body, 0, "")
        return await self._send(store, entry)

    async def _send(self, store: RecordStore, entry: OutboxEntry) -> SubmitResult:
        no, round_no = entry.unified_no, entry.round
        try:
            submission = wire.SignedSubmission.model_validate(entry.body)
        except ValidationError:  # never sent as it stands: 提交失败, to be submitted again
            reason = "待发送的提交数据无法读取，请重新提交"
            await asyncio.to_thread(store.mark_submit_failed, no, round_no, reason)
            return SubmitResult(SubmitOutcome.FAILED, no, round_no, reason)
        documents = AttachmentStore(self.engine, store.operator)

        def read(sha256: str) -> Awaitable[bytes]:  # one document at a time, off the loop
            return asyncio.to_thread(documents.data, no, sha256)

        try:
            await self._with_session(
                lambda: self.client.submit(
                    no,
                    round_no,
                    submission.record,
                    submission.attachments,
                    submission.signature,
                    submission.certificate,
                    entry.idempotency_key,
                    read=read,
                )
            )
        except AttachmentNotFound as error:  # its bytes are gone from this store: cannot be sent
            reason = "随附单据已不在本机，请重新添加后提交"
            log.error("submission %s round %s: %s", no, round_no, error.detail)
            await asyncio.to_thread(store.mark_submit_failed, no, round_no, reason)
            self._emit(StatusChanged(no, Status.SUBMITTED, Status.SUBMIT_FAILED, reason))
            return SubmitResult(SubmitOutcome.FAILED, no, round_no, reason)
        except (OutcomeUnknown, GatewayUnavailable, ServerError, SessionExpired) as error:
            log.warning("submit %s round %d: pending: %s", no, round_no, error.detail)
            await asyncio.to_thread(store.note_attempt, no, round_no, error.detail)
            if isinstance(error, GatewayUnavailable):
                self._set_state(SessionState.OFFLINE, error.message)
            return SubmitResult(SubmitOutcome.PENDING, no, round_no, error.message)
        except (Rejected, Conflict, NotFound) as error:
            reason = _reason(error)
            log.warning("submit %s round %d: refused: %s", no, round_no, error.detail)
            await asyncio.to_thread(store.mark_submit_failed, no, round_no, reason)
            self._emit(StatusChanged(no, Status.SUBMITTED, Status.SUBMIT_FAILED, reason))
            self._emit(SubmissionSettled(no, round_no, False, reason))
            return SubmitResult(SubmitOutcome.FAILED, no, round_no, reason)
        log.info("submit %s round %d: accepted", no, round_no)
        await asyncio.to_thread(store.mark_accepted, no, round_no)
        self._emit(SubmissionSettled(no, round_no, True, "已提交"))
        return SubmitResult(SubmitOutcome.ACCEPTED, no, round_no, "已提交")

    async def resume_outbox(self) -> list[SubmitResult]:
        """Send every waiting submission again, exactly as signed, under its own key."""
        store = self._require(SessionState.ACTIVE)
        async with self._send_lock:
            results = []
            for entry in await asyncio.to_thread(store.outbox):
                results.append(await self._send(store, entry))
                if self.state != SessionState.ACTIVE:
                    break
            return results

    # ---- receipts --------------------------------------------------------------------------
    async def refresh_receipts(self) -> list[StatusChanged]:
        """Read the receipt feed from the saved cursor and apply each receipt through the store."""
        store = self._require(SessionState.ACTIVE)
        changes: list[StatusChanged] = []
        cursor = await asyncio.to_thread(store.receipt_cursor, self.gateway_name)
        while True:
            page = await self._with_session(
                lambda c=cursor: self.client.receipts(since=c or None, limit=RECEIPT_PAGE)
            )
            for receipt in page.receipts:
                try:
                    outcome = await asyncio.to_thread(
                        store.apply_receipt,
                        receipt.unified_no,
                        receipt_id=receipt.receipt_id,
                        round_no=receipt.round,
                        status=receipt.status,
                        content=receipt.content,
                        issued_at=receipt.issued_at,
                        return_no=receipt.return_no,
                    )
                except (StrayReceipt, RecordNotFound) as error:
                    assert self.numbers is not None
                    await asyncio.to_thread(
                        self.numbers.numbering.keep_stray,
                        receipt_id=receipt.receipt_id,
                        unified_no=receipt.unified_no,
                        round_no=receipt.round,
                        status=receipt.status,
                        content=receipt.content,
                        issued_at=receipt.issued_at,
                        reason=error.detail,
                    )
                    continue
                if outcome.changed:
                    change = StatusChanged(
                        receipt.unified_no, outcome.old_status, outcome.new_status, receipt.content
                    )
                    changes.append(change)
                    self._emit(change)
            if page.next_cursor and page.next_cursor != cursor:
                cursor = page.next_cursor
                await asyncio.to_thread(store.set_receipt_cursor, self.gateway_name, cursor)
            if len(page.receipts) < RECEIPT_PAGE:
                return changes

    # ---- the background loop -----------------------------------------------------------------
    async def tick(self) -> None:
        """One round of background work: reconnect if offline, resend, refresh receipts."""
        if self.state == SessionState.OFFLINE and self._card is not None:
            try:
                await self._open_gateway_session()
            except (GatewayError, CardError) as error:
                log.info("reconnect failed: %s: %s", type(error).__name__, error)
                return
        if self.state != SessionState.ACTIVE:
            return
        try:
            await self.number_all()
            await self.resume_outbox()
            await self.refresh_receipts()
        except GatewayUnavailable as error:
            log.warning("gateway unavailable: %s", error.detail)
            self._set_state(SessionState.OFFLINE, error.message)
        except CardRemoved as error:  # a new gateway session could not be signed
            self.lock(f"{removal_reason(error)}，会话已锁定")
        except GatewayError as error:  # a 5xx or a refusal of the feed: try again next tick
            log.warning("background refresh failed: %s", error)

    async def run(self, interval: float = 5.0, *, max_interval: float = 60.0) -> None:
        """Tick forever: every `interval` seconds, backing off while the gateway is away.

        Nothing stops the loop: a database fault (locked, full, read-only, away: the engine's hook
        has already put its state on the status line) backs off like an absent gateway; a fault it
        cannot name is logged and the next tick tries again; the store keeps everything meanwhile.
        """
        delay = interval
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except DatabaseFault as fault:
                log.warning(
                    "background work waits for the database: %s (%s)", fault.state, fault.detail
                )
                delay = min(delay * 2, max_interval)
            except Exception:
                log.exception("background tick failed; retrying")
                delay = min(delay * 2, max_interval)
            else:
                active = self.state == SessionState.ACTIVE
                delay = interval if active else min(delay * 2, max_interval)
            await asyncio.sleep(delay)


def _reason(error: GatewayError) -> str:
    """The refusal as the operator reads it: the gateway's own words once, or ours with its detail."""
    problem = error.problem
    extra = (problem.message or problem.detail) if problem is not None else None
    if not extra or extra in error.message:
        return error.message
    return f"{error.message}{extra}"


__all__ = ["NotConnected", "SubmitOutcome", "SubmitResult", "Worker"]
