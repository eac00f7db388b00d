"""出口退货信息查询 in a real terminal (tmux, 80x24): query by status, page, receipts and their
refresh after the sandbox answered, tick and delete with a locked record refused, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.seed import seed
from tests.tmux import Terminal

pytestmark = pytest.mark.tmux


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    db = tmp_path / "data" / "tuihuo" / "tuihuo.db"
    db.parent.mkdir(parents=True)
    seed(db, drafts=23, received=2)
    term = Terminal(tmp_path).start()
    term.wait("持卡人：张三")
    term.type(SANDBOX_PIN, "Enter")
    term.wait("网关：已连接")
    term.keys("C-f")
    term.wait("最近操作时间")
    yield term
    term.close()


def test_query_page_receipts_delete_export(terminal: Terminal, tmp_path: Path) -> None:
    t = terminal
    t.keys(*["Tab"] * 6)  # past 统一编号, 收货人, 原生产企业 and the two dates
    t.type("3", "Enter")  # 状态 3 海关接收成功
    t.wait("共 2 条  第 1/1 页")
    t.keys("F3", "F5")  # 重置, 查询: today's records
    t.wait("共 25 条  第 1/2 页")
    t.keys("PageDown")
    t.wait("共 25 条  第 2/2 页")
    t.keys("C-Home")
    t.wait("共 25 条  第 1/2 页")
    # the newest two (暂存) and, on page 2, the oldest, a locked one (海关接收成功)
    t.keys("Space", "Space", "PageDown")
    t.wait("共 25 条  第 2/2 页")
    t.keys("Down", "Down", "Down", "Down", "Space", "F8")
    t.wait("是否确认删除选中数据？共 3 条。")
    t.keys("y")
    screen = t.wait("已删除2条")
    assert "不允许删除" in screen
    t.wait("共 23 条")
    t.keys("F6")
    t.wait("导出")
    t.keys("2")  # XLSX
    screen = t.wait("已导出23条到")
    exports = list((tmp_path / "data" / "tuihuo" / "exports").glob("*.xlsx"))
    assert len(exports) == 1


def test_receipts_refresh_after_the_sandbox_answered(terminal: Terminal) -> None:
    t = terminal
    t.keys("F5")
    t.wait("共 25 条")
    t.keys("Enter")  # the newest record, 暂存, opens in its own entry tab
    t.wait("新增F3")
    t.keys("F6")  # 提交
    t.wait("提交成功，状态：已提交")
    t.keys("C-f")  # back to the query tab
    t.wait("最近操作时间")
    t.keys("F5")
    t.wait("共 25 条")
    t.keys("F9")
    t.wait("的回执信息")
    t.wait("海关接收成功", timeout=30)  # the worker's refresh, or F5 刷新 below
    t.keys("F5")
    t.wait("电子审核成功", timeout=30)
    t.keys("Escape")
    t.wait_gone("的回执信息")
