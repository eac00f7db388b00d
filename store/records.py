"""The record store: save, load, delete, submit, receipts and drafts, scoped to one enterprise.

Every method opens its own short transaction, so the UI thread and the worker can share one engine.
Saves are optimistic: each update names the version it read, and a stale one is refused with
`StaleRecord`, never silently overwritten. The status changes that do not come from the operator's
copy (receipts, accepted, failed, delete) lock the record row for their transaction instead
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers), so two
of them decide one after the other on the current row; a deadlock or serialization failure is
retried a few times before it is raised (store/conflicts.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, delete, select, update
from sqlmodel import Session

from store import clock
from store.catalogue import GOODS_FIELDS, RECORD_FIELDS, Kind
from store.conflicts import retry_on_conflict
from store.errors import (
    NotSubmittable,
    NoUnifiedNo,
    RecordLocked,
    RecordNotFound,
    StaleRecord,
    StrayReceipt,
)
from store.models import (
    Attachment,
    AuditEntry,
    Blob,
    Draft,
    GatewayCursor,
    GoodsFields,
    GoodsRow,
    Outbox,
    Receipt,
    RecordFields,
    ReturnRecord,
)
from store.numbering import names_record, next_draft_no
from store.operator import Operator
from store.record import GoodsData, RecordData
from store.rules import RuleError, check_for_save, check_for_submit, validate_field
from store.space import reclaim
from store.status import Status, next_status_from_receipt


@dataclass(frozen=True, slots=True)
class ReceiptOutcome:
    recorded: bool  # False: this receipt was already known (idempotent)
    old_status: Status
    new_status: Status

    @property
    def changed(self) -> bool:
        return self.old_status != self.new_status


@dataclass(slots=True)
class BatchDeleteResult:
    deleted: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (统一编号, why)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    unified_no: str
    round: int
    idempotency_key: str
    body: dict[str, object]
    attempts: int
    last_error: str


@dataclass(frozen=True, slots=True)
class Submission:
    """A round about to be (or being) sent to customs."""

    unified_no: str
    round: int
    record: RecordData


class RecordStore:
    def __init__(
        self, engine: Engine, operator: Operator, *, now: Callable[[], datetime] = clock.now
    ) -> None:
        self.engine = engine
        self.operator = operator
        self._now = now

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

    def load(self, unified_no: str) -> RecordData:
        with Session(self.engine) as session:
            row = self._get(session, unified_no)
            goods = session.scalars(
                select(GoodsRow).where(GoodsRow.record_id == row.id).order_by(GoodsRow.seq)  # type: ignore[arg-type]
            ).all()
            return _to_data(row, list(goods))

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

    # ---- submission and receipts -----------------------------------------------------------
    def prepare_submission(self, unified_no: str, *, version: int) -> Submission:
        """提交, first half: check status, version and every rule; nothing changes yet.

        The round is the one after the last that customs accepted: a round that never reached
        customs (提交失败) is sent again under its own number.
        """
        record = self.load(unified_no)
        status = Status(record.status)
        if status.locked:
            raise NotSubmittable(status)
        if record.version != version:
            raise StaleRecord(detail=f"{unified_no}: submit at v{version}, db v{record.version}")
        violations = check_for_submit(record)
        if violations:
            raise RuleError(violations)
        if record.unified_no is None:
            raise NoUnifiedNo(detail=unified_no)
        return Submission(record.unified_no, record.accepted_round + 1, record)

    def begin_submission(
        self,
        submission: Submission,
        *,
        body: dict[str, object] | None = None,
        idempotency_key: str | None = None,
    ) -> Submission:
        """提交, second half: 已提交 and the signed body into the outbox, in one transaction."""
        unified_no, round_no = submission.unified_no, submission.round
        version = submission.record.version
        now = self._now()
        with Session(self.engine) as session, session.begin():
            row = self._get(session, unified_no)
            status = Status(row.status)
            if status.locked:
                raise NotSubmittable(status)
            changed = session.execute(
                update(ReturnRecord)
                .where(
                    ReturnRecord.id == row.id,  # type: ignore[arg-type]
                    ReturnRecord.version == version,  # type: ignore[arg-type]
                )
                .values(
                    status=int(Status.SUBMITTED),
                    submission_round=round_no,
                    collected_at=now,
                    version=ReturnRecord.version + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleRecord(detail=f"{unified_no}: lost the race at v{version}")
            session.execute(delete(Outbox).where(Outbox.record_id == row.id))  # type: ignore[arg-type]
            session.add(
                Outbox(
                    record_id=row.id,  # type: ignore[arg-type]
                    round=round_no,
                    idempotency_key=idempotency_key or uuid.uuid4().hex,
                    body=body or {},
                    created_at=now,
                )
            )
            self._audit(
                session, unified_no, "submit", status, Status.SUBMITTED, f"round {round_no}"
            )
        return Submission(unified_no, round_no, self.load(unified_no))

    def outbox(self) -> list[OutboxEntry]:
        """Signed submissions still waiting for customs' answer, oldest first."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(ReturnRecord.unified_no, Outbox)
                .join(Outbox, Outbox.record_id == ReturnRecord.id)  # type: ignore[arg-type]
                .where(self._scope())
                .order_by(Outbox.created_at)  # type: ignore[arg-type]
            ).all()
            return [
                OutboxEntry(no, o.round, o.idempotency_key, dict(o.body), o.attempts, o.last_error)
                for no, o in rows
            ]

    @retry_on_conflict
    def note_attempt(self, unified_no: str, round_no: int, error: str) -> None:
        """An attempt whose outcome is unknown: count it and keep why, for the screen and the log."""
        with Session(self.engine) as session, session.begin():
            row = self._get(session, unified_no, lock=True)
            entry = session.get(Outbox, row.id)
            if entry is not None and entry.round == round_no:
                entry.attempts += 1
                entry.last_error = error[:500]
                session.add(entry)

    def receipt_cursor(self, gateway: str) -> str:
        with Session(self.engine) as session:
            found = session.get(GatewayCursor, (self.operator.enterprise_uscc, gateway))
            return found.cursor if found else ""

    def set_receipt_cursor(self, gateway: str, cursor: str) -> None:
        with Session(self.engine) as session, session.begin():
            found = session.get(GatewayCursor, (self.operator.enterprise_uscc, gateway))
            if found is None:
                found = GatewayCursor(
                    enterprise_uscc=self.operator.enterprise_uscc,
                    gateway=gateway,
                    updated_at=self._now(),
                )
            found.cursor = cursor
            found.updated_at = self._now()
            session.add(found)

    @retry_on_conflict
    def mark_accepted(self, unified_no: str, round_no: int) -> None:
        """Customs confirmed it holds this round (idempotent)."""
        with Session(self.engine) as session, session.begin():
            row = self._get(session, unified_no, lock=True)
            if row.accepted_round < round_no <= row.submission_round:
                row.accepted_round = round_no
                session.add(row)
            self._clear_outbox(session, row, round_no)

    @retry_on_conflict
    def mark_submit_failed(self, unified_no: str, round_no: int, reason: str) -> None:
        """The round certainly did not reach customs: 提交失败, with the reason kept as a receipt."""
        with Session(self.engine) as session, session.begin():
            row = self._get(session, unified_no, lock=True)
            if row.status != Status.SUBMITTED or row.submission_round != round_no:
                return
            if row.accepted_round >= round_no:
                return  # customs has it after all: never mark a held round as failed
            now = self._now()
            self._clear_outbox(session, row, round_no)
            row.status = int(Status.SUBMIT_FAILED)
            row.submission_round = row.accepted_round
            row.version += 1
            row.updated_at = now
            session.add(row)
            session.add(
                Receipt(
                    record_id=row.id,  # type: ignore[arg-type]
                    receipt_id=f"local-{uuid.uuid4()}",
                    round=round_no,
                    status=int(Status.SUBMIT_FAILED),
                    content=reason[:500],
                    issued_at=now,
                    received_at=now,
                )
            )
            self._audit(
                session, unified_no, "submit_failed", Status.SUBMITTED, Status.SUBMIT_FAILED, reason
            )

    @retry_on_conflict
    def apply_receipt(
        self,
        unified_no: str,
        *,
        receipt_id: str,
        round_no: int,
        status: int,
        content: str,
        issued_at: datetime,
        return_no: str | None = None,
    ) -> ReceiptOutcome:
        """Record a receipt once; move the status only forwards within its round.

        `StrayReceipt` when no record of this enterprise holds `unified_no` as its 统一编号 with
        `round_no` submitted from here: nothing is written (the worker keeps it aside).
        """
        with Session(self.engine) as session, session.begin():
            row = self._submitted(session, unified_no, round_no)
            old = Status(row.status)
            known = session.execute(
                select(Receipt.id).where(
                    Receipt.record_id == row.id,  # type: ignore[arg-type]
                    Receipt.receipt_id == receipt_id,  # type: ignore[arg-type]
                )
            ).first()
            if known is not None:
                return ReceiptOutcome(False, old, old)
            now = self._now()
            session.add(
                Receipt(
                    record_id=row.id,  # type: ignore[arg-type]
                    receipt_id=receipt_id,
                    round=round_no,
                    status=status,
                    content=content[:500],
                    issued_at=issued_at,
                    received_at=now,
                )
            )
            receipt_status = Status(status)
            if row.accepted_round < round_no <= row.submission_round:
                row.accepted_round = round_no  # a receipt proves customs holds the round
            if round_no <= row.accepted_round:
                self._clear_outbox(session, row, round_no)
            new = next_status_from_receipt(old, row.submission_round, receipt_status, round_no)
            if return_no and receipt_status == Status.APPROVED and round_no == row.submission_round:
                row.return_no = return_no
            if new is not None:
                row.status = int(new)
                row.version += 1
                row.updated_at = now
                self._audit(session, unified_no, "receipt", old, new, content)
            session.add(row)
            return ReceiptOutcome(True, old, new if new is not None else old)

    # ---- drafts ----------------------------------------------------------------------------
    def save_draft(
        self,
        key: str,
        payload: dict[str, object],
        *,
        unified_no: str | None = None,
        base_version: int | None = None,
    ) -> None:
        """Keep the form's state under `key` (called at every field exit: one small upsert)."""
        with Session(self.engine) as session, session.begin():
            draft = session.get(Draft, key)
            if draft is None:
                draft = Draft(
                    key=key,
                    enterprise_uscc=self.operator.enterprise_uscc,
                    operator_card=self.operator.card_no,
                    updated_at=self._now(),
                )
            elif draft.enterprise_uscc != self.operator.enterprise_uscc:
                raise RecordNotFound(detail=f"draft {key} belongs to another enterprise")
            draft.payload = dict(payload)
            draft.unified_no = unified_no
            draft.base_version = base_version
            draft.updated_at = self._now()
            session.add(draft)

    def drafts(self) -> list[Draft]:
        """This operator's unsaved drafts, newest first (offered back at start)."""
        with Session(self.engine) as session:
            result = session.scalars(
                select(Draft)
                .where(
                    Draft.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                    Draft.operator_card == self.operator.card_no,  # type: ignore[arg-type]
                )
                .order_by(Draft.updated_at.desc())  # type: ignore[attr-defined]
            )
            return list(result.all())

    def discard_draft(self, key: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                delete(Draft).where(
                    Draft.key == key,  # type: ignore[arg-type]
                    Draft.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                )
            )

    # ---- internals -------------------------------------------------------------------------
    def _scope(self):  # type: ignore[no-untyped-def]
        return ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc

    @staticmethod
    def _clear_outbox(session: Session, row: ReturnRecord, round_no: int) -> None:
        session.execute(
            delete(Outbox).where(
                Outbox.record_id == row.id,  # type: ignore[arg-type]
                Outbox.round <= round_no,  # type: ignore[arg-type]
            )
        )

    def _get(self, session: Session, unified_no: str, *, lock: bool = False) -> ReturnRecord:
        """The record in this enterprise whose 统一编号 or local draft number is `unified_no`;
        `lock`: held for update until the transaction ends.

        A locked read waits for any other transaction holding the row, then sees its committed
        state (or finds the record deleted: `RecordNotFound`), so the caller decides on fresh data.
        """
        query = select(ReturnRecord).where(self._scope(), names_record(unified_no))
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = session.execute(query).scalar_one_or_none()
        if row is None:
            raise RecordNotFound(detail=unified_no)
        return row

    def _submitted(self, session: Session, unified_no: str, round_no: int) -> ReturnRecord:
        """The record that holds 统一编号 `unified_no` and submitted round `round_no` from here
        (held for update, as `_get(lock=True)`)."""
        row = session.execute(
            select(ReturnRecord)
            .where(
                self._scope(),
                ReturnRecord.unified_no == unified_no,  # type: ignore[arg-type]
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if row is None:
            raise StrayReceipt(detail=f"{unified_no}: no such 统一编号 here")
        sent_here = 1 <= round_no <= row.submission_round or (  # a round failed here was sent too
            round_no >= 1
            and session.execute(
                select(Receipt.id).where(
                    Receipt.record_id == row.id,  # type: ignore[arg-type]
                    Receipt.round == round_no,  # type: ignore[arg-type]
                )
            ).first()
            is not None
        )
        if not sent_here:
            raise StrayReceipt(
                detail=f"{unified_no}: round {round_no} not submitted here"
                f" (last {row.submission_round})"
            )
        return row

    def _audit(
        self,
        session: Session,
        unified_no: str,
        action: str,
        old: Status | None,
        new: Status | None,
        detail: str = "",
    ) -> None:
        session.add(
            AuditEntry(
                unified_no=unified_no,
                enterprise_uscc=self.operator.enterprise_uscc,
                actor=f"{self.operator.name}({self.operator.card_no})",
                action=action,
                from_status=None if old is None else int(old),
                to_status=None if new is None else int(new),
                detail=detail[:500],
                at=self._now(),
            )
        )


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


def _to_data(row: ReturnRecord, goods: list[GoodsRow]) -> RecordData:
    values = {name: getattr(row, name) for name in RecordFields.model_fields}
    return RecordData(
        **values,
        unified_no=row.unified_no,
        draft_no=row.draft_no,
        status=row.status,
        version=row.version,
        submission_round=row.submission_round,
        accepted_round=row.accepted_round,
        updated_at=row.updated_at,
        goods=[GoodsData(**{n: getattr(g, n) for n in GoodsFields.model_fields}) for g in goods],
    )
