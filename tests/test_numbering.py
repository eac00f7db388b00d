"""Record numbers on SQLite and on a real PostgreSQL: the desk never makes up a 统一编号.

A record saved offline has a local draft number, shown as such; the gateway's 统一编号 comes later
and the record is found by either; a receipt names only a record and round submitted from here;
idempotency keys are random; a database of the first scheme migrates.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from store.engine import open_engine
from store.errors import NoUnifiedNo, StrayReceipt
from store.migrate import upgrade
from store.numbering import Numbering
from store.records import RecordStore
from store.status import Status
from tests.factories import complete_record, issue
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR

RECEIPT_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(engine: Engine) -> RecordStore:
    return RecordStore(engine, OPERATOR)


def _apply(store: RecordStore, unified_no: str, rid: str, status: Status, round_no: int = 1):  # type: ignore[no-untyped-def]
    return store.apply_receipt(
        unified_no,
        receipt_id=rid,
        round_no=round_no,
        status=int(status),
        content=status.label,
        issued_at=RECEIPT_AT,
    )


def test_a_save_makes_no_unified_no_only_a_local_draft_number_shown_as_such(
    store: RecordStore,
) -> None:
    first = store.save(complete_record(store))
    second = store.save(complete_record(store))
    year = datetime.now().year
    assert (first.unified_no, second.unified_no) == (None, None)
    assert (first.draft_no, second.draft_no) == (f"{year}00000001", f"{year}00000002")
    assert first.number_label == f"暂无（本地草稿号{year}00000001）"
    with pytest.raises(NoUnifiedNo, match="尚无统一编号"):
        store.prepare_submission(first.key, version=first.version)  # type: ignore[arg-type]


def test_the_gateways_number_joins_the_draft_number_and_an_open_copy_still_saves(
    store: RecordStore,
) -> None:
    saved = store.save(complete_record(store))
    numbered = issue(store, saved)
    assert numbered.unified_no and len(numbered.unified_no) == 18
    assert numbered.draft_no == saved.draft_no and numbered.version == saved.version
    assert numbered.number_label == numbered.unified_no
    assert store.load(saved.draft_no).unified_no == numbered.unified_no  # type: ignore[arg-type]
    # the form still holds the copy from before the number came: its 暂存 goes on that record
    saved.contact_person = "改过"
    again = store.save(saved)
    assert again.unified_no == numbered.unified_no and again.contact_person == "改过"
    assert Numbering(store.engine, OPERATOR).unnumbered() == []
    # another worker of this database asking again: the first number stays
    assert Numbering(store.engine, OPERATOR).assign(saved.draft_no, "202699999999999999") is False  # type: ignore[arg-type]
    assert store.load(saved.key).unified_no == numbered.unified_no  # type: ignore[arg-type]


def test_a_receipt_for_a_record_that_never_submitted_it_is_kept_aside(
    engine: Engine, store: RecordStore
) -> None:
    """The field report: a fresh draft showed four receipts of someone else's record."""
    draft = issue(store, store.save(complete_record(store)))
    number = draft.unified_no
    assert number
    with pytest.raises(StrayReceipt):
        _apply(store, number, "x-1-1", Status.SUBMITTED)
    with pytest.raises(StrayReceipt):
        _apply(store, number, "x-1-4", Status.APPROVED)
    record = store.load(number)
    assert store.receipts(number) == [] and record.status == Status.DRAFT
    assert record.return_no is None
    # nor another enterprise's record, nor a number nobody here holds
    theirs = RecordStore(engine, OTHER_OPERATOR)
    with pytest.raises(StrayReceipt):
        _apply(theirs, number, "x-1-3", Status.RECEIVED)
    with pytest.raises(StrayReceipt):
        _apply(store, "202600000000000001", "y-1-3", Status.RECEIVED)
    numbering = Numbering(engine, OPERATOR)
    kept = numbering.keep_stray(
        receipt_id="x-1-4",
        unified_no=number,
        round_no=1,
        status=7,
        content="人工审核通过",
        issued_at=RECEIPT_AT,
        reason="not submitted here",
    )
    assert kept and not numbering.keep_stray(  # the feed repeats: kept once
        receipt_id="x-1-4",
        unified_no=number,
        round_no=1,
        status=7,
        content="人工审核通过",
        issued_at=RECEIPT_AT,
        reason="again",
    )
    assert [(s.receipt_id, s.status) for s in numbering.strays()] == [("x-1-4", 7)]
    assert Numbering(engine, OTHER_OPERATOR).strays() == []


