"""The enterprise book (常用企业) on SQLite and a real PostgreSQL server: what a save puts in it,
newest use first, per enterprise, shared by two operators of one database, searched and edited."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from store.book import CONTACT, PRODUCER, BookRefused, EnterpriseBook
from store.engine import open_engine
from store.models import BookEntry
from store.operator import Operator
from store.records import RecordStore
from tests.factories import _uscc, complete_record
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR

SUZHOU = _uscc("91320500MA1MXXXX0")
WUXI = _uscc("91320200MA1NYYYY1")


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 30, 8, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.at += timedelta(minutes=1)
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _save(engine: Engine, operator: Operator, clock: Clock, **overrides: object) -> None:
    """暂存 of a complete record: the store puts its producer and contact in the book."""
    store = RecordStore(engine, operator, now=clock)
    store.save(complete_record(store, **overrides))


def test_a_save_puts_producer_and_contact_in_the_book_newest_first(
    engine: Engine, clock: Clock
) -> None:
    _save(engine, OPERATOR, clock)
    _save(
        engine,
        OPERATOR,
        clock,
        producer_uscc=WUXI,
        producer_code="3202960002",
        producer_name="无锡精工电子有限公司",
        contact_person="孙八",
        contact_phone="13900001111",
    )
    book = EnterpriseBook(engine, OPERATOR, now=clock)
    producers = book.entries(PRODUCER).find("")
    assert [p.name for p in producers] == ["无锡精工电子有限公司", "苏州原生产制造有限公司"]
    suzhou = producers[1]
    assert suzhou.values() == {
        "uscc": SUZHOU,
        "code": "3205960001",
        "name": "苏州原生产制造有限公司",
        "contact": "钱七",
        "phone": "0512-66881234",
        "division": "310115",
        "customs": "2201",
    }
    assert [c.label() for c in book.entries(CONTACT).find("")] == [
        "孙八  13900001111",
        "赵六  13812345678",
    ]
    _save(engine, OPERATOR, clock, producer_phone="0512-66889999")  # Suzhou used again
    producers = book.entries(PRODUCER).find("")
    assert producers[0].name == "苏州原生产制造有限公司"
    assert producers[0].phone == "0512-66889999" and producers[0].uses == 2
    assert len(producers) == 2


def test_known_by_uscc_or_customs_code_any_case(engine: Engine, clock: Clock) -> None:
    _save(engine, OPERATOR, clock)
    book = EnterpriseBook(engine, OPERATOR)
    by_uscc = book.producer(uscc=SUZHOU.lower())
    by_code = book.producer(code="3205960001")
    assert by_uscc is not None and by_code is not None
    assert by_uscc.id == by_code.id
    assert by_uscc.record_values()["producer_name"] == "苏州原生产制造有限公司"
    assert book.producer(uscc=WUXI) is None and book.producer() is None


def test_the_book_is_the_enterprise_s_own(engine: Engine, clock: Clock) -> None:
    _save(engine, OPERATOR, clock)
    other = EnterpriseBook(engine, OTHER_OPERATOR)
    assert len(other.entries(PRODUCER)) == 0
    assert other.producer(uscc=SUZHOU) is None


def test_search_by_code_initials_and_chinese(engine: Engine, clock: Clock) -> None:
    _save(engine, OPERATOR, clock)
    _save(
        engine,
        OPERATOR,
        clock,
        producer_uscc=WUXI,
        producer_code="3202960002",
        producer_name="无锡精工电子有限公司",
    )
    entries = EnterpriseBook(engine, OPERATOR).entries(PRODUCER)
    assert [e.name for e in entries.find("3205")] == ["苏州原生产制造有限公司"]
    assert [e.name for e in entries.find("wxjg")] == ["无锡精工电子有限公司"]
    assert [e.name for e in entries.find("精工")] == ["无锡精工电子有限公司"]
    assert [e.name for e in entries.find("有限公司")] == [
        "无锡精工电子有限公司",
        "苏州原生产制造有限公司",
    ]
    hit = entries.search("szy")[0]
    assert entries.get(hit.code) is not None and "苏州" in hit.name


def test_put_checks_like_the_form_and_delete(engine: Engine) -> None:
    book = EnterpriseBook(engine, OPERATOR)
    with pytest.raises(BookRefused) as refused:
        book.put(PRODUCER, {"uscc": "12345", "name": "某公司", "phone": "abc"})
    columns = [c for c, _ in refused.value.refusals]
    assert columns == ["uscc", "phone"]
    assert all(message for _, message in refused.value.refusals)
    entry = book.put(PRODUCER, {"code": "3205960001", "name": "苏州原生产制造有限公司"})
    changed = book.put(
        PRODUCER, {"uscc": SUZHOU, "code": "3205960001", "name": "苏州新名"}, entry_id=entry.id
    )
    assert changed.id == entry.id and changed.uscc == SUZHOU and changed.initials == "SZXM"
    book.delete(entry.id)
    assert len(book.entries(PRODUCER)) == 0


def test_a_code_only_entry_becomes_one_with_its_uscc(engine: Engine, clock: Clock) -> None:
    _save(engine, OPERATOR, clock, producer_uscc=None)
    _save(engine, OPERATOR, clock)
    producers = EnterpriseBook(engine, OPERATOR).entries(PRODUCER).find("")
    assert [(p.uscc, p.code) for p in producers] == [(SUZHOU, "3205960001")]


def test_two_operators_of_one_database_share_one_entry(db_url: str) -> None:
    """Two processes' worth of engines saving the same producer at once: one entry, every use."""
    engines = [open_engine(db_url) for _ in range(2)]
    colleague = Operator(
        card_no="8930000099999",
        name="王五",
        enterprise_uscc=OPERATOR.enterprise_uscc,
        customs_code=OPERATOR.customs_code,
        enterprise_name=OPERATOR.enterprise_name,
    )
    store = RecordStore(engines[0], OPERATOR)
    record = store.save(complete_record(store))
    errors: list[BaseException] = []

    def use(engine: Engine, operator: Operator) -> None:
        try:
            for _ in range(10):
                EnterpriseBook(engine, operator).remember(record.business_dict())
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=use, args=(engines[0], OPERATOR)),
        threading.Thread(target=use, args=(engines[1], colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engines[0]) as session:
        rows = session.scalars(select(BookEntry).where(BookEntry.kind == PRODUCER)).all()
        assert len(rows) == 1 and rows[0].uses == 21
        assert session.scalar(select(func.count()).select_from(BookEntry)) == 2
    seen = EnterpriseBook(engines[1], colleague).producer(code="3205960001")
    assert seen is not None and seen.name == "苏州原生产制造有限公司"
    for engine in engines:
        engine.dispose()


def test_a_contact_is_found_by_its_consignee(engine: Engine, clock: Clock) -> None:
    _save(engine, OPERATOR, clock)
    _save(engine, OPERATOR, clock, contact_person="孙八", contact_phone="13900001111")
    book = EnterpriseBook(engine, OPERATOR)
    record = complete_record(RecordStore(engine, OPERATOR))
    newest = book.contact(code=record.consignee_code)
    assert newest is not None and (newest.contact, newest.phone) == ("孙八", "13900001111")
    assert book.contact(uscc=record.consignee_uscc) == newest
    assert book.contact(code="4403960012") is None
