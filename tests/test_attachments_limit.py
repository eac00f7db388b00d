"""One limit of documents per record (store/limits.py): refused when adding, by the store and the
dialog (keys and raw bytes), never a crash at 提交; two adds at once cannot pass it (PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from textual.widgets import DataTable

from customs.client import GatewayClient
from declarant.worker import SandboxSlot, Worker
from sandbox.card import SANDBOX_PIN
from screens.attachments import AttachmentsScreen, FilePickerScreen
from store.attachments import AttachmentStore, TooManyAttachments
from store.engine import open_engine
from store.limits import MAX_ATTACHMENTS
from store.models import Attachment, Blob
from store.records import RecordStore
from store.status import Status
from tests.app_harness import feed
from tests.factories import complete_record, record_from_declaration
from tests.fixtures_db import OPERATOR
from tests.fixtures_gateway import RunningGateway, declarations
from tests.test_attachments_screen import Host, message

ADDED_AT = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
F2, INSERT = "\x1bOQ", "\x1b[2~"


def pdfs(folder: Path, count: int) -> list[Path]:
    """`count` small PDFs, distinct from each other and from those of any other folder."""
    folder.mkdir(exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"单据{index:02d}.pdf"
        path.write_bytes(f"%PDF-1.4\n% {folder.name} {index}\n%%EOF\n".encode())
        paths.append(path)
    return paths


def filled(engine: Engine, folder: Path, count: int) -> tuple[AttachmentStore, str]:
    records = RecordStore(engine, OPERATOR)
    unified_no = records.save(complete_record(records)).key
    assert unified_no is not None
    docs = AttachmentStore(engine, OPERATOR, max_bytes=1024, now=lambda: ADDED_AT)
    for path in pdfs(folder, count):
        docs.add(unified_no, path, "02")
    return docs, unified_no


def test_the_51st_document_is_refused_when_added_and_the_50_stay(
    engine: Engine, tmp_path: Path
) -> None:
    docs, unified_no = filled(engine, tmp_path / "docs", MAX_ATTACHMENTS)
    extra = tmp_path / "第51个.pdf"
    extra.write_bytes(b"%PDF-1.4\n% one too many\n")
    for refuse in (
        lambda: docs.check_room(unified_no),
        lambda: docs.check(unified_no, extra),
        lambda: docs.add(unified_no, extra, "02"),
    ):
        with pytest.raises(TooManyAttachments) as caught:
            refuse()
        assert caught.value.message == "随附单据最多50个，已达上限，不能再添加"
    assert len(docs.list(unified_no)) == MAX_ATTACHMENTS
    docs.remove(unified_no, docs.list(unified_no)[0].id or 0)  # room again for one
    assert docs.add(unified_no, extra, "02").filename == "第51个.pdf"


def test_two_adds_at_once_into_the_last_place_give_50_not_51(
    engine: Engine, tmp_path: Path
) -> None:
    docs, unified_no = filled(engine, tmp_path / "docs", MAX_ATTACHMENTS - 1)
    last = pdfs(tmp_path / "last", 2)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def add(path: Path) -> None:
        start.wait()
        try:
            docs.add(unified_no, path, "02")
            outcomes.append("added")
        except TooManyAttachments:
            outcomes.append("refused")

    threads = [threading.Thread(target=add, args=(path,)) for path in last]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added", "refused"]
    assert len(docs.list(unified_no)) == MAX_ATTACHMENTS


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


@pytest.mark.parametrize("how", ["pilot", "raw"])
async def test_the_dialog_refuses_the_51st_before_the_picker_opens(
    sqlite_engine: Engine, tmp_path: Path, how: str
) -> None:
    docs, unified_no = filled(sqlite_engine, tmp_path / "docs", MAX_ATTACHMENTS)
    app = Host(lambda: AttachmentsScreen(docs, unified_no, locked=False, start_dir=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.query_one(DataTable).row_count == MAX_ATTACHMENTS
        for key, raw in (("f2", F2), ("insert", INSERT)):
            if how == "pilot":
                await pilot.press(key)
            else:
                await feed(app, pilot, raw)  # type: ignore[arg-type]
            await pilot.pause()
            assert pilot.app.screen is screen, "the file picker opened for a full record"
            assert not isinstance(pilot.app.screen, FilePickerScreen)
            assert "✗ 随附单据最多50个，已达上限，不能再添加" in message(pilot)
    assert len(docs.list(unified_no)) == MAX_ATTACHMENTS


@pytest.fixture
async def worker(sqlite_engine: Engine, gateway: RunningGateway) -> AsyncIterator[Worker]:
    client = GatewayClient(gateway.url, timeout=5.0, retries=0)
    w = Worker(sqlite_engine, client, SandboxSlot(), gateway_name=gateway.url)
    await w.login(SANDBOX_PIN)
    yield w
    await w.client.aclose()


async def test_a_record_holding_51_from_before_the_limit_is_refused_at_submit_not_a_crash(
    worker: Worker, sqlite_engine: Engine, gateway: RunningGateway, tmp_path: Path
) -> None:
    assert worker.store is not None and worker.operator is not None
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    draft = worker.store.save(record_from_declaration(worker.store, declaration))
    await worker.number(draft.key)  # the first 暂存 online: the gateway's 统一编号
    saved = worker.store.load(draft.key)
    assert saved.unified_no is not None and saved.version is not None
    docs = AttachmentStore(sqlite_engine, worker.operator, max_bytes=1024)
    for path in pdfs(tmp_path / "docs", MAX_ATTACHMENTS):
        docs.add(saved.unified_no, path, "02")
    record_id = docs.list(saved.unified_no)[0].record_id
    with Session(sqlite_engine) as session, session.begin():  # the 51st, as an older store let in
        content = b"%PDF-1.4\n% the 51st\n"
        session.add(Blob(sha256="f" * 64, size=len(content), data=content))
        session.flush()
        session.add(
            Attachment(
                record_id=record_id,
                sha256="f" * 64,
                doc_type="02",
                filename="第51个.pdf",
                size=len(content),
                added_at=ADDED_AT,
            )
        )
    with pytest.raises(TooManyAttachments) as caught:
        await asyncio.wait_for(worker.submit(saved.unified_no, version=saved.version), 10)
    assert caught.value.message == "随附单据最多50个，本单有51个，请移除多余的单据后再提交"
    after = worker.store.load(saved.unified_no)
    assert after.status == Status.DRAFT and after.version == saved.version
    assert worker.store.outbox() == []
    assert gateway.submission_count(saved.unified_no) == 0
