"""Records waiting to go out: the enterprise's records in 暂存, for a batch 提交."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlmodel import Session

from store.models import ReturnRecord
from store.operator import Operator
from store.status import Status


def draft_keys(engine: Engine, operator: Operator) -> list[str]:
    """The number (统一编号, else the local draft number) of every record of the operator's
    enterprise in 暂存, oldest last operation first (the order a batch sends them)."""
    with Session(engine) as session:
        rows = session.execute(
            select(ReturnRecord.unified_no, ReturnRecord.draft_no)
            .where(
                ReturnRecord.enterprise_uscc == operator.enterprise_uscc,  # type: ignore[arg-type]
                ReturnRecord.status == int(Status.DRAFT),  # type: ignore[arg-type]
            )
            .order_by(ReturnRecord.updated_at, ReturnRecord.id)  # type: ignore[arg-type]
        ).all()
    return [unified_no or draft_no for unified_no, draft_no in rows]
