"""The app in a real terminal: tmux at 80x24, keys by send-keys, the screen by capture-pane.

Every wait polls the screen until the text shows (never a fixed sleep); each terminal has its own
tmux socket, killed at the end.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.services import missing_service

ROOT = Path(__file__).resolve().parent.parent


class Terminal:
    def __init__(self, home: Path, *, width: int = 80, height: int = 24, **env: str) -> None:
        if shutil.which("tmux") is None:
            missing_service("tmux not installed (apt-get install tmux)")
        self.socket = f"tuihuo-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.env = {
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),  # the log
            "TUIHUO_SANDBOX_STEP_SECONDS": "1",
            **env,
        }

    def _tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr}")
        return result.stdout

    def start(self, *args: str, say_exit: bool = False) -> Terminal:
        """Start `tuihuo ARGS` (the project's own command) in a fresh 80x24 terminal.

        `say_exit`: a shell runs it and prints `[tuihuo exited N]` when it has ended. tmux 3.3a
        sometimes misses its pane process's SIGCHLD and leaves it a zombie, "Pane is dead" unsaid,
        until some other signal wakes it (seen 2 runs in 8, up to 90 s); the shell's blocking wait
        does not miss it.
        """
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        tuihuo = Path(sys.executable).parent / "tuihuo"
        # COLUMNS/LINES in the environment (tmux's shell may export the size it started with)
        # would pin Textual's size (shutil.get_terminal_size prefers them): a resize must be seen
        run = f"env -u COLUMNS -u LINES {exports} {tuihuo} {' '.join(args)}"
        run = f'{run}; echo "[tuihuo exited $?]"' if say_exit else f"exec {run}"
        command = f"cd {shlex.quote(str(ROOT))} && {run}"
        subprocess.run(
            [
                "tmux",
                "-L",
                self.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                str(self.width),
                "-y",
                str(self.height),
                command,
            ],
            check=True,
        )
        self._tmux("set", "-g", "escape-time", "10")
        return self

    def resize(self, width: int, height: int) -> None:
        """The terminal window to `width` x `height` cells (the app gets SIGWINCH)."""
        self._tmux("resize-window", "-x", str(width), "-y", str(height))

    def pid(self) -> int:
        return int(self._tmux("display", "-p", "#{pane_pid}").strip())

    def keys(self, *keys: str) -> None:
        """Named keys as tmux knows them: Enter, BTab, Space, F2, M-s, Down …"""
        self._tmux("send-keys", *keys)

    def type(self, text: str, *then: str) -> None:
        """Literal text (Chinese included), then named keys."""
        self._tmux("send-keys", "-l", text)
        if then:
            self.keys(*then)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", check=False)

    def screen_sgr(self) -> str:
        """The screen with its attributes and colours as SGR sequences (`capture-pane -e`)."""
        return self._tmux("capture-pane", "-p", "-e", check=False)

    def wait(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; the screen:\n{screen}")
            time.sleep(0.05)

    def wait_line(self, *parts: str, timeout: float = 20.0) -> str:
        """Wait for one line of the screen holding every part (a label and its value)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if any(all(p in line for p in parts) for line in screen.splitlines()):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"no line with {parts!r}; the screen:\n{screen}")
            time.sleep(0.05)

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text not in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never went; the screen:\n{screen}")
            time.sleep(0.05)

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "-L", self.socket, "has-session"], capture_output=True, check=False
            ).returncode
            == 0
        )

    def close(self) -> None:
        self._tmux("kill-server", check=False)
        deadline = time.monotonic() + 5
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)


def kill(terminal: Terminal, signal: int) -> None:
    """Kill the app in the terminal with `signal` and wait until its terminal is gone."""
    os.kill(terminal.pid(), signal)
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    terminal.close()
