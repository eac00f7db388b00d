"""Disk space given back on SQLite after documents are deleted.

A 4 MB document is 4 MB of database pages and, while it is written, 4 MB of write-ahead log. By
default SQLite keeps freed pages in the file for reuse and never shrinks the WAL, so a file that once
held 200 MB of documents stays that large after they are gone. The store therefore runs:

- `auto_vacuum=INCREMENTAL`, which takes effect only when set before the first table: a new file
  gets it from `store.engine`; an older file gets it by one VACUUM at start (`enable_reclaim`);
- `journal_size_limit` (in `store.engine`): the WAL is cut back to that size after a checkpoint;
- `reclaim` after a delete that freed documents: `PRAGMA incremental_vacuum` returns the free pages
  to the file system, `wal_checkpoint(TRUNCATE)` empties the WAL.

Each is best effort: another process holding the database only postpones it to the next delete (or
start). PostgreSQL reclaims by its own autovacuum; these are no-ops there.
"""

from __future__ import annotations

import logging
import sqlite3

from sqlalchemy import Engine

log = logging.getLogger(__name__)

AUTO_VACUUM_INCREMENTAL = 2  # the value PRAGMA auto_vacuum reads back
WAL_LIMIT_BYTES = 8 * 1024 * 1024  # what the WAL is cut back to after a checkpoint


def _run(engine: Engine, script: str) -> None:
    """`script` on a pooled connection outside any transaction (VACUUM and a TRUNCATE checkpoint
    refuse to run inside one). `executescript` steps each statement to its end: through
    `execute` (even with fetchall) one `incremental_vacuum` freed a single page."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.executescript(script)  # type: ignore[union-attr]
    finally:
        raw.close()


def _auto_vacuum(engine: Engine) -> int:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        [(mode,)] = cursor.execute("PRAGMA auto_vacuum").fetchall()
        cursor.close()
        return int(mode)
    finally:
        raw.close()


def reclaim(engine: Engine) -> bool:
    """Free pages back to the file system and the WAL emptied; False when the database was busy."""
    if engine.dialect.name != "sqlite":
        return True
    try:
        _run(engine, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);")
    except sqlite3.Error as error:  # locked by another process past the busy timeout: next time
        log.warning("space not reclaimed yet: %s", error)
        return False
    return True


def enable_reclaim(engine: Engine) -> bool:
    """Switch a file made without auto_vacuum to INCREMENTAL: one VACUUM, which rewrites the file
    (seconds for hundreds of MB) and gives back what it had freed. True when it ran."""
    if engine.dialect.name != "sqlite":
        return False
    try:
        if _auto_vacuum(engine) == AUTO_VACUUM_INCREMENTAL:
            return False
        _run(engine, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
    except sqlite3.Error as error:  # another process has it open for writing: at the next start
        log.warning("auto_vacuum not enabled yet: %s", error)
        return False
    return True


__all__ = ["WAL_LIMIT_BYTES", "enable_reclaim", "reclaim"]
