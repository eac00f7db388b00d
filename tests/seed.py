"""Records of the sandbox card's enterprise in several statuses, for the real-terminal tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session

from sandbox.card import card_identity
from store.engine import open_engine
from store.models import ReturnRecord
from store.operator import Operator
from store.records import RecordStore
from store.status import Status
from tests.factories import issue, record_from_declaration
from tests.fixtures_gateway import declarations


def sandbox_operator() -> Operator:
    identity = card_identity()
    info = identity.info
    return Operator(
        info.card_no,
        info.operator_name,
        info.enterprise_uscc,
        info.customs_code,
        info.enterprise_name,
    )


def seed(db: Path, *, drafts: int, received: int) -> list[str]:
    """`drafts` complete records in 暂存 and `received` in 海关接收成功; newest first."""
    engine = open_engine(f"sqlite:///{db}")
    store = RecordStore(engine, sandbox_operator())
    numbers = sorted(declarations())
    saved = []
    for i in range(drafts + received):
        declaration = declarations()[numbers[i % len(numbers)]]
        record = store.save(record_from_declaration(store, declaration))
        saved.append(issue(store, record).key if i < received else record.key)
    with Session(engine) as session, session.begin():
        for unified_no in saved[:received]:
            session.execute(
                update(ReturnRecord)
                .where(ReturnRecord.unified_no == unified_no)  # type: ignore[arg-type]
                .values(status=int(Status.RECEIVED))
            )
    engine.dispose()
    return [n for n in reversed(saved) if n]
