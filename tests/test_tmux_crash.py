"""An unexpected error in a real terminal (tmux, 80x24): what the operator is left looking at.

A bug is planted in the running program (a sitecustomize on PYTHONPATH breaks 暂存 in a frame
holding the settings; the store is PostgreSQL through a URL with a password): after Alt+S the
terminal shows the one Chinese line naming the log, no traceback and no password; the log holds
the traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.fixtures_db import PG_PASSWORD as PASSWORD
from tests.tmux import ROOT, Terminal

pytestmark = pytest.mark.tmux

PLANTED_BUG = """
from screens.entry import EntryPane

def broken_save(self):
    settings = self.ctx.settings
    raise RuntimeError("planted bug")

EntryPane.action_save = broken_save
"""


@pytest.fixture
def terminal(tmp_path: Path, pg_url_with_password: str) -> Iterator[Terminal]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PLANTED_BUG, encoding="utf-8")
    path = os.pathsep.join([str(hook), str(ROOT), os.environ.get("PYTHONPATH", "")])
    term = Terminal(
        tmp_path, PYTHONPATH=path.rstrip(os.pathsep), TUIHUO_DATABASE_URL=pg_url_with_password
    )
    yield term
    term.close()


def test_an_unexpected_error_leaves_one_line_and_no_secret(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start(say_exit=True)
    terminal._tmux("set", "-g", "remain-on-exit", "on")  # keep what the program left on screen
    terminal.wait("持卡人：张三")
    terminal.type(SANDBOX_PIN, "Enter")
    terminal.wait("进口报关单号：按回车获取数据")
    terminal.keys("M-s")
    terminal.wait("[tuihuo exited 1]", timeout=20)  # it ended, and said it failed
    screen = terminal._tmux("capture-pane", "-p", "-S", "-100", check=False)  # with scrollback
    log_file = tmp_path / "state" / "tuihuo" / "tuihuo.log"
    flat = "".join(line.strip() for line in screen.splitlines()[:-1])
    assert f"程序意外出错已退出，录入内容已存为草稿，请重新启动。详情见日志：{log_file}" in flat, (
        screen
    )
    assert "Traceback" not in screen and PASSWORD not in screen, screen
    logged = log_file.read_text(encoding="utf-8")
    assert "RuntimeError: planted bug" in logged and PASSWORD not in logged
