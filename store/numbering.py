"""Record numbers: the local draft number of every saved record, the gateway's 统一编号, strays.

In the Single Window the 统一编号 comes from the system, not the desk: two installations counting
on their own both made `202600000000000001`. So a record gets a local draft number at its first
暂存 (year + 8-digit sequence of this database, 12 digits, e.g. `202600000001`: never mistaken for
an 18-digit 统一编号), and its 统一编号 when the worker reaches the gateway (`Numbering.assign`).
Both stay: the store finds a record by either.

A receipt that names no record and round this database submitted is kept aside (`keep_stray`),
logged, and never shown on a record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from store import clock
from store.errors import RecordNotFound, StoreError
from store.models import ReturnRecord, StrayReceipt
from store.operator import Operator

log = logging.getLogger(__name__)

DRAFT_NO_LENGTH = 12
UNIFIED_NO_LENGTH = 18


def names_record(key: str) -> ColumnElement[bool]:
    """The condition "the record numbered `key`": its 统一编号 or its local draft number (the two
    never meet: 18 digits against 12)."""
    return or_(
        ReturnRecord.unified_no == key,  # type: ignore[arg-type]
        ReturnRecord.draft_no == key,  # type: ignore[arg-type]
    )


def next_draft_no(session: Session) -> str:
    """Year + 8-digit sequence; the counter row is locked until commit, so savers never clash."""
    year = clock.today_local().year
    session.execute(
        text(
            "INSERT INTO draft_no_counter (year, last) VALUES (:year, 0) "
            "ON CONFLICT (year) DO NOTHING"
        ),
        {"year": year},
    )
    last = session.execute(
        text("UPDATE draft_no_counter SET last = last + 1 WHERE year = :year RETURNING last"),
        {"year": year},
    ).scalar_one()
    return f"{year:04d}{last:08d}"


def is_draft_no(value: str | None) -> bool:
    return value is not None and len(value) == DRAFT_NO_LENGTH and value.isdigit()


def short_number_text(unified_no: str | None, draft_no: str | None) -> str:
    """The grid's and the export's 统一编号 cell: "草稿202600000001" while there is none yet
    (16 cells: fits the column)."""
    if unified_no:
        return unified_no
    return f"草稿{draft_no}" if draft_no else ""


class Numbering:
    """The numbers of one enterprise's records in one database."""

    def __init__(
        self, engine: Engine, operator: Operator, *, now: Callable[[], datetime] = clock.now
    ) -> None:
        self.engine = engine
        self.operator = operator
        self._now = now

    def unnumbered(self) -> list[str]:
        """Local draft numbers of the records still without a 统一编号, oldest first."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(ReturnRecord.draft_no)
                .where(
                    ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                    ReturnRecord.unified_no.is_(None),  # type: ignore[union-attr]
                )
                .order_by(ReturnRecord.id)  # type: ignore[arg-type]
            )
            return [r[0] for r in rows.all() if r[0]]

    def held(self, key: str) -> str | None:
        """The 统一编号 of the record `key` (either number), None while it has only its draft
        number; RecordNotFound when there is no such record of this enterprise."""
        with Session(self.engine) as session:
            found = session.execute(
                select(ReturnRecord.unified_no).where(
                    ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                    names_record(key),
                )
            ).first()
        if found is None:
            raise RecordNotFound(detail=key)
        return found[0]

    def assign(self, draft_no: str, unified_no: str) -> bool:
        """Give the record `draft_no` the gateway's `unified_no`; False when it already has one
        (another worker of this database was first: the number issued here is left unused).

        The version does not move: the number is the system's, not an edit, so an open form
        keeps saving over it. RecordNotFound when the record is gone (deleted meanwhile).
        """
        if len(unified_no) != UNIFIED_NO_LENGTH or not unified_no.isdigit():
            raise StoreError("海关网关返回的统一编号有误", detail=unified_no)
        try:
            with Session(self.engine) as session, session.begin():
                changed = session.execute(
                    update(ReturnRecord)
                    .where(
                        ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                        ReturnRecord.draft_no == draft_no,  # type: ignore[arg-type]
                        ReturnRecord.unified_no.is_(None),  # type: ignore[union-attr]
                    )
                    .values(unified_no=unified_no)
                    .execution_options(synchronize_session=False)
                )
                if changed.rowcount == 1:  # type: ignore[attr-defined]
                    return True
                found = session.execute(
                    select(ReturnRecord.id).where(
                        ReturnRecord.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                        ReturnRecord.draft_no == draft_no,  # type: ignore[arg-type]
                    )
                ).first()
                if found is None:
                    raise RecordNotFound(detail=draft_no)
                return False
        except IntegrityError as error:  # the gateway issued a number this database already holds
            raise StoreError(
                "海关网关返回的统一编号已被本机其他记录使用", detail=unified_no
            ) from error

    def keep_stray(
        self,
        *,
        receipt_id: str,
        unified_no: str,
        round_no: int,
        status: int,
        content: str,
        issued_at: datetime,
        reason: str,
    ) -> bool:
        """Keep a receipt no record here may show; False when it was kept already."""
        log.warning(
            "stray receipt %s for %s round %s kept aside: %s",
            receipt_id,
            unified_no,
            round_no,
            reason,
        )
        try:
            with Session(self.engine) as session, session.begin():
                session.add(
                    StrayReceipt(
                        enterprise_uscc=self.operator.enterprise_uscc,
                        receipt_id=receipt_id,
                        unified_no=unified_no,
                        round=round_no,
                        status=status,
                        content=content[:500],
                        issued_at=issued_at,
                        received_at=self._now(),
                        reason=reason[:200],
                    )
                )
        except IntegrityError:
            return False
        return True

    def strays(self) -> list[StrayReceipt]:
        """The receipts kept aside for this enterprise, oldest first (for support)."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(StrayReceipt)
                .where(StrayReceipt.enterprise_uscc == self.operator.enterprise_uscc)  # type: ignore[arg-type]
                .order_by(StrayReceipt.id)  # type: ignore[arg-type]
            )
            return list(rows.all())
