"""Big documents cost their size once: the outbox names them (no copy), a submission streams them one
at a time, and deleting them gives the disk space back (SQLite file and WAL)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlmodel import Session

from customs import wire
from customs.client import GatewayClient
from declarant.worker import SandboxSlot, SubmitOutcome, Worker
from sandbox.card import SANDBOX_PIN
from sandbox.gateway.config import Fault
from store.attachments import AttachmentStore
from store.engine import create_store_engine, open_engine
from store.migrate import downgrade, upgrade
from store.models import Blob, Outbox
from store.records import RecordStore
from store.status import Status
from tests.factories import complete_record, record_from_declaration
from tests.fixtures_db import OPERATOR
from tests.fixtures_gateway import GatewayFactory, declarations, make_card
from tests.test_attachments_gateway import held_by_customs

MB = 1024 * 1024


def big_pdfs(folder: Path, count: int, size: int) -> list[Path]:
    """Distinct PDFs of `size` bytes whose content does not compress."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"扫描件{index:02d}.pdf"
        path.write_bytes(b"%PDF-1.4\n" + os.urandom(size - 9))
        paths.append(path)
    return paths


def on_disk(db: Path) -> int:
    """The database file and its WAL, in bytes (measured while the engine is open)."""
    return sum(
        p.stat().st_size for p in db.parent.glob(db.name + "*") if p.name != db.name + "-shm"
    )


def blob_digests(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(Blob.sha256)).all())


def auto_vacuum(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("PRAGMA auto_vacuum").fetchone()[0])


def test_deleting_documents_gives_their_space_back_and_empties_the_wal(tmp_path: Path) -> None:
    db = tmp_path / "tuihuo.db"
    engine = open_engine(f"sqlite:///{db}")
    records = RecordStore(engine, OPERATOR)
    unified_no = records.save(complete_record(records)).key
    assert unified_no is not None
    docs = AttachmentStore(engine, OPERATOR, max_bytes=2 * MB)
    for path in big_pdfs(tmp_path / "docs", 8, MB):
        docs.add(unified_no, path, "02")
    full = on_disk(db)
    assert full >= 8 * MB

    for attachment in docs.list(unified_no)[:4]:
        docs.remove(unified_no, attachment.id or 0)
    half = on_disk(db)
    assert half <= full - 3.5 * MB, (full, half)
    assert (tmp_path / "tuihuo.db-wal").stat().st_size == 0

    records.delete(unified_no)
    assert on_disk(db) < 1 * MB, (full, half, on_disk(db))
    engine.dispose()


def test_a_file_from_before_is_switched_to_reclaiming_once_at_start(tmp_path: Path) -> None:
    db = tmp_path / "tuihuo.db"
    open_engine(f"sqlite:///{db}").dispose()
    assert auto_vacuum(db) == 2  # INCREMENTAL from its first table on
    with sqlite3.connect(db, isolation_level=None) as old:  # as the store made files before
        old.execute("PRAGMA auto_vacuum=NONE")
        old.execute("VACUUM")
    assert auto_vacuum(db) == 0
    engine = open_engine(f"sqlite:///{db}")
    assert auto_vacuum(db) == 2
    records = RecordStore(engine, OPERATOR)
    assert records.save(complete_record(records)).key  # nothing lost on the way
    engine.dispose()


