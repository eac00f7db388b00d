"""The card through the local card control's stand-in (`python -m sandbox card-control`'s server,
in a thread), over a real WebSocket:

    inprocess_sign_ms <median> ms      the baseline: the same signature by the sandbox card in process
    control_sign_tcp_ms <median> ms    one 1 KiB signature (SpcSignPemDataAsPem) over TCP loopback
    control_sign_unix_ms <median> ms   the same over a Unix socket (what an `ssh -R` forward gives)
    control_login_unix_ms <median> ms  open, identity, certificate, VerifyPIN, close: the card's part
                                       of a login, over a Unix socket
    control_pull_notice_ms <median> ms from a pull to the watcher's call (poll 0.25 s; ≤ 1000)

Most of a signature is the sandbox card's pure-Python SM2, as with pcscd (docs/notes.md).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project, not bench/ (its store.py would shadow the package)

from customs.card.control import ControlAddress, ControlCard, ControlWatcher  # noqa: E402
from sandbox.card import SANDBOX_PIN, in_process_card  # noqa: E402
from sandbox.card.control import ControlStandIn  # noqa: E402

SAMPLES = 30
DATA = bytes(range(256)) * 4  # 1 KiB, not UTF-8: the base64 path


def _median_ms(run: Callable[[], None], samples: int = SAMPLES) -> float:
    run()  # warm-up
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _sign_ms(address: str) -> float:
    card = ControlCard(ControlAddress(address))
    try:
        card.read_info()
        card.verify_pin(SANDBOX_PIN)
        return _median_ms(lambda: card.sign(DATA))
    finally:
        card.close()


def _login_ms(address: str) -> float:
    def login() -> None:
        card = ControlCard(ControlAddress(address))
        card.read_info()
        card.verify_pin(SANDBOX_PIN)
        card.certificate()
        card.close()

    return _median_ms(login, samples=10)


def _notice_ms(stand_in: ControlStandIn, fault: str) -> float:
    """Median ms from `fault` (pulled, mute) to the watcher's call."""
    times = []
    for _ in range(5):
        stand_in.set_fault("none")
        fired = threading.Event()
        watcher = ControlWatcher(
            ControlAddress(stand_in.address), None, lambda _reason, fired=fired: fired.set()
        ).start()
        time.sleep(0.3)
        start = time.perf_counter()
        stand_in.set_fault(fault)
        fired.wait(5)
        times.append(time.perf_counter() - start)
        watcher.stop()
    stand_in.set_fault("none")
    return statistics.median(times) * 1000


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="tc-bench-"))
    try:
        card = in_process_card()
        card.verify_pin(SANDBOX_PIN)
        print(f"inprocess_sign_ms {_median_ms(lambda: card.sign(DATA)):.1f} ms")
        with ControlStandIn().start_tcp() as tcp:
            print(f"control_sign_tcp_ms {_sign_ms(tcp.address):.1f} ms")
        with ControlStandIn().start_unix(directory / "tuihuo-card.sock") as unix:
            print(f"control_sign_unix_ms {_sign_ms(unix.address):.1f} ms")
            print(f"control_login_unix_ms {_login_ms(unix.address):.1f} ms")
            print(f"control_pull_notice_ms {_notice_ms(unix, 'pulled'):.0f} ms")
            print(f"control_mute_notice_ms {_notice_ms(unix, 'mute'):.0f} ms")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
