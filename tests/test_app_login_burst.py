"""Typing ahead after the PIN's Enter, in one burst of raw bytes, never costs the card a try.

An operator types the PIN, Enter and straight on the first declaration number; over SSH the keys
arrive in one packet. The bursts go through the driver's own parser (tests/app_harness.feed) as one
read. The sandbox card counts its PIN tries as a real card does (sandbox/card/applet.py).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from customs.card.profile import DEFAULT_PIN_TRIES
from declarant.worker import SandboxSlot
from sandbox.card import SANDBOX_PIN
from screens.login import LoginScreen
from screens.main import MainScreen
from tests.app_harness import entry, feed, hint, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tui.app import TuihuoApp

SIZE = (80, 24)
NUMBER = "010120251000000856"  # a declaration the sandbox gateway knows


def tries_left(app: TuihuoApp) -> int:
    assert app.runtime is not None
    slot = app.runtime.worker.slot
    assert isinstance(slot, SandboxSlot)
    return slot.tries_left


def login_message(app: TuihuoApp) -> str:
    return str(app.screen_stack[0].query_one("#login-message", Static).content)


async def test_the_number_typed_after_the_pins_enter_lands_in_the_form(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await app.runtime_ready()
        await wait_for(pilot, lambda: app.screen.query("#pin"))
        await feed(app, pilot, SANDBOX_PIN + "\r" + NUMBER + "\r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        pane = entry(app)
        assert pane.fields["import_decl_no"].value == NUMBER
        assert tries_left(app) == DEFAULT_PIN_TRIES  # the card counted no wrong PIN
        assert "口令错误" not in login_message(app)


async def test_a_wrong_pin_then_more_keys_costs_exactly_one_try(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await app.runtime_ready()
        await wait_for(pilot, lambda: app.screen.query("#pin"))
        # a PIN one digit short, Enter, and the keys after it: the login runs with what the Enter
        # submitted (one wrong try), never with the digits typed after it (today it ran with
        # the field's value at the second Enter, here the right PIN, and logged in)
        await feed(app, pilot, SANDBOX_PIN[:-1] + "\r" + SANDBOX_PIN[-1] + "\r" + NUMBER)
        await wait_for(pilot, lambda: "口令错误" in login_message(app))
        await pilot.pause(0.3)  # a second login, were one started, would have its answer by now
        assert tries_left(app) == DEFAULT_PIN_TRIES - 1
        assert f"还可尝试{DEFAULT_PIN_TRIES - 1}次" in login_message(app)
        assert isinstance(app.screen, LoginScreen)  # the PIN typed ahead was not sent
        pin = app.screen.query_one("#pin", Input)
        assert pin.value == "" and app.focused is pin
        # the field is live again: the next PIN logs in
        await feed(app, pilot, SANDBOX_PIN + "\r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert tries_left(app) == DEFAULT_PIN_TRIES
