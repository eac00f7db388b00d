"""The records this enterprise already holds for some import declaration numbers.

A re-import of the same file must not make a second record: a row whose 进口报关单号 has a record in
暂存 updates it (after the operator confirms), and one whose record customs already holds is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import Session

from store.models import ReturnRecord
from store.operator import Operator
from store.status import Status

CHUNK = 500  # numbers per IN (...): well under every database's parameter limit


@dataclass(frozen=True, slots=True)
class Existing:
    """A stored record of one import declaration: its key (统一编号, else the draft number)."""

    import_decl_no: str
    key: str
    status: Status
    updated_at: datetime

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


def existing_records(
    engine: Engine, operator: Operator, numbers: Iterable[str]
) -> dict[str, Existing]:
    """Import declaration number → its record; a 暂存 one first, else the newest."""
    wanted = sorted(set(numbers))
    found: dict[str, Existing] = {}
    with Session(engine) as session:
        for start in range(0, len(wanted), CHUNK):
            rows = session.execute(
                select(
                    ReturnRecord.import_decl_no,
                    ReturnRecord.unified_no,
                    ReturnRecord.draft_no,
                    ReturnRecord.status,
                    ReturnRecord.updated_at,
                ).where(
                    ReturnRecord.enterprise_uscc == operator.enterprise_uscc,  # type: ignore[arg-type]
                    ReturnRecord.import_decl_no.in_(wanted[start : start + CHUNK]),  # type: ignore[union-attr]
                )
            ).all()
            for number, unified_no, draft_no, status, updated_at in rows:
                key = unified_no or draft_no
                if number is None or key is None:
                    continue
                record = Existing(number, key, Status(status), updated_at)
                if _better(record, found.get(number)):
                    found[number] = record
    return found


def _better(record: Existing, than: Existing | None) -> bool:
    if than is None:
        return True
    if record.is_draft != than.is_draft:
        return record.is_draft
    return record.updated_at > than.updated_at
