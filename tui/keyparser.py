"""Textual's terminal input parser, with Alt+letter read right when another sequence follows at
once, and a bracketed paste holding an ESC kept whole.

Textual 8.2.8's `XTermParser` reads `ESC s` as Alt+S only when nothing follows within ESCAPE_DELAY.
When the next escape sequence is already in the same read (`ESC s ESC [ B`: Alt+S then Down, one
SSH packet), it hands the pending `ESC s` to `reissue_sequence_as_keys(..., process_alt=False)`,
which turns the ESC into a literal "^" key: the field gets "^s" and the save never runs.

`AltSafeXTermParser` changes that: an ESC reissued this way marks the next character as
Alt-modified instead of becoming text. The parser itself is untouched; the hook is its own
`_sequence_to_key_events`, which receives a lone "\\x1b" from nowhere else in 8.2.8 (a lone ESC
key is sent as a token directly, never through it). `install()` puts it in the Linux driver, and
only when the stock parser still misreads either probe (a fixed Textual leaves its parser in place).

Its bracketed paste is the second fix. Textual 8.2.8 looks for the end marker `ESC [201~` with its
escape-sequence reader, so an ESC inside a paste ends the paste: what follows it is read as keys
(run as commands, ahead of the text) and the text before comes later as a Paste, or is lost.
`feed` takes a paste out of the stream before the stock parser sees its content: the start marker
goes through the stock parser (which resolves a pending ESC before it, keeping the order), the
content is collected verbatim until `ESC [201~`, across reads, and the end marker's (empty) Paste
is replaced by one Paste holding the whole text, ESC included (NUL dropped, as upstream does). A
start marker cut by a read boundary is held back until the next read (or ESCAPE_DELAY).
The third: Textual 8.2.8 reads a legacy `ESC [ n ~` as a Kitty-protocol key before its own table of
legacy codes, so F13-F20 (`ESC[25~` … `ESC[34~`, what PuTTY and the Linux console send for
Shift+F3 … Shift+F10) become the control characters chr(n) ("\\x1c" for Shift+F5), or space, "!"
and '"'. Kitty sends `~` only for the functional keys of its own table, so a `~` code outside that
table is the legacy key of `ANSI_SEQUENCES_KEYS` (f13 … f20).
The upstream reports are in docs/notes.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual import constants, events, messages
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._keyboard_protocol import FUNCTIONAL_KEYS
from textual._time import get_time
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser

ESC = "\x1b"
PROBE = "\x1bs\x1b[B"  # Alt+S then Down in one read
WANTED = ["alt+s", "down"]
PASTE_PROBE = f"{BRACKETED_PASTE_START}a\x1bb{BRACKETED_PASTE_END}"  # a paste holding an ESC
PASTE_WANTED = "a\x1bb"
LEGACY_PROBE = "\x1b[28~"  # PuTTY's and the Linux console's Shift+F5 (F15)
LEGACY_WANTED = ["f15"]
_legacy_tilde = re.compile(r"\x1b\[(\d+)~")


class AltSafeXTermParser(XTermParser):
    """XTermParser whose interrupted `ESC <char>` is Alt+<char>, never "^" and the char, and whose
    bracketed paste is one Paste of every character between the markers, in order."""

    def __init__(self, debug: bool = False) -> None:
        self._alt_next = False
        self._pasted: str | None = None  # the content so far while inside a paste
        self._held = ""  # a read's tail that may be a cut start marker
        self._held_at = 0.0
        super().__init__(debug)

    def feed(self, data: str) -> Iterable[messages.Message]:
        if not data:  # end of input: nothing collected is lost
            if self._pasted is not None:
                yield events.Paste(self._pasted.replace("\x00", ""))
                self._pasted = None
            if self._held:
                yield from super().feed(self._held)
                self._held = ""
            yield from super().feed(data)
            return
        data, self._held = self._held + data, ""
        while data:
            if self._pasted is None:
                start = data.find(BRACKETED_PASTE_START)
                if start < 0:
                    data, self._held = _split_cut_marker(data)
                    self._held_at = get_time()
                    if data:
                        yield from super().feed(data)
                    return
                cut = start + len(BRACKETED_PASTE_START)
                yield from super().feed(data[:cut])  # the stock parser is now inside a paste
                self._pasted, data = "", data[cut:]
            else:
                searched_from = max(0, len(self._pasted) - len(BRACKETED_PASTE_END) + 1)
                self._pasted += data
                end = self._pasted.find(BRACKETED_PASTE_END, searched_from)
                if end < 0:
                    return
                text, data = self._pasted[:end], self._pasted[end + len(BRACKETED_PASTE_END) :]
                self._pasted = None
                for token in super().feed(BRACKETED_PASTE_END):  # ends the stock paste: Paste("")
                    if isinstance(token, events.Paste):
                        token = events.Paste(text.replace("\x00", ""))
                    yield token

    def tick(self) -> Iterable[messages.Message]:
        if self._held and get_time() - self._held_at >= constants.ESCAPE_DELAY:
            # not a start marker after all: what the stock parser reads after the same wait
            # (a lone ESC is Escape), without making it wait a second time
            held, self._held = self._held, ""
            yield from super().feed(held)
            self._timeout_time = get_time()
        yield from super().tick()

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence == ESC and not alt:
            # only the reissue of an interrupted sequence sends a lone ESC here: it is a prefix
            self._alt_next = True
            return
        if self._alt_next:
            self._alt_next = False
            alt = True
        legacy = _legacy_key(sequence)
        if legacy is not None:
            yield events.Key(legacy, None)
            return
        yield from super()._sequence_to_key_events(sequence, alt=alt)


def _legacy_key(sequence: str) -> str | None:
    """The key name of a legacy `ESC [ n ~` code that Kitty's table does not know (f13 … f20), or
    None for every other sequence."""
    match = _legacy_tilde.fullmatch(sequence)
    if match is None or f"{match.group(1)}~" in FUNCTIONAL_KEYS:
        return None
    keys = ANSI_SEQUENCES_KEYS.get(sequence)
    if isinstance(keys, tuple) and len(keys) == 1:
        return str(keys[0].value)
    return None


def _split_cut_marker(data: str) -> tuple[str, str]:
    """`data` without a tail that is a beginning of the paste start marker (ESC … ESC [200), and
    that tail ("" when there is none). `tick` lets it go after ESCAPE_DELAY: a lone ESC is Escape
    after the same wait as in the stock parser."""
    for size in range(len(BRACKETED_PASTE_START) - 1, 0, -1):
        if data.endswith(BRACKETED_PASTE_START[:size]):
            return data[:-size], data[-size:]
    return data, ""


def keys_of(parser: XTermParser, data: str) -> list[str]:
    """The key names `parser` reads from `data` as one read, then end of input."""
    tokens = [*parser.feed(data), *parser.feed("")]
    return [t.key for t in tokens if isinstance(t, events.Key)]


def stock_parser_misreads() -> bool:
    """Whether the installed Textual still reads Alt+S + Down in one read as "^", "s", "down"."""
    return keys_of(XTermParser(), PROBE) != WANTED


def pasted_of(parser: XTermParser, data: str) -> list[str]:
    """The texts of the Paste events `parser` reads from `data` as one read, then end of input."""
    tokens = [*parser.feed(data), *parser.feed("")]
    return [t.text for t in tokens if isinstance(t, events.Paste)]


def stock_parser_splits_pastes() -> bool:
    """Whether the installed Textual still ends a bracketed paste at an ESC inside it."""
    return pasted_of(XTermParser(), PASTE_PROBE) != [PASTE_WANTED]


def stock_parser_misreads_legacy_keys() -> bool:
    """Whether the installed Textual still reads PuTTY's Shift+F5 (`ESC[28~`) as "\\x1c"."""
    return keys_of(XTermParser(), LEGACY_PROBE) != LEGACY_WANTED


def parser_class() -> type[XTermParser]:
    """The parser the app's driver uses (the tests feed bytes through the same one)."""
    if (
        stock_parser_misreads()
        or stock_parser_splits_pastes()
        or stock_parser_misreads_legacy_keys()
    ):
        return AltSafeXTermParser
    return XTermParser


def install() -> None:
    """Make the Linux drivers build the app's parser (they look the name up in their module)."""
    chosen = parser_class()
    from textual.drivers import linux_driver, linux_inline_driver

    linux_driver.XTermParser = chosen  # type: ignore[misc]
    linux_inline_driver.XTermParser = chosen  # type: ignore[misc]
