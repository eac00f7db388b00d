"""Which band of rows moved up or down, and the terminal bytes that scroll it (tui/screen_diff.py).

A band that moved by k rows is scrolled by the terminal: a scroll region (DECSTBM
`ESC[top;bottom r`), the cursor to its bottom row and k LF (up) or to its top row and k RI `ESC M`
(down), the region reset (`ESC[r`). SGR is reset first, so the rows that come in are blank with the
default background; they are painted after. LF/RI in a region is what every target terminal has
(xterm, tmux, screen, the Linux console, PuTTY); CSI S/T are not used.

The band is found by cost, in blocks of BLOCK cells: rows that match the rows k away only in part
(a pane scrolled beside a side bar that did not, a scroll bar's thumb that moved) count for the
part that matches, and a scroll is made only when it saves more bytes than it costs.
"""

from __future__ import annotations

from collections.abc import Sequence

Cell = tuple[str, str, str]  # text ("" for the right half of a wide character), SGR, link
Row = tuple[Cell, ...]

BLOCK = 8  # cells compared together when looking for rows that moved
RESET = "\x1b[0m"


def move_to(x: int, y: int) -> str:
    """The cursor to column `x`, row `y` (0-based); the first column is CUP's default."""
    return f"\x1b[{y + 1};{x + 1}H" if x else f"\x1b[{y + 1}H"


class Scroll:
    """Rows `top`..`bottom` (0-based, inclusive) moved by `shift` rows: >0 up, <0 down."""

    def __init__(self, top: int, bottom: int, shift: int) -> None:
        self.top, self.bottom, self.shift = top, bottom, shift

    def apply(self, shown: list[Row | None]) -> str:
        """The terminal bytes of the scroll (SGR plain before and after); `shown` becomes what
        the terminal shows after them (the rows that came in: `None`, blank)."""
        top, bottom, k = self.top, self.bottom, abs(self.shift)
        region = shown[top : bottom + 1]
        if self.shift > 0:
            shown[top : bottom + 1] = region[k:] + [None] * k
            move = move_to(0, bottom) + "\n" * k
        else:
            shown[top : bottom + 1] = [None] * k + region[:-k]
            move = move_to(0, top) + "\x1bM" * k
        # SGR reset first: a terminal erases the rows that come in with the current background
        return f"{RESET}\x1b[{top + 1};{bottom + 1}r{move}\x1b[r"

    def __repr__(self) -> str:
        return f"Scroll({self.top}, {self.bottom}, {self.shift})"


def _blocks(row: Row | None, y: int, ids: dict[Row, int]) -> tuple[int, ...]:
    """A row as the numbers of its blocks of BLOCK cells (equal blocks, equal numbers), to compare
    rows in parts; an unknown row (-1 - y) equals nothing."""
    if row is None:
        return (-1 - y,)
    return tuple(ids.setdefault(row[at : at + BLOCK], len(ids)) for at in range(0, len(row), BLOCK))


