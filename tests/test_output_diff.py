"""The output layer's bytes (tui/screen_diff.py), replayed on a real VT emulator (pyte): a terminal
that showed one frame shows exactly the next after them, text and attributes, whatever moved.

The expected screen is drawn on a fresh pyte screen the way Textual draws a frame (each styled run
at its place, reset after itself); the layer's bytes are applied to a screen that showed the old
frame. Frames: bands moved up and down by 1..n rows beside columns that did not move, double-width
characters, styled runs, single cells changed, nothing changed.
"""

from __future__ import annotations

import re

import pyte
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.screen_diff import GAP, Row, ShownFrame, changed_parts, move_to

WIDTH, HEIGHT = 24, 10
STYLES = [
    "",
    "1",
    "7",
    "4;38;5;23",
    "38;5;231;48;5;17",
    "1;38;5;214;48;5;233",
    "48;5;234",
    "31",
    "7;38;5;23;48;5;233",
    "38;2;10;20;30;48;2;1;2;3",
    "2;3;9",
    "38;5;253;48;5;234",
]
NARROW = ["a", "b", " ", "*", "▕", "━", "x"]
WIDE = ["中", "文", "录", "（"]


@st.composite
def rows(draw: st.DrawFn) -> Row:
    cells: list[tuple[str, str, str]] = []
    while len(cells) < WIDTH:
        sgr = draw(st.sampled_from(STYLES))
        wide = draw(st.booleans()) and len(cells) < WIDTH - 1
        if wide:
            cells += [(draw(st.sampled_from(WIDE)), sgr, ""), ("", sgr, "")]
        else:
            cells.append((draw(st.sampled_from(NARROW)), sgr, ""))
    return tuple(cells)


frames = st.lists(rows(), min_size=HEIGHT, max_size=HEIGHT)


@st.composite
def next_frames(draw: st.DrawFn, old: list[Row]) -> list[Row]:
    kind = draw(st.sampled_from(["scroll", "scroll", "cells", "same", "other"]))
    if kind == "same":
        return list(old)
    if kind == "other":
        return draw(frames)
    new = list(old)
    if kind == "scroll":
        top = draw(st.integers(0, HEIGHT - 2))
        bottom = draw(st.integers(top + 1, HEIGHT - 1))
        k = draw(st.integers(1, bottom - top))
        band = old[top : bottom + 1]
        fresh = [draw(rows()) for _ in range(k)]
        new[top : bottom + 1] = band[k:] + fresh if draw(st.booleans()) else fresh + band[:-k]
        if draw(st.booleans()):  # a side bar that did not move: the first cells stay put
            side = draw(st.integers(1, 8))
            new = [
                old[y][:side] + new[y][side:]
                if old[y][side][0] != "" and new[y][side][0] != ""
                else new[y]
                for y in range(HEIGHT)
            ]
    for _ in range(draw(st.integers(0, 4))):  # single cells changed
        y, x = draw(st.integers(0, HEIGHT - 1)), draw(st.integers(0, WIDTH - 1))
        if new[y][x][0] != "" and (x + 1 == WIDTH or new[y][x + 1][0] != ""):
            cell = (draw(st.sampled_from(NARROW)), draw(st.sampled_from(STYLES)), "")
            new[y] = (*new[y][:x], cell, *new[y][x + 1 :])
    return new


def textual_way(frame: list[Row]) -> str:
    """A frame as Textual's own output draws it: each cell's text in its style, reset after."""
    out = []
    for y, row in enumerate(frame):
        out.append(move_to(0, y))
        for text, sgr, _ in row:
            if text:
                out.append(f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text)
    return "".join(out)


def screen_of(*outputs: str) -> pyte.Screen:
    screen = pyte.Screen(WIDTH, HEIGHT)
    stream = pyte.Stream(screen)
    for output in outputs:
        stream.feed(output)
    return screen


def visible(c: pyte.screens.Char) -> tuple[object, ...]:
    """A cell as it shows: a space without reverse, underline or strike shows its background only."""
    if c.data == " " and not (c.reverse or c.underscore or c.strikethrough):
        return (" ", "default", c.bg, False, False, False, False, False)
    return (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)


