"""Documents travel with the submission to the real sandbox server, which checks their digests."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from customs.client import GatewayClient
from customs.errors import BadRequest
from customs.wire import Attachment as WireAttachment
from declarant.worker import SandboxSlot, SubmitOutcome, Worker
from sandbox.card import SANDBOX_PIN
from store.attachments import AttachmentStore
from store.engine import open_engine
from store.models import Blob
from store.status import Status
from tests.factories import record_from_declaration
from tests.fixtures_gateway import (
    RunningGateway,
    declarations,
    issue,
    login,
    make_card,
    submit,
    valid_record,
)

INVOICE = b"%PDF-1.4\n% invoice of the returned goods\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


@pytest.fixture
async def worker(engine: Engine, gateway: RunningGateway) -> AsyncIterator[Worker]:
    client = GatewayClient(gateway.url, timeout=2.0, retries=2, backoff=0.01)
    w = Worker(engine, client, SandboxSlot(), gateway_name=gateway.url)
    await w.login(SANDBOX_PIN)
    yield w
    await w.client.aclose()


async def saved_with_documents(worker: Worker, engine: Engine, tmp_path: Path) -> tuple[str, int]:
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    assert worker.store is not None and worker.operator is not None
    record = record_from_declaration(worker.store, declaration)
    draft = await asyncio.to_thread(worker.store.save, record)
    await worker.number(draft.key)  # the first 暂存 online: the gateway's 统一编号
    saved = await asyncio.to_thread(worker.store.load, draft.key)
    assert saved.unified_no is not None and saved.version is not None
    docs = AttachmentStore(engine, worker.operator, max_bytes=4 * 1024 * 1024)
    (tmp_path / "发票.pdf").write_bytes(INVOICE)
    (tmp_path / "货物照片.png").write_bytes(PHOTO)
    docs.add(saved.unified_no, tmp_path / "发票.pdf", "02")
    docs.add(saved.unified_no, tmp_path / "货物照片.png", "99")
    return saved.unified_no, saved.version


def held_by_customs(gateway: RunningGateway, unified_no: str) -> list[dict[str, object]]:
    """The documents the sandbox recorded for the record's first round (its state file)."""
    with sqlite3.connect(f"file:{gateway.state_path}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT body FROM submissions WHERE unified_no = ? AND round = 1", (unified_no,)
        ).fetchone()
    assert row is not None, "customs holds no submission"
    return list(json.loads(row[0])["attachments"])


async def test_a_submission_carries_the_documents_and_customs_holds_them(
    worker: Worker, engine: Engine, gateway: RunningGateway, tmp_path: Path
) -> None:
    unified_no, version = await saved_with_documents(worker, engine, tmp_path)
    result = await worker.submit(unified_no, version=version)
    assert result.outcome == SubmitOutcome.ACCEPTED, result.message

    assert held_by_customs(gateway, unified_no) == [
        {
            "doc_type": "02",
            "filename": "发票.pdf",
            "sha256": hashlib.sha256(INVOICE).hexdigest(),
            "size": len(INVOICE),
        },
        {
            "doc_type": "99",
            "filename": "货物照片.png",
            "sha256": hashlib.sha256(PHOTO).hexdigest(),
            "size": len(PHOTO),
        },
    ]
    # customs has them: the documents are now view-only
    assert worker.operator is not None
    docs = AttachmentStore(engine, worker.operator, max_bytes=1024)
    assert docs.locked(unified_no)


async def test_bytes_changed_after_adding_are_refused_by_customs_as_submit_failed(
    worker: Worker, engine: Engine, gateway: RunningGateway, tmp_path: Path
) -> None:
    unified_no, version = await saved_with_documents(worker, engine, tmp_path)
    with Session(engine) as session, session.begin():  # the stored bytes rot under their digest
        session.execute(
            update(Blob)
            .where(Blob.size == len(INVOICE))
            .values(data=INVOICE.replace(b"1.4", b"1.7"))  # type: ignore[arg-type]
        )
    result = await worker.submit(unified_no, version=version)
    assert result.outcome == SubmitOutcome.FAILED
    assert "随附单据发票.pdf校验失败" in result.message
    assert worker.store is not None
    assert worker.store.load(unified_no).status == Status.SUBMIT_FAILED
    assert gateway.submission_count(unified_no) == 0


async def test_the_sandbox_refuses_a_digest_that_does_not_match_by_hand(
    engine: Engine, gateway: RunningGateway, tmp_path: Path
) -> None:
    """As tests/test_gateway.py submits: a stored document, its content swapped under its digest."""
    card = make_card(1)
    number = "010120251000000892"
    record = valid_record(declarations()[number])
    good = WireAttachment(
        doc_type="02",
        filename="发票.pdf",
        sha256=hashlib.sha256(INVOICE).hexdigest(),
        size=len(INVOICE),
        content_b64=base64.b64encode(INVOICE).decode(),
    )
    swapped = good.model_copy(update={"content_b64": base64.b64encode(INVOICE[::-1]).decode()})
    async with GatewayClient(gateway.url, timeout=5.0, retries=0) as client:
        await login(client, card)
        no = await issue(client)
        with pytest.raises(BadRequest) as caught:
            await submit(client, card, no, record, attachments=[swapped])
        assert caught.value.status == 422 and "发票.pdf" in caught.value.message
        accepted = await submit(client, card, no, record, attachments=[good])
        assert accepted.round == 1
    assert gateway.submission_count() == 1
