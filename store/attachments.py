"""Attached documents (随附单据) of a record: checked on the way in, stored content-addressed.

A document is accepted only when it is a real PDF, JPG or PNG (its first bytes say so, and its
extension agrees), no larger than the settings allow, not already attached to the record, and while
the record holds fewer than `MAX_ATTACHMENTS` (store/limits.py, the wire's limit too). Its bytes go
into `Blob` once per SHA-256, however many records attach the same file; a Blob goes when the last
attachment naming it goes, and its disk space with it (store/space.py). Records in a locked status
(customs holds them) show their documents but refuse changes. Every query is scoped to the
operator's enterprise.
"""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store import clock
from store.errors import RecordLocked, RecordNotFound, StoreError
from store.limits import MAX_ATTACHMENTS
from store.models import Attachment, Blob, ReturnRecord
from store.numbering import names_record
from store.operator import Operator
from store.params import table
from store.space import reclaim
from store.status import Status

DOC_TYPES = "attachment_types"

# Magic numbers of the accepted formats, and the extensions that may carry each.
_KINDS: tuple[tuple[str, bytes, frozenset[str]], ...] = (
    ("PDF", b"%PDF-", frozenset({".pdf"})),
    ("JPG", b"\xff\xd8\xff", frozenset({".jpg", ".jpeg"})),
    ("PNG", b"\x89PNG\r\n\x1a\n", frozenset({".png"})),
)
ACCEPTED_EXTENSIONS: frozenset[str] = frozenset().union(*(exts for _, _, exts in _KINDS))


DEFAULT_MAX_BYTES = 4 * 1024 * 1024  # the settings' default (attachment_max_bytes)


class AttachmentError(StoreError):
    """A document refused; `message` says why in the operator's words."""


class FileMissing(AttachmentError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"文件不存在：{path}", detail=str(path))


class FileUnreadable(AttachmentError):
    def __init__(self, path: Path, reason: str = "") -> None:
        super().__init__(f"文件无法读取：{path}", detail=f"{path}: {reason}")


class WrongFileType(AttachmentError):
    def __init__(self, path: Path, found: str | None = None) -> None:
        if found is None:
            text = f"只能添加PDF、JPG、PNG文件：{path.name}不是其中之一"
        else:
            text = f"文件内容是{found}，与扩展名“{path.suffix}”不符：{path.name}"
        super().__init__(text, detail=f"{path}: content {found or 'unknown'}")


class FileTooLarge(AttachmentError):
    def __init__(self, path: Path, size: int, max_bytes: int) -> None:
        super().__init__(
            f"文件大小{_mb(size)} MB，超过{_mb(max_bytes)} MB的限制：{path.name}",
            detail=f"{path}: {size} > {max_bytes} bytes",
        )


class DuplicateAttachment(AttachmentError):
    def __init__(self, filename: str, existing: str) -> None:
        super().__init__(
            f"同一文件已添加过（“{existing}”），不能重复添加：{filename}",
            detail=f"{filename} has the sha256 of {existing}",
        )


class TooManyAttachments(AttachmentError):
    """The record holds `MAX_ATTACHMENTS` already (adding), or more than that (submitting a record
    filled before the limit was kept)."""

    def __init__(self, count: int, *, submitting: bool = False) -> None:
        if submitting:
            text = f"随附单据最多{MAX_ATTACHMENTS}个，本单有{count}个，请移除多余的单据后再提交"
        else:
            text = f"随附单据最多{MAX_ATTACHMENTS}个，已达上限，不能再添加"
        super().__init__(text, detail=f"{count} attachments, limit {MAX_ATTACHMENTS}")


class UnknownDocType(AttachmentError):
    def __init__(self, code: str) -> None:
        super().__init__(f"随附单据类型“{code}”不存在，请从列表中选择", detail=code)


class AttachmentNotFound(RecordNotFound):
    message = "随附单据不存在或已被移除"


def _mb(size: int) -> str:
    """Megabytes as the settings speak of them (4 MB = 4 × 1024 × 1024 bytes), at most 1 decimal."""
    value = size / (1024 * 1024)
    return f"{round(value, 1):g}" if value >= 0.1 else f"{value:.2g}"


def detect_kind(head: bytes) -> str | None:
    """PDF, JPG or PNG by the file's first bytes; None for anything else.

    A PDF header may follow some bytes of junk (scanners write them; readers accept a header
    within the first 1024 bytes), so PDF is looked for there; JPG and PNG must start the file.
    """
    for name, magic, _ in _KINDS:
        if head.startswith(magic) or (name == "PDF" and magic in head[:1024]):
            return name
    return None


