"""The worker logging in and submitting with the operator's card behind the local card control:
the sandbox's stand-in over a real WebSocket (TCP and Unix socket), the real sandbox gateway."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from customs.card import CardError, WrongPin
from customs.card.control import WATCH_POLL, WATCH_TIMEOUT
from declarant.runtime import card_slot
from declarant.worker import (
    AutoSlot,
    ControlSlot,
    NotConnected,
    SandboxSlot,
    SessionState,
    StateChanged,
    SubmitOutcome,
    Worker,
)
from sandbox.card import SANDBOX_PIN
from sandbox.card.control import ControlStandIn
from store.engine import open_engine
from store.status import Status
from tests.fixtures_control import make_worker, saved_record
from tests.fixtures_gateway import RunningGateway
from tui.settings import Settings


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


async def _login_and_submit(w: Worker, stand_in: ControlStandIn) -> None:
    operator = await w.login(SANDBOX_PIN)
    assert (
        w.state == SessionState.ACTIVE
    )  # the gateway accepted the challenge signed via the control
    assert operator.card_no == stand_in.applet.identity.card_no
    assert operator.enterprise_uscc == stand_in.applet.identity.enterprise_uscc
    saved = await saved_record(w)
    before = stand_in.applet.signatures
    result = await w.submit(saved.unified_no, version=saved.version)
    assert result.outcome == SubmitOutcome.ACCEPTED
    assert stand_in.applet.signatures == before + 1  # signed by the card behind the control
    assert w.store is not None and w.store.load(saved.unified_no).status == Status.SUBMITTED


async def test_login_and_submission_through_the_control_over_tcp(
    engine: Engine, gateway: RunningGateway, tcp_control: ControlStandIn
) -> None:
    w = make_worker(engine, gateway.url, ControlSlot(tcp_control.address))
    await _login_and_submit(w, tcp_control)
    await w.logout()
    await w.client.aclose()


async def test_login_and_submission_through_the_control_over_a_unix_socket(
    engine: Engine, gateway: RunningGateway, unix_control: ControlStandIn
) -> None:
    w = make_worker(engine, gateway.url, ControlSlot(unix_control.address))
    await _login_and_submit(w, unix_control)
    await w.logout()
    await w.client.aclose()


def _lock_messages(w: Worker) -> list[str]:
    """The messages of the worker's lock events from now on, as the screens get them."""
    said: list[str] = []
    w.subscribe(
        lambda e: (
            said.append(e.message)
            if isinstance(e, StateChanged) and e.state == SessionState.LOCKED
            else None
        )
    )
    return said


async def _locks_within_a_second(w: Worker, wait: float = 2.0) -> float:
    started = time.monotonic()
    while w.state != SessionState.LOCKED and time.monotonic() - started < wait:
        await asyncio.sleep(0.01)
    assert w.state == SessionState.LOCKED
    return time.monotonic() - started


async def test_a_pulled_card_locks_the_session_within_a_second_and_loses_nothing(
    engine: Engine, gateway: RunningGateway, unix_control: ControlStandIn
) -> None:
    w = make_worker(engine, gateway.url, ControlSlot(unix_control.address))
    await w.login(SANDBOX_PIN)
    saved = await saved_record(w)
    said = _lock_messages(w)
    unix_control.pull()
    assert await _locks_within_a_second(w) < 1.0
    assert said == ["电子口岸卡已拔出，会话已锁定"]
    with pytest.raises(NotConnected, match="重新插卡登录"):
        await w.submit(saved.unified_no, version=saved.version)
    assert w.store is not None and w.store.load(saved.unified_no).status == Status.DRAFT
    await w.client.aclose()


async def test_a_closed_control_locks_the_session_within_a_second(
    engine: Engine, gateway: RunningGateway
) -> None:
    stand_in = ControlStandIn().start_tcp()
    w = make_worker(engine, gateway.url, ControlSlot(stand_in.address))
    await w.login(SANDBOX_PIN)
    said = _lock_messages(w)
    stand_in.stop()  # the control quit, or the SSH forward went down
    assert await _locks_within_a_second(w) < 1.0
    assert said == ["客户端控件已断开，会话已锁定"]  # not "the card was pulled": it was not
    await w.client.aclose()


async def test_a_mute_control_locks_the_session_within_its_timeout_saying_so(
    engine: Engine, gateway: RunningGateway, tcp_control: ControlStandIn
) -> None:
    w = make_worker(engine, gateway.url, ControlSlot(tcp_control.address))
    await w.login(SANDBOX_PIN)
    said = _lock_messages(w)
    tcp_control.set_fault("mute")  # the control answers nothing more
    assert await _locks_within_a_second(w, wait=4.0) < WATCH_POLL + WATCH_TIMEOUT + 0.5
    assert said == ["客户端控件无响应，会话已锁定"]
    tcp_control.set_fault("none")
    await w.client.aclose()


