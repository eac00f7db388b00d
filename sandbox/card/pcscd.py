"""Running the real PC/SC stack for the sandbox card: start pcscd, insert and pull vpcd cards.

Used by the test fixtures (tests/fixtures_pcsc.py) and the sign benchmark. What these machines
taught (spec/design.md, "The e-port card"): start `/usr/sbin/pcscd --foreground` as root as a
direct child and wait for the reader in `smartcard.System.readers()`; after a card is pulled, wait
for pcscd's event counter (the reader state's high 16 bits) to move before the next insert, or
pcscd never sees the next card; pcscd polls vpcd every 400 ms.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from customs.card.errors import CardError, PcscUnavailable
from customs.card.pcsc import event_counter, list_readers, reader_state
from sandbox.card.applet import Applet
from sandbox.card.vpcd import VPCD_PORT, VirtualCard, port_for_reader, reader_for_port

PCSCD = "/usr/sbin/pcscd"
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_READERS = (reader_for_port(VPCD_PORT), reader_for_port(VPCD_PORT + 1))

SCARD_STATE_EMPTY = 0x0010
SCARD_STATE_PRESENT = 0x0020


class StackUnavailable(RuntimeError):
    """pcscd, vpcd or pyscard cannot be had here; the message says which and why."""


def _pyscard_readers() -> list[str]:
    try:
        from smartcard.System import readers
    except ImportError as exc:
        raise StackUnavailable(f"pyscard is not installed: {exc}") from exc
    from smartcard.pcsc.PCSCExceptions import BaseSCardException

    try:
        return [str(r) for r in readers()]
    except BaseSCardException:  # EstablishContextException: no pcscd (yet)
        return []


def pcscd_running() -> bool:
    try:
        list_readers()
    except PcscUnavailable:
        return False
    return True


def _wait_for_vpcd_reader(timeout: float, proc: subprocess.Popen[bytes] | None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise StackUnavailable(f"pcscd exited at once with status {proc.returncode}")
        if any(r in VPCD_READERS for r in _pyscard_readers()):
            return
        time.sleep(0.05)
    raise StackUnavailable(f"no vpcd reader {VPCD_READERS} appeared within {timeout:g} s")


@contextlib.contextmanager
def ensure_pcscd(
    timeout: float = 10.0, log_path: Path | None = None
) -> Iterator[subprocess.Popen[bytes] | None]:
    """pcscd with the vpcd readers for the duration: the running one, or one started here.

    Yields the process when it was started here (it is stopped on exit), else None.
    Raises StackUnavailable with the reason when the stack cannot be had.
    """
    _pyscard_readers()  # raises when pyscard is missing
    if pcscd_running():
        _wait_for_vpcd_reader(timeout, None)
        yield None
        return
    if not Path(PCSCD).exists() and shutil.which("pcscd") is None:
        raise StackUnavailable(f"{PCSCD} is not installed (apt-get install pcscd)")
    if not VPCD_DRIVER.exists():
        raise StackUnavailable(f"{VPCD_DRIVER} missing (apt-get install vsmartcard-vpcd)")
    if os.geteuid() != 0:
        raise StackUnavailable("pcscd is not running and only root may start it")
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [PCSCD, "--foreground"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    try:
        _wait_for_vpcd_reader(timeout, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if log is not subprocess.DEVNULL:
            log.close()


def wait_for_state(
    reader: str, predicate: Callable[[int], bool], timeout: float = 5.0, what: str = "state"
) -> int:
    """Poll `reader`'s PC/SC state until `predicate(state)`; returns that state."""
    deadline = time.monotonic() + timeout
    state = reader_state(reader)
    while not predicate(state):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{reader}: no {what} within {timeout:g} s (state 0x{state:08X})")
        time.sleep(0.02)
        state = reader_state(reader)
    return state


def free_vpcd_reader() -> str:
    """A vpcd reader with no card in it (another test run may hold the other one)."""
    present = set(list_readers())
    for reader in VPCD_READERS:
        if reader in present and reader_state(reader) & SCARD_STATE_EMPTY:
            return reader
    raise StackUnavailable(f"no empty vpcd reader among {sorted(present)}")


def insert_card(applet: Applet, reader: str, timeout: float = 5.0) -> VirtualCard:
    """Plug `applet` into the vpcd `reader` and wait until pcscd reports the card present."""
    card = VirtualCard(applet, port=port_for_reader(reader))
    card.insert()
    try:
        wait_for_state(reader, lambda s: bool(s & SCARD_STATE_PRESENT), timeout, "card")
    except BaseException:
        remove_card(card, timeout)
        raise
    return card


def remove_card(card: VirtualCard, timeout: float = 5.0) -> None:
    """Pull the card and wait until pcscd has counted the removal (so a next insert is seen)."""
    if not card.inserted:
        return
    reader = card.reader
    try:
        before = reader_state(reader)
    except CardError:
        card.remove()
        return
    card.remove()
    if before & SCARD_STATE_EMPTY:
        return
    with contextlib.suppress(CardError):
        wait_for_state(
            reader,
            lambda s: bool(s & SCARD_STATE_EMPTY) and event_counter(s) != event_counter(before),
            timeout,
            "removal",
        )
