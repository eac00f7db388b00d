"""What the terminal shows, kept per row, and the bytes that turn it into the next frame.

A frame is a list of rows, one per screen line; a row is a tuple of cells, one per column; a cell is
`(text, sgr, link)`: the grapheme drawn there (`""` for the right half of a double-width
character, which always follows its left half), the SGR parameters of its style as Textual renders
them (`"1;38;5;231;48;5;17"`, `""` for none) and its OSC 8 hyperlink (`""` for none).

`ShownFrame.paint(new)` returns the terminal bytes that change what the terminal shows into `new`,
and from then on takes `new` as shown:

- nothing known (the first frame, a new size, after `invalidate`): every row, whole;
- a band of rows that moved up or down by k rows is scrolled by the terminal first
  (`tui/scroll_search.py`: which band, and the bytes), and the rows that came in are painted;
- any other row that differs is written from its first changed cell to its last (two changed parts
  far apart: each its own), widened so that no write starts or ends inside a double-width
  character, the old one or the new one (a terminal erases a whole wide character when half of it
  is overwritten);
- a changed row holding a grapheme of several code points (an emoji with VS16 such as ⚠️, a ZWJ
  sequence, a letter with a combining mark), before or after, is written whole from its first
  column, as Textual writes it: terminals draw such graphemes at widths of their own (tmux 3.3a:
  ⚠️ one cell where Rich counts two), so what they drew after it sits off Rich's columns and a
  write at an absolute column in that row would leave a stale cell (a tester saw the old cursor
  block stay beside 退 after ⚠️).

A space's cell keeps only the style that shows on it (`blank_sgr`): runs of blanks in colours
that differ only in their (invisible) foreground need no change of style.

Every write places the cursor absolutely (`ESC[row;col H`). The SGR state is followed through the
output: only the parameters that change are sent (a colour back to the default by 39/49; an
attribute that goes off by a reset, `0;…`), and the output ends reset, as Textual's does. Sideways
movement is no terminal feature: a row whose content moved left or right is rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from tui.scroll_search import RESET, Cell, Row, ScrollSearch, move_to

Pen = tuple[frozenset[str], str, str]  # attributes, foreground, background: SGR parameters

GAP = 8  # equal cells between two changed parts of a row beyond which each is written by itself
MIN_CHANGED_ROWS = 3  # fewer changed rows: not worth looking for a scroll
MAX_SCROLLS = 4  # bands scrolled in one update at most (two panes that scrolled at once)


@lru_cache(maxsize=4096)
def pen_of(sgr: str) -> Pen:
    """The attributes and colours of Textual's SGR parameters (`Strip.render_ansi`)."""
    attributes: list[str] = []
    foreground = background = ""
    codes = sgr.split(";") if sgr else []
    at = 0
    while at < len(codes):
        code = codes[at]
        if code in ("38", "48"):
            size = 3 if at + 1 < len(codes) and codes[at + 1] == "5" else 5
            colour = ";".join(codes[at : at + size])
            at += size
            if code == "38":
                foreground = colour
            else:
                background = colour
            continue
        number = int(code)
        if 30 <= number <= 39 or 90 <= number <= 97:
            foreground = code
        elif 40 <= number <= 49 or 100 <= number <= 107:
            background = code
        else:
            attributes.append(code)
        at += 1
    return frozenset(attributes), foreground, background


@lru_cache(maxsize=4096)
def blank_sgr(sgr: str) -> str:
    """The style of a space as it shows: its background, and its foreground only with an
    attribute that draws in it (reverse, underline, strike, overline); bold, dim, italic, blink
    show nothing on a space."""
    attributes, foreground, background = pen_of(sgr)
    lines = sorted(attributes & LINE_ATTRIBUTES, key=int)
    codes = [*lines, foreground] if lines and foreground else lines
    return ";".join([*codes, background] if background else codes)


LINE_ATTRIBUTES = frozenset({"4", "7", "9", "21", "53"})


