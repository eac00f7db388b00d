"""Print (Alt+P) and 随附单据 (Alt+U) in a real terminal (tmux, 80x24), by keys only."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path).start()
    term.wait("持卡人：张三")
    term.type(SANDBOX_PIN, "Enter")
    term.wait("网关：已连接")
    term.wait("进口报关单号：按回车获取数据")
    yield term
    term.close()


def saved_record(t: Terminal) -> str:
    t.keys("Tab")
    t.type("上海市浦东新区张杨路1号", "Enter")
    t.type("赵六", "Enter")
    t.keys("M-s")
    t.wait("暂存成功")
    deadline = time.monotonic() + 20  # the gateway's 统一编号 follows the first 暂存
    while (found := re.search(r"统一编号：(\d{18})", t.screen())) is None:
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.05)
    return found.group(1)


def test_alt_p_then_save_pdf(terminal: Terminal, tmp_path: Path) -> None:
    t = terminal
    unified_no = saved_record(t)
    t.keys("M-p")
    t.wait("打印预览")
    t.keys("F2")
    t.wait("已保存PDF")
    pdfs = list((tmp_path / "data" / "tuihuo" / "exports").glob(f"{unified_no}-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    t.keys("Escape")
    t.wait_gone("打印预览")


def test_alt_u_then_add_a_file(terminal: Terminal, tmp_path: Path) -> None:
    t = terminal
    invoice = tmp_path / "docs" / "invoice.pdf"
    invoice.parent.mkdir()
    invoice.write_bytes(b"%PDF-1.4\n% an invoice\n%%EOF\n")
    saved_record(t)
    t.keys("M-u")
    t.wait("尚未添加随附单据")
    t.keys("F2")
    t.wait("添加随附单据")
    # the path box starts at the working directory: Ctrl+U, then ours, in one burst
    t.keys("C-u")
    t.type(str(invoice.parent / "inv"), "Tab")
    t.wait("invoice.pdf")
    t.keys("Enter")
    t.wait("随附单据类型")
    t.type("02", "Enter")  # 发票
    t.wait("已添加：invoice.pdf")
    t.wait_line("发票", "invoice.pdf")  # the new row of the list: 类型, 文件名
