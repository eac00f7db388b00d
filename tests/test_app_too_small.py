"""Below 80x24 the app says 终端窗口至少需要80x24 over the whole screen, and lays out again when the
terminal is large enough: by Pilot's resize and in a real terminal (tmux at 60x20, then resized)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from screens.too_small import TooSmall
from tests.app_harness import entry, feed, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tests.tmux import Terminal

NOTICE = "终端窗口至少需要80x24"


def shown_text(app) -> str:  # type: ignore[no-untyped-def]
    notices = app.screen.query(TooSmall)
    return str(notices.first().render()) if notices else ""


async def test_pilot_resize_below_and_back(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot)
        await feed(app, pilot, "0101")
        assert not app.screen.query(TooSmall)
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: NOTICE in shown_text(app))
        assert "60x20" in shown_text(app)
        notice = app.screen.query_one(TooSmall)
        assert notice.region.size == app.size  # over everything, nothing of the cut form
        await pilot.resize_terminal(79, 24)  # one column short is too small as well
        await wait_for(pilot, lambda: "79x24" in shown_text(app))
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not app.screen.query(TooSmall))
        pane = entry(app)
        assert pane.fields["import_decl_no"].raw() == "0101"  # nothing lost
        assert app.focused is pane.fields["import_decl_no"]  # the cursor where it was
        assert pane.region.width > 0 and pane.region.right <= 80


async def test_a_start_in_a_small_terminal_says_it_at_once(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: NOTICE in shown_text(app))
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: not app.screen.query(TooSmall))
        await wait_for(pilot, lambda: app.screen.query("#pin"))


@pytest.mark.tmux
def test_tmux_down_to_60x20_and_back(tmp_path: Path) -> None:
    term = Terminal(tmp_path).start()
    try:
        term.wait("持卡人：张三")
        term.type(SANDBOX_PIN, "Enter")
        term.wait("进口报关单号：按回车获取数据")
        term.type("0101")
        term.wait_line("进口报关单号", "0101")
        term.resize(60, 20)
        screen = term.wait(NOTICE)
        assert "进口报关单号" not in screen  # the cut form is not drawn
        term.resize(80, 24)
        term.wait_gone(NOTICE)
        term.wait_line("进口报关单号", "0101")
        term.type("23")  # the cursor is where it was
        term.wait_line("进口报关单号", "010123")
    finally:
        term.close()
