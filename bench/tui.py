"""The entry form's cost to an operator over SSH, measured in a real pty at 80x24, 256 colours.

    start_ratio <r>          first interactive frame of `tuihuo` (its login screen) over that of a
                             bare Textual app, medians of the same run (target ≤ 1.15)
    start_tuihuo_ms / start_bare_ms   the two medians
    key_ms <ms> / key_bytes <B>       a character typed into a field (≤ 30 ms, ≤ 150 B)
    next_field_ms / next_field_bytes  Enter to the next field (≤ 40 ms, ≤ 1,500 B)
    first_paint_bytes <B>    everything the terminal receives from the start until the login screen
                             shows the card holder and 100 ms pass quietly (≤ 7,000 B)
    scroll_field_bytes <B>   an Enter to the next field that scrolls the form: the largest of those
                             twelve Enters, which go through the form's first screen and a half
                             (≤ 2,500 B)

A time runs from the byte written to the terminal to the last byte the app sends before 100 ms of
quiet; bytes are everything the terminal received for it. The app runs as `tuihuo` with nothing
configured (sandbox gateway and card, SQLite in a throw-away data dir), cursor blink off (the
default). Each figure is a median.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TUIHUO = Path(sys.executable).parent / "tuihuo"
QUIET_S = 0.1
STARTS = 15
KEYS = 20
ENTERS = 12
BARE_APP = """
from textual.app import App
from textual.widgets import Input, Static
class Bare(App):
    def compose(self):
        yield Static("卡口令：")
        yield Input()
Bare().run(mouse=False)
"""


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.started = time.perf_counter()
        self.seen = b""

    def until(self, marker: str, timeout: float = 30.0) -> float:
        """Read until `marker` has been drawn; the time it took since the start, in ms."""
        wanted = marker.encode()
        deadline = time.perf_counter() + timeout
        while wanted not in self.seen:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} never drawn")
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                self.seen += os.read(self.fd, 65536)
        return (time.perf_counter() - self.started) * 1000

    def settle(self, timeout: float = 30.0, *, drain: bool = False) -> tuple[float, int]:
        """Read until QUIET_S of silence; (time of the last byte, bytes). `drain`: none is fine."""
        total, last = 0, 0.0
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], QUIET_S)
            if not ready:
                if last or drain:
                    return last, total
                continue
            chunk = os.read(self.fd, 65536)
            self.seen += chunk
            total += len(chunk)
            last = time.perf_counter()
        raise TimeoutError("the app drew nothing")

    def send(self, data: bytes) -> tuple[float, int]:
        started = time.perf_counter()
        os.write(self.fd, data)
        drawn, count = self.settle()
        return (drawn - started) * 1000, count

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, 15)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("COLORTERM", None)  # as over OpenSSH
    env.update(XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    return env


def start_times(home: Path) -> tuple[float, float]:
    env = environment(home)
    tuihuo, bare = [], []
    for _ in range(STARTS):  # interleaved, so both meet the same machine
        for argv, into in (([str(TUIHUO)], tuihuo), ([sys.executable, "-c", BARE_APP], bare)):
            term = Terminal(argv, env)
            try:
                into.append(term.until("卡口令"))
            finally:
                term.close()
    return statistics.median(tuihuo), statistics.median(bare)


def typing_costs(home: Path) -> None:
    term = Terminal([str(TUIHUO)], environment(home))
    try:
        term.until("持卡人")
        term.settle(drain=True)
        print(f"first_paint_bytes {len(term.seen)} B")
        term.send(b"88888888\r")
        term.until("进口报关单号：")
        term.settle(drain=True)
        keys = [term.send(b"0") for _ in range(KEYS)]
        print(f"key_ms {statistics.median(k[0] for k in keys):.1f} ms")
        print(f"key_bytes {statistics.median(k[1] for k in keys):.0f} B")
        term.send(b"\x15")  # Ctrl+U: an empty field, so Enter fetches nothing
        enters = [term.send(b"\r") for _ in range(ENTERS)]
        print(f"next_field_ms {statistics.median(e[0] for e in enters):.1f} ms")
        print(f"next_field_bytes {statistics.median(e[1] for e in enters):.0f} B")
        # the Enters go through the form's first screen and a half: one of them scrolls it
        print(f"scroll_field_bytes {max(e[1] for e in enters)} B")
    finally:
        term.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        tuihuo, bare = start_times(home)
        print(f"start_tuihuo_ms {tuihuo:.0f} ms")
        print(f"start_bare_ms {bare:.0f} ms")
        print(f"start_ratio {tuihuo / bare:.2f}")
        typing_costs(home)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
