"""A session killed at a random moment of a typed journey gives back what was typed a second before.

The journey is typed one character at a time with random pauses, the way an operator types, into
fields left by Tab and Enter and into the field still being typed; the process is killed (SIGKILL or
SIGHUP, at random) at a random moment. After a restart and 恢复, every field shows at least what had
been typed more than one second before the kill (the draft's promise, screens/entry_draft.py) and
nothing that was never typed. TUIHUO_KILL_RUNS sets how many journeys (default 3).
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from sandbox.card import SANDBOX_PIN
from tests.tmux import Terminal, kill

pytestmark = pytest.mark.tmux

RUNS = int(os.environ.get("TUIHUO_KILL_RUNS", "3"))
# label on screen, text typed, the key that leaves the field (None: still being typed)
JOURNEY = (
    ("进口报关单号", "220120251000000892", "Tab"),  # Tab: no fetch (not a sandbox number)
    ("收货人所在地", "上海市浦东新区张杨路1号", "Enter"),
    ("收货联系人及联系电话", "赵六", "Enter"),
    ("联系电话", "13812345678", None),
)


def log_in(term: Terminal) -> None:
    term.wait("持卡人：张三")
    term.type(SANDBOX_PIN, "Enter")


def typed_journey(term: Terminal, rng: random.Random, stop_after: float) -> list[tuple[float, int]]:
    """Type until `stop_after` seconds have passed; (time sent, field index) per character."""
    sent: list[tuple[float, int]] = []
    start = time.monotonic()
    for index, (_label, text, leave) in enumerate(JOURNEY):
        for character in text:
            if time.monotonic() - start > stop_after:
                return sent
            term.type(character)
            sent.append((time.monotonic(), index))
            time.sleep(rng.uniform(0.0, 0.25))
        if leave is not None:
            term.keys(leave)
    return sent


@pytest.mark.parametrize("run", range(RUNS))
def test_a_random_kill_keeps_what_was_typed_a_second_before(tmp_path: Path, run: int) -> None:
    rng = random.Random(f"kill-{run}-{time.time_ns()}")
    how = rng.choice((signal.SIGKILL, signal.SIGHUP))
    first = Terminal(tmp_path).start()
    try:
        log_in(first)
        first.wait("进口报关单号：按回车获取数据")
        sent = typed_journey(first, rng, stop_after=rng.uniform(1.5, 9.0))
        time.sleep(rng.uniform(0.0, 1.5))
        killed_at = time.monotonic()
        kill(first, how)
    finally:
        first.close()
    counts = [0] * len(JOURNEY)
    for when, index in sent:
        if when < killed_at - 1.0:
            counts[index] += 1
    expected = [text[:n] for (_l, text, _k), n in zip(JOURNEY, counts, strict=True)]
    if not any(expected):
        return  # nothing was typed a second before the kill: nothing is owed
    second = Terminal(tmp_path).start()
    try:
        log_in(second)
        second.wait("发现未保存的录入内容")
        second.keys("Enter")
        second.wait_line("进口报关单号", expected[0])
        screen = second.screen()
        for (label, text, _leave), owed in zip(JOURNEY, expected, strict=True):
            if not owed:
                continue
            line = next(
                line for line in screen.splitlines() if label in line and owed in line
            )  # StopIteration: the owed text is not on the field's line
            shown = line.split(label, 1)[1]
            assert text[: len(owed)] == owed and owed in shown, (how, label, owed, line)
    finally:
        second.close()
