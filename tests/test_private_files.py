"""What holds records, tokens or exports is its owner's alone: files 0600, the data dir 0700.

Checked on the real files the app makes: the SQLite store and its WAL, the sandbox gateway's state
(it holds session tokens) as the app starts it, CSV and XLSX exports, a saved print text. A umask
of 022 (the usual one, which made them world-readable) is set for each test.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from declarant.export import export_rows
from declarant.runtime import build_runtime
from store.engine import open_engine
from tests.test_export import row
from tui.settings import Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_sqlite_store_and_its_journal_are_private(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'new' / 'tuihuo.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (x)"))
        wal = tmp_path / "new" / "tuihuo.db-wal"
        assert wal.exists() and mode(wal) == 0o600
    engine.dispose()
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "tuihuo.db") == 0o600


def test_an_existing_world_readable_store_is_made_private(tmp_path: Path) -> None:
    db = tmp_path / "tuihuo.db"
    open_engine(f"sqlite:///{db}").dispose()
    db.chmod(0o644)
    open_engine(f"sqlite:///{db}").dispose()
    assert mode(db) == 0o600


def test_the_apps_data_dir_store_and_sandbox_state_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    runtime = build_runtime(Settings(data_dir=data))  # type: ignore[call-arg]
    try:
        assert mode(data) == 0o700
        assert mode(data / "tuihuo.db") == 0o600
        state = data / "sandbox-gateway.sqlite3"
        assert mode(state) == 0o600
        for journal in (state.with_name(state.name + "-wal"), state.with_name(state.name + "-shm")):
            if journal.exists():
                assert mode(journal) == 0o600
    finally:
        runtime.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_are_private(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / "exports" / f"out{suffix}"
    assert export_rows([row(1), row(2)], ["统一编号", "状态"], path) == 2
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700  # the folder made for them too


async def test_a_saved_print_out_pdf_and_text_are_private(tmp_path: Path) -> None:
    from tests.test_print_preview import STEM, Host, record_with, settle

    out = tmp_path / "exports"
    async with Host(record_with(goods=1), out, None).run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()
    assert mode(out / f"{STEM}.pdf") == 0o600
    assert mode(out / f"{STEM}.txt") == 0o600
    assert mode(out) == 0o700
