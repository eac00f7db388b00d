"""The query of 出口退货信息查询: filters, the 30-day rule, keyset pages, scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from store import clock
from store.models import ReturnRecord
from store.queries import QueryError, QueryFilter, RecordQuery, quick_range
from store.records import RecordStore
from store.status import Status
from tests.factories import complete_record, save_issued
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR

TODAY = date(2025, 11, 20)


def test_filter_defaults_to_today_and_refuses_beyond_30_days() -> None:
    query = QueryFilter().validated(today=TODAY)
    assert (query.op_from, query.op_to) == (TODAY, TODAY)
    ok = QueryFilter(op_from="20251001", op_to="2025-10-31").validated(today=TODAY)
    assert ok.op_to - ok.op_from == timedelta(days=30)
    with pytest.raises(QueryError, match="最近操作时间范围不能超过30天"):
        QueryFilter(op_from="20251001", op_to="20251101").validated(today=TODAY)
    with pytest.raises(QueryError, match="开始日期不能晚于结束日期"):
        QueryFilter(op_from="20251102", op_to="20251101").validated(today=TODAY)


def test_filter_checks_each_field_as_typed() -> None:
    with pytest.raises(QueryError) as refused:
        QueryFilter(
            import_decl_no="12",
            unified_no="abc",
            status="9",
            consignee="123",
            producer="3122X80063",
        ).validated(today=TODAY)
    assert [v.field for v in refused.value.violations] == [
        "import_decl_no",
        "unified_no",
        "status",
        "consignee",
        "producer",
    ]
    assert refused.value.violations[3].message == "收货人应为18位社会信用代码或10位海关编码"
    assert QueryFilter(status="5-电子审核完成，待人工审核").validated(today=TODAY).status == 5


def test_quick_ranges_fit_the_rule() -> None:
    assert quick_range("当天", TODAY) == (TODAY, TODAY)
    assert quick_range("本周", TODAY) == (date(2025, 11, 17), TODAY)
    start, end = quick_range("本月", date(2025, 12, 31))
    assert (end - start).days == 30  # a 31-day month still passes
    QueryFilter(op_from=start.isoformat(), op_to=end.isoformat()).validated(today=end)


def _fill(engine: Engine, count: int) -> list[str]:
    """`count` records, one a minute back from now, statuses cycling 0, 2, 0, 2 ..."""
    store = RecordStore(engine, OPERATOR)
    numbers = []
    # noon of the operator's today, so the minutes back never cross midnight (in China)
    base = clock.local_day_start(clock.today_local()) + timedelta(hours=12)
    for i in range(count):
        record = store.save(complete_record(store, goods=1))
        numbers.append(record.key)
        with Session(engine) as session, session.begin():
            session.execute(
                update(ReturnRecord)
                .where(ReturnRecord.draft_no == record.draft_no)  # type: ignore[arg-type]
                .values(updated_at=base - timedelta(minutes=i), status=0 if i % 2 == 0 else 2)
            )
    return numbers  # newest first


def test_keyset_pages_walk_the_whole_result_both_ways(engine: Engine) -> None:
    numbers = _fill(engine, 25)
    query = RecordQuery(engine, OPERATOR, QueryFilter().validated())
    first = query.page(10)
    assert first.total == 25 and first.has_next and not first.has_prev
    assert [r.key for r in first.rows] == numbers[:10]
    second = query.page(10, after=first.last, total=first.total)
    third = query.page(10, after=second.last, total=first.total)
    assert [r.key for r in third.rows] == numbers[20:] and not third.has_next
    back = query.page(10, before=third.first, total=first.total)
    assert [r.key for r in back.rows] == [r.key for r in second.rows]
    last = query.page(10, last=True)
    assert [r.key for r in last.rows] == numbers[20:] and last.has_prev
    assert [r.key for r in query.all_rows(batch=7)] == numbers


def test_filters_narrow_the_result(engine: Engine) -> None:
    numbers = _fill(engine, 6)
    store = RecordStore(engine, OPERATOR)
    one = store.load(numbers[0])

    def result(**typed: str) -> list[str]:
        q = RecordQuery(engine, OPERATOR, QueryFilter(**typed).validated())
        return [r.key for r in q.page(50).rows]

    assert result(status="2") == numbers[1::2]
    assert result(unified_no=numbers[3]) == [numbers[3]]
    assert result(import_decl_no=one.import_decl_no) == numbers  # type: ignore[arg-type]
    assert result(consignee=one.consignee_code) == numbers  # type: ignore[arg-type]
    assert result(consignee=one.consignee_uscc) == numbers  # type: ignore[arg-type]
    assert result(producer="3205960002") == []
    yesterday = (clock.today_local() - timedelta(days=3)).isoformat()
    assert result(op_from=yesterday, op_to=yesterday) == []
    other = RecordQuery(engine, OTHER_OPERATOR, QueryFilter().validated())
    assert other.count() == 0


def test_status_receipts_show_in_rows(engine: Engine) -> None:
    store = RecordStore(engine, OPERATOR)
    saved = save_issued(store, complete_record(store))
    store.begin_submission(store.prepare_submission(saved.unified_no, version=saved.version))  # type: ignore[arg-type]
    rows = RecordQuery(engine, OPERATOR, QueryFilter(status="1").validated()).page(10).rows
    assert [(r.unified_no, r.status) for r in rows] == [(saved.unified_no, Status.SUBMITTED)]
    assert rows[0].collected_at is not None
