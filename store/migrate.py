"""Alembic migrations applied programmatically at start (`upgrade`) and by `tuihuo db upgrade`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from store.faults import classify

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for Alembic.

    On SQLite, foreign keys are off meanwhile: a batch migration rebuilds a table by dropping it,
    and with them on the drop deletes every row that references it (ON DELETE CASCADE: goods,
    documents, receipts, the outbox). They are checked before the commit instead; a violation is a
    RuntimeError and nothing is changed.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection if sqlite else None
        _pragma(raw, "PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left rows without their parent: {broken}")
        finally:
            _pragma(raw, "PRAGMA foreign_keys=ON")


def _pragma(raw: Any, statement: str) -> None:
    """`statement` on the driver's SQLite connection (none: PostgreSQL), its fault named."""
    if raw is None:
        return
    try:
        raw.execute(statement)
    except sqlite3.Error as error:
        fault = classify(error)
        if fault is None:
            raise
        raise fault from error


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; a no-op when it is there already."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    config = alembic_config()
    with _migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision` (`tuihuo` itself never does; for tests and repairs)."""
    config = alembic_config()
    with _migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
