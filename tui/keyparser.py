"""Textual's terminal input parser, with Alt+letter read right when another sequence follows at once.

Textual 8.2.8's `XTermParser` reads `ESC s` as Alt+S only when nothing follows within ESCAPE_DELAY.
When the next escape sequence is already in the same read (`ESC s ESC [ B`: Alt+S then Down, one
SSH packet), it hands the pending `ESC s` to `reissue_sequence_as_keys(..., process_alt=False)`,
which turns the ESC into a literal "^" key: the field gets "^s" and the save never runs.

`AltSafeXTermParser` changes only that: an ESC reissued this way marks the next character as
Alt-modified instead of becoming text. The parser itself is untouched; the hook is its own
`_sequence_to_key_events`, which receives a lone "\\x1b" from nowhere else in 8.2.8 (a lone ESC
key is sent as a token directly, never through it). `install()` puts it in the Linux driver, and
only when the stock parser still misreads the burst (a fixed Textual leaves its parser in place).
The upstream report is in docs/notes.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser

ESC = "\x1b"
PROBE = "\x1bs\x1b[B"  # Alt+S then Down in one read
WANTED = ["alt+s", "down"]


class AltSafeXTermParser(XTermParser):
    """XTermParser whose interrupted `ESC <char>` is Alt+<char>, never "^" and the char."""

    def __init__(self, debug: bool = False) -> None:
        self._alt_next = False
        super().__init__(debug)

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence == ESC and not alt:
            # only the reissue of an interrupted sequence sends a lone ESC here: it is a prefix
            self._alt_next = True
            return
        if self._alt_next:
            self._alt_next = False
            alt = True
        yield from super()._sequence_to_key_events(sequence, alt=alt)


def keys_of(parser: XTermParser, data: str) -> list[str]:
    """The key names `parser` reads from `data` as one read, then end of input."""
    tokens = [*parser.feed(data), *parser.feed("")]
    return [t.key for t in tokens if isinstance(t, events.Key)]


def stock_parser_misreads() -> bool:
    """Whether the installed Textual still reads Alt+S + Down in one read as "^", "s", "down"."""
    return keys_of(XTermParser(), PROBE) != WANTED


def parser_class() -> type[XTermParser]:
    """The parser the app's driver uses (the tests feed bytes through the same one)."""
    return AltSafeXTermParser if stock_parser_misreads() else XTermParser


def install() -> None:
    """Make the Linux drivers build the app's parser (they look the name up in their module)."""
    chosen = parser_class()
    from textual.drivers import linux_driver, linux_inline_driver

    linux_driver.XTermParser = chosen  # type: ignore[misc]
    linux_inline_driver.XTermParser = chosen  # type: ignore[misc]
