"""AttachmentStore on SQLite and PostgreSQL: every refusal by name, content addressing, scope."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from store.attachments import (
    AttachmentNotFound,
    AttachmentStore,
    DuplicateAttachment,
    FileMissing,
    FileTooLarge,
    FileUnreadable,
    UnknownDocType,
    WrongFileType,
)
from store.errors import RecordLocked, RecordNotFound
from store.models import Blob
from store.records import RecordStore
from store.status import Status
from tests.factories import complete_record, save_issued
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
ADDED_AT = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)


def write(directory: Path, name: str, content: bytes) -> Path:
    path = directory / name
    path.write_bytes(content)
    return path


@pytest.fixture
def records(engine: Engine) -> RecordStore:
    return RecordStore(engine, OPERATOR)


@pytest.fixture
def docs(engine: Engine) -> AttachmentStore:
    return AttachmentStore(engine, OPERATOR, max_bytes=1024, now=lambda: ADDED_AT)


@pytest.fixture
def unified_no(records: RecordStore) -> str:
    saved = save_issued(records, complete_record(records))
    assert saved.unified_no is not None
    return saved.unified_no


def blob_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(Blob)).scalar_one())


def lock(records: RecordStore, unified_no: str) -> None:
    record = records.load(unified_no)
    prepared = records.prepare_submission(unified_no, version=record.version or 0)
    records.begin_submission(prepared)
    assert Status(records.load(unified_no).status) == Status.SUBMITTED


def test_add_list_data_and_the_submission_sees_them(
    docs: AttachmentStore, records: RecordStore, unified_no: str, tmp_path: Path
) -> None:
    pdf = docs.add(unified_no, write(tmp_path, "发票.pdf", PDF), "02")
    png = docs.add(unified_no, write(tmp_path, "装箱单.PNG", PNG), "03")
    jpg = docs.add(unified_no, write(tmp_path, "合同.jpeg", JPG), "01")
    listed = docs.list(unified_no)
    assert [(a.doc_type, a.filename, a.size) for a in listed] == [
        ("02", "发票.pdf", len(PDF)),
        ("03", "装箱单.PNG", len(PNG)),
        ("01", "合同.jpeg", len(JPG)),
    ]
    assert [a.id for a in listed] == [pdf.id, png.id, jpg.id]
    assert listed[0].added_at.replace(tzinfo=UTC) == ADDED_AT
    assert docs.data(unified_no, pdf.sha256) == PDF
    assert docs.data(unified_no, jpg.sha256) == JPG


def test_refusals_are_named_and_in_chinese(
    docs: AttachmentStore, unified_no: str, tmp_path: Path
) -> None:
    with pytest.raises(FileMissing, match="文件不存在"):
        docs.add(unified_no, tmp_path / "没有.pdf", "02")
    with pytest.raises(FileUnreadable, match="文件无法读取"):
        docs.add(unified_no, tmp_path, "02")  # a directory
    with pytest.raises(WrongFileType, match="只能添加PDF、JPG、PNG文件"):
        docs.add(unified_no, write(tmp_path, "说明.txt", b"hello"), "02")
    with pytest.raises(WrongFileType, match="只能添加PDF、JPG、PNG文件"):
        docs.add(unified_no, write(tmp_path, "假的.pdf", b"MZ\x90\x00 not a pdf"), "02")
    with pytest.raises(WrongFileType, match=re.escape("文件内容是PNG，与扩展名“.pdf”不符")):
        docs.add(unified_no, write(tmp_path, "图.pdf", PNG), "02")
    with pytest.raises(FileTooLarge, match=re.escape("超过0.00098 MB的限制")):
        docs.add(unified_no, write(tmp_path, "大.pdf", PDF + b"x" * 2048), "02")
    with pytest.raises(UnknownDocType, match="随附单据类型“77”不存在"):
        docs.add(unified_no, write(tmp_path, "ok.pdf", PDF), "77")
    docs.add(unified_no, write(tmp_path, "ok.pdf", PDF), "02")
    with pytest.raises(
        DuplicateAttachment, match=re.escape("同一文件已添加过（“ok.pdf”）")
    ) as twice:
        docs.add(unified_no, write(tmp_path, "改名了.pdf", PDF), "99")
    assert "改名了.pdf" in twice.value.message
    assert len(docs.list(unified_no)) == 1


def test_the_limit_is_said_in_megabytes(engine: Engine, unified_no: str, tmp_path: Path) -> None:
    docs = AttachmentStore(engine, OPERATOR, max_bytes=4 * 1024 * 1024)
    big = write(tmp_path, "大.pdf", PDF + b"x" * (4 * 1024 * 1024))
    with pytest.raises(FileTooLarge) as caught:
        docs.add(unified_no, big, "02")
    assert "超过4 MB的限制" in caught.value.message and "大.pdf" in caught.value.message


def test_an_unreadable_file_is_refused(
    docs: AttachmentStore, unified_no: str, tmp_path: Path
) -> None:
    path = tmp_path / "锁住.pdf"
    if os.geteuid() == 0:  # root reads any mode: a file whose read fails with EIO instead
        path.symlink_to("/proc/self/mem")
    else:
        write(tmp_path, "锁住.pdf", PDF).chmod(0)
    with pytest.raises(FileUnreadable, match="文件无法读取"):
        docs.add(unified_no, path, "02")


def test_a_file_is_kept_once_and_goes_with_its_last_holder(
    engine: Engine, docs: AttachmentStore, records: RecordStore, unified_no: str, tmp_path: Path
) -> None:
    other = records.save(complete_record(records)).key
    assert other is not None
    first = docs.add(unified_no, write(tmp_path, "a.pdf", PDF), "02")
    second = docs.add(other, write(tmp_path, "b.pdf", PDF), "01")
    assert first.sha256 == second.sha256 and blob_count(engine) == 1
    docs.remove(unified_no, first.id or 0)
    assert docs.list(unified_no) == [] and blob_count(engine) == 1
    assert docs.data(other, second.sha256) == PDF
    with pytest.raises(AttachmentNotFound):
        docs.data(unified_no, first.sha256)  # not this record's any more
    docs.remove(other, second.id or 0)
    assert blob_count(engine) == 0
    with pytest.raises(AttachmentNotFound, match="随附单据不存在"):
        docs.remove(other, second.id or 0)


def test_locked_status_shows_documents_but_refuses_changes(
    docs: AttachmentStore, records: RecordStore, unified_no: str, tmp_path: Path
) -> None:
    kept = docs.add(unified_no, write(tmp_path, "a.pdf", PDF), "02")
    lock(records, unified_no)
    assert docs.locked(unified_no)
    with pytest.raises(RecordLocked, match="不允许添加随附单据"):
        docs.add(unified_no, write(tmp_path, "b.png", PNG), "03")
    with pytest.raises(RecordLocked, match="不允许移除随附单据"):
        docs.remove(unified_no, kept.id or 0)
    assert [a.filename for a in docs.list(unified_no)] == ["a.pdf"]
    assert docs.data(unified_no, kept.sha256) == PDF


def test_another_enterprise_sees_and_touches_nothing(
    engine: Engine, docs: AttachmentStore, unified_no: str, tmp_path: Path
) -> None:
    kept = docs.add(unified_no, write(tmp_path, "a.pdf", PDF), "02")
    theirs = AttachmentStore(engine, OTHER_OPERATOR, max_bytes=1024)
    with pytest.raises(RecordNotFound):
        theirs.list(unified_no)
    with pytest.raises(RecordNotFound):
        theirs.data(unified_no, kept.sha256)
    with pytest.raises(RecordNotFound):
        theirs.add(unified_no, write(tmp_path, "b.png", PNG), "03")
    with pytest.raises(RecordNotFound):
        theirs.remove(unified_no, kept.id or 0)
    assert len(docs.list(unified_no)) == 1


def test_a_deleted_records_documents_go_unless_another_record_holds_them(
    engine: Engine, docs: AttachmentStore, records: RecordStore, unified_no: str, tmp_path: Path
) -> None:
    from tests.factories import complete_record

    other = records.save(complete_record(records)).key
    assert other
    docs.add(unified_no, write(tmp_path, "a.pdf", PDF), "02")
    docs.add(unified_no, write(tmp_path, "b.png", PNG), "03")
    docs.add(other, write(tmp_path, "a-copy.pdf", PDF), "02")  # the same bytes: one Blob
    assert blob_count(engine) == 2
    records.delete(unified_no)  # its attachments cascade; a.pdf is still other's
    assert blob_count(engine) == 1
    assert [a.filename for a in docs.list(other)] == ["a-copy.pdf"]
    assert docs.collect_orphans() == 0
    records.delete(other)
    assert blob_count(engine) == 0


def test_the_same_file_added_to_several_records_at_once_is_one_blob(
    engine: Engine, docs: AttachmentStore, records: RecordStore, tmp_path: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    numbers = [records.save(complete_record(records)).key or "" for _ in range(4)]
    path = write(tmp_path, "同一份.pdf", PDF)
    with ThreadPoolExecutor(max_workers=4) as pool:
        added = list(pool.map(lambda no: docs.add(no, path, "02"), numbers))
    assert len({a.sha256 for a in added}) == 1 and blob_count(engine) == 1
    assert all(len(docs.list(no)) == 1 for no in numbers)


def test_kinds_are_told_by_their_bytes() -> None:
    from store.attachments import detect_kind

    assert detect_kind(PDF) == "PDF" and detect_kind(b"\r\n" + PDF) == "PDF"  # junk first
    assert detect_kind(PNG) == "PNG" and detect_kind(JPG) == "JPG"
    assert detect_kind(b"GIF89a") is None and detect_kind(b"") is None
    assert detect_kind(b"x" + PNG) is None  # images must start with their signature
