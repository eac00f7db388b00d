"""The e-port card through the real PC/SC stack: pyscard -> pcscd -> vpcd -> the sandbox card."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from customs import crypto
from customs.card import (
    AsyncCard,
    Card,
    CardRemoved,
    CardTimeout,
    NoCard,
    NoReader,
    PcscTransport,
    WrongPin,
    list_readers,
    open_card,
    wait_for_card,
)
from customs.card.pcsc import event_counter, reader_state
from sandbox.card import ATR, SANDBOX_CA_PUBLIC_KEY, SANDBOX_PIN, Applet, card_identity
from sandbox.card.bench import time_signs
from sandbox.card.pcscd import SCARD_STATE_EMPTY, remove_card, wait_for_state
from sandbox.card.vpcd import VirtualCard, port_for_reader
from tests.fixtures_pcsc import *  # noqa: F403
from tests.fixtures_pcsc import InsertCard
from tests.services import missing_service

pytestmark = pytest.mark.pcsc

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def card(virtual_card: VirtualCard) -> Iterator[Card]:
    card = open_card(virtual_card.reader, timeout=3.0)
    yield card
    card.close()


def test_reads_the_card_through_pcscd(virtual_card: VirtualCard, card: Card) -> None:
    transport = card.transport
    assert isinstance(transport, PcscTransport)
    assert transport.atr == ATR
    identity = card_identity()
    assert card.read_info() == identity.info
    certificate = card.certificate()
    assert certificate == identity.certificate
    assert certificate.issued_by(SANDBOX_CA_PUBLIC_KEY)


def test_wrong_pin_then_right_pin(card: Card, virtual_card: VirtualCard) -> None:
    with pytest.raises(WrongPin) as wrong:
        card.verify_pin("00000000")
    assert wrong.value.tries_left == 2
    assert card.pin_tries_left() == 2
    card.verify_pin(SANDBOX_PIN)
    assert virtual_card.applet.tries_left == 3
    assert card.is_pin_verified()


def test_sign_verifies_with_the_certificate_issued_by_the_sandbox_ca(card: Card) -> None:
    card.verify_pin(SANDBOX_PIN)
    data = "出口退货 申报 ".encode() * 100  # 2 KB: a SIGN chain of 9 APDUs
    signature = card.sign(data)
    certificate = card.certificate()
    assert certificate.issued_by(SANDBOX_CA_PUBLIC_KEY)
    assert crypto.verify(certificate.public_key, data, signature)
    times = time_signs(card, samples=3, size=512)
    assert times.median < 2.0


async def test_async_facade_through_pcscd(card: Card) -> None:
    facade = AsyncCard(card)
    assert (await facade.read_info()).operator_name == "张三"
    await facade.verify_pin(SANDBOX_PIN)
    signature = await facade.sign(b"challenge")
    assert crypto.verify((await facade.certificate()).public_key, b"challenge", signature)


def test_card_pulled_mid_session(virtual_card: VirtualCard, card: Card) -> None:
    card.verify_pin(SANDBOX_PIN)
    transport = card.transport
    assert isinstance(transport, PcscTransport)
    removed_at: list[float] = []
    watcher = transport.watch_removal(lambda: removed_at.append(time.monotonic()))
    try:
        pulled = time.monotonic()
        virtual_card.remove()
        # right after the pull pcscd answers 0x80100016, later 0x80100069: both are CardRemoved
        with pytest.raises(CardRemoved) as gone:
            card.sign(b"mid-session")
        assert gone.value.message == "电子口岸卡已拔出"
        assert watcher.fired.wait(2.0)
        assert removed_at[0] - pulled < 1.0
        with pytest.raises(CardRemoved):
            card.read_info()
    finally:
        watcher.stop()


def test_a_new_card_after_a_removal_is_seen(
    vpcd_reader: str, insert_virtual_card: InsertCard
) -> None:
    first = insert_virtual_card()
    counter = event_counter(reader_state(vpcd_reader))
    remove_card(first)
    assert event_counter(reader_state(vpcd_reader)) != counter
    other = Applet(card_identity("8800000000002"))
    insert_virtual_card(other)
    with open_card(vpcd_reader) as card:
        assert card.read_info().operator_name == "李四"


def test_card_that_stops_answering_times_out(virtual_card: VirtualCard) -> None:
    transport = PcscTransport(virtual_card.reader, timeout=1.0)
    card = Card(transport)
    card.read_info()
    virtual_card.freeze()
    started = time.monotonic()
    with pytest.raises(CardTimeout) as timeout:
        card.read_info()
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.5
    assert timeout.value.message == "电子口岸卡无响应"
    started = time.monotonic()
    with pytest.raises(CardTimeout):  # the reader is given up: no second wait
        card.read_info()
    assert time.monotonic() - started < 0.1
    # the stuck transmit must not freeze the process's other PC/SC calls
    started = time.monotonic()
    assert virtual_card.reader in list_readers()
    assert time.monotonic() - started < 1.0
    card.close()  # returns at once; the stuck handle is released when the card goes


def test_reader_works_again_after_a_hung_card_is_pulled(
    vpcd_reader: str, insert_virtual_card: InsertCard
) -> None:
    hung = insert_virtual_card()
    card = Card(PcscTransport(vpcd_reader, timeout=0.5))
    hung.freeze()
    with pytest.raises(CardTimeout):
        card.read_info()
    card.close()
    remove_card(hung)
    insert_virtual_card()
    with open_card(vpcd_reader, timeout=2.0) as fresh:
        assert fresh.read_info().card_no == card_identity().card_no


def test_wait_for_card(vpcd_reader: str, insert_virtual_card: InsertCard) -> None:
    with pytest.raises(NoCard) as none:
        wait_for_card(vpcd_reader, timeout=0.3)
    assert none.value.message == "请插入电子口岸卡"
    with pytest.raises(NoReader) as no_reader:
        wait_for_card("No Such Reader 00 00", timeout=0.1)
    assert no_reader.value.message == "未找到读卡器"
    with pytest.raises(NoCard):
        PcscTransport(vpcd_reader)
    with pytest.raises(NoCard):  # a part of the name selects the reader too
        wait_for_card(vpcd_reader.lower()[-8:], timeout=0.1)
    inserter = threading.Timer(0.3, insert_virtual_card)
    inserter.start()
    try:
        started = time.monotonic()
        assert wait_for_card(vpcd_reader, timeout=5.0) == vpcd_reader
        assert time.monotonic() - started < 2.0
    finally:
        inserter.join()


def test_removal_watcher_on_an_empty_reader_fires_at_once(vpcd_reader: str) -> None:
    from customs.card import RemovalWatcher

    wait_for_state(vpcd_reader, lambda s: bool(s & SCARD_STATE_EMPTY))
    fired = threading.Event()
    with RemovalWatcher(vpcd_reader, fired.set):
        assert fired.wait(1.0)


NO_PCSCD_SCRIPT = """
from customs.card import PcscUnavailable, list_readers, open_card
for call in (list_readers, open_card):
    try:
        call()
    except PcscUnavailable as exc:
        print(type(exc).__name__, exc.message, exc.detail)
    else:
        print("NO ERROR")