def read_document(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes once it is a readable PDF/JPG/PNG within the limit; refusals named."""
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise FileMissing(path) from error
    except OSError as error:  # a path through an unreadable directory, a broken link …
        raise FileUnreadable(path, str(error)) from error
    if path.is_dir():
        raise FileUnreadable(path, "is a directory")
    if info.st_size > max_bytes:  # before reading: never pull a huge file into memory
        raise FileTooLarge(path, info.st_size, max_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise FileUnreadable(path, str(error)) from error
    if len(data) > max_bytes:  # the file grew between stat and read
        raise FileTooLarge(path, len(data), max_bytes)
    kind = detect_kind(data[:1024])
    if kind is None:
        raise WrongFileType(path)
    extensions = next(exts for name, _, exts in _KINDS if name == kind)
    if path.suffix.lower() not in extensions:
        raise WrongFileType(path, kind)
    return data


class AttachmentStore:
    """The documents of the operator's enterprise's records. Each call is one short transaction."""

    def __init__(
        self,
        engine: Engine,
        operator: Operator,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self.engine = engine
        self.operator = operator
        self.max_bytes = max_bytes
        self._now = now

    def list(self, unified_no: str) -> builtins.list[Attachment]:
        """The record's documents in the order they were added (allowed in every status)."""
        with Session(self.engine) as session:
            record = self._record(session, unified_no)
            result = session.scalars(
                select(Attachment)
                .where(Attachment.record_id == record.id)  # type: ignore[arg-type]
                .order_by(Attachment.id)  # type: ignore[arg-type]
            )
            return builtins.list(result.all())

    def for_submission(self, unified_no: str) -> builtins.list[Attachment]:
        """The documents a submission carries, in order; `TooManyAttachments` past the limit."""
        found = self.list(unified_no)
        if len(found) > MAX_ATTACHMENTS:
            raise TooManyAttachments(len(found), submitting=True)
        return found

    def data(self, unified_no: str, sha256: str) -> bytes:
        """One document's bytes (only that Blob is read); `AttachmentNotFound` when the record
        holds no document of that digest."""
        with Session(self.engine) as session:
            record = self._record(session, unified_no)
            found = session.execute(
                select(Blob.data)
                .join(Attachment, Attachment.sha256 == Blob.sha256)  # type: ignore[arg-type]
                .where(
                    Attachment.record_id == record.id,  # type: ignore[arg-type]
                    Blob.sha256 == sha256,  # type: ignore[arg-type]
                )
            ).scalar_one_or_none()
            if found is None:
                raise AttachmentNotFound(detail=f"{unified_no}: {sha256}")
            return bytes(found)

    def locked(self, unified_no: str) -> bool:
        """True when the record's status lets its documents be viewed only."""
        with Session(self.engine) as session:
            return Status(self._record(session, unified_no).status).locked

    def check_room(self, unified_no: str) -> None:
        """Refuse now what `add` would refuse whatever the file: a locked status, a full record.
        The screen asks this before it opens the file picker."""
        with Session(self.engine) as session:
            self._room(session, unified_no)

    def check(self, unified_no: str, path: Path) -> None:
        """Refuse now what `add` would refuse for this file (type asked later): locked status,
        a full record, missing, unreadable, wrong type, too big, already attached. The picker asks
        this first so the operator fixes the path while it is still typed."""
        with Session(self.engine) as session:
            record = self._room(session, unified_no)
            content = read_document(path, max_bytes=self.max_bytes)
            digest = hashlib.sha256(content).hexdigest()
            same = session.scalars(
                select(Attachment).where(
                    Attachment.record_id == record.id,  # type: ignore[arg-type]
                    Attachment.sha256 == digest,  # type: ignore[arg-type]
                )
            ).first()
            if same is not None:
                raise DuplicateAttachment(path.name, same.filename)

    def add(self, unified_no: str, path: Path, doc_type: str) -> Attachment:
        """Attach the file at `path` as `doc_type` (a code of the attachment_types table)."""
        if doc_type not in table(DOC_TYPES):
            raise UnknownDocType(doc_type)
        with Session(self.engine) as session:  # fail fast before reading a file for nothing
            self._room(session, unified_no)
        content = read_document(path, max_bytes=self.max_bytes)
        digest = hashlib.sha256(content).hexdigest()
        filename = path.name[:255]
        try:
            return self._insert(unified_no, digest, content, doc_type, filename)
        except IntegrityError:
            # Another session attached the same file to this record (unique record+sha256), or
            # removed the last holder of this Blob between our insert and our reference: once
            # more, from the start, gives the right answer in either case.
            return self._insert(unified_no, digest, content, doc_type, filename)

    def remove(self, unified_no: str, attachment_id: int) -> None:
        """Take one document off the record; its bytes go when no record refers to them."""
        with Session(self.engine) as session, session.begin():
            record = self._changeable(session, unified_no, "移除随附单据")
            found = session.get(Attachment, attachment_id)
            if found is None or found.record_id != record.id:
                raise AttachmentNotFound(detail=f"{unified_no}: attachment {attachment_id}")
            digest = found.sha256
            session.delete(found)
            session.flush()
            try:
                with session.begin_nested():
                    session.execute(_delete_orphan_blob(digest))
            except IntegrityError:
                pass  # on PostgreSQL a concurrent add just referred to it: the Blob stays
        reclaim(self.engine)

    def collect_orphans(self) -> int:
        """Delete Blobs no attachment refers to (left by deleted records); returns how many."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                delete(Blob).where(~exists().where(Attachment.sha256 == Blob.sha256))
            )
            count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count:
            reclaim(self.engine)
        return count

    # ---- internals -------------------------------------------------------------------------
    def _insert(
        self, unified_no: str, digest: str, content: bytes, doc_type: str, filename: str
    ) -> Attachment:
        with Session(self.engine) as session, session.begin():
            # the record's row locked (PostgreSQL) until commit: two adds at once cannot both
            # see room for one more; SQLite's BEGIN IMMEDIATE serializes them anyway
            record = self._room(session, unified_no, lock=True)
            same = session.scalars(
                select(Attachment).where(
                    Attachment.record_id == record.id,  # type: ignore[arg-type]
                    Attachment.sha256 == digest,  # type: ignore[arg-type]
                )
            ).first()
            if same is not None:
                raise DuplicateAttachment(filename, same.filename)
            session.execute(self._insert_blob(digest, content))
            attachment = Attachment(
                record_id=record.id,  # type: ignore[arg-type]
                sha256=digest,
                doc_type=doc_type,
                filename=filename,
                size=len(content),
                added_at=self._now(),
            )
            session.add(attachment)
            session.flush()
            session.refresh(attachment)
            session.expunge(attachment)
            return attachment

    def _insert_blob(self, digest: str, content: bytes):  # type: ignore[no-untyped-def]
        """INSERT … ON CONFLICT DO NOTHING: a file kept once even when two sessions add it."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return (
            dialect.insert(Blob)
            .values(sha256=digest, size=len(content), data=content)
            .on_conflict_do_nothing(index_elements=["sha256"])
        )

    def _record(self, session: Session, unified_no: str, *, lock: bool = False) -> ReturnRecord:
        query = select(ReturnRecord).where(
            ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
            names_record(unified_no),
        )
        row = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
        if row is None:
            raise RecordNotFound(detail=unified_no)
        return row

    def _changeable(
        self, session: Session, unified_no: str, action: str, *, lock: bool = False
    ) -> ReturnRecord:
        row = self._record(session, unified_no, lock=lock)
        status = Status(row.status)
        if status.locked:
            raise RecordLocked(status, action)
        return row

    def _room(self, session: Session, unified_no: str, *, lock: bool = False) -> ReturnRecord:
        """The record, when one more document may be added to it."""
        row = self._changeable(session, unified_no, "添加随附单据", lock=lock)
        count = session.scalar(
            select(func.count()).where(Attachment.record_id == row.id)  # type: ignore[arg-type]
        )
        if (count or 0) >= MAX_ATTACHMENTS:
            raise TooManyAttachments(count or 0)
        return row


def _delete_orphan_blob(digest: str):  # type: ignore[no-untyped-def]
    return delete(Blob).where(
        Blob.sha256 == digest,  # type: ignore[arg-type]
        ~exists().where(Attachment.sha256 == digest),
    )


def doc_type_label(code: str) -> str:
    """'02 发票' → the name alone for lists: '发票' (the code when unknown)."""
    entry = table(DOC_TYPES).get(code)
    return entry.name if entry is not None else code


def human_size(size: int) -> str:
    """A size as an operator reads it: 512 B, 12.3 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


__all__ = [
    "ACCEPTED_EXTENSIONS",
    "AttachmentError",
    "AttachmentNotFound",
    "AttachmentStore",
    "DuplicateAttachment",
    "FileMissing",
    "FileTooLarge",
    "FileUnreadable",
    "TooManyAttachments",
    "UnknownDocType",
    "WrongFileType",
    "detect_kind",
    "doc_type_label",
    "human_size",
    "read_document",
]
