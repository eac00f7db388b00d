"""Typing ahead after the PIN in a real terminal (tmux, 80x24): PIN, Enter, the first declaration
number and its Enter in one write, as one SSH packet brings them.

The app runs as `tuihuo` with nothing configured: the sandbox gateway and card, SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux

NUMBER = "010120251000000856"  # a declaration the sandbox gateway knows


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_the_number_typed_with_the_pin_is_fetched_and_no_try_is_lost(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start()
    terminal.wait("持卡人：张三")
    terminal.type(SANDBOX_PIN + "\r" + NUMBER + "\r")  # one write: one read for the app
    screen = terminal.wait("已获取进口报关单数据")
    assert NUMBER in screen and "口令错误" not in screen, screen
    log_file = tmp_path / "state" / "tuihuo" / "tuihuo.log"
    logged = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    assert "WrongPin" not in logged, logged
