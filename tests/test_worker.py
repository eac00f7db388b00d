"""The worker against the sandbox gateway as a real uvicorn server, the card in process, SQLite.

The fault matrix: whatever the network does, a record is submitted to customs once, moves only
forwards, and loses no receipt.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customs.card import WrongPin
from customs.client import GatewayClient
from declarant.worker import (
    NotConnected,
    SandboxSlot,
    SessionState,
    StatusChanged,
    SubmitOutcome,
    Worker,
)
from sandbox.card import SANDBOX_PIN
from sandbox.gateway.config import Fault
from store.engine import open_engine
from store.status import Status
from tests.factories import record_from_declaration
from tests.fixtures_gateway import RunningGateway, declarations


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


def _worker(engine: Engine, url: str, slot: SandboxSlot | None = None) -> Worker:
    client = GatewayClient(url, timeout=2.0, retries=2, backoff=0.01)
    return Worker(engine, client, slot or SandboxSlot(), gateway_name=url)


@pytest.fixture
async def worker(engine: Engine, gateway: RunningGateway) -> AsyncIterator[Worker]:
    w = _worker(engine, gateway.url)
    await w.login(SANDBOX_PIN)
    yield w
    await w.client.aclose()


def _number() -> str:
    return sorted(declarations())[0]


async def _saved(worker: Worker, number: str | None = None, **overrides: object):  # type: ignore[no-untyped-def]
    declaration = await worker.fetch_declaration(number or _number())
    assert worker.store is not None
    record = record_from_declaration(worker.store, declaration, **overrides)
    saved = await asyncio.to_thread(worker.store.save, record)
    await worker.number(saved.draft_no)  # the first 暂存 online: the gateway's 统一编号
    return await asyncio.to_thread(worker.store.load, saved.draft_no)


async def _follow(worker: Worker, unified_no: str, until: Status, rounds: int = 20) -> Status:
    assert worker.store is not None
    for _ in range(rounds):
        await worker.tick()
        status = Status(worker.store.load(unified_no).status)
        if status == until or status.final:
            return status
    return Status(worker.store.load(unified_no).status)


async def test_login_gives_the_cards_operator_and_a_session(worker: Worker) -> None:
    assert worker.state == SessionState.ACTIVE
    assert worker.operator is not None and worker.operator.name
    assert len(worker.operator.card_no) == 13


async def test_wrong_pin_says_tries_left(engine: Engine, gateway: RunningGateway) -> None:
    w = _worker(engine, gateway.url)
    with pytest.raises(WrongPin) as wrong:
        await w.login("00000000")
    assert wrong.value.tries_left == 2 and "还可尝试2次" in wrong.value.message
    assert w.state == SessionState.LOGGED_OUT
    await w.client.aclose()


async def test_gateway_down_means_offline_for_drafts(engine: Engine) -> None:
    w = _worker(engine, "http://127.0.0.1:9")  # nothing listens on the discard port
    await w.login(SANDBOX_PIN)
    assert w.state == SessionState.OFFLINE
    with pytest.raises(NotConnected, match="可以暂存"):
        await w.fetch_declaration(_number())
    await w.client.aclose()


async def test_backfill_save_submit_and_follow_to_approval(worker: Worker) -> None:
    events: list[object] = []
    worker.subscribe(events.append)
    saved = await _saved(worker)
    assert saved.consignee_name and saved.goods
    result = await worker.submit(saved.unified_no, version=saved.version)
    assert result.outcome == SubmitOutcome.ACCEPTED and result.round == 1
    assert await _follow(worker, saved.unified_no, Status.APPROVED) == Status.APPROVED
    assert worker.store is not None
    record = worker.store.load(saved.unified_no)
    assert record.return_no and len(record.return_no) == 12
    receipts = worker.store.receipts(saved.unified_no)
    assert [(r.status, r.content) for r in receipts] == [
        (7, "接收申报、出口退货登记办理成功。"),
        (5, "电子审核成功，进入人工审核环节。"),
        (3, "海关接收成功"),
        (1, "-"),
    ]
    changes = [e for e in events if isinstance(e, StatusChanged)]
    assert [c.new for c in changes] == [Status.RECEIVED, Status.E_REVIEWED, Status.APPROVED]


async def test_answer_lost_after_commit_is_one_submission(engine: Engine, gateway_factory) -> None:  # type: ignore[no-untyped-def]
    gw = gateway_factory(step_seconds=0, faults={"submit": Fault(commit_drop_share=1, count=1)})
    w = _worker(engine, gw.url)
    await w.login(SANDBOX_PIN)
    saved = await _saved(w)
    result = await w.submit(saved.unified_no, version=saved.version)
    assert gw.fired("submit", "commit_drop") == 1
    assert result.outcome == SubmitOutcome.ACCEPTED  # the client's retry got the same answer
    assert gw.submission_count(saved.unified_no) == 1
    assert await _follow(w, saved.unified_no, Status.APPROVED) == Status.APPROVED
    await w.client.aclose()


async def test_gateway_gone_mid_submission_keeps_it_and_sends_it_once(
    engine: Engine, gateway_factory
) -> None:  # type: ignore[no-untyped-def]
    gw = gateway_factory(step_seconds=0, faults={"submit": Fault(commit_error_share=1, count=3)})
    w = _worker(engine, gw.url)
    await w.login(SANDBOX_PIN)
    saved = await _saved(w)
    result = await w.submit(saved.unified_no, version=saved.version)
    assert result.outcome == SubmitOutcome.PENDING  # three 503s after commit: outcome unknown
    assert w.store is not None
    record = w.store.load(saved.unified_no)
    assert record.status == Status.SUBMITTED and len(w.store.outbox()) == 1
    gw.restart(faults={})  # customs is back; the state file kept the committed round
    assert await _follow(w, saved.unified_no, Status.APPROVED) == Status.APPROVED
    assert gw.submission_count(saved.unified_no) == 1
    assert w.store.outbox() == []
    await w.client.aclose()


async def test_duplicate_and_reordered_receipts_change_nothing_twice(
    engine: Engine, gateway_factory
) -> None:  # type: ignore[no-untyped-def]
    gw = gateway_factory(
        step_seconds=0,
        faults={"receipts": Fault(duplicate_share=1, reorder_share=1)},
    )
    w = _worker(engine, gw.url)
    await w.login(SANDBOX_PIN)
    saved = await _saved(w)
    await w.submit(saved.unified_no, version=saved.version)
    assert await _follow(w, saved.unified_no, Status.APPROVED) == Status.APPROVED
    assert w.store is not None
    receipts = w.store.receipts(saved.unified_no)
    assert sorted(r.status for r in receipts) == [1, 3, 5, 7]  # each once
    audit = [a.to_status for a in w.store.audit(saved.unified_no)]
    assert audit == sorted(audit)  # never backwards
    await w.client.aclose()


async def test_rejected_round_is_edited_and_submitted_again(
    engine: Engine, gateway_factory
) -> None:  # type: ignore[no-untyped-def]
    gw = gateway_factory(step_seconds=0, reject_share=1.0)
    w = _worker(engine, gw.url)
    await w.login(SANDBOX_PIN)
    saved = await _saved(w)
    await w.submit(saved.unified_no, version=saved.version)
    final = await _follow(w, saved.unified_no, Status.APPROVED)
    assert final in (Status.RECEIVE_FAILED, Status.E_REJECTED, Status.REJECTED)
    assert w.store is not None
    record = w.store.load(saved.unified_no)
    reason = w.store.receipts(saved.unified_no)[0].content
    assert "退单" in reason or "失败" in reason
    record.reason_detail = "补充说明：客户需求变化"
    edited = await asyncio.to_thread(w.store.save, record)
    gw.restart(reject_share=0.0)
    again = await w.submit(saved.unified_no, version=edited.version)
    assert again.outcome == SubmitOutcome.ACCEPTED and again.round == 2
    assert await _follow(w, saved.unified_no, Status.APPROVED) == Status.APPROVED
    await w.client.aclose()


async def test_card_pulled_locks_within_a_second_and_loses_nothing(
    engine: Engine, gateway: RunningGateway
) -> None:
    slot = SandboxSlot()
    w = _worker(engine, gateway.url, slot)
    await w.login(SANDBOX_PIN)
    saved = await _saved(w)
    states: list[SessionState] = []
    w.subscribe(lambda e: states.append(getattr(e, "state", None)))  # type: ignore[arg-type]
    started = time.monotonic()
    await asyncio.to_thread(slot.pull)
    while w.state != SessionState.LOCKED and time.monotonic() - started < 1.0:
        await asyncio.sleep(0.01)
    assert w.state == SessionState.LOCKED and time.monotonic() - started < 1.0
    with pytest.raises(NotConnected, match="重新插卡登录"):
        await w.submit(saved.unified_no, version=saved.version)
    assert w.store is not None
    assert w.store.load(saved.unified_no).status == Status.DRAFT  # nothing half-done
    await w.client.aclose()


async def test_invalid_declaration_number_is_refused_before_the_network(worker: Worker) -> None:
    from store.validators import FieldError

    with pytest.raises(FieldError, match="第9位应为1"):
        await worker.fetch_declaration("220120250000000892")


async def test_an_unreadable_outbox_entry_fails_the_round_and_the_loop_goes_on(
    worker: Worker,
) -> None:
    saved = await _saved(worker)
    assert worker.store is not None
    prepared = worker.store.prepare_submission(saved.unified_no, version=saved.version)
    worker.store.begin_submission(prepared, body={"not": "a submission"})
    [result] = await worker.resume_outbox()
    assert result.outcome == SubmitOutcome.FAILED and "重新提交" in result.message
    record = worker.store.load(saved.unified_no)
    assert record.status == Status.SUBMIT_FAILED and worker.store.outbox() == []
    await worker.tick()  # nothing left to choke on
    again = await worker.submit(saved.unified_no, version=record.version)
    assert again.outcome == SubmitOutcome.ACCEPTED and again.round == 1
