"""Two installations against the real sandbox server: every record its own 统一编号 and receipts.

The field report: two databases of one enterprise each made `202600000000000001`; the second could
never be submitted, and a fresh draft showed the other's four receipts. Here installation A (SQLite)
and installation B (PostgreSQL) of one enterprise and installation C of another enterprise work
against one gateway: the numbers differ, all three submit, each record shows its own receipts only,
and the other enterprise cannot block a record by submitting its number or its key first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customs.client import GatewayClient
from customs.errors import Forbidden
from customs.mapping import apply_declaration, record_to_wire
from declarant.worker import NumberIssued, SandboxSlot, SessionState, SubmitOutcome, Worker
from sandbox.card import SANDBOX_PIN, card_identity
from store.engine import open_engine
from store.numbering import Numbering
from store.record import RecordData
from store.status import Status
from tests.factories import record_from_declaration
from tests.fixtures_db import fresh_pg_database
from tests.fixtures_gateway import (
    Card,
    GatewayFactory,
    RunningGateway,
    declarations,
    issue,
    login,
    make_card,
    submit,
    valid_record,
)

OTHER_CARD = "8800000000002"  # a sandbox card of another enterprise


async def _worker(engine: Engine, url: str, card_no: str | None = None) -> Worker:
    client = GatewayClient(url, timeout=2.0, retries=2, backoff=0.01)
    worker = Worker(engine, client, SandboxSlot(card_no), gateway_name=url)
    await worker.login(SANDBOX_PIN)
    return worker


async def _first_save(worker: Worker) -> RecordData:
    """暂存 online, as the form does it: saved, then the gateway's 统一编号."""
    assert worker.store is not None
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    record = record_from_declaration(worker.store, declaration)
    saved = await asyncio.to_thread(worker.store.save, record)
    assert saved.unified_no is None and saved.draft_no
    await worker.number(saved.draft_no)
    return await asyncio.to_thread(worker.store.load, saved.draft_no)


async def _follow(worker: Worker, unified_no: str) -> Status:
    assert worker.store is not None
    for _ in range(20):
        await worker.tick()
        status = Status(worker.store.load(unified_no).status)
        if status.final:
            return status
    return Status(worker.store.load(unified_no).status)


@pytest.fixture
async def installations(
    tmp_path: Path, gateway: RunningGateway, pg_url: str
) -> AsyncIterator[tuple[Worker, Worker, Worker]]:
    engines = [
        open_engine(f"sqlite:///{tmp_path / 'desk-a.db'}"),
        open_engine(fresh_pg_database(pg_url)),
        open_engine(f"sqlite:///{tmp_path / 'desk-c.db'}"),
    ]
    workers = (
        await _worker(engines[0], gateway.url),
        await _worker(engines[1], gateway.url),
        await _worker(engines[2], gateway.url, OTHER_CARD),
    )
    yield workers
    for worker, engine in zip(workers, engines, strict=True):
        await worker.client.aclose()
        engine.dispose()


