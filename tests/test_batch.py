"""A batch 提交 (declarant/batch.py) against the sandbox gateway as a real server: each record in
order, one row each, a broken record named by its first rule while the rest go on, a pulled card
stops the rest with its reason and changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customs.client import GatewayClient
from declarant.batch import BatchRow, RowOutcome, submit_batch
from declarant.worker import SandboxSlot, SessionState, Worker
from sandbox.card import SANDBOX_PIN
from store.engine import open_engine
from store.outgoing import draft_keys
from store.status import Status
from tests.factories import record_from_declaration
from tests.fixtures_gateway import RunningGateway, declarations


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


@pytest.fixture
def slot() -> SandboxSlot:
    return SandboxSlot()


@pytest.fixture
async def worker(
    engine: Engine, gateway: RunningGateway, slot: SandboxSlot
) -> AsyncIterator[Worker]:
    client = GatewayClient(gateway.url, timeout=2.0, retries=2, backoff=0.01)
    w = Worker(engine, client, slot, gateway_name=gateway.url)
    await w.login(SANDBOX_PIN)
    yield w
    await w.client.aclose()


async def _drafts(worker: Worker, count: int, **broken: object) -> list[str]:
    """`count` saved drafts of distinct declarations; the second one takes `broken`."""
    assert worker.store is not None
    keys = []
    for index, number in enumerate(sorted(declarations())[:count]):
        declaration = await worker.fetch_declaration(number)
        overrides = broken if index == 1 else {}
        record = record_from_declaration(worker.store, declaration, **overrides)
        saved = await asyncio.to_thread(worker.store.save, record)
        assert saved.key is not None
        keys.append(saved.key)
    return keys


async def test_each_in_order_a_broken_one_named_and_the_rest_go_on(worker: Worker) -> None:
    keys = await _drafts(worker, 3, producer_name=None)
    assert worker.store is not None
    assert draft_keys(worker.engine, worker.store.operator) == keys  # oldest first
    seen: list[tuple[int, int, BatchRow]] = []
    report = await submit_batch(worker, keys, progress=lambda d, t, r: seen.append((d, t, r)))
    assert [r.key for r in report.rows] == keys
    assert [r.outcome for r in report.rows] == [
        RowOutcome.ACCEPTED,
        RowOutcome.BROKEN,
        RowOutcome.ACCEPTED,
    ]
    assert report.rows[1].message == "原生产企业名称为必填项"
    assert "原生产企业名称为必填项" in report.rows[1].text
    assert [(d, t) for d, t, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert report.summary == "共3条：已提交2条，校验未通过1条"
    statuses = [Status(worker.store.load(k).status) for k in keys]
    assert statuses[1] == Status.DRAFT and statuses[0] != Status.DRAFT
    assert report.rows[0].unified_no and report.rows[0].text.endswith("已提交")
    assert draft_keys(worker.engine, worker.store.operator) == [worker.store.load(keys[1]).key]
    again = await submit_batch(worker, [keys[0]])  # already with customs: not sent, said why
    assert again.rows[0].outcome == RowOutcome.NOT_SENT and "不能提交" in again.rows[0].message


async def test_a_pulled_card_stops_the_rest_with_its_reason(
    worker: Worker, slot: SandboxSlot
) -> None:
    keys = await _drafts(worker, 2)
    await asyncio.to_thread(slot.pull)
    for _ in range(100):
        if worker.state == SessionState.LOCKED:
            break
        await asyncio.sleep(0.01)
    report = await submit_batch(worker, keys)
    assert [r.outcome for r in report.rows] == [RowOutcome.NOT_SENT] * 2
    assert all("重新插卡登录" in r.message for r in report.rows)
    assert worker.store is not None
    assert [worker.store.load(k).status for k in keys] == [Status.DRAFT] * 2
    assert report.summary == "共2条：未提交2条"
