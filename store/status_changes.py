"""The status changes that come from customs: a round held, a round failed, a receipt applied.

These do not come from the operator's copy of the record, so they are not versioned saves: each
locks the record row for its transaction instead (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's
`BEGIN IMMEDIATE` already serialises writers), so two of them decide one after the other on the
current row; a deadlock or serialization failure is retried (store/conflicts.py). A receipt is
recorded once (by its id) and moves the status only forwards within its round
(store/status.py: `next_status_from_receipt`). The receipt feed's cursor is kept here too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session

from store.conflicts import retry_on_conflict
from store.errors import StrayReceipt
from store.models import GatewayCursor, Outbox, Receipt, ReturnRecord
from store.record_access import RecordAccess
from store.status import Status, next_status_from_receipt


@dataclass(frozen=True, slots=True)
class ReceiptOutcome:
    recorded: bool  # False: this receipt was already known (idempotent)
    old_status: Status
    new_status: Status

    @property
    def changed(self) -> bool:
        return self.old_status != self.new_status


class StatusChanges(RecordAccess):
    """Customs' answers applied to the records (a part of `RecordStore`, store/records.py)."""

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

    @staticmethod
    def _clear_outbox(session: Session, row: ReturnRecord, round_no: int) -> None:
        session.execute(
            delete(Outbox).where(
                Outbox.record_id == row.id,  # type: ignore[arg-type]
                Outbox.round <= round_no,  # type: ignore[arg-type]
            )
        )

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