@lru_cache(maxsize=16384)
def pen_change(before: str, after: str) -> str:
    """The SGR sequence from style `before` to style `after` (their SGR parameters), or ""."""
    if before == after:
        return ""
    if not after:
        return RESET
    was, now = pen_of(before), pen_of(after)
    if not was[0] <= now[0]:  # an attribute goes off: its off-codes vary by terminal, 0 does not
        return f"\x1b[0;{after}m"
    codes = sorted(now[0] - was[0])
    if now[1] != was[1]:
        codes.append(now[1] or "39")
    if now[2] != was[2]:
        codes.append(now[2] or "49")
    return f"\x1b[{';'.join(codes)}m"


class Writer:
    """Terminal output that follows the SGR state and the open hyperlink from one write to the
    next; starts and ends with both plain."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.sgr = ""
        self.link = ""

    def move(self, x: int, y: int) -> None:
        self.out.append(move_to(x, y))

    def write(self, cells: Sequence[Cell]) -> None:
        out = self.out
        for text, sgr, link in cells:
            if link != self.link:
                if self.link:
                    out.append("\x1b]8;;\x1b\\")
                if link:
                    out.append(f"\x1b]8;;{link}\x1b\\")
                self.link = link
            # a space shows the same in any style of the same blank_sgr: no change for it
            if sgr != self.sgr and not (text == " " and blank_sgr(self.sgr) == blank_sgr(sgr)):
                out.append(pen_change(self.sgr, sgr))
                self.sgr = sgr
            out.append(text)

    def plain(self) -> None:
        """Back to no style and no link."""
        self.write(())
        if self.link:
            self.out.append("\x1b]8;;\x1b\\")
            self.link = ""
        if self.sgr:
            self.out.append(RESET)
            self.sgr = ""

    def raw(self, text: str) -> None:
        self.out.append(text)

    def text(self) -> str:
        self.plain()
        return "".join(self.out)


class ShownFrame:
    """The frame the terminal shows now, row by row; `None` before the first paint."""

    def __init__(self) -> None:
        self.rows: list[Row] | None = None

    def invalidate(self) -> None:
        """The terminal may show anything (resized, suspended, written to by others): the next
        paint is whole."""
        self.rows = None

    def paint(self, new: Sequence[Row]) -> str:
        """The bytes that change the shown frame into `new` (rows of equal width); `new` is shown
        after them."""
        old = self.rows
        self.rows = list(new)
        writer = Writer()
        if old is None or len(old) != len(new) or (new and len(old[0]) != len(new[0])):
            for y, row in enumerate(new):
                writer.move(0, y)
                writer.write(row)
            return writer.text()
        shown: list[Row | None] = list(old)
        changed = sum(1 for y, row in enumerate(new) if old[y] is not row and old[y] != row)
        if changed >= MIN_CHANGED_ROWS:
            scrolls = ScrollSearch(new)
            for _ in range(MAX_SCROLLS):
                scroll = scrolls.best(shown)
                if scroll is None:
                    break
                writer.raw(scroll.apply(shown))
        for y, row in enumerate(new):
            before = shown[y]
            if before is None:
                writer.move(0, y)
                writer.write(row)
            elif before is not row and before != row:
                if width_unsure(before) or width_unsure(row):
                    writer.move(0, y)
                    writer.write(row)
                    continue
                for start, end in changed_parts(before, row):
                    writer.move(start, y)
                    writer.write(row[start:end])
        return writer.text()


def width_unsure(row: Row) -> bool:
    """The row holds a grapheme of several code points, whose width terminals judge unlike Rich."""
    return any(len(text) > 1 for text, _, _ in row)


def changed_parts(old: Row, new: Row) -> list[tuple[int, int]]:
    """The parts [start, end) of a row to write to turn `old` into `new`, each from a safe cell."""
    width = len(new)
    parts: list[tuple[int, int]] = []
    x = 0
    while x < width:
        if old[x] == new[x]:
            x += 1
            continue
        start, end = x, x  # end: the last changed cell of this part
        x += 1
        while x < width:
            if old[x] != new[x]:
                end = x
            elif x - end > GAP:
                break
            x += 1
        # never start or stop inside a double-width character, old or new
        while start > 0 and (new[start][0] == "" or old[start][0] == ""):
            start -= 1
        while end + 1 < width and (new[end + 1][0] == "" or old[end + 1][0] == ""):
            end += 1
        x = max(x, end + 1)
        if parts and start <= parts[-1][1]:
            start = parts.pop()[0]
        parts.append((start, end + 1))
    return parts
