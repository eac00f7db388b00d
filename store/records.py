"""The record store: save, load, delete, submit, receipts and drafts, scoped to one enterprise.

Every method opens its own short transaction, so the UI thread and the worker can share one engine.
Saves are optimistic: each update names the version it read, and a stale one is refused with
`StaleRecord`, never silently overwritten. The status changes that do not come from the operator's
copy (receipts, accepted, failed, delete) lock the record row for their transaction instead
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers), so two
of them decide one after the other on the current row; a deadlock or serialization failure is
retried a few times before it is raised (store/conflicts.py).

`RecordStore` is made of parts, one job each: finding, loading and auditing a record
(store/record_access.py), the drafts (store/drafts.py), 提交 and its outbox (store/outbox.py) and
the status changes from customs (store/status_changes.py). This module holds the record's own
reading, 暂存 and 删除.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlmodel import Session

from store.book import EnterpriseBook
from store.catalogue import GOODS_FIELDS, RECORD_FIELDS, Kind
from store.conflicts import retry_on_conflict
from store.drafts import DraftStore
from store.errors import RecordLocked, RecordNotFound, StaleRecord
from store.models import (
    Attachment,
    AuditEntry,
    Blob,
    GoodsFields,
    GoodsRow,
    Receipt,
    ReturnRecord,
)
from store.numbering import names_record, next_draft_no
from store.outbox import SubmissionOutbox
from store.record import GoodsData, RecordData
from store.rules import RuleError, check_for_save, validate_field
from store.space import reclaim
from store.status import Status
from store.status_changes import StatusChanges


@dataclass(slots=True)
class BatchDeleteResult:
    deleted: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (统一编号, why)


class RecordStore(SubmissionOutbox, StatusChanges, DraftStore):
    """One enterprise's records as its operator sees them (see the module docstring for the parts)."""

    # ---- reading ---------------------------------------------------------------------------
    def new_record(self) -> RecordData:
        """An empty record carrying the card's collector fields (采集人, 采集机构)."""
        op = self.operator
        return RecordData(
            collector_name=op.name,
            collector_uscc=op.enterprise_uscc,
            collector_code=op.customs_code,
            collector_org_name=op.enterprise_name,
        )

    def receipts(self, unified_no: str) -> list[Receipt]:
        """All receipts of the record, newest first (as the manual's receipt list)."""
        with Session(self.engine) as session:
            row = self._get(session, unified_no)
            result = session.scalars(
                select(Receipt)
                .where(Receipt.record_id == row.id)  # type: ignore[arg-type]
                .order_by(Receipt.issued_at.desc(), Receipt.id.desc())  # type: ignore[union-attr]
            )
            return list(result.all())

    def audit(self, unified_no: str) -> list[AuditEntry]:
        """Who changed what when, under either number of the record (or of a deleted one)."""
        with Session(self.engine) as session:
            numbers = {unified_no}
            found = session.execute(
                select(ReturnRecord.unified_no, ReturnRecord.draft_no).where(
                    self._scope(),
                    names_record(unified_no),
                )
            ).first()
            numbers.update(n for n in found or () if n)
            result = session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.unified_no.in_(numbers),  # type: ignore[attr-defined]
                    AuditEntry.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                )
                .order_by(AuditEntry.id)  # type: ignore[arg-type]
            )
            return list(result.all())

    def following(self) -> list[str]:
        """统一编号 of records waiting for customs (submitted, not final), oldest first."""
        waiting = [int(s) for s in (Status.SUBMITTED, Status.RECEIVED, Status.E_REVIEWED)]
        with Session(self.engine) as session:
            result = session.execute(
                select(ReturnRecord.unified_no)
                .where(self._scope(), ReturnRecord.status.in_(waiting))  # type: ignore[attr-defined]
                .order_by(ReturnRecord.updated_at)  # type: ignore[arg-type]
            )
            return [r[0] for r in result.all()]

    # ---- saving ----------------------------------------------------------------------------
    def save(self, record: RecordData) -> RecordData:
        """暂存: validate, give a local draft number on the first save, status 暂存; returns it saved.

        The 统一编号 comes from the gateway afterwards (`store.numbering.Numbering.assign`).
        """
        violations = check_for_save(record)
        if violations:
            raise RuleError(violations)
        values = _canonical_business(record)
        goods = [_canonical_goods(row) for row in record.goods]
        now = self._now()
        with Session(self.engine) as session, session.begin():
            if record.key is None:
                unified_no = next_draft_no(session)
                row = ReturnRecord(
                    **values,
                    draft_no=unified_no,
                    enterprise_uscc=self.operator.enterprise_uscc,
                    status=int(Status.DRAFT),
                    version=1,
                    created_by=self.operator.name,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                self._audit(session, unified_no, "create", None, Status.DRAFT)
            else:
                unified_no = record.key
                row = self._get(session, unified_no)
                status = Status(row.status)
                if status.locked:
                    raise RecordLocked(status, "暂存")
                if record.version != row.version:
                    raise StaleRecord(
                        detail=f"{unified_no}: have v{record.version}, db v{row.version}"
                    )
                changed = session.execute(
                    update(ReturnRecord)
                    .where(
                        ReturnRecord.id == row.id,  # type: ignore[arg-type]
                        ReturnRecord.version == record.version,  # type: ignore[arg-type]
                    )
                    .values(
                        **values,
                        status=int(Status.DRAFT),
                        version=ReturnRecord.version + 1,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
                if changed.rowcount != 1:  # type: ignore[attr-defined]
                    raise StaleRecord(detail=f"{unified_no}: lost the race at v{record.version}")
                session.execute(delete(GoodsRow).where(GoodsRow.record_id == row.id))  # type: ignore[arg-type]
                if status != Status.DRAFT:
                    self._audit(session, unified_no, "save", status, Status.DRAFT)
            assert row.id is not None
            session.add_all(GoodsRow(**g, record_id=row.id) for g in goods)
            EnterpriseBook(self.engine, self.operator, now=self._now).remember(
                values, session=session
            )
        return self.load(unified_no)

    @retry_on_conflict
    def delete(self, unified_no: str, *, version: int | None = None) -> None:
        """删除: refused in locked statuses and over a stale version."""
        with Session(self.engine) as session, session.begin():
            row = self._get(session, unified_no, lock=True)
            status = Status(row.status)
            if status.locked:
                raise RecordLocked(status, "删除")
            if version is not None and version != row.version:
                raise StaleRecord(detail=f"{unified_no}: delete at v{version}, db v{row.version}")
            session.delete(row)
            session.flush()  # the attachments go with the record (cascade) ...
            freed = session.execute(  # ... and a document no other record holds goes with them
                delete(Blob).where(
                    ~select(Attachment.id)
                    .where(Attachment.sha256 == Blob.sha256)  # type: ignore[arg-type]
                    .exists()
                )
            )
            self._audit(session, unified_no, "delete", status, None)
        if freed.rowcount:  # type: ignore[attr-defined]
            reclaim(self.engine)  # their disk space too

    def delete_many(self, unified_nos: Iterable[str]) -> BatchDeleteResult:
        """Delete the deletable; name the refused with the reason (locked status, not found)."""
        result = BatchDeleteResult()
        for unified_no in unified_nos:
            try:
                self.delete(unified_no)
            except (RecordLocked, RecordNotFound) as error:
                result.refused.append((unified_no, error.message))
            else:
                result.deleted.append(unified_no)
        return result


def _canonical_business(record: RecordData) -> dict[str, object]:
    values = record.business_dict()
    for spec in RECORD_FIELDS:
        if spec.kind != Kind.GREY and spec.key in values:
            values[spec.key] = validate_field(spec, values[spec.key])
    return values


def _canonical_goods(row: GoodsData) -> dict[str, object]:
    values = {name: getattr(row, name) for name in GoodsFields.model_fields}
    for spec in GOODS_FIELDS:
        if spec.kind != Kind.GREY:
            values[spec.key] = validate_field(spec, values[spec.key])
    return values
