"""PuTTY's and the Linux console's function keys in a real terminal (tmux at 80x24, the app as
`tuihuo`): the bytes those terminals send, written as one burst each (`send-keys -H`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.test_tmux_keys import burst
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux

TAB_ROW = 1  # the line under the status line: the tab titles


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path).start()
    term.wait("持卡人：张三")
    term.type(SANDBOX_PIN, "Enter")
    term.wait("进口报关单号：按回车获取数据")
    yield term
    term.close()


def tabs(term: Terminal) -> int:
    """The entry tabs' titles right of the (folded) menu, which says 录入 too."""
    return term.screen().splitlines()[TAB_ROW].partition("▕")[2].count("录入")


def wait_tabs(term: Terminal, count: int) -> None:
    for _ in range(400):
        if tabs(term) == count:
            return
        term.wait("")  # one more look at the screen
    raise AssertionError(f"not {count} tabs:\n{term.screen()}")


@pytest.mark.parametrize(
    ("name", "prev", "next_", "close", "others"),
    [
        ("putty", "\x1b[28~", "\x1b[29~", "\x1b[32~", "\x1b[33~"),
        ("ctrl", "\x10", "\x14", "\x0c", "\x17"),
    ],
)
def test_tab_keys_of_putty_and_the_linux_console(
    terminal: Terminal, name: str, prev: str, next_: str, close: str, others: str
) -> None:
    burst(terminal, "111")
    terminal.wait_line("进口报关单号", "111")
    burst(terminal, "\x05")  # a second form, the first keeps 111
    terminal.wait_gone("111")
    burst(terminal, "\x05")  # a third, told apart by 333
    wait_tabs(terminal, 3)
    burst(terminal, "333")
    terminal.wait_line("进口报关单号", "333")
    burst(terminal, prev)  # Shift+F5: the second form
    terminal.wait_gone("333")
    burst(terminal, prev)  # and the first
    terminal.wait_line("进口报关单号", "111")
    burst(terminal, next_)  # Shift+F6: the second, nothing typed by the keys
    screen = terminal.wait_gone("111")
    assert "333" not in screen and "\x1c" not in screen and "!" not in screen
    burst(terminal, close)  # Shift+F8
    wait_tabs(terminal, 2)
    burst(terminal, others)  # Shift+F9
    wait_tabs(terminal, 1)


def test_shift_f10_of_putty_closes_every_tab(terminal: Terminal) -> None:
    burst(terminal, "\x05")
    wait_tabs(terminal, 2)
    burst(terminal, "\x1b[34~")
    wait_tabs(terminal, 0)


@pytest.mark.parametrize("f1", ["\x1b[11~", "\x1b[[A"], ids=["putty", "linux"])
def test_f1_of_putty_and_the_linux_console_lists_the_keys(terminal: Terminal, f1: str) -> None:
    burst(terminal, f1)
    terminal.wait("快捷键（Esc 关闭）")
    terminal.wait_line("上一页签", "Shift+F5/Ctrl+P")