def shown(screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    return [[visible(screen.buffer[y][x]) for x in range(WIDTH)] for y in range(HEIGHT)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_bytes_turn_the_old_frame_into_the_new_one(data: st.DataObject) -> None:
    frame = ShownFrame()
    first = data.draw(frames)
    outputs = [frame.paint(first)]
    terminal = screen_of(outputs[0])
    assert shown(terminal) == shown(screen_of(textual_way(first)))
    current = first
    for _ in range(3):  # a few updates in a row: each from what the last left
        new = data.draw(next_frames(current))
        outputs.append(frame.paint(new))
        pyte.Stream(terminal).feed(outputs[-1])
        assert shown(terminal) == shown(screen_of(textual_way(new))), outputs[-1]
        current = new
    for output in outputs:  # each leaves the SGR state plain, as Textual's output does
        styles = re.findall(r"\x1b\[[0-9;]*m", output)
        assert not styles or styles[-1] == "\x1b[0m"


def _frame(lines: list[str], sgr: str = "48;5;233") -> list[Row]:
    return [tuple((c, sgr, "") for c in line.ljust(WIDTH)) for line in lines]


def test_a_band_moved_by_one_row_is_scrolled_and_only_the_row_that_came_in_is_sent() -> None:
    old = _frame([f"S|line {n}{chr(65 + n) * 12}" for n in range(HEIGHT)])
    new = old[:2] + old[3:9] + _frame(["S|line 99 came in"]) + old[9:]
    frame = ShownFrame()
    frame.paint(old)
    sent = frame.paint(new)
    assert "\x1b[3;9r" in sent and "\x1b[9H\n\x1b[r" in sent
    assert sent.count("line") == 1 and "line 99" in sent
    assert shown(screen_of(textual_way(old), sent)) == shown(screen_of(textual_way(new)))


def test_a_band_moved_down_beside_a_side_bar_that_stays_is_scrolled_back() -> None:
    old = _frame([f"{'ABCDEFGHIJ'[n]}|line {n}{chr(65 + n) * 12}" for n in range(HEIGHT)])
    moved = _frame(["x|line 50 came in", "x|line 51 came in"]) + old[:-2]
    new = [old[y][:2] + moved[y][2:] for y in range(HEIGHT)]  # the side bar did not move
    frame = ShownFrame()
    frame.paint(old)
    sent = frame.paint(new)
    assert "\x1b[1;10r\x1b[1H\x1bM\x1bM\x1b[r" in sent
    assert sent.count("line") == 2
    assert shown(screen_of(textual_way(old), sent)) == shown(screen_of(textual_way(new)))


def test_nothing_changed_sends_nothing_and_one_cell_sends_one_cell() -> None:
    old = _frame([f"row {n}" for n in range(HEIGHT)])
    frame = ShownFrame()
    frame.paint(old)
    assert frame.paint(list(old)) == ""
    new = list(old)
    new[4] = (*new[4][:10], ("Z", "1", ""), *new[4][11:])
    assert frame.paint(new) == "\x1b[5;11H\x1b[1mZ\x1b[0m"


def test_a_write_never_starts_or_ends_inside_a_double_width_character() -> None:
    old = _frame(["ab中文cd"])[0]
    for new_text in ["abX文cd", "ab中Ycd", "a中c文cd", "ab中文c中", "中中中中"]:
        new = _frame([new_text])[0]
        for start, end in changed_parts(old, new):
            assert new[start][0] != "" and old[start][0] != ""
            assert end == WIDTH or (new[end][0] != "" and old[end][0] != "")


def test_changed_parts_far_apart_are_written_apart() -> None:
    old = _frame(["a" * WIDTH])[0]
    new = _frame(["b" + "a" * (WIDTH - 2) + "b"])[0]
    assert changed_parts(old, new) == [(0, 1), (WIDTH - 1, WIDTH)]
    near = _frame([("b" + "a" * (GAP - 1) + "b").ljust(WIDTH, "a")])[0]
    assert changed_parts(old, near) == [(0, GAP + 1)]


def test_style_changes_send_only_what_changes() -> None:
    row = (("a", "1;38;5;231;48;5;17", ""), ("b", "1;38;5;214;48;5;17", ""), ("c", "48;5;17", ""))
    frame = ShownFrame()
    sent = frame.paint([row + (("d", "", ""),) * (WIDTH - 3), *_frame([""] * (HEIGHT - 1))])
    first = re.findall(r"\x1b\[[0-9;]*m", sent.split("\x1b[2H")[0])
    # the second colour alone, then a reset for bold going off, then plain
    assert first[:4] == ["\x1b[1;38;5;231;48;5;17m", "\x1b[38;5;214m", "\x1b[0;48;5;17m", "\x1b[0m"]


def test_a_row_with_a_grapheme_terminals_measure_otherwise_is_written_whole() -> None:
    """tmux draws ⚠️ (U+26A0 U+FE0F) in one cell where Rich counts two: a write at an absolute
    column after it left the old cursor block on screen. Such a row is rewritten from its first
    column, as Textual's own output does, while other rows keep their partial writes."""
    cursor = "48;5;253"
    old = _frame(["row 0", "field ⚠\ufe0f", "row 2 plain", "row 3 plain"])
    old[1] = (*old[1][:6], ("⚠\ufe0f", "", ""), ("", "", ""), (" ", cursor, ""), *old[1][9:])
    new = list(old)
    new[1] = (*old[1][:8], ("退", "", ""), ("", "", ""), (" ", cursor, ""), *old[1][11:])
    new[2] = (*old[2][:6], ("P", "", ""), *old[2][7:])
    frame = ShownFrame()
    frame.paint(old)
    sent = frame.paint(new)
    assert sent.startswith(move_to(0, 1) + "\x1b[48;5;233mfield ")  # the whole row, from column 1
    assert move_to(6, 2) in sent and move_to(0, 2) not in sent  # a plain row: its change only
    for grapheme in ("e\u0301", "👨\u200d👩\u200d👧"):  # a combining mark, a ZWJ sequence
        with_it = list(new)
        with_it[3] = ((grapheme, "", ""), ("", "", ""), *new[3][2:])
        frame.paint(with_it)
        after = list(with_it)
        after[3] = (*with_it[3][:5], ("Q", "", ""), *with_it[3][6:])
        assert frame.paint(after).startswith(move_to(0, 3))
