"""A locked database in a real terminal (tmux, 80x24): another process holds SQLite's write lock
while the operator leaves a field; the status line says 【数据库忙】, the typed number stays on screen,
and once the lock is released Ctrl+R writes the draft (the app waits its full 10 s busy timeout).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.db_faults import held_lock
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux

NUMBER = "220120251000000892"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_a_held_lock_is_said_the_number_stays_and_ctrl_r_writes_the_draft(
    terminal: Terminal, tmp_path: Path
) -> None:
    db = tmp_path / "data" / "tuihuo" / "tuihuo.db"
    terminal.start()
    terminal.wait("持卡人：张三")
    terminal.type(SANDBOX_PIN, "Enter")
    terminal.wait("网关：已连接")
    terminal.wait("进口报关单号：按回车获取数据")
    with held_lock(db):
        terminal.type(NUMBER, "Tab")  # Tab: the next field, no fetch; the field exit writes
        screen = terminal.wait("【数据库忙】", timeout=40)
        terminal.wait("草稿保存失败：数据库忙", timeout=10)
        assert NUMBER in terminal.screen()
        assert "Traceback" not in screen
    terminal.keys("C-r")
    terminal.wait_gone("【数据库忙】", timeout=30)
    assert NUMBER in terminal.screen()
    reader = sqlite3.connect(db)
    payloads = [json.loads(p) for (p,) in reader.execute("SELECT payload FROM draft")]
    reader.close()
    assert [p.get("import_decl_no") for p in payloads] == [NUMBER]
