"""The query pane's keys as a terminal sends them: raw bytes through Textual's own parser, in one
burst (one SSH packet), because Pilot's `press` skips what real terminals do (terminal.md)."""

from __future__ import annotations

from sqlalchemy import Engine
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.widgets import Input, Static

from screens.confirm import ConfirmScreen
from tests.test_query_support import (
    Host,
    db_fixture,  # noqa: F401  (the `db` fixture)
    fixed_today_fixture,  # noqa: F401  (autouse: the operator's today is fixed)
    unified,
)

F5 = "\x1b[15~"
PAGE_DOWN = "\x1b[6~"


async def burst(app: App[None], pilot, data: str) -> None:  # type: ignore[no-untyped-def]
    parser = XTermParser()
    assert app._driver is not None
    # feed("") flushes a trailing lone ESC sequence, as the driver's escape timeout would
    for message in [*parser.feed(data), *parser.feed("")]:
        app._driver.send_message(message)
    for _ in range(3):
        await pilot.pause()


def pager(app: Host) -> str:
    return str(app.pane.query_one("#pager", Static).render())


async def test_typed_status_then_f5_in_one_burst_runs_the_query(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.pane.query_one("#status", Input).focus()
        await pilot.pause()
        # 7, then F5 from inside the filter, then PageDown (nothing after one page): one packet
        await burst(app, pilot, "7" + F5 + PAGE_DOWN)
        assert app.pane.query_one("#status", Input).value == "7"
        assert pager(app).startswith("共 3 条  第 1/1 页")
        assert app.focused is app.pane.grid


async def test_space_on_status_opens_the_list_and_a_digit_chooses(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.pane.query_one("#status", Input).focus()
        await pilot.pause()
        await burst(app, pilot, " ")
        assert app.screen.query("OptionList")
        await burst(app, pilot, "2")  # the digit chooses at once
        await burst(app, pilot, "\r")  # Enter back in the filter runs the query
        assert app.pane.query_one("#status", Input).value == "2"
        assert pager(app).startswith("共 3 条")


async def test_a_burst_with_enter_in_the_popup_answers_once(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.pane.query_one("#status", Input).focus()
        await pilot.pause()
        await burst(app, pilot, " ")
        await burst(app, pilot, "2\r")  # the digit answers; the Enter behind it changes nothing
        assert app.pane.query_one("#status", Input).value == "2"
        assert app.screen is app.pane.screen


async def test_space_in_a_text_filter_types_and_does_not_tick(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(app, pilot, F5)  # results; focus on the grid
        app.pane.query_one("#consignee", Input).focus()
        await burst(app, pilot, " ")
        assert not app.pane.ticked


async def test_space_ticks_and_alt_r_deletes_after_confirmation(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(app, pilot, F5)
        await burst(app, pilot, "  ")  # rows 1 (暂存) and 2 (已提交)
        assert app.pane.ticked == {unified(1), unified(2)}
        await burst(app, pilot, "\x1br")  # Alt+R as ESC r
        assert isinstance(app.screen, ConfirmScreen)
        await burst(app, pilot, "y")
        message = str(app.pane.query_one("#message", Static).render())
        assert message.startswith("已删除1条。以下1条不允许删除：")
        assert unified(2) in message
