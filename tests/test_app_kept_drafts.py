"""A normal 退出 (Ctrl+Q) or 关闭全部选项卡 (Shift+F10) keeps the edited forms' drafts and says so;
the next login offers them as kept, not as after 上次异常退出或连接中断 (which a lost session still
gets)."""

from __future__ import annotations

from pathlib import Path

from screens.drafts import CRASHED, KEPT, DraftsScreen
from screens.login import LoginScreen
from screens.main import MainScreen
from tests.app_harness import entry, feed, hints_seen, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tui.app import TuihuoApp

SIZE = (80, 24)
CTRL_Q, CTRL_E, SHIFT_F10, ENTER = "\x11", "\x05", "\x1b[21;2~", "\r"
PIN = "88888888"


def title(app: TuihuoApp) -> str:
    return str(app.screen.query_one(".title").render())


def login_message(app: TuihuoApp) -> str:
    return str(app.screen.query_one("#login-message").render())


async def drafts_offered(app: TuihuoApp, pilot) -> str:  # type: ignore[no-untyped-def]
    await app.runtime_ready()
    await wait_for(pilot, lambda: app.screen.query("#pin"))
    await feed(app, pilot, PIN + ENTER)
    await wait_for(pilot, lambda: isinstance(app.screen, DraftsScreen))
    return title(app)


async def test_ctrl_q_says_which_drafts_it_kept_and_the_next_login_does_not_speak_of_a_crash(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, "0101")
        await feed(app, pilot, CTRL_Q)
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await wait_for(pilot, lambda: "已安全退出" in login_message(app))
        assert "已保留1份草稿（新记录 0101），下次登录时可恢复" in login_message(app)
        assert await drafts_offered(app, pilot) == KEPT
    # a normal end of the program, then a new start: still no crash
    again = make_app(tmp_path, gateway.url)
    async with again.run_test(size=SIZE) as pilot:
        assert await drafts_offered(again, pilot) == KEPT
        assert CRASHED not in title(again)


async def test_ctrl_q_with_nothing_typed_keeps_nothing(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, CTRL_Q)
        await wait_for(pilot, lambda: "已安全退出" in login_message(app))
        assert "草稿" not in login_message(app)


async def test_shift_f10_names_the_drafts_it_kept(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, "0101" + CTRL_E)
        await wait_for(pilot, lambda: len(app.screen.query("EntryPane")) == 2)
        await feed(app, pilot, "0202")
        seen = hints_seen(app)  # the main screen says notices on its hint bar, not in toasts
        await feed(app, pilot, SHIFT_F10)
        await wait_for(pilot, lambda: not app.screen.query("EntryPane"))
        kept = "已保留2份草稿（新记录 0101、新记录 0202），下次登录时可恢复"
        await wait_for(pilot, lambda: any(kept in text for text in seen))
    again = make_app(tmp_path, gateway.url)
    async with again.run_test(size=SIZE) as pilot:
        assert await drafts_offered(again, pilot) == KEPT


async def test_a_lost_session_is_still_said_and_a_restored_draft_is_news_again(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, "0101" + CTRL_Q)
        await wait_for(pilot, lambda: "已保留1份草稿" in login_message(app))
        assert await drafts_offered(app, pilot) == KEPT
        await feed(app, pilot, ENTER)  # restored: open again
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: len(app.screen.query("EntryPane")) == 2)
        await pilot.pause(0.3)
        assert entry(app).fields["import_decl_no"].raw() == "0101"
    # the session ends without 退出 (a dropped SSH connection ends the process the same way)
    again = make_app(tmp_path, gateway.url)
    async with again.run_test(size=SIZE) as pilot:
        assert await drafts_offered(again, pilot) == CRASHED
