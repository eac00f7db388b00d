"""Fixtures of the card-control tests (registered in tests/conftest.py): a short socket dir, the
stand-in on TCP or on a Unix socket; helpers: a worker over a slot, a record saved with the
gateway's 统一编号 ready to submit."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from customs.client import GatewayClient
from declarant.worker import CardSlot, Worker
from sandbox.card.control import ControlStandIn
from tests.factories import record_from_declaration
from tests.fixtures_gateway import declarations


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A directory with a short path: a Unix socket's path must fit in 108 bytes."""
    path = Path(tempfile.mkdtemp(prefix="tc-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def tcp_control() -> Iterator[ControlStandIn]:
    with ControlStandIn().start_tcp() as stand_in:
        yield stand_in


@pytest.fixture
def unix_control(short_dir: Path) -> Iterator[ControlStandIn]:
    with ControlStandIn().start_unix(short_dir / "tuihuo-card.sock") as stand_in:
        yield stand_in


def make_worker(engine, url: str, slot: CardSlot) -> Worker:  # type: ignore[no-untyped-def]
    client = GatewayClient(url, timeout=2.0, retries=2, backoff=0.01)
    return Worker(engine, client, slot, gateway_name=url)


async def saved_record(worker: Worker):  # type: ignore[no-untyped-def]
    """A record from the gateway's first declaration, 暂存 online (it has its 统一编号)."""
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    assert worker.store is not None
    saved = await asyncio.to_thread(
        worker.store.save, record_from_declaration(worker.store, declaration)
    )
    await worker.number(saved.draft_no)
    return await asyncio.to_thread(worker.store.load, saved.draft_no)