async def test_a_frozen_control_locks_the_session_within_its_timeout(
    engine: Engine, gateway: RunningGateway, tcp_control: ControlStandIn
) -> None:
    """The whole control process hangs: no answer and no close frame either."""
    w = make_worker(engine, gateway.url, ControlSlot(tcp_control.address))
    await w.login(SANDBOX_PIN)
    said = _lock_messages(w)
    loop = tcp_control._loop
    assert loop is not None
    loop.call_soon_threadsafe(time.sleep, 4.0)
    assert await _locks_within_a_second(w, wait=4.0) < WATCH_POLL + WATCH_TIMEOUT + 0.5
    assert said == ["客户端控件无响应，会话已锁定"]
    await asyncio.sleep(4.1)  # thawed before the fixture stops it
    await w.client.aclose()


async def test_a_wrong_pin_through_the_control_says_the_tries_left(
    engine: Engine, gateway: RunningGateway, tcp_control: ControlStandIn
) -> None:
    w = make_worker(engine, gateway.url, ControlSlot(tcp_control.address))
    with pytest.raises(WrongPin) as wrong:
        await w.login("00000000")
    assert wrong.value.tries_left == 2 and "还可尝试2次" in wrong.value.message
    assert tcp_control.applet.tries_left == 2 and w.state == SessionState.LOGGED_OUT
    await w.login(SANDBOX_PIN)  # the right one restores the count, as on the card
    assert tcp_control.applet.tries_left == 3 and w.state == SessionState.ACTIVE
    await w.logout()
    await w.client.aclose()


async def test_a_control_that_never_answers_fails_the_login_in_chinese_not_a_hang(
    engine: Engine, gateway: RunningGateway, tcp_control: ControlStandIn
) -> None:
    tcp_control.set_fault("mute")
    w = make_worker(engine, gateway.url, ControlSlot(tcp_control.address, timeout=0.5))
    started = time.monotonic()
    with pytest.raises(CardError) as silent:
        await asyncio.wait_for(w.login(SANDBOX_PIN), 10)
    assert silent.value.message == "客户端控件无响应" and time.monotonic() - started < 3.0
    assert w.state == SessionState.LOGGED_OUT
    await w.client.aclose()


async def test_the_pin_never_reaches_a_log_through_a_worker_login(
    engine: Engine,
    gateway: RunningGateway,
    tcp_control: ControlStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    w = make_worker(engine, gateway.url, ControlSlot(tcp_control.address))
    with pytest.raises(WrongPin):
        await w.login("24681357")
    await w.login(SANDBOX_PIN)
    await w.logout()
    await w.client.aclose()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "card login failed: WrongPin" in text  # the log was on, and it says what happened
    assert SANDBOX_PIN not in text and "24681357" not in text


def test_the_settings_choose_the_card_path(short_dir: Path, tmp_path: Path) -> None:
    socket_path = short_dir / "tuihuo-card.sock"

    def slot(**options: object):  # type: ignore[no-untyped-def]
        return card_slot(Settings(data_dir=tmp_path, card_control=str(socket_path), **options))  # type: ignore[arg-type]

    assert isinstance(slot(card="control"), ControlSlot)
    auto = slot()
    assert isinstance(auto, AutoSlot) and isinstance(auto.chosen, SandboxSlot)
    assert str(socket_path) in auto.why and "不存在" in auto.why
    with ControlStandIn().start_unix(socket_path):  # the forward is up: auto takes it
        auto = slot()
        assert isinstance(auto.chosen, ControlSlot) and auto.description.endswith(str(socket_path))
    assert isinstance(slot(card="sandbox"), SandboxSlot)
    assert slot(card="control").why == "设置 card = control"


def test_the_default_control_socket_is_in_the_users_runtime_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/4242")
    assert Settings(data_dir=tmp_path).card_control == "/run/user/4242/tuihuo-card.sock"


@pytest.mark.parametrize(
    "address", ["ws://10.0.0.5:61232", "ws://office-pc:61232", "relative/tuihuo-card.sock"]
)
def test_a_control_off_this_machine_is_refused_in_chinese(address: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="card_control"):
        Settings(data_dir=tmp_path, card_control=address)  # type: ignore[arg-type]


def test_auto_without_a_forward_off_the_sandbox_says_it_falls_back_to_a_reader(
    short_dir: Path,
) -> None:
    auto = AutoSlot(str(short_dir / "tuihuo-card.sock"), sandbox=False)
    assert auto.description == "读卡器"
    assert "未发现客户端控件" in auto.why and "改用本机读卡器" in auto.why


async def test_a_control_gone_while_a_new_session_is_signed_says_the_control_not_the_card(
    engine: Engine, gateway: RunningGateway
) -> None:
    """The background round finds the gateway session expired and signs a new one just as the
    control goes: the lock names the control (it said 电子口岸卡已拔出: the card was never pulled)."""
    stand_in = ControlStandIn().start_tcp()
    w = make_worker(engine, gateway.url, ControlSlot(stand_in.address))
    await w.login(SANDBOX_PIN)
    said = _lock_messages(w)
    assert w._stop_watch is not None
    w._stop_watch()  # the watcher's next look has not come yet: the round meets the loss first
    w._stop_watch = None
    w.client.token = "expired-by-the-gateway"
    stand_in.stop()
    await w.tick()
    assert w.state == SessionState.LOCKED
    assert said == ["客户端控件已断开，会话已锁定"]
    await w.logout()  # waits for the gateway session's end, asked in the background
    await w.client.aclose()