try:
    from smartcard.System import readers
    readers()
except Exception as exc:
    print("pyscard:", type(exc).__name__)
"""


def test_no_pcscd_is_pcsc_unavailable(tmp_path: Path) -> None:
    """A client whose pcscd socket has no daemon behind it (as when pcscd is stopped).

    pcsc-lite's client library takes the daemon's socket from PCSCLITE_CSOCK_NAME, so a fresh
    process pointed at an empty path meets exactly what it meets when pcscd is not running,
    while the pcscd of the other tests keeps running.
    """
    try:
        import smartcard  # noqa: F401
    except ImportError:
        missing_service("pyscard is not installed")
    env = dict(os.environ, PCSCLITE_CSOCK_NAME=str(tmp_path / "no-pcscd.comm"))
    result = subprocess.run(
        [sys.executable, "-c", NO_PCSCD_SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PcscUnavailable 读卡服务未启动 SCardEstablishContext"), lines
    assert lines[1].startswith("PcscUnavailable 读卡服务未启动"), lines
    assert lines[2] == "pyscard: EstablishContextException", lines


def test_sandbox_card_command_plugs_a_card_until_killed(vpcd_reader: str) -> None:
    port = port_for_reader(vpcd_reader)
    before = event_counter(reader_state(vpcd_reader))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox",
            "card",
            "--port",
            str(port),
            "--card-no",
            "8800000000003",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for_card(vpcd_reader, timeout=10.0) == vpcd_reader
        with open_card(vpcd_reader) as card:
            assert card.read_info().operator_name == "王五"
            card.verify_pin(SANDBOX_PIN)
            assert crypto.verify(card_identity("8800000000003").public_key, b"x", card.sign(b"x"))
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
    wait_for_state(
        vpcd_reader,
        lambda s: bool(s & SCARD_STATE_EMPTY) and event_counter(s) != before,
        what="removal after the command ended",
    )
    assert proc.stderr is not None and "8800000000003" in proc.stderr.read()


def test_sandbox_card_command_refuses_bad_arguments() -> None:
    from sandbox.card.cli import main

    with pytest.raises(SystemExit) as bad:
        main(["--card-no", "123"])
    assert bad.value.code == 2
