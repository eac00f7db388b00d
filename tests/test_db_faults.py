"""Database faults met for real by the store: each is a named fault with its Chinese state, the
write owed is kept and lands once the database answers; at start, a Chinese message with the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine

import store.engine
from store.engine import open_engine
from store.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseReadOnly,
    DatabaseUnreachable,
    DiskFull,
)
from store.pending import health
from store.records import RecordStore
from tests.db_faults import PgCluster, checkpoint, fill, held_lock, immutable, small_tmpfs
from tests.fixtures_db import OPERATOR


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    # the app waits 10 s for a lock; the tests need not
    monkeypatch.setattr(store.engine, "SQLITE_BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    yield engine
    engine.dispose()


def _payloads(engine: Engine) -> dict[str, object]:
    return {d.key: d.payload for d in RecordStore(engine, OPERATOR).drafts()}


def test_a_held_lock_is_busy_and_the_kept_draft_lands_once_released(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    store, watched = RecordStore(sqlite_engine, OPERATOR), health(sqlite_engine)
    with held_lock(tmp_path / "tuihuo.db"):
        with pytest.raises(DatabaseBusy) as caught:
            store.save_draft("k", {"consignee_address": "上海"})
        assert caught.value.state == "数据库忙" and "locked" in caught.value.detail
        assert watched.state == "数据库忙"
        # while at fault, a newer draft of the same form replaces the kept one, without waiting
        assert not watched.write("k", partial(store.save_draft, "k", {"consignee_address": "浦东"}))
        assert watched.pending == ["k"]
        assert not watched.retry()
    assert watched.retry()
    assert watched.state is None and watched.pending == []
    assert _payloads(sqlite_engine) == {"k": {"consignee_address": "浦东"}}


def test_a_full_disk_is_said_and_the_draft_lands_once_space_is_freed(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "small") as disk:
        db = disk / "tuihuo.db"
        engine = open_engine(f"sqlite:///{db}")
        store, watched = RecordStore(engine, OPERATOR), health(engine)
        checkpoint(db)
        filler = fill(disk)
        write = partial(store.save_draft, "k", {"reason_detail": "说明" * 2000})
        assert not watched.write("k", write)
        assert isinstance(watched.fault, DiskFull) and watched.state == "磁盘已满"
        filler.unlink()
        assert watched.retry() and watched.state is None
        assert _payloads(engine) == {"k": {"reason_detail": "说明" * 2000}}
        engine.dispose()


def test_a_read_only_file_is_said_and_the_draft_lands_once_writable(tmp_path: Path) -> None:
    db = tmp_path / "tuihuo.db"
    open_engine(f"sqlite:///{db}").dispose()
    with immutable(db):
        engine = open_engine(f"sqlite:///{db}")  # reading works: the app starts
        store, watched = RecordStore(engine, OPERATOR), health(engine)
        with pytest.raises(DatabaseReadOnly):
            store.save_draft("k", {"a": 1})
        assert watched.state == "数据库只读"
        assert not watched.write("k", partial(store.save_draft, "k", {"a": 2}))
        assert not watched.retry()
    # the connection opened read-only was dropped with the fault: the retry opens it afresh
    assert watched.retry() and watched.state is None
    assert _payloads(engine) == {"k": {"a": 2}}
    engine.dispose()


def test_a_stopped_postgresql_is_unreachable_and_the_draft_lands_once_started() -> None:
    cluster = PgCluster()
    try:
        cluster.start()
        engine = open_engine(cluster.url)
        store, watched = RecordStore(engine, OPERATOR), health(engine)
        store.save_draft("k", {"a": 1})
        cluster.stop()
        assert not watched.write("k", partial(store.save_draft, "k", {"a": 2}))
        assert isinstance(watched.fault, DatabaseUnreachable)
        assert watched.state == "无法连接数据库"
        with pytest.raises(DatabaseUnreachable):
            store.drafts()
        assert not watched.retry()
        cluster.start()
        assert watched.retry() and watched.state is None
        assert _payloads(engine) == {"k": {"a": 2}}
        engine.dispose()
    finally:
        cluster.remove()


def test_a_corrupt_file_at_start_names_the_path_and_the_remedy(tmp_path: Path) -> None:
    db = tmp_path / "tuihuo.db"
    db.write_bytes(b"this is not a database " * 200)
    with pytest.raises(DatabaseCorrupt) as caught:
        open_engine(f"sqlite:///{db}")
    message = caught.value.message
    assert str(db) in message and "数据库文件损坏" in message and "备份" in message
    assert "sqlalchemy" not in message.lower() and "file is not a database" not in message


@pytest.mark.parametrize("kind", ["directory", "immutable-dir"])
def test_an_unopenable_file_at_start_names_the_path(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "tuihuo.db"
    if kind == "directory":
        db.mkdir()  # the path is taken by a directory: the file cannot be opened
        with pytest.raises(DatabaseUnreachable) as caught:
            open_engine(f"sqlite:///{db}")
    else:
        with immutable(data), pytest.raises(DatabaseUnreachable) as caught:
            open_engine(f"sqlite:///{db}")  # the directory refuses the new file
    assert f"无法打开数据库文件：{db}" in caught.value.message
    assert "可读写" in caught.value.message


def test_db_upgrade_says_a_corrupt_file_in_chinese_without_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "tuihuo.db"
    db.write_bytes(b"garbage " * 500)
    env = {**os.environ, "TUIHUO_DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 3  # a service unavailable (tuihuo --help: exit codes)
    assert f"数据库文件损坏：{db}" in done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


def test_postgresql_conflicts_pass_through_for_their_retry_and_the_rest_are_named() -> None:
    import psycopg
    from psycopg import errors

    from store.faults import classify

    assert classify(errors.SerializationFailure("could not serialize")) is None
    assert classify(errors.DeadlockDetected("deadlock detected")) is None
    assert classify(errors.UniqueViolation("duplicate key")) is None
    assert isinstance(classify(errors.LockNotAvailable("lock")), DatabaseBusy)
    assert isinstance(classify(errors.DiskFull("no space")), DiskFull)
    assert isinstance(classify(errors.ReadOnlySqlTransaction("read-only")), DatabaseReadOnly)
    assert isinstance(classify(errors.AdminShutdown("terminating")), DatabaseUnreachable)
    refused = psycopg.OperationalError("connection refused")  # no sqlstate: no server reached
    assert isinstance(classify(refused), DatabaseUnreachable)
