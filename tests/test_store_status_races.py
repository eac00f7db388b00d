"""Two stores changing one record's status at once: no update is lost, no race ends in an error.

Each store has its own engine (its own connections), as two processes would; a barrier starts both
calls together. One record is reset between trials so 200 trials stay quick on PostgreSQL.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from store.engine import create_store_engine, open_engine
from store.errors import RecordNotFound
from store.records import RecordStore
from store.status import Status
from store.status_changes import ReceiptOutcome
from tests.factories import complete_record, save_issued
from tests.fixtures_db import OPERATOR, fresh_pg_database

TRIALS = 200


@pytest.fixture
def stores(engine: Engine, db_url: str) -> Iterator[tuple[RecordStore, RecordStore]]:
    second = create_store_engine(db_url)
    yield RecordStore(engine, OPERATOR), RecordStore(second, OPERATOR)
    second.dispose()


def _race(first: Callable[[], Any], second: Callable[[], Any]) -> list[Any]:
    """Run both at once; each result is the call's return value or the exception it raised."""
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # reported to the test, which names what it allows
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _receipt(store: RecordStore, no: str, rid: str, status: Status) -> Callable[[], Any]:
    return lambda: store.apply_receipt(
        no,
        receipt_id=rid,
        round_no=1,
        status=int(status),
        content=status.label,
        issued_at=datetime(2025, 11, 3, 15, int(status), tzinfo=UTC),
    )


def _submitted(store: RecordStore) -> str:
    saved = save_issued(store, complete_record(store, goods=1))
    no = saved.unified_no
    assert no is not None
    store.begin_submission(store.prepare_submission(no, version=saved.version))
    return no


def _reset(engine: Engine, no: str, status: Status, *, accepted: int) -> None:
    """Put the record back to `status` in round 1, with no receipt, between two trials."""
    with engine.begin() as connection:
        record_id = connection.execute(
            text("SELECT id FROM return_record WHERE unified_no = :no"), {"no": no}
        ).scalar_one()
        connection.execute(text("DELETE FROM receipt WHERE record_id = :id"), {"id": record_id})
        connection.execute(
            text(
                "UPDATE return_record SET status = :status, submission_round = 1,"
                " accepted_round = :accepted, version = version + 1 WHERE id = :id"
            ),
            {"status": int(status), "accepted": accepted, "id": record_id},
        )


def test_receipts_of_two_stages_applied_at_once_end_at_the_furthest(
    engine: Engine, stores: tuple[RecordStore, RecordStore]
) -> None:
    one, two = stores
    no = _submitted(one)
    lost: list[int] = []
    for trial in range(TRIALS):
        _reset(engine, no, Status.RECEIVED, accepted=1)
        results = _race(
            _receipt(one, no, f"t{trial}-e", Status.E_REVIEWED),
            _receipt(two, no, f"t{trial}-m", Status.APPROVED),
        )
        assert [type(r).__name__ for r in results] == ["ReceiptOutcome"] * 2, results
        assert len(one.receipts(no)) == 2
        if one.load(no).status != Status.APPROVED:
            lost.append(trial)
    assert lost == [], f"{len(lost)} of {TRIALS} trials stopped short of 人工审核通过"


@pytest.mark.parametrize("other", ["accepted", "receipt"])
def test_failed_against_accepted_or_a_receipt_leaves_one_consistent_round(
    engine: Engine, stores: tuple[RecordStore, RecordStore], other: str
) -> None:
    one, two = stores
    no = _submitted(one)
    for trial in range(TRIALS // 4):
        _reset(engine, no, Status.SUBMITTED, accepted=0)
        if other == "accepted":
            held: Callable[[], Any] = lambda: two.mark_accepted(no, 1)  # noqa: E731
        else:
            held = _receipt(two, no, f"t{trial}-r", Status.RECEIVED)
        results = _race(lambda: one.mark_submit_failed(no, 1, "连接被拒绝"), held)
        assert not [r for r in results if isinstance(r, Exception)], results
        record = one.load(no)
        state = (Status(record.status), record.submission_round, record.accepted_round)
        # customs holds round 1 (accepted first), or it failed first and nothing moved it back
        assert state in {
            (Status.SUBMITTED if other == "accepted" else Status.RECEIVED, 1, 1),
            (Status.SUBMIT_FAILED, 0, 0),
        }, f"trial {trial}: {state}"


def test_delete_against_a_late_receipt_either_order_and_no_error(
    stores: tuple[RecordStore, RecordStore],
) -> None:
    one, two = stores
    for trial in range(TRIALS // 8):
        no = _submitted(one)
        _receipt(one, no, f"t{trial}-a", Status.RECEIVED)()
        _receipt(one, no, f"t{trial}-b", Status.E_REJECTED)()  # 电子审核退单: may be deleted
        deleted, late = _race(
            functools.partial(one.delete, no), _receipt(two, no, f"t{trial}-c", Status.APPROVED)
        )
        assert deleted is None, f"trial {trial}: delete raised {deleted!r}"
        # the receipt came first (kept, changes nothing) or found the record gone: nothing else
        assert isinstance(late, RecordNotFound | ReceiptOutcome), f"trial {trial}: {late!r}"
        assert isinstance(late, RecordNotFound) or not late.changed
        with pytest.raises(RecordNotFound):
            one.load(no)
        assert [a.action for a in one.audit(no)].count("delete") == 1


def test_a_deadlock_with_another_connection_is_retried_and_the_receipt_lands(pg_url: str) -> None:
    """PostgreSQL aborts one side of a deadlock; the store's side runs again and succeeds."""
    url = fresh_pg_database(pg_url)
    engine, blocker, watcher = open_engine(url), create_engine(url), create_engine(url)
    store = RecordStore(engine, OPERATOR)
    no = _submitted(store)  # round 1 waits in the outbox: a receipt of it clears the entry
    locked = "SELECT 1 FROM {} WHERE {} = (SELECT id FROM return_record WHERE unified_no = :no) FOR UPDATE"
    results: list[Any] = []
    try:
        with blocker.connect() as other:
            other.execute(text("SET deadlock_timeout = '10s'"))  # the store's side sees it first
            other.execute(text(locked.format("outbox", "record_id")), {"no": no})
            apply = _receipt(store, no, "r1", Status.RECEIVED)

            def receive() -> None:
                try:
                    results.append(apply())
                except Exception as error:  # shown by the assertion below
                    results.append(error)

            thread = threading.Thread(target=receive)
            thread.start()
            with watcher.connect() as look:  # the store holds the record, waits for the outbox
                while not look.execute(text("SELECT 1 FROM pg_locks WHERE NOT granted")).first():
                    assert thread.is_alive(), results
                    threading.Event().wait(0.01)
            other.execute(text(locked.format("return_record", "id")), {"no": no})
            other.rollback()
            thread.join(timeout=30)
        with watcher.connect() as look:
            deadlocks = look.execute(
                text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            ).scalar_one()
    finally:
        for each in (engine, blocker, watcher):
            each.dispose()
    assert deadlocks >= 1  # the fault really happened ...
    assert [type(r).__name__ for r in results] == ["ReceiptOutcome"], results
    engine = create_store_engine(url)
    record = RecordStore(engine, OPERATOR).load(no)  # ... and the receipt still landed
    engine.dispose()
    assert (Status(record.status), record.accepted_round) == (Status.RECEIVED, 1)
