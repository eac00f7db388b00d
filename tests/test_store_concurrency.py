"""Operators sharing one database: 统一编号 never clash, and a stale save never wins."""

from __future__ import annotations

import multiprocessing
import threading

from sqlalchemy import Engine

from store.engine import open_engine
from store.errors import StaleRecord
from store.records import RecordStore
from tests.factories import complete_record
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR

SAVERS = 4
SAVES_EACH = 15


def _save_many(url: str, enterprise: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    engine = open_engine(url)
    store = RecordStore(engine, OPERATOR if enterprise % 2 == 0 else OTHER_OPERATOR)
    numbers = [store.save(complete_record(store, goods=1)).draft_no for _ in range(SAVES_EACH)]
    queue.put(numbers)
    engine.dispose()


def test_concurrent_savers_in_separate_processes_get_unique_numbers(
    engine: Engine, db_url: str
) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_save_many, args=(db_url, i, queue)) for i in range(SAVERS)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    numbers = [n for chunk in results for n in chunk]
    assert len(numbers) == len(set(numbers)) == SAVERS * SAVES_EACH
    sequences = sorted(int(n[4:]) for n in numbers)
    assert sequences == list(range(1, SAVERS * SAVES_EACH + 1))  # no gap, no clash


def test_racing_saves_of_one_version_let_exactly_one_win(engine: Engine) -> None:
    store = RecordStore(engine, OPERATOR)
    saved = store.save(complete_record(store))
    copies = [store.load(saved.key) for _ in range(6)]  # type: ignore[arg-type]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(copies))

    def save(copy, name: str) -> None:  # type: ignore[no-untyped-def]
        copy.contact_person = name
        barrier.wait()
        try:
            store.save(copy)
            outcomes.append(name)
        except StaleRecord:
            outcomes.append("stale")

    threads = [threading.Thread(target=save, args=(c, f"op{i}")) for i, c in enumerate(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "stale"]
    assert len(winners) == 1 and outcomes.count("stale") == 5
    final = store.load(saved.key)  # type: ignore[arg-type]
    assert final.contact_person == winners[0] and final.version == 2
