"""Text as operators type it and as terminals show it, headless (no Textual).

- `unsafe_at(text)`: the index of the first character a terminal or a reader acts on instead of
  showing: C0 controls (U+0000-U+001F), DEL, C1 controls (U+0080-U+009F), the line and paragraph
  separators U+2028/U+2029, and the bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F,
  U+061C) that reorder what follows them. None when there is none. Typed text holding one is
  refused; a value read back from the database or a backfill is shown through `inert`.
- `inert(text)`: the same text with each such character replaced by ONE visible one-cell mark
  (a C0 control by its Unicode control picture, ␛ for ESC; anything else by ␦), so an ESC
  sequence never reaches the terminal and an Input's cursor index still matches what is shown.
  The marks are narrow (east-asian width N), never ambiguous-width.
- `code_text(text)`: a code field as the IME typed it, folded to half-width (NFKC: ０１ → 01,
  （ → (, － → -, ideographic space → space) and stripped. NFKC leaves other scripts' digits
  (Arabic-Indic ١٢٣) alone, so callers still check for ASCII.
- `paste_pieces(text)`: pasted text cut at line breaks (CRLF, LF, CR and the other separators
  `str.splitlines` knows) and tabs (a spreadsheet row), as (pieces, cut_by_tab).
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
LINE_SEPARATORS = frozenset("\u2028\u2029")
OTHER_MARK = "\u2426"  # ␦: a C1 control, DEL's neighbours, a bidi control, a line separator
DEL_MARK = "\u2421"  # ␡

_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI_CONTROLS)) + "]")


def _mark(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, ␛ for ESC
    if code == 0x7F:
        return DEL_MARK
    return OTHER_MARK


_UNSAFE_CODES = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *map(ord, BIDI_CONTROLS)]
_INERT_TABLE = {code: _mark(chr(code)) for code in _UNSAFE_CODES}


def unsafe_at(text: str) -> int | None:
    """Index of the first control, line separator or bidi control in `text`, or None."""
    found = _UNSAFE_RE.search(text)
    return None if found is None else found.start()


def describe(char: str) -> str:
    """A control named for the operator: 'U+001B'."""
    return f"U+{ord(char):04X}"


def inert(text: str) -> str:
    """`text` safe to show: every unsafe character replaced by one visible narrow mark."""
    if _UNSAFE_RE.search(text) is None:
        return text
    return text.translate(_INERT_TABLE)


def code_text(text: str) -> str:
    """A code as typed with a full-width IME, folded to half-width and stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def non_ascii_at(text: str) -> int | None:
    """Index of the first character outside ASCII, or None (for codes after `code_text`)."""
    for index, char in enumerate(text):
        if not char.isascii():
            return index
    return None


_LINE_BREAKS_RE = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def has_breaks(text: str) -> bool:
    """Whether `text` holds a line break or a tab (what `paste_pieces` cuts at)."""
    return "\t" in text or _LINE_BREAKS_RE.search(text) is not None


def paste_pieces(text: str) -> tuple[list[str], bool]:
    """Non-empty pieces of a paste, cut at line breaks and tabs; and whether a tab cut it."""
    pieces: list[str] = []
    by_tab = False
    for line in _LINE_BREAKS_RE.split(text):
        cells = line.split("\t")
        by_tab = by_tab or len([c for c in cells if c.strip()]) > 1
        pieces.extend(cell.strip() for cell in cells if cell.strip())
    return pieces, by_tab


__all__ = [
    "BIDI_CONTROLS",
    "code_text",
    "describe",
    "has_breaks",
    "inert",
    "non_ascii_at",
    "paste_pieces",
    "unsafe_at",
]
