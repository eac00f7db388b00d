"""提交 through the outbox: checked, then 已提交 and the signed body kept until customs holds it.

A submission is two steps (declarant/worker): `prepare_submission` checks status, version and every
rule and changes nothing; the worker signs the body with the card; `begin_submission` moves the
record to 已提交 and puts the signed body in the outbox in one transaction. The worker sends what
the outbox holds until customs confirms the round (store/status_changes.py clears it), counting
each attempt whose outcome is unknown (`note_attempt`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlmodel import Session

from store.conflicts import retry_on_conflict
from store.errors import NotSubmittable, NoUnifiedNo, StaleRecord
from store.models import Outbox, ReturnRecord
from store.record import RecordData
from store.record_access import RecordAccess
from store.rules import RuleError, check_for_submit
from store.status import Status


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


class SubmissionOutbox(RecordAccess):
    """Submissions and their outbox (a part of `RecordStore`, store/records.py)."""

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
