"""The app (Pilot, keys as raw terminal bytes) with the card behind the local card control on a Unix
socket, chosen by the settings, against the real sandbox gateway: the login screen names the path,
the PIN logs in through the control, a pull goes back to the login screen within a second; with no
control the login screen says which path it tried and why."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Static

from customs.card.control import WATCH_POLL, WATCH_TIMEOUT
from customs.client import GatewayClient
from declarant.runtime import Runtime, card_slot
from declarant.worker import Worker
from sandbox.card import SANDBOX_PIN
from sandbox.card.control import ControlStandIn
from screens.login import LoginScreen
from screens.main import MainScreen
from store.engine import open_engine
from tests.app_harness import feed, make_settings, wait_for
from tests.fixtures_gateway import RunningGateway
from tui.app import TuihuoApp
from tui.settings import Settings

SIZE = (80, 24)
F5 = "\x1b[15~"  # as xterm and tmux send it


def _app(tmp_path: Path, gateway_url: str, **settings: object) -> TuihuoApp:
    def factory(s: Settings) -> Runtime:
        engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
        client = GatewayClient(gateway_url, timeout=3.0, retries=1, backoff=0.01)
        worker = Worker(engine, client, card_slot(s), gateway_name="test")  # the settings decide
        return Runtime(s, engine, worker, True, gateway_url)

    return TuihuoApp(make_settings(tmp_path, **settings), runtime_factory=factory)


def _message(app: TuihuoApp) -> str:
    return str(app.screen_stack[0].query_one("#login-message", Static).content)


def _card_state(app: TuihuoApp) -> str:
    return str(app.screen_stack[0].query_one("#card-state", Static).content)


async def test_login_through_the_control_and_a_pull_back_to_the_login_screen(
    tmp_path: Path, short_dir: Path, gateway: RunningGateway
) -> None:
    socket_path = short_dir / "tuihuo-card.sock"
    with ControlStandIn().start_unix(socket_path) as desk:
        app = _app(tmp_path, gateway.url, card="control", card_control=str(socket_path))
        async with app.run_test(size=SIZE) as pilot:
            await app.runtime_ready()
            await wait_for(pilot, lambda: "持卡人：张三" in _card_state(app))
            assert f"客户端控件 {socket_path}" in _card_state(app)
            await feed(app, pilot, SANDBOX_PIN + "\r")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            assert desk.applet.signatures == 1  # the gateway's challenge, signed at the "desk"
            desk.pull()
            started = time.monotonic()
            await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), timeout=2.0)
            assert time.monotonic() - started < 1.0
            assert _message(app) == "电子口岸卡已拔出，请重新插卡登录"
            desk.insert()
            await feed(app, pilot, F5)  # the card is back: 重新读卡 as the terminal sends F5
            await wait_for(pilot, lambda: "持卡人：张三" in _card_state(app))
            await wait_for(pilot, lambda: _message(app) == "")  # the pull is over


async def _locked_by(
    tmp_path: Path, short_dir: Path, gateway: RunningGateway, fault: str, expected: str
) -> None:
    """Log in through the control, bring about `fault`, and see the login screen say
    `expected` (within a second, a mute control within its timeout); then the control is well
    again and F5 clears it."""
    socket_path = short_dir / "tuihuo-card.sock"
    with ControlStandIn().start_unix(socket_path) as desk:
        app = _app(tmp_path, gateway.url, card="control", card_control=str(socket_path))
        async with app.run_test(size=SIZE) as pilot:
            await app.runtime_ready()
            await wait_for(pilot, lambda: "持卡人：张三" in _card_state(app))
            await feed(app, pilot, SANDBOX_PIN + "\r")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            if fault == "stop":  # the control quit or the SSH forward dropped
                desk.stop()
            else:
                desk.set_fault(fault)
            started = time.monotonic()
            await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), timeout=4.0)
            # a pull or a close is answered at once; a mute control is given WATCH_TIMEOUT
            within = WATCH_POLL + WATCH_TIMEOUT + 0.5 if fault == "mute" else 1.0
            assert time.monotonic() - started < within
            await wait_for(pilot, lambda: _message(app) == expected)
            if fault == "stop":
                return
            desk.set_fault("none")
            await pilot.press("f5")
            await wait_for(pilot, lambda: "持卡人：张三" in _card_state(app), timeout=3.0)
            await wait_for(pilot, lambda: _message(app) == "")


async def test_a_mute_control_locks_saying_it_does_not_answer(
    tmp_path: Path, short_dir: Path, gateway: RunningGateway
) -> None:
    await _locked_by(tmp_path, short_dir, gateway, "mute", "客户端控件无响应，请检查控件后重新登录")


async def test_a_closed_control_locks_saying_it_is_gone(
    tmp_path: Path, short_dir: Path, gateway: RunningGateway
) -> None:
    await _locked_by(
        tmp_path,
        short_dir,
        gateway,
        "stop",
        "客户端控件已断开（控件关闭或 SSH 转发中断），请恢复后重新登录",
    )


async def test_with_no_control_the_login_screen_says_which_path_and_why(
    tmp_path: Path, short_dir: Path, gateway: RunningGateway
) -> None:
    socket_path = short_dir / "tuihuo-card.sock"  # no forward: nothing there
    app = _app(tmp_path, gateway.url, card="control", card_control=str(socket_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.runtime_ready()
        await wait_for(pilot, lambda: "读卡失败" in _card_state(app))
        state = _card_state(app)
        assert "无法连接客户端控件" in state and "SSH 转发" in state
        assert f"卡路径：客户端控件 {socket_path}" in state and "设置 card = control" in state


async def test_at_80x24_the_socket_path_is_never_cut_in_two(
    tmp_path: Path, short_dir: Path, gateway: RunningGateway
) -> None:
    socket_path = short_dir / "run" / "user" / "1000" / "tuihuo-card.sock"  # as long as a real one
    app = _app(tmp_path, gateway.url, card="control", card_control=str(socket_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.runtime_ready()
        await wait_for(pilot, lambda: "读卡失败" in _card_state(app))
        await pilot.pause(0.1)
        state = app.screen.query_one("#card-state", Static)
        lines = [
            "".join(segment.text for segment in state.render_line(y))
            for y in range(state.region.height)
        ]
        whole = [line for line in lines if str(socket_path) in line]
        assert len(whole) == 2, lines  # the error's and the card path's, each on one line
        assert all(str(socket_path) in line for line in lines if "tuihuo-card" in line), lines