async def test_the_outbox_names_the_documents_and_a_resend_streams_them_from_the_store(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    db = tmp_path / "tuihuo.db"
    engine = open_engine(f"sqlite:///{db}")
    gateway = gateway_factory(step_seconds=0, faults={"submit": Fault(error_share=1, count=3)})
    client = GatewayClient(gateway.url, timeout=10, retries=2, backoff=0.01)
    worker = Worker(engine, client, SandboxSlot(), gateway_name=gateway.url)
    await worker.login(SANDBOX_PIN)
    assert worker.store is not None and worker.operator is not None
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    draft = worker.store.save(record_from_declaration(worker.store, declaration))
    await worker.number(draft.key)  # the first 暂存 online: the gateway's 统一编号
    saved = worker.store.load(draft.key)
    assert saved.unified_no is not None and saved.version is not None
    docs = AttachmentStore(engine, worker.operator, max_bytes=4 * MB)
    paths = big_pdfs(tmp_path / "docs", 3, 2 * MB)
    for path in paths:
        docs.add(saved.unified_no, path, "02")
    before = on_disk(db)

    result = await worker.submit(saved.unified_no, version=saved.version)
    assert result.outcome == SubmitOutcome.PENDING  # three 503s: waiting in the outbox
    with Session(engine) as session:
        [body] = session.scalars(select(Outbox.body)).all()
    text = json.dumps(body)
    assert "content_b64" not in text and len(text) < 16 * 1024
    assert [a["sha256"] for a in body["attachments"]] == [
        a.sha256 for a in docs.list(saved.unified_no)
    ]
    assert on_disk(db) < before + 1 * MB  # the documents were not written a second time

    gateway.restart(faults={})
    [sent] = await worker.resume_outbox()
    assert sent.outcome == SubmitOutcome.ACCEPTED, sent.message
    held = held_by_customs(gateway, saved.unified_no)
    assert [(d["filename"], d["size"]) for d in held] == [(p.name, 2 * MB) for p in paths]
    assert worker.store.outbox() == []
    await client.aclose()
    engine.dispose()


async def test_a_document_gone_from_the_store_fails_the_round_with_a_message_not_a_loop(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    db = tmp_path / "tuihuo.db"
    engine = open_engine(f"sqlite:///{db}")
    gateway = gateway_factory(step_seconds=0, faults={"submit": Fault(error_share=1, count=3)})
    client = GatewayClient(gateway.url, timeout=10, retries=2, backoff=0.01)
    worker = Worker(engine, client, SandboxSlot(), gateway_name=gateway.url)
    await worker.login(SANDBOX_PIN)
    assert worker.store is not None and worker.operator is not None
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    draft = worker.store.save(record_from_declaration(worker.store, declaration))
    await worker.number(draft.key)  # the first 暂存 online: the gateway's 统一编号
    saved = worker.store.load(draft.key)
    assert saved.unified_no is not None and saved.version is not None
    docs = AttachmentStore(engine, worker.operator, max_bytes=MB)
    [first, second] = big_pdfs(tmp_path / "docs", 2, 300 * 1024)
    docs.add(saved.unified_no, first, "02")
    gone = docs.add(saved.unified_no, second, "02")
    result = await worker.submit(saved.unified_no, version=saved.version)
    assert result.outcome == SubmitOutcome.PENDING
    with sqlite3.connect(db) as raw:  # the bytes lost under the waiting submission
        raw.execute("DELETE FROM blob WHERE sha256 = ?", (gone.sha256,))

    gateway.restart(faults={})
    [sent] = await worker.resume_outbox()
    assert sent.outcome == SubmitOutcome.FAILED
    assert sent.message == "随附单据已不在本机，请重新添加后提交"
    assert worker.store.load(saved.unified_no).status == Status.SUBMIT_FAILED
    assert worker.store.outbox() == [] and gateway.submission_count(saved.unified_no) == 0
    await client.aclose()
    engine.dispose()


async def test_a_submission_holds_about_one_document_in_memory_at_a_time(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    """12 documents of 4 MB (67 MB of base64 on the wire) through a gateway in another process:
    what this process allocates meanwhile stays near one document's bytes and their base64."""
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    gateway = gateway_factory(mode="process", step_seconds=0)
    client = GatewayClient(gateway.url, timeout=30, retries=0)
    worker = Worker(engine, client, SandboxSlot(), gateway_name=gateway.url)
    await worker.login(SANDBOX_PIN)
    assert worker.store is not None and worker.operator is not None
    declaration = await worker.fetch_declaration(sorted(declarations())[0])
    draft = worker.store.save(record_from_declaration(worker.store, declaration))
    await worker.number(draft.key)  # the first 暂存 online: the gateway's 统一编号
    saved = worker.store.load(draft.key)
    assert saved.unified_no is not None and saved.version is not None
    docs = AttachmentStore(engine, worker.operator, max_bytes=4 * MB)
    for path in big_pdfs(tmp_path / "docs", 12, 4 * MB):
        docs.add(saved.unified_no, path, "02")

    tracemalloc.start()
    try:
        result = await worker.submit(saved.unified_no, version=saved.version)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == SubmitOutcome.ACCEPTED, result.message
    assert peak < 30 * MB, f"{peak / MB:.0f} MB allocated at the peak"
    assert worker.store.load(saved.unified_no).status == Status.SUBMITTED
    await client.aclose()
    engine.dispose()


def outbox_body(engine: Engine) -> dict:  # type: ignore[type-arg]
    """The one outbox body as the database holds it (read without the current models)."""
    with engine.connect() as connection:
        return json.loads(connection.exec_driver_sql("SELECT body FROM outbox").scalar_one())


def test_outbox_bodies_written_before_are_rewritten_to_references(tmp_path: Path) -> None:
    """Revision 0003: an inline document goes into `blob` if it was missing, then out of the body;
    the body then reads as the worker's SignedSubmission (at head too). Downgrade puts the bytes
    back. The data is written as revision 0001's schema held it (plain SQL: today's store needs
    the later tables)."""
    db = tmp_path / "tuihuo.db"
    engine = create_store_engine(f"sqlite:///{db}")
    upgrade(engine, "0001")
    unified_no = "202600000000000007"  # 已提交, no answer yet: the outbox entry waits
    at = datetime(2026, 3, 1, tzinfo=UTC)
    card = make_card(1)
    contents = [p.read_bytes() for p in big_pdfs(tmp_path / "docs", 2, 4096)]
    inline = [
        wire.Attachment(
            doc_type=doc_type,
            filename=f"扫描件{index:02d}.pdf",
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            content_b64=base64.b64encode(content).decode(),
        )
        for index, (doc_type, content) in enumerate(zip(("02", "99"), contents, strict=True))
    ]
    legacy = wire.Submission(
        round=1,
        record=wire.ReturnRecord(import_decl_no="223120250000000001"),
        attachments=inline,
        signature="ab" * 64,
        certificate=card.certificate,
    ).model_dump(mode="json")
    with engine.begin() as connection:
        record_id = connection.execute(
            text(
                "INSERT INTO return_record (unified_no, enterprise_uscc, status, version,"
                " submission_round, accepted_round, created_by, created_at, updated_at,"
                " collector_category, info_source, disposal_methods, export_trade_modes,"
                " reason_categories, specific_reasons) VALUES (:no, :uscc, 1, 2, 1, 0, '张三',"
                " :at, :at, '企业', '-', '[]', '[]', '[]', '[]') RETURNING id"
            ),
            {"no": unified_no, "uscc": OPERATOR.enterprise_uscc, "at": at},
        ).scalar_one()
        for doc, content in zip(inline, contents, strict=True):
            connection.execute(
                text("INSERT INTO blob (sha256, size, data) VALUES (:sha, :size, :data)"),
                {"sha": doc.sha256, "size": doc.size, "data": content},
            )
            connection.execute(
                text(
                    "INSERT INTO attachment (record_id, sha256, doc_type, filename, size,"
                    " added_at) VALUES (:id, :sha, :type, :name, :size, :at)"
                ),
                {
                    "id": record_id,
                    "sha": doc.sha256,
                    "type": doc.doc_type,
                    "name": doc.filename,
                    "size": doc.size,
                    "at": at,
                },
            )
        connection.execute(
            text(
                "INSERT INTO outbox (record_id, round, idempotency_key, body, created_at,"
                " attempts, last_error) VALUES (:id, 1, :key, :body, :at, 0, '')"
            ),
            {"id": record_id, "key": f"{unified_no}-r1", "body": json.dumps(legacy), "at": at},
        )
    lost = inline[1]
    with sqlite3.connect(db) as raw:  # a document the store lost meanwhile (no foreign keys here)
        raw.execute("DELETE FROM blob WHERE sha256 = ?", (lost.sha256,))
    assert blob_digests(engine) == {inline[0].sha256}

    upgrade(engine, "0003")
    body = outbox_body(engine)
    assert "content_b64" not in json.dumps(body)
    signed = wire.SignedSubmission.model_validate(body)
    assert [a.sha256 for a in signed.attachments] == [a.sha256 for a in inline]
    assert blob_digests(engine) == {a.sha256 for a in inline}

    upgrade(engine)  # on to head: today's store and worker read the entry as it was left
    records = RecordStore(engine, OPERATOR)
    [entry] = records.outbox()
    assert entry.unified_no == unified_no  # customs may hold it: it keeps its number
    assert wire.SignedSubmission.model_validate(entry.body) == signed
    docs = AttachmentStore(engine, OPERATOR, max_bytes=MB)
    assert hashlib.sha256(docs.data(unified_no, lost.sha256)).hexdigest() == lost.sha256

    assert [a.sha256 for a in docs.list(unified_no)] == [a.sha256 for a in inline]

    downgrade(engine, "0001")
    assert wire.Submission.model_validate(outbox_body(engine)).attachments == inline
    engine.dispose()
