"""Text in a real terminal (tmux, 80x24): a paste as tmux sends it (bracketed, lines ended by CR),
and a stored value with ESC sequences that must not retitle or clear the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.fixtures_gateway import declarations
from tests.test_app_text import SHOWN, poisoned_record
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.close()


def log_in(term: Terminal) -> None:
    term.wait("持卡人：张三")
    term.type(SANDBOX_PIN, "Enter")
    term.wait("网关：已连接")
    term.wait("进口报关单号：按回车获取数据")


def paste(term: Terminal, text: str) -> None:
    """What a terminal does with the clipboard: tmux pastes bracketed (-p) when the app asked."""
    term._tmux("set-buffer", "-b", "clip", text)
    term._tmux("paste-buffer", "-p", "-d", "-b", "clip")


def test_pastes_keep_every_line_or_say_what_they_left(terminal: Terminal) -> None:
    number = sorted(declarations())[0]
    goods = len(declarations()[number].goods)
    terminal.start()
    log_in(terminal)
    paste(terminal, f"{number}\n220120251000000899\n")  # a column of two into a single field
    terminal.wait("已粘贴第一行，未粘贴：220120251000000899")
    terminal.wait_line("进口报关单号", number)
    terminal.keys("Enter")
    terminal.wait("已获取进口报关单数据")
    # the answer moved the cursor past 收货人所在地 (backfilled) to 收货联系人
    terminal.type("赵六", "Enter")
    terminal.type("13812345678", "Enter")
    terminal.keys("Enter")  # 退货日期, empty; on past 关区 (backfilled)
    terminal.keys("Space", "Enter")  # 拟处理方式: 内销
    for _ in range(goods):
        terminal.keys("Enter")  # weight left empty; 是否属于工业品 keeps its default
    terminal.wait("原出口报关单号：多个报关单号用")
    paste(terminal, "220120240000001234\r\n220120240000001235\r\n")  # a spreadsheet column
    terminal.wait("220120240000001234/220120240000001235")


def test_a_stored_escape_sequence_leaves_the_terminal_alone(
    terminal: Terminal, tmp_path: Path
) -> None:
    db = tmp_path / "data" / "tuihuo" / "tuihuo.db"
    db.parent.mkdir(parents=True)
    unified_no = poisoned_record(db)
    terminal.start()
    log_in(terminal)
    terminal.keys("C-f")
    terminal.wait("最近操作时间")
    terminal.keys("F5")
    terminal.wait(unified_no)
    terminal.keys("Enter")
    terminal.wait("〔采集机构〕")
    terminal.wait("暂存")
    assert "pwned" not in terminal._tmux("display", "-p", "#{pane_title}")  # no OSC title
    screen = terminal.wait(SHOWN)  # 采集机构, grey, at the top of the form, shown inert
    assert "网关：已连接" in screen  # nothing cleared the screen


def test_a_paste_holding_an_esc_is_text_in_the_field_and_runs_no_key(terminal: Terminal) -> None:
    # Textual 8.2.8 ended the paste at the ESC: "r" ran Alt+R (删除) ahead of the "2", the title
    # sequence was typed as "]0;PWNED[2JY" ahead of the "X" (tui/keyparser.py)
    terminal.start()
    log_in(terminal)
    paste(terminal, "2\x1br")
    terminal.wait_line("进口报关单号", "2␛r")
    paste(terminal, "X\x1b]0;PWNED\x07\x1b[2JY")
    screen = terminal.wait_line("进口报关单号", "2␛rX␛]0;PWNED␇␛[2JY")
    assert "确定删除" not in screen and "无需删除" not in screen  # Alt+R (删除) never ran
    assert "PWNED" not in terminal._tmux("display", "-p", "#{pane_title}")
    terminal.keys("Enter")
    terminal.wait("第2位“␛”不是数字")  # refused, the ESC named by its inert mark
