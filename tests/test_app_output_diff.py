"""The output layer in the real app (tui/output.py): `tuihuo` in a pseudo-terminal at 80x24, 256
colours, its bytes drawn by a VT emulator (pyte). An entry session that scrolls the form down and
up (Enter, ↑, PageDown, PageUp) and the 查询 grid (↓, ↑, → ←), resizing the terminal, shows after
every step exactly the screen of the same session with the layer off (`TUIHUO_DIFF_OUTPUT=0`,
Textual's own output); and the Enter that scrolls the form costs at most 2,500 bytes with it on
(over 7 KB with it off)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.pty_screen import PtyScreen
from tests.seed import seed

ENTERS = 12  # through the form's first screen and a half, as bench/tui.py
RESIZE = b"resize"  # a step that resizes the terminal: 100x30, the next one back to 80x24
SCROLL_BYTES = 2_500

# (keys, what the screen shows after them); every step is compared
STEPS: list[tuple[bytes, str | None]] = [
    *[(b"\r", None)] * ENTERS,  # down the form: Enter to the next field, scrolling it twice
    *[(b"\x1b[A", None)] * 8,  # ↑ back up: the form scrolls down
    (b"\x1b[6~", None),  # PageDown
    (b"\x1b[6~", None),
    (b"\x1b[5~", None),  # PageUp
    (b"\x06", "最近操作时间"),  # Ctrl+F: the 查询 tab
    (b"\x1b[15~", "共 25 条"),  # F5 查询: 20 rows a page in a grid taller than the screen
    *[(b"\x1b[B", None)] * 16,  # ↓ down the grid: it scrolls
    *[(b"\x1b[A", None)] * 16,  # ↑ back: it scrolls back
    *[(b"\x1b[C", None)] * 6,  # → the grid's columns scroll sideways: rows rewritten
    *[(b"\x1b[D", None)] * 6,
    (RESIZE, "共 25 条"),  # a larger terminal, then 80x24 again: painted whole each time
    (RESIZE, "共 25 条"),
    (b"\x1b[B", None),
]


def visible(screen: PtyScreen) -> list[list[tuple[object, ...]]]:
    """Every cell as it shows: a blank without reverse, underline or strike shows its background
    only (the layer sends a blank's colours only as far as they show)."""
    return [
        [
            (" ", "-", bg, False, False, False)
            if text == " " and not (reverse or underline)
            else (text, fg, bg, bold, reverse, underline)
            for text, fg, bg, bold, reverse, underline in row
        ]
        for row in screen.cells()
    ]


def session(
    home: Path, db: Path, **env: str
) -> tuple[list[list[list[tuple[object, ...]]]], list[int]]:
    """The screen after each step and the bytes each Enter cost."""
    data = home / "data" / "tuihuo"
    data.mkdir(parents=True)
    shutil.copy(db, data / "tuihuo.db")  # the same records, to the second, in both sessions
    term = PtyScreen(home, **env)
    screens, enters = [], []
    try:
        term.until("持卡人")
        term.settle()
        term.send(SANDBOX_PIN.encode() + b"\r")
        term.until("网关：已连接")
        term.until("进口报关单号：")
        term.settle()
        term.send(b"\x15")  # Ctrl+U: the field empty, so Enter fetches nothing
        sizes = iter([(100, 30), (80, 24)])
        for keys, shown in STEPS:
            sent = term.resize(*next(sizes)) if keys == RESIZE else term.send(keys)
            if shown is not None:
                term.until(shown)
                term.settle()
            if keys == b"\r":
                enters.append(len(sent))
            screens.append(visible(term))
    finally:
        term.close()
    return screens, enters


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "tuihuo.db"
    seed(db, drafts=23, received=2)
    return db


def test_the_screen_is_textuals_own_and_a_scrolling_enter_costs_at_most_2500_bytes(
    tmp_path: Path, records: Path
) -> None:
    plain, plain_enters = session(tmp_path / "plain", records, TUIHUO_DIFF_OUTPUT="0")
    diffed, enters = session(tmp_path / "diffed", records)
    assert max(plain_enters) > 7_000  # the Enter that scrolls: the whole screen, with the layer off
    for step, (want, got) in enumerate(zip(plain, diffed, strict=True)):
        assert got == want, f"step {step} ({STEPS[step][0]!r}) shows otherwise"
    assert max(enters) <= SCROLL_BYTES, enters
