"""The operator's day in a real terminal (tmux, 80x24): log in, fill a record by keys, save, submit,
watch customs answer; and a session killed halfway gives back every field that was left.

The app runs as `tuihuo` with nothing configured: the sandbox gateway and card, SQLite.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from store.ids import uscc_check_char
from tests.fixtures_gateway import declarations
from tests.tmux import Terminal, kill

pytestmark = pytest.mark.tmux


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.close()


def log_in(term: Terminal) -> None:
    term.wait("持卡人：张三")
    assert "沙箱模式" in term.screen()
    term.type(SANDBOX_PIN, "Enter")
    term.wait("网关：已连接")
    term.wait("进口报关单号：按回车获取数据")


def test_fill_save_submit_and_follow_by_keys(terminal: Terminal) -> None:
    number = sorted(declarations())[0]
    goods = len(declarations()[number].goods)
    terminal.start()
    log_in(terminal)
    terminal.type(number, "Enter")
    terminal.wait("已获取进口报关单数据")
    # the answer moved the cursor past 收货人所在地 (backfilled) to 收货联系人
    terminal.type("赵六", "Enter")
    terminal.type("13812345678", "Enter")
    terminal.type("20251103", "Enter")  # 退货日期; on past 关区 (backfilled)
    terminal.keys("Space", "Enter")  # 拟处理方式: 内销
    for _ in range(goods):
        terminal.type("12.5", "Enter")  # 是否属于工业品 keeps its default (Y)
    terminal.type("220120240000001234/220120240000001235", "Enter")
    terminal.type("91320500MA1MXXXX0" + uscc_check_char("91320500MA1MXXXX0"), "Enter")
    terminal.type("3205960001", "Enter")
    terminal.type("苏州原生产制造有限公司", "Enter")
    terminal.type("钱七", "Enter")
    terminal.type("0512-66881234", "Enter")
    terminal.type("320505", "Enter")
    terminal.type("2201", "Enter")
    terminal.type("N", "Enter")
    terminal.keys("Space", "Enter")  # 一般贸易
    terminal.keys("Right", "Space", "Enter")  # 贸易原因
    terminal.keys("Right", "Right", "Space", "Enter")  # 客户需求更改
    terminal.type("客户更改需求退回")
    screen = terminal.wait("[x]客户需求更改")
    assert "320505 虎丘区" in screen and "2201 浦江海关" in screen and "N 否" in screen
    terminal.keys("M-s")
    screen = terminal.wait("暂存成功")
    assert "统一编号：" in screen
    terminal.keys("F6")
    terminal.wait("提交成功，状态：已提交")
    terminal.wait("人工审核通过", timeout=30)  # the sandbox's receipts, one a second
    # the locked record is read-only, not unreachable: print, attachments, scroll, 新增
    terminal.keys("F9")
    terminal.wait("打印预览")
    terminal.keys("Escape")
    terminal.wait_gone("打印预览")
    terminal.keys("F7")
    terminal.wait("随附单据只能查看")
    terminal.keys("Escape")
    terminal.wait_gone("随附单据只能查看")
    terminal.keys("PageDown")
    terminal.wait_gone("〔统一编号〕")
    terminal.keys("F3")
    terminal.wait("已清空，请录入新的出口退货信息")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
def test_killed_session_gives_back_every_exited_field(tmp_path: Path, how: int) -> None:
    first = Terminal(tmp_path).start()
    try:
        log_in(first)
        # Tab leaves the field without fetching (the number is none of the sandbox's)
        first.type("220120251000000892", "Tab")
        first.type("上海市浦东新区张杨路1号", "Enter")
        first.type("赵六", "Enter")
        first.type("13812345678", "Enter")
        first.wait_line("联系电话", "13812345678")
        first.type("2025")  # 退货日期, still being typed: may be lost
        first.wait_line("退货日期", "2025")
        kill(first, how)
    finally:
        first.close()
    second = Terminal(tmp_path).start()
    try:
        second.wait("持卡人：张三")
        second.type(SANDBOX_PIN, "Enter")
        second.wait("发现未保存的录入内容")
        second.keys("Enter")
        second.wait_line("收货人所在地", "上海市浦东新区张杨路1号")
        second.wait_line("收货联系人及联系电话", "赵六")
        second.wait_line("联系电话", "13812345678")
        second.wait_line("进口报关单号", "220120251000000892")
    finally:
        second.close()
