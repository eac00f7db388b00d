"""The card through the local card control: `customs.card.control` against the sandbox's stand-in
over a real WebSocket, on TCP and on a Unix socket, and the stand-in's command line."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from customs import crypto
from customs.card import (
    CardBlocked,
    CardError,
    CardRemoved,
    CardTimeout,
    NoCard,
    NoReader,
    WrongPin,
)
from customs.card.control import (
    CONTROL_CLOSED,
    CONTROL_MUTE,
    GET_CARD_ID,
    PULLED,
    WATCH_POLL,
    WATCH_TIMEOUT,
    ControlAddress,
    ControlCard,
    ControlConnection,
    ControlWatcher,
    control_error,
)
from sandbox.card import SANDBOX_PIN, card_identity
from sandbox.card.control import FAULT_METHOD, SLOW_ANSWER_S, ControlStandIn

ROOT = Path(__file__).resolve().parent.parent


def _card(stand_in: ControlStandIn, timeout: float = 2.0) -> ControlCard:
    return ControlCard(ControlAddress(stand_in.address), timeout=timeout)


def test_over_tcp_the_control_gives_the_sandbox_card_and_its_keys_signatures(
    tcp_control: ControlStandIn,
) -> None:
    identity = tcp_control.applet.identity
    assert identity.info == card_identity().info  # the sandbox card of the sandbox card's tests
    card = _card(tcp_control)
    try:
        assert card.read_info() == identity.info
        assert card.certificate() == identity.certificate
        card.verify_pin(SANDBOX_PIN)
        for data in (bytes(range(256)), "出口退货 {}".encode()):  # base64 and text paths
            signature = card.sign(data)
            assert crypto.verify(identity.public_key, data, signature)
    finally:
        card.close()
    assert tcp_control.address.startswith("ws://127.0.0.1:")


def test_a_unix_socket_is_the_owners_alone_and_serves_the_same_card(short_dir: Path) -> None:
    path = short_dir / "tuihuo-card.sock"
    with ControlStandIn().start_unix(path) as stand_in:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        card = ControlCard(ControlAddress(stand_in.address), timeout=2.0)
        try:
            assert card.read_info().card_no == card_identity().card_no
        finally:
            card.close()


def test_signing_before_the_pin_is_refused_in_chinese(tcp_control: ControlStandIn) -> None:
    card = _card(tcp_control)
    try:
        card.read_info()
        with pytest.raises(CardError) as refused:
            card.sign(b"challenge")
        assert "请先验证卡口令" in refused.value.message
    finally:
        card.close()


def test_a_wrong_pin_says_the_tries_left_then_the_card_locks(tcp_control: ControlStandIn) -> None:
    card = _card(tcp_control)
    try:
        with pytest.raises(WrongPin) as first:
            card.verify_pin("00000000")
        assert first.value.tries_left == 2 and first.value.message == "口令错误，还可尝试2次"
        with pytest.raises(WrongPin) as second:
            card.verify_pin("11111111")
        assert second.value.tries_left == 1
        with pytest.raises(CardBlocked) as blocked:
            card.verify_pin("22222222")
        assert blocked.value.message == "电子口岸卡已锁定"
        with pytest.raises(CardBlocked):
            card.verify_pin(SANDBOX_PIN)  # the right PIN no longer helps
    finally:
        card.close()


def test_a_control_that_never_answers_is_a_chinese_message_in_time(
    tcp_control: ControlStandIn,
) -> None:
    tcp_control.set_fault("mute")
    started = time.monotonic()
    with pytest.raises(CardTimeout) as silent:
        _card(tcp_control, timeout=0.5)
    assert silent.value.message == "客户端控件无响应"
    assert time.monotonic() - started < 2.0


def test_a_control_that_stops_answering_mid_session_times_out_and_stays_given_up(
    tcp_control: ControlStandIn,
) -> None:
    card = _card(tcp_control, timeout=0.5)
    card.read_info()
    card.verify_pin(SANDBOX_PIN)
    tcp_control.set_fault("mute")
    started = time.monotonic()
    with pytest.raises(CardTimeout, match="客户端控件无响应"):
        card.sign(b"record")
    assert time.monotonic() - started < 2.0
    tcp_control.set_fault("none")
    with pytest.raises(CardTimeout):  # a late answer cannot be matched to a later request
        card.sign(b"record")
    card.connection.close()


def test_a_reader_fault_names_the_controls_code(tcp_control: ControlStandIn) -> None:
    tcp_control.set_fault("reader-error")
    with pytest.raises(NoReader) as fault:
        _card(tcp_control)
    assert "读卡器故障" in fault.value.message and "错误码=50070" in fault.value.message


def test_no_card_at_login_asks_for_it(tcp_control: ControlStandIn) -> None:
    tcp_control.pull()
    with pytest.raises(NoCard) as missing:
        _card(tcp_control)
    assert missing.value.message.startswith("请插入电子口岸卡")


def test_a_pull_during_the_session_is_a_removed_card_when_signing(
    tcp_control: ControlStandIn,
) -> None:
    card = _card(tcp_control)
    card.read_info()
    card.verify_pin(SANDBOX_PIN)
    tcp_control.pull()
    with pytest.raises(CardRemoved):
        card.sign(b"record")
    tcp_control.insert()
    with pytest.raises(CardError, match="请先验证卡口令"):  # back in: the PIN is asked again
        card.sign(b"record")
    card.close()


def _watch(stand_in: ControlStandIn) -> tuple[ControlWatcher, list[str]]:
    fired: list[str] = []  # the reasons given
    watcher = ControlWatcher(
        ControlAddress(stand_in.address), card_identity().card_no, fired.append
    ).start()
    time.sleep(0.4)  # a few quiet polls first
    assert not fired
    return watcher, fired


def _within_a_second(fired: list[str], wait: float = 2.0) -> float:
    started = time.monotonic()
    while not fired and time.monotonic() - started < wait:
        time.sleep(0.01)
    assert fired, "the watcher did not fire"
    return time.monotonic() - started


def test_the_watcher_notices_a_pull_within_a_second(tcp_control: ControlStandIn) -> None:
    watcher, fired = _watch(tcp_control)
    tcp_control.pull()
    assert _within_a_second(fired) < 1.0
    assert fired == [PULLED]
    watcher.stop()


def test_the_watcher_notices_a_closed_control_within_a_second() -> None:
    stand_in = ControlStandIn().start_tcp()
    watcher, fired = _watch(stand_in)
    stand_in.stop()
    assert _within_a_second(fired) < 1.0
    assert fired == [CONTROL_CLOSED]
    watcher.stop()


def test_the_watcher_notices_a_hung_control_within_its_timeout(tcp_control: ControlStandIn) -> None:
    watcher, fired = _watch(tcp_control)
    tcp_control.set_fault("mute")
    assert _within_a_second(fired, wait=4.0) < WATCH_POLL + WATCH_TIMEOUT + 0.5
    assert fired == [CONTROL_MUTE]
    watcher.stop()


def test_the_watcher_notices_a_frozen_control_within_its_timeout(
    tcp_control: ControlStandIn,
) -> None:
    """A control process that hangs whole answers no close frame either: the watcher must not
    wait for one (up to its 1 s close timeout) before calling the lock."""
    watcher, fired = _watch(tcp_control)
    loop = tcp_control._loop
    assert loop is not None
    loop.call_soon_threadsafe(time.sleep, 4.0)  # the control's only thread stops dead
    assert _within_a_second(fired, wait=4.0) < WATCH_POLL + WATCH_TIMEOUT + 0.5
    assert fired == [CONTROL_MUTE]
    watcher.stop()
    time.sleep(4.1)  # thawed before the fixture stops it


def test_a_slow_control_is_not_taken_for_a_gone_one(tcp_control: ControlStandIn) -> None:
    """Each answer 1.2 s late, as over a long SSH link: the session is not locked (at a 0.5 s
    patience a loaded machine locked working sessions)."""
    watcher, fired = _watch(tcp_control)
    tcp_control.set_fault("slow")
    time.sleep(4.0)  # three looks, each answered late
    assert fired == []
    tcp_control.pull()
    assert _within_a_second(fired, wait=4.0) < SLOW_ANSWER_S + WATCH_POLL + 0.5
    assert fired == [PULLED]
    watcher.stop()


def test_the_pin_crosses_the_socket_but_no_log_holds_it(
    tcp_control: ControlStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the websockets library's frames included
    card = _card(tcp_control)
    try:
        card.read_info()
        card.verify_pin(SANDBOX_PIN)
        card.sign(b"x")
        with pytest.raises(WrongPin):
            card.verify_pin("13572468")
    finally:
        card.close()
    assert tcp_control.applet.signatures == 1  # the PIN did reach the card
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert SANDBOX_PIN not in text and "13572468" not in text


def test_the_controls_public_error_shape_maps_to_card_errors() -> None:
    reader = control_error(["[读卡器底层库]复位读卡器失败:错误码=50070", "Err:Custom50070"], "sign")
    assert isinstance(reader, NoReader) and "50070" in reader.message
    assert isinstance(control_error(["[读卡器底层库]打开读卡器失败:错误码=50200"], "id"), NoCard)
    other = control_error(["证书已过期"], "sign")
    assert other.message == "客户端控件报错：证书已过期"
    assert control_error([], "sign").message == "客户端控件报错：未说明原因"
    assert isinstance(control_error(["口令错误，剩余 4 次"], "pin"), WrongPin)
    assert control_error(["密码错误"], "pin").message == "口令错误"


def test_the_command_line_stand_in_on_a_unix_socket_with_faults_at_run_time(
    short_dir: Path,
) -> None:
    path = short_dir / "tuihuo-card.sock"
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "card-control", "--unix", str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert str(path) in line and "8800000000001" in line
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        card = ControlCard(ControlAddress(str(path)), timeout=2.0)
        assert card.read_info().operator_name == "张三"
        control = ControlConnection(ControlAddress(str(path)), timeout=2.0)
        assert control.call(FAULT_METHOD, {"fault": "pulled"}) == ["pulled"]
        with pytest.raises(NoCard):
            card.connection.call(GET_CARD_ID)
        control.close()
        card.connection.close()
    finally:
        process.terminate()
        process.wait(10)
    assert process.returncode == 0 and not path.exists()  # it removes its socket on the way out


def test_a_socket_others_can_reach_is_refused_before_the_pin_crosses_it(short_dir: Path) -> None:
    path = short_dir / "tuihuo-card.sock"
    with ControlStandIn().start_unix(path) as stand_in:
        os.chmod(path, 0o666)  # e.g. a socket someone else planted in a shared directory
        with pytest.raises(CardError) as refused:
            ControlCard(ControlAddress(str(path)), timeout=2.0)
        assert "他人可访问" in refused.value.message
        assert stand_in.requests == []  # not one request reached it