def _block_costs(row: Row) -> list[int]:
    """About how many bytes writing each block of `row` takes: its text (a wide character 3) and
    10 per change of style."""
    costs = [0] * -(-len(row) // BLOCK)
    before = None
    for x, (text, style, _) in enumerate(row):
        cost = len(text) if text < "\x80" else 3
        if style != before:
            cost += 10
            before = style
        costs[x // BLOCK] += cost
    return costs


def _write_cost(new: tuple[int, ...], base: tuple[int, ...], costs: list[int]) -> int:
    """About what writing `new` over `base` takes: the blocks that differ."""
    if len(base) != len(new):
        return sum(costs)
    return sum(cost for cost, a, b in zip(costs, new, base, strict=True) if a != b)


class ScrollSearch:
    """The scrolls worth making on the way to the frame `new`."""

    def __init__(self, new: Sequence[Row]) -> None:
        self.new = new
        self.ids: dict[Row, int] = {}
        self.new_blocks = [_blocks(row, y, self.ids) for y, row in enumerate(new)]
        self.costs = [_block_costs(row) for row in new]
        self.whole = [sum(c) for c in self.costs]

    def best(self, shown: Sequence[Row | None]) -> Scroll | None:
        """The scroll that saves the most bytes from `shown`, if any saves some."""
        return _best_scroll(self, shown)


def _best_scroll(search: ScrollSearch, shown: Sequence[Row | None]) -> Scroll | None:
    """The scroll that saves the most bytes, if any saves some.

    For a shift k up, row i of `new` gains what writing it over the shown row i costs less what
    writing it over the shown row i+k would (block by block: both 0 when all matches). A band's
    score is its rows' gains, less what the k rows that come in blank cost beyond what they cost
    now, less the scroll's own bytes. Best band per shift by prefix sums; down is up, reversed.
    Only the shifts that blocks of changed rows vote for are tried (`_shifts`).
    """
    new, new_blocks, costs, whole = search.new, search.new_blocks, search.costs, search.whole
    height = len(new)
    changed = [shown[y] is None or shown[y] != new[y] for y in range(height)]
    shown_blocks = [_blocks(row, y, search.ids) for y, row in enumerate(shown)]
    now = [
        _write_cost(new_blocks[y], shown_blocks[y], costs[y]) if changed[y] else 0
        for y in range(height)
    ]
    best: tuple[int, Scroll] | None = None
    shifts = _shifts(new_blocks, shown_blocks, costs, changed)
    for reverse in (False, True):
        order = list(range(height))[::-1] if reverse else list(range(height))
        # the rows that come in blank: whole, where writing them costs `now` without the scroll
        spoiled = [0]
        for y in order:
            spoiled.append(spoiled[-1] + whole[y] - now[y])
        for k in (-shift if reverse else shift for shift in shifts):
            if not 0 < k < height - 1:
                continue
            gains = []
            for i in range(height - k):
                y, source = order[i], order[i + k]
                if new_blocks[y] == shown_blocks[source]:
                    gains.append(now[y])
                else:
                    gains.append(
                        now[y] - _write_cost(new_blocks[y], shown_blocks[source], costs[y])
                    )
            found = _best_band(gains, spoiled, k)
            if found is None or (best is not None and found[0] <= best[0]):
                continue
            score, a, b = found
            top, bottom = a, b + k  # the region, in `order`'s numbering
            if reverse:
                top, bottom = height - 1 - bottom, height - 1 - top
            best = (score, Scroll(top, bottom, -k if reverse else k))
    return best[1] if best is not None else None


def _shifts(
    new_blocks: list[tuple[int, ...]],
    shown_blocks: list[tuple[int, ...]],
    costs: list[list[int]],
    changed: list[bool],
    tries: int = 4,
) -> list[int]:
    """The shifts (>0 up) that the most bytes of changed rows would find again k rows away: each
    block of a changed row votes for the shift to each shown row with that block at that place,
    weighed by its cost; a block shown in many rows at that place (blank) votes for none."""
    where: dict[tuple[int, int], list[int]] = {}
    for s, blocks in enumerate(shown_blocks):
        for at, block in enumerate(blocks):
            where.setdefault((at, block), []).append(s)
    votes: dict[int, int] = {}
    for y, blocks in enumerate(new_blocks):
        if not changed[y]:
            continue
        for at, block in enumerate(blocks):
            rows = where.get((at, block), ())
            if len(rows) > 3:
                continue
            for s in rows:
                if s != y:
                    votes[s - y] = votes.get(s - y, 0) + costs[y][at]
    return sorted(votes, key=votes.__getitem__, reverse=True)[:tries]


def _best_band(gains: list[int], spoiled: list[int], k: int) -> tuple[int, int, int] | None:
    """The band a..b of the best score (rows a..b+k scroll): `gains` per row of the band,
    `spoiled` the prefix sums of what each row costs more when it comes in blank."""
    if max(gains, default=0) <= 0:
        return None
    overhead = 24 + k
    best: tuple[int, int, int] | None = None
    total, low, low_at = 0, 0, 0
    prefix = [0]
    for gain in gains:
        total += gain
        prefix.append(total)
    for b in range(len(gains)):
        if prefix[b] < low:
            low, low_at = prefix[b], b
        incoming = spoiled[b + k + 1] - spoiled[b + 1]
        score = prefix[b + 1] - low - incoming - overhead
        if score > 0 and (best is None or score > best[0]):
            best = (score, low_at, b)
    return best
