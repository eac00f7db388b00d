"""Engine factory: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL by URL.

Nothing here runs at import time. `open_engine` creates the engine and brings the schema to the
newest Alembic revision, so every process that opens the store sees the same schema. Every engine
raises named faults (`store.faults`); a database that cannot be opened at start raises one whose
message names the file or server and what to do.

A SQLite connection waits SQLITE_BUSY_TIMEOUT_MS for another writer's lock, except where a thread
set `thread_busy_timeout(engine, UI_BUSY_TIMEOUT_MS)` (the UI's event loop on the app's engine):
there a held lock is 数据库忙 after UI_BUSY_TIMEOUT_MS, so a field exit or 暂存 never freezes the
screen and the draft becomes an owed write (`store.pending`), written by the retry thread, which
waits the long timeout. The short wait belongs to that engine and thread only: another engine
opened in the same thread (a script, the next test, a command) keeps the long wait, even when the
app that set it never got to undo it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from store.errors import DatabaseFault
from store.faults import guard, startup_fault
from store.params.local import install as install_site_params
from store.private import private_file
from store.space import WAL_LIMIT_BYTES, enable_reclaim

SQLITE_BUSY_TIMEOUT_MS = 10_000
# the UI thread's wait: a few frames, longer than this process's own short write transactions
UI_BUSY_TIMEOUT_MS = 200

# engine -> {thread ident: busy timeout in ms} for the threads that do not wait the default
_patience: weakref.WeakKeyDictionary[Engine, dict[int, int]] = weakref.WeakKeyDictionary()
_patience_lock = threading.Lock()


def thread_busy_timeout(engine: Engine, ms: int | None) -> int | None:
    """From now on this thread's calls on `engine` wait `ms` milliseconds (None:
    SQLITE_BUSY_TIMEOUT_MS) for a held SQLite lock before they fail with 数据库忙. Returns the
    previous setting, to restore. Other engines and other threads are not affected; neither is
    PostgreSQL."""
    thread = threading.get_ident()
    with _patience_lock:
        waits = _patience.setdefault(engine, {})
        previous = waits.pop(thread, None)
        if ms is not None:
            waits[thread] = ms
    return previous


def _thread_wait(engine: Engine) -> int:
    waits = _patience.get(engine)
    if not waits:
        return SQLITE_BUSY_TIMEOUT_MS
    return waits.get(threading.get_ident(), SQLITE_BUSY_TIMEOUT_MS)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'tuihuo.db'}"


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`, configured for this store; no schema changes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # created by us: 0600 (its -wal and -shm follow), in a 0700 directory when we make it
            database = Path(parsed.database)
            try:
                private_file(database)
            except PermissionError:
                if not database.is_file():
                    raise
                # a read-only file (chattr +i, a read-only mount): SQLite opens it read-only and
                # the first write says 数据库只读 (store/faults.py), instead of no start at all
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "checkout", _checkout_listener(engine))
        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so a write
        # transaction takes its lock at once (BEGIN IMMEDIATE) and never deadlocks on upgrade.
        event.listen(engine, "begin", _sqlite_on_begin)
        return guard(engine)
    return guard(create_engine(url, echo=echo, pool_pre_ping=True))


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # only on a new file, before its first table (store/space.py): on a file with tables the
    # PRAGMA rewrites the header, which waits for every writer of the database
    if cursor.execute("PRAGMA page_count").fetchone()[0] == 0:
        cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across a process kill in WAL mode
    cursor.close()


def _checkout_listener(engine: Engine) -> Callable[[Any, Any, Any], None]:
    # a weak reference: the listener lives on the engine's pool and must not keep it alive
    owner = weakref.ref(engine)

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        # the pool hands one connection to any thread: set the wait of the thread taking it
        current = owner()
        wait = SQLITE_BUSY_TIMEOUT_MS if current is None else _thread_wait(current)
        if record.info.get("busy_timeout_ms") != wait:
            dbapi_connection.execute(f"PRAGMA busy_timeout={int(wait)}")
            record.info["busy_timeout_ms"] = wait

    return on_checkout


def _sqlite_on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(url: str, *, migrate: bool = True) -> Engine:
    """Create the engine, reach the database and apply migrations up to head (`migrate`); a
    SQLite file made before the store reclaimed space is switched to it once (store/space.py).
    The site's own parameter rows (store/params/local.py) are then laid over the shipped tables
    of this process, when the schema has them.

    Raises a `DatabaseFault` whose message names the place and the remedy when the database
    cannot be opened (a damaged or unreadable file, a directory that cannot be made, a server away).
    """
    from store.migrate import current_revision, head_revision, upgrade

    engine = None
    try:
        engine = create_store_engine(url)
        if migrate:
            upgrade(engine)
            enable_reclaim(engine)
            install_site_params(engine)
        elif current_revision(engine) == head_revision():  # reached now: a fault at start
            install_site_params(engine)
    except (DatabaseFault, OSError) as error:
        if engine is not None:
            engine.dispose()
        fault = startup_fault(error, make_url(url))
        if fault is None:
            raise
        raise fault from error
    return engine
