"""The worker with the card in a real reader (pcscd + vpcd) and the sandbox gateway as a real server:
a card pulled before or during a submission locks the session within a second and loses nothing."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customs.card import CardError
from customs.client import GatewayClient
from declarant.worker import NotConnected, PcscSlot, SessionState, SubmitOutcome, Worker
from sandbox.card import SANDBOX_PIN
from sandbox.gateway.config import Fault
from store.engine import open_engine
from store.status import Status
from tests.factories import record_from_declaration
from tests.fixtures_gateway import declarations
from tests.fixtures_pcsc import *  # noqa: F403
from tests.fixtures_pcsc import InsertCard

pytestmark = pytest.mark.pcsc


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


async def _logged_in(engine: Engine, url: str, reader: str) -> Worker:
    worker = Worker(engine, GatewayClient(url, timeout=5), PcscSlot(reader), gateway_name=url)
    await worker.login(SANDBOX_PIN)
    assert worker.state == SessionState.ACTIVE
    return worker


async def _saved(worker: Worker):  # type: ignore[no-untyped-def]
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    assert worker.store is not None
    saved = worker.store.save(record_from_declaration(worker.store, declaration))
    await worker.number(saved.draft_no)  # the first 暂存 online: the gateway's 统一编号
    return worker.store.load(saved.draft_no)


async def _wait_locked(worker: Worker, since: float) -> float:
    while worker.state != SessionState.LOCKED:
        if time.monotonic() - since > 2.0:
            raise AssertionError(f"still {worker.state} 2 s after the card was pulled")
        await asyncio.sleep(0.01)
    return time.monotonic() - since


async def test_card_pulled_before_submitting_changes_nothing(
    engine: Engine, gateway_factory, vpcd_reader: str, insert_virtual_card: InsertCard
) -> None:  # type: ignore[no-untyped-def]
    gateway = gateway_factory(step_seconds=0)
    card = insert_virtual_card()
    worker = await _logged_in(engine, gateway.url, vpcd_reader)
    record = await _saved(worker)
    pulled = time.monotonic()
    await asyncio.to_thread(card.remove)
    assert await _wait_locked(worker, pulled) < 1.0
    with pytest.raises((NotConnected, CardError)):
        await worker.submit(record.unified_no, version=record.version)
    assert worker.store is not None
    assert worker.store.load(record.unified_no).status == Status.DRAFT
    assert worker.store.outbox() == [] and gateway.submission_count() == 0
    await worker.client.aclose()


async def test_card_pulled_while_the_submission_travels_loses_nothing(
    engine: Engine, gateway_factory, vpcd_reader: str, insert_virtual_card: InsertCard
) -> None:  # type: ignore[no-untyped-def]
    # the gateway holds the answer for a second: the card is pulled while the signed
    # submission is on its way
    gateway = gateway_factory(step_seconds=0, faults={"submit": Fault(commit_delay=1.0)})
    card = insert_virtual_card()
    worker = await _logged_in(engine, gateway.url, vpcd_reader)
    record = await _saved(worker)
    assert worker.store is not None
    submitting = asyncio.create_task(worker.submit(record.unified_no, version=record.version))
    while not worker.store.outbox():  # signed, written, sent
        await asyncio.sleep(0.01)
    pulled = time.monotonic()
    await asyncio.to_thread(card.remove)
    assert await _wait_locked(worker, pulled) < 1.0
    result = await submitting
    assert result.outcome in (SubmitOutcome.ACCEPTED, SubmitOutcome.PENDING)
    stored = worker.store.load(record.unified_no)
    assert stored.status == Status.SUBMITTED
    if result.outcome == SubmitOutcome.PENDING:  # the outbox keeps the signed bytes
        assert [e.unified_no for e in worker.store.outbox()] == [record.unified_no]
    assert gateway.submission_count(record.unified_no) == 1
    await worker.client.aclose()
