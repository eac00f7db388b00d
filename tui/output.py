"""Between Textual's compositor and its driver: only what differs from what the terminal shows.

Written against Textual 8.2.8. `App._display(screen, update)` receives the compositor's update for
the top screen: a `LayoutUpdate` (every row of the screen, `strips[y]` the row's strips left to
right) or a `ChopsUpdate` (the rows of `spans` (y, x1, x2): `chops[y]` maps each cut x to its strip,
`chop_ends[y]` the cut's end, `None` for a cut nothing was rendered into). `DiffOutput.translate`
turns either into the frame it makes, in cells (`tui/screen_diff.py`), and hands `_display` a
`Painted` update: the bytes that change the frame the terminal shows into that one, scrolling a
moved band with the terminal. Textual still writes it within its synchronized-output markers and
puts the cursor where the focused widget wants it after.

A chop is re-rendered whole by the compositor when its line is in the update: its widgets overlap
the update's crop, so its cells are the current frame's, not only the span's. Anything not
understood (an inline app, another kind of update, a control segment, a strip of the wrong width)
passes through unchanged and the next update is painted whole. `TUIHUO_DIFF_OUTPUT=0` (or
`diff_output = false` in the config file) turns the layer off: Textual's own output.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from rich.cells import cell_len, split_graphemes
from rich.color import ColorSystem
from rich.console import Console, RenderableType
from rich.segment import Segment
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.screen import Screen
from textual.strip import Strip

from tui.screen_diff import Cell, Row, ShownFrame, blank_sgr

log = logging.getLogger(__name__)


class Unsure(Exception):
    """The update holds something the layer does not model: it passes through as Textual made it."""


class Painted(CompositorUpdate):
    """Terminal bytes already made, as `App._display` writes a compositor update."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render_segments(self, console: Console) -> str:
        return self.text


def cells_of(segments: Iterable[Segment], color_system: ColorSystem) -> list[Cell]:
    """The cells of Textual segments, as `Strip.render` would draw them in `color_system`.

    Raises `Unsure` for a control segment or a zero-width character with nothing before it.
    """
    cells: list[Cell] = []
    append = cells.append
    for text, style, control in segments:
        if control:
            raise Unsure("a control segment")
        if style is None:
            sgr = link = ""
        else:
            sgr = style._ansi if style._ansi is not None else Strip.render_ansi(style, color_system)
            link = style._link or ""
        if text.isascii() and text.isprintable():
            blank = (" ", blank_sgr(sgr), link)  # what a space shows: its colours that show
            cells.extend([blank if char == " " else (char, sgr, link) for char in text])
            continue
        graphemes, _ = split_graphemes(text)
        for start, end, width in graphemes:
            grapheme = text[start:end]
            if width == 1:
                append((" ", blank_sgr(sgr), link) if grapheme == " " else (grapheme, sgr, link))
            elif width == 2:
                append((grapheme, sgr, link))
                append(("", sgr, link))
            else:  # zero width: drawn with the grapheme before it (a wide one: its left half)
                at = len(cells) - 1
                if at > 0 and cells[at][0] == "":
                    at -= 1
                if at < 0:
                    raise Unsure("a zero-width character first")
                before = cells[at]
                cells[at] = (before[0] + grapheme, before[1], before[2])
    return cells


class DiffOutput:
    """The frame the terminal shows and the translation of each update against it."""

    def __init__(self) -> None:
        self.frame = ShownFrame()

    def invalidate(self) -> None:
        """The terminal may show anything now (resize, suspend): the next update paints whole."""
        self.frame.invalidate()

    def translate(self, screen: Screen, update: RenderableType, console: Console) -> RenderableType:
        """What `App._display` should write for `update`: a `Painted` update, or `update` itself
        (then the layer forgets what is shown)."""
        try:
            rows = self._rows(screen, update, console._color_system or ColorSystem.TRUECOLOR)
            return Painted(self.frame.paint(rows))
        except Unsure:
            self.invalidate()
            return update
        except Exception:  # a fault of the layer costs bytes, never the operator's screen
            log.exception("output layer: passing Textual's own update through")
            self.invalidate()
            return update

    def _rows(self, screen: Screen, update: RenderableType, colors: ColorSystem) -> list[Row]:
        width, height = screen._compositor.size
        if isinstance(update, LayoutUpdate):
            if update.region != screen._compositor.size.region:
                raise Unsure("a layout update of part of the screen")
            return [_row(cells_of(_joined(line), colors), width) for line in update.strips]
        if not isinstance(update, ChopsUpdate):
            raise Unsure(f"an update of kind {type(update).__name__}")
        shown = self.frame.rows
        if shown is None or len(shown) != height or (shown and len(shown[0]) != width):
            return [
                _row(cells_of(strip, colors), width) for strip in screen._compositor.render_strips()
            ]
        rows = list(shown)
        spans: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in update.spans:
            spans.setdefault(y, []).append((x1, x2))
        for y, parts in spans.items():
            if not 0 <= y < height:
                raise Unsure("a span off the screen")
            cells = list(rows[y])
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if strip is None or not any(x < x2 and x1 < end for x1, x2 in parts):
                    continue
                chop = cells_of(strip, colors)
                if len(chop) != end - x:
                    raise Unsure("a chop of another width than its cut")
                cells[x:end] = chop
            _check_halves(cells)  # a wide character of the old row cut by a new chop
            rows[y] = _row(cells, width)
        return rows


def _joined(strips: Iterable[Strip]) -> Iterable[Segment]:
    for strip in strips:
        yield from strip


def _row(cells: list[Cell], width: int) -> Row:
    if len(cells) != width or (cells and cells[0][0] == ""):
        raise Unsure("a row of another width than the screen")
    return tuple(cells)


def _check_halves(cells: list[Cell]) -> None:
    right_half = False  # the cell before is the left half of a double-width character
    for text, _, _ in cells:
        if right_half != (text == ""):
            raise Unsure("half of a double-width character")
        right_half = not right_half and not text.isascii() and cell_len(text) == 2
    if right_half:
        raise Unsure("half of a double-width character at the row's end")
