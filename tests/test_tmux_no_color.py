"""NO_COLOR=1 in a real terminal (tmux, 16 and 256 colours): no colour at all, so nothing is black
on black, and the emphasis is in the attributes: the field with the cursor in reverse, the active
tab and the menu's selected row in bold, buttons bold (a disabled one struck through)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux

SGR = re.compile(r"\x1b\[([0-9;]*)m")
# foreground/background colours: 30-37, 39 excepted (default), 40-47, 49 excepted, 90-107, 38;…/48;…
COLOUR = re.compile(r"^(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)$")


def colours(screen: str) -> list[str]:
    found = []
    for params in SGR.findall(screen):
        parts = params.split(";")
        found += [p for p in parts if COLOUR.match(p)]
    return found


def attributes_of(line: str, text: str) -> set[str]:
    """The SGR attributes in force where `text` starts on `line`."""
    before = line[: line.index(text)]
    current: set[str] = set()
    for params in SGR.findall(before):
        for part in params.split(";") or ["0"]:
            if part in ("", "0"):
                current = set()
            elif part in ("1", "2", "4", "7", "9"):
                current.add(part)
    return current


def line_with(screen: str, text: str) -> str:
    return next(line for line in screen.splitlines() if text in line)


@pytest.mark.parametrize("term", ["xterm", "xterm-256color"])
def test_no_color_keeps_everything_readable_by_attributes(tmp_path: Path, term: str) -> None:
    terminal = Terminal(tmp_path, NO_COLOR="1", TERM=term).start()
    try:
        terminal.wait("持卡人：张三")
        login = terminal.screen_sgr()
        assert colours(login) == []  # default foreground and background: never black on black
        assert "7" in attributes_of(line_with(login, "卡口令"), "输入后回车")  # the PIN field
        terminal.type(SANDBOX_PIN, "Enter")
        terminal.wait("进口报关单号：按回车获取数据")
        form = terminal.screen_sgr()
        assert colours(form) == []
        field = line_with(form, "进口报关单号")
        assert "7" in attributes_of(field, "按回车获取数据")  # the field with the cursor
        other = line_with(form, "收货人所在地")
        assert "7" not in attributes_of(other, "返填进口报关单注册地")  # the others are not
        toolbar = line_with(form, "新增F3")
        assert "1" in attributes_of(toolbar, "新增F3")  # buttons stand out
        menu = form.splitlines()[1]
        assert "1" in attributes_of(menu, "录入")  # the menu's selected row
        assert "1" not in attributes_of(form.splitlines()[2], "查询")
        terminal.type("0101")
        terminal.wait_line("进口报关单号", "0101")  # typed text shows
    finally:
        terminal.close()