async def test_two_installations_each_get_their_own_number_submit_and_see_their_own_receipts(
    installations: tuple[Worker, Worker, Worker], gateway: RunningGateway
) -> None:
    a, b, c = installations
    assert a.operator and b.operator and c.operator
    assert a.operator.enterprise_uscc == b.operator.enterprise_uscc != c.operator.enterprise_uscc
    ra, rb, rc = [await _first_save(w) for w in (a, b, c)]
    numbers = [r.unified_no for r in (ra, rb, rc)]
    assert all(numbers) and len(set(numbers)) == 3
    assert ra.draft_no == rb.draft_no  # each database counts its own drafts: local only

    for worker, record in ((a, ra), (b, rb), (c, rc)):
        result = await worker.submit(record.key, version=record.version)  # type: ignore[arg-type]
        assert result.outcome == SubmitOutcome.ACCEPTED, result.message
        assert result.unified_no == record.unified_no
    for worker, record in ((a, ra), (b, rb), (c, rc)):
        assert await _follow(worker, record.unified_no) == Status.APPROVED  # type: ignore[arg-type]
        assert worker.store is not None
        receipts = worker.store.receipts(record.unified_no)  # type: ignore[arg-type]
        assert [r.status for r in receipts] == [7, 5, 3, 1]
        assert all(r.receipt_id.startswith(f"{record.unified_no}-") for r in receipts)
        assert gateway.submission_count(record.unified_no) == 1

    # One enterprise's feed carries both desks' receipts: each desk keeps the other's aside.
    assert a.numbers is not None and b.numbers is not None
    assert {s.unified_no for s in a.numbers.numbering.strays()} == {rb.unified_no}
    assert {s.unified_no for s in b.numbers.numbering.strays()} == {ra.unified_no}
    # A fresh draft shows nothing of anyone's: not the other desk's, not customs' approvals.
    fresh = await _first_save(a)
    assert a.store is not None and a.store.receipts(fresh.key) == []  # type: ignore[arg-type]
    assert fresh.unified_no not in numbers


async def test_another_enterprise_cannot_block_a_record_by_its_number_or_key(
    installations: tuple[Worker, Worker, Worker], gateway: RunningGateway
) -> None:
    a, _, _ = installations
    ra = await _first_save(a)
    number = ra.unified_no
    assert number
    other = make_card(9)  # another enterprise, with its own session, submits first
    record = valid_record(declarations()[sorted(declarations())[0]])
    async with GatewayClient(gateway.url, timeout=5.0, retries=0) as client:
        await login(client, other)
        with pytest.raises(Forbidden) as refused:
            await submit(client, other, number, record, key=f"{number}-r1")
        assert "不是海关网关为当前企业分配的" in refused.value.message
        # its own record under the key A's desk will use (keys are scoped to the enterprise)
        theirs = await issue(client)
        await submit(client, other, theirs, record, key="the-same-key")
    assert gateway.submission_count(number) == 0

    assert a.store is not None
    prepared = await asyncio.to_thread(
        a.store.prepare_submission,
        ra.key,  # type: ignore[arg-type]
        version=ra.version,  # type: ignore[arg-type]
    )
    async with GatewayClient(gateway.url, timeout=5.0, retries=0) as client:
        # the sandbox card of A's enterprise, signing by hand with the key already used elsewhere
        identity = card_identity()
        card = Card(identity.private_key, identity.certificate)
        await login(client, card)
        accepted = await submit(
            client, card, number, record_to_wire(prepared.record), key="the-same-key"
        )
    assert accepted.unified_no == number and gateway.submission_count(number) == 1


async def test_a_record_saved_offline_gets_its_number_at_the_next_contact(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    running = gateway_factory(step_seconds=0)
    engine = open_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    worker = await _worker(engine, running.url)
    events: list[object] = []
    worker.subscribe(events.append)
    try:
        running.stop()
        assert worker.store is not None
        declaration = declarations()[sorted(declarations())[0]]
        record = apply_declaration(worker.store.new_record(), declaration)
        saved = worker.store.save(record)  # offline: a draft number, shown as such
        assert saved.unified_no is None and saved.number_label.startswith("暂无（本地草稿号")
        await worker.tick()
        assert worker.state == SessionState.OFFLINE
        assert worker.store.load(saved.key).unified_no is None  # type: ignore[arg-type]
        running.start()
        await worker.tick()  # the next contact
        assert worker.state == SessionState.ACTIVE
        numbered = worker.store.load(saved.key)  # type: ignore[arg-type]
        assert numbered.unified_no and len(numbered.unified_no) == 18
        assert [e for e in events if isinstance(e, NumberIssued)] == [
            NumberIssued(saved.draft_no, numbered.unified_no)  # type: ignore[arg-type]
        ]
        assert Numbering(engine, worker.store.operator).unnumbered() == []
    finally:
        await worker.client.aclose()
        engine.dispose()
