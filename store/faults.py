"""Database faults named where they enter: the engine's error hook turns the driver's errors into
`store.errors.DatabaseFault` subclasses, each with its Chinese state.

- SQLite BUSY / LOCKED, PostgreSQL 55P03 lock_not_available, 53300 too_many_connections:
  `DatabaseBusy`, 数据库忙
- SQLite FULL, PostgreSQL 53100 disk_full: `DiskFull`, 磁盘已满
- SQLite READONLY, PostgreSQL 25006 read_only_sql_transaction: `DatabaseReadOnly`, 数据库只读
- SQLite CANTOPEN / PERM / IOERR, PostgreSQL class 08 and 57P0x, a refused connection:
  `DatabaseUnreachable`, 无法连接数据库
- SQLite NOTADB / CORRUPT: `DatabaseCorrupt`, 数据库文件损坏

Anything else (an IntegrityError, a programming error) passes through unchanged. A read-only,
unopenable or unreachable database also invalidates the pool, so the next try opens the file or the
server afresh (a connection opened read-only stays read-only after the file is writable again).
Every fault is also reported to the engine's `Health` (`store.pending`), which the status line shows.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, ExceptionContext

from store.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseFault,
    DatabaseReadOnly,
    DatabaseUnreachable,
    DiskFull,
)

_SQLITE: dict[str, type[DatabaseFault]] = {
    "SQLITE_BUSY": DatabaseBusy,
    "SQLITE_LOCKED": DatabaseBusy,
    "SQLITE_FULL": DiskFull,
    "SQLITE_READONLY": DatabaseReadOnly,
    "SQLITE_CANTOPEN": DatabaseUnreachable,
    "SQLITE_PERM": DatabaseUnreachable,
    "SQLITE_IOERR": DatabaseUnreachable,
    "SQLITE_NOTADB": DatabaseCorrupt,
    "SQLITE_CORRUPT": DatabaseCorrupt,
}
_PG_STATES: dict[str, type[DatabaseFault]] = {
    "55P03": DatabaseBusy,
    "53300": DatabaseBusy,
    "53100": DiskFull,
    "25006": DatabaseReadOnly,
    "57P01": DatabaseUnreachable,  # admin_shutdown: the server is stopping
    "57P02": DatabaseUnreachable,
    "57P03": DatabaseUnreachable,  # cannot_connect_now: starting or shutting down
}
# reopening is the only way out of these (a connection opened read-only stays read-only)
RECONNECT = (DatabaseReadOnly, DatabaseUnreachable)


def classify(error: BaseException) -> DatabaseFault | None:
    """The named fault for a DB-API error (`sqlite3.Error`, `psycopg.Error`), or None."""
    detail = f"{type(error).__name__}: {error}".strip()
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        base = name.split("_")[:2]
        kind = _SQLITE.get("_".join(base))
        if kind is None and "disk is full" in str(error):
            kind = DiskFull
        return kind(detail) if kind else None
    try:
        import psycopg
    except ImportError:  # the PostgreSQL extra is not installed: no psycopg error can arise
        return None
    if not isinstance(error, psycopg.Error):
        return None
    state = error.sqlstate or ""
    kind = _PG_STATES.get(state)
    # no sqlstate on an OperationalError: the client never reached a server. A deadlock or a
    # serialization failure (40P01, 40001: OperationalError subclasses too) passes unchanged,
    # for `store.conflicts` to run the transaction again.
    if kind is None and (state.startswith("08") or not state):
        kind = DatabaseUnreachable if isinstance(error, psycopg.OperationalError) else None
    return kind(detail) if kind else None


def _on_error(context: ExceptionContext) -> DatabaseFault | None:
    if context.is_pre_ping or context.engine is None:
        return None  # the pool's ping: it reconnects by itself, the checkout then says
    fault = classify(context.original_exception)
    if fault is None:
        return None
    if isinstance(fault, RECONNECT):
        context.is_disconnect = True
    from store.pending import health

    health(context.engine).failed(fault)
    return fault


def guard(engine: Engine) -> Engine:
    """Install the hook on `engine` (once); every later call raises named faults."""
    if not event.contains(engine, "handle_error", _on_error):
        event.listen(engine, "handle_error", _on_error)
    return engine


def where(url: URL) -> str:
    """The database as the operator can find it: a file path, or host:port/name (no password)."""
    if url.get_backend_name() == "sqlite":
        return str(Path(url.database or "").resolve()) if url.database else "(内存数据库)"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def startup_fault(error: BaseException, url: URL) -> DatabaseFault | None:
    """What the operator reads when the database cannot be opened at start: the place and the
    remedy; None for an error that is not a database fault."""
    fault = error if isinstance(error, DatabaseFault) else None
    if fault is None and isinstance(error, OSError):  # the data dir cannot be made
        fault = DatabaseUnreachable(f"{type(error).__name__}: {error}")
        if error.errno == errno.ENOSPC:
            fault = DiskFull(fault.detail)
    if fault is None:
        fault = classify(getattr(error, "orig", None) or error)
    if fault is None:
        return None
    place = where(url)
    sqlite = url.get_backend_name() == "sqlite"
    if isinstance(fault, DatabaseCorrupt):
        text = (
            f"数据库文件损坏：{place} 不是有效的 tuihuo 数据库。请从备份恢复该文件；"
            "或将其改名移走后重新启动，程序将新建空数据库（原文件请保留以便恢复）"
        )
    elif isinstance(fault, DatabaseUnreachable) and sqlite:
        text = (
            f"无法打开数据库文件：{place}。请检查该文件及其所在目录存在且当前用户可读写，"
            "或在设置中用 database_url / data_dir 指定其他位置"
        )
    elif isinstance(fault, DatabaseUnreachable):
        text = f"无法连接数据库 {place}：请确认数据库服务已启动、网络可达，或检查设置 database_url"
    else:
        text = f"{fault.message}（{place}）"
    return type(fault)(fault.detail, message=text)
