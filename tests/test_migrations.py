"""Migrations: applied at start, idempotent, and the schema they build is the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from store.engine import open_engine
from store.migrate import current_revision, head_revision


def test_start_migrates_to_head_and_again_is_a_no_op(engine: Engine, db_url: str) -> None:
    assert current_revision(engine) == head_revision()
    open_engine(db_url).dispose()
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {
        "return_record",
        "goods_row",
        "receipt",
        "blob",
        "attachment",
        "audit_entry",
        "draft",
        "draft_no_counter",
        "stray_receipt",
    } <= tables


def test_migrated_schema_equals_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = open_engine(f"sqlite:///{tmp_path / 'x' / 'tuihuo.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_the_ui_wait_of_one_engine_leaves_other_engines_waiting_long(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The app shortens its own engine's wait in the event-loop thread; an engine opened later in
    that thread (a script, a command, the next test) waits the full timeout, even when the app
    never undid its setting (CI saw 200 ms leak into the next engine of the thread)."""
    from store.engine import SQLITE_BUSY_TIMEOUT_MS, UI_BUSY_TIMEOUT_MS, thread_busy_timeout

    app_engine = open_engine(f"sqlite:///{tmp_path / 'app' / 'tuihuo.db'}")
    thread_busy_timeout(app_engine, UI_BUSY_TIMEOUT_MS)  # never undone, as after a crashed app
    with app_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == UI_BUSY_TIMEOUT_MS
    other = open_engine(f"sqlite:///{tmp_path / 'other' / 'tuihuo.db'}")
    with other.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    assert thread_busy_timeout(app_engine, None) == UI_BUSY_TIMEOUT_MS
    with app_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    app_engine.dispose()
    other.dispose()
