"""The app in a pseudo-terminal whose bytes a real VT emulator (pyte) draws: what an operator sees.

`PtyScreen(home, **env)` starts the installed `tuihuo` at 80x24, 256 colours, as over OpenSSH
(no COLORTERM). `send(bytes)` writes keys and reads until the app has been quiet for `QUIET_S`,
returning the bytes it sent; `resize(width, height)` resizes the terminal. `lines()` is the text
pyte shows, `cells()` text and attributes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from pathlib import Path

import pyte

QUIET_S = 0.3  # a frame can take its time on a shared machine: silence this long ends a read


class PtyScreen:
    def __init__(self, home: Path, width: int = 80, height: int = 24, **env: str) -> None:
        environ = dict(os.environ, TERM="xterm-256color", COLUMNS=str(width), LINES=str(height))
        environ.pop("COLORTERM", None)
        environ.update(
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_STATE_HOME=str(home / "state"),
            TUIHUO_SANDBOX_STEP_SECONDS="1",
            **env,
        )
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        argv = [str(Path(sys.executable).parent / "tuihuo")]
        pid, fd = pty.fork()
        if pid == 0:  # the child: the app
            os.execvpe(argv[0], argv, environ)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        self.seen = b""

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the app has ended
            return b""
        self.seen += chunk
        self.stream.feed(chunk)
        return chunk

    def until(self, text: str, timeout: float = 30.0) -> None:
        """Read until pyte shows `text` somewhere on the screen."""
        deadline = time.monotonic() + timeout
        while text not in "\n".join(self.lines()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} never shown:\n" + "\n".join(self.lines()))
            self._read(0.05)

    def settle(self, timeout: float = 30.0) -> bytes:
        """Everything the app sends until it has been quiet for QUIET_S."""
        got = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = self._read(QUIET_S)
            if not chunk:
                return got
            got += chunk
        raise TimeoutError("the app never went quiet")

    def send(self, keys: bytes) -> bytes:
        os.write(self.fd, keys)
        return self.settle()

    def resize(self, width: int, height: int) -> bytes:
        """The terminal resized (the app gets SIGWINCH); what the app sends for it."""
        self.screen.resize(height, width)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        return self.settle()

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def cells(self) -> list[list[tuple[str, str, str, bool, bool, bool]]]:
        """Per row, per column: text, foreground, background, bold, reverse, underline."""
        buffer = self.screen.buffer
        return [
            [
                (c.data, c.fg, c.bg, c.bold, c.reverse, c.underscore)
                for c in (buffer[y][x] for x in range(self.screen.columns))
            ]
            for y in range(self.screen.lines)
        ]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, 15)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)