def test_a_receipt_of_a_round_not_sent_from_here_is_kept_aside(store: RecordStore) -> None:
    saved = issue(store, store.save(complete_record(store)))
    number = saved.unified_no
    assert number
    store.begin_submission(store.prepare_submission(number, version=saved.version))  # type: ignore[arg-type]
    assert _apply(store, number, "r1-3", Status.RECEIVED).changed
    with pytest.raises(StrayReceipt):
        _apply(store, number, "r2-3", Status.E_REVIEWED, round_no=2)
    assert [r.receipt_id for r in store.receipts(number)] == ["r1-3"]
    assert store.load(number).status == Status.RECEIVED


def test_idempotency_keys_are_random_once_per_round(store: RecordStore) -> None:
    a = issue(store, store.save(complete_record(store)))
    b = issue(store, store.save(complete_record(store)))
    for record in (a, b):
        store.begin_submission(store.prepare_submission(record.key, version=record.version))  # type: ignore[arg-type]
    keys = {entry.unified_no: entry.idempotency_key for entry in store.outbox()}
    assert len(set(keys.values())) == 2
    for number, key in keys.items():
        assert number not in key and "-r1" not in key and len(key) >= 32
    assert {e.idempotency_key for e in store.outbox()} == set(keys.values())  # kept, not remade


def test_a_database_of_the_first_scheme_migrates(db_url: str) -> None:
    """Records customs never held lose the made-up number; the others keep theirs."""
    engine = open_engine(db_url, migrate=False)
    upgrade(engine, "0001")
    rows = [  # (id, made-up 统一编号, status, submission_round, accepted_round)
        (1, "202600000000000001", 0, 0, 0),  # 暂存, never submitted
        (2, "202600000000000002", 2, 0, 0),  # 提交失败 (e.g. the number was another's)
        (3, "202600000000000003", 1, 1, 0),  # 已提交, answer unknown: customs may hold it
        (4, "202600000000000004", 7, 1, 1),  # 人工审核通过
        (5, "202600000000000005", 0, 1, 1),  # rejected, edited again: customs holds round 1
    ]
    with engine.begin() as connection:
        for _, number, status, submitted, accepted in rows:
            connection.execute(
                text(
                    "INSERT INTO return_record (unified_no, enterprise_uscc, status, version,"
                    " submission_round, accepted_round, created_by, created_at, updated_at,"
                    " collector_category, info_source, disposal_methods, export_trade_modes,"
                    " reason_categories, specific_reasons) VALUES (:no, :uscc, :status, 1,"
                    " :sub, :acc, '张三', :at, :at, '企业', '-', '[]', '[]', '[]', '[]')"
                ),
                {
                    "no": number,
                    "uscc": OPERATOR.enterprise_uscc,
                    "status": status,
                    "sub": submitted,
                    "acc": accepted,
                    "at": datetime(2026, 3, 1, tzinfo=UTC),
                },
            )
        connection.execute(
            text(
                "INSERT INTO draft (key, enterprise_uscc, operator_card, unified_no, base_version,"
                " payload, updated_at) VALUES ('k', :uscc, :card, '202600000000000001', 1, '{}',"
                " :at)"
            ),
            {
                "uscc": OPERATOR.enterprise_uscc,
                "card": OPERATOR.card_no,
                "at": datetime(2026, 3, 1, tzinfo=UTC),
            },
        )
        connection.execute(text("INSERT INTO unified_no_counter (year, last) VALUES (2026, 5)"))
    upgrade(engine)
    store = RecordStore(engine, OPERATOR)
    with engine.connect() as connection:
        numbers = connection.execute(
            text("SELECT id, unified_no, draft_no FROM return_record ORDER BY id")
        ).all()
    assert [tuple(n) for n in numbers] == [
        (1, None, "202600000001"),
        (2, None, "202600000002"),
        (3, "202600000000000003", None),
        (4, "202600000000000004", None),
        (5, "202600000000000005", None),
    ]
    assert store.drafts()[0].unified_no == "202600000001"  # the open form follows its record
    assert store.load("202600000001").status == Status.DRAFT
    assert Numbering(engine, OPERATOR).unnumbered() == ["202600000001", "202600000002"]
    later = store.save(complete_record(store))
    assert later.draft_no not in ("202600000001", "202600000002") and later.unified_no is None
    engine.dispose()
