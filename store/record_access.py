"""The ground every part of the record store stands on: one enterprise's rows, read and audited.

`RecordAccess` holds the engine, the operator (whose enterprise scopes every query) and the clock;
it finds a record by either of its numbers (`_get`, optionally held for update), loads it whole
(`load`: header and goods rows as a `RecordData`) and writes the audit trail (`_audit`). The parts
of `RecordStore` (store/records.py) build on it: the record's own CRUD, the drafts
(store/drafts.py), the submission outbox (store/outbox.py) and the status changes from customs
(store/status_changes.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from store import clock
from store.errors import RecordNotFound
from store.models import AuditEntry, GoodsFields, GoodsRow, RecordFields, ReturnRecord
from store.numbering import names_record
from store.operator import Operator
from store.record import GoodsData, RecordData
from store.status import Status


class RecordAccess:
    """One enterprise's records: found, loaded and audited (the base of `RecordStore`)."""

    def __init__(
        self, engine: Engine, operator: Operator, *, now: Callable[[], datetime] = clock.now
    ) -> None:
        self.engine = engine
        self.operator = operator
        self._now = now

    def load(self, unified_no: str) -> RecordData:
        with Session(self.engine) as session:
            row = self._get(session, unified_no)
            goods = session.scalars(
                select(GoodsRow).where(GoodsRow.record_id == row.id).order_by(GoodsRow.seq)  # type: ignore[arg-type]
            ).all()
            return _to_data(row, list(goods))

    # ---- internals -------------------------------------------------------------------------
    def _scope(self):  # type: ignore[no-untyped-def]
        return ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc

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
