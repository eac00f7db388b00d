"""Keys and typed text in one write, in a real terminal (tmux at 80x24, the app as `tuihuo`).

`Terminal.keys("-H", …)` writes the bytes of a whole burst at once, as one SSH packet brings them:
text and the action after it, Alt+S followed at once by Down, Ctrl+E and the next field's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux


def burst(term: Terminal, data: str) -> None:
    """`data` (text and escape sequences) written to the terminal in one go."""
    term.keys("-H", *(f"{b:02x}" for b in data.encode()))


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path).start()
    term.wait("持卡人：张三")
    term.type(SANDBOX_PIN, "Enter")
    term.wait("进口报关单号：按回车获取数据")
    yield term
    term.close()


def to_contact(term: Terminal) -> None:
    """From 进口报关单号 to 收货联系人 (Tab: no fetch; Enter past 收货人所在地)."""
    term.keys("Tab", "Enter")
    term.wait("收货联系人及联系电话：")


def test_digits_and_f2_in_one_write_are_saved_and_stay(terminal: Terminal) -> None:
    to_contact(terminal)
    terminal.keys("Enter")
    burst(terminal, "13700137000" + "\x1bOQ")  # the phone and F2
    screen = terminal.wait("暂存成功")
    assert "统一编号：" in screen
    terminal.wait_line("联系电话", "13700137000")


def test_alt_s_then_down_in_one_write_saves_and_types_nothing(terminal: Terminal) -> None:
    to_contact(terminal)
    burst(terminal, "赵六" + "\x1bs" + "\x1b[B")
    terminal.wait("暂存成功")
    screen = terminal.wait_line("收货联系人", "赵六")
    assert "^s" not in screen and "赵六s" not in screen


def test_ctrl_e_in_a_field_opens_a_form_and_the_text_after_lands_there(
    terminal: Terminal,
) -> None:
    to_contact(terminal)
    burst(terminal, "赵六" + "\x05" + "0101")
    screen = terminal.wait_line("进口报关单号", "0101")
    assert "赵六" not in screen  # the new form is shown, the first keeps its text
    burst(terminal, "\x1b[15;2~")  # Shift+F5: back to the first form, cursor where it was
    terminal.wait_line("收货联系人", "赵六")
    burst(terminal, "七")
    terminal.wait_line("收货联系人", "赵六七")


def test_a_refusal_names_its_field_and_f12_goes_back(terminal: Terminal) -> None:
    to_contact(terminal)
    terminal.keys("Enter")
    burst(terminal, "12\r")
    terminal.wait("F12回到出错项")
    burst(terminal, "\x1b[24~" + "\x15" + "13812345678\r")
    terminal.wait_gone("F12回到出错项")
    terminal.wait_line("联系电话", "13812345678")
