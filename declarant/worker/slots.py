"""Where the card comes from: a PC/SC reader, or the sandbox card in process (no PC/SC at all).

Both give a `customs.card.Card` and call back within a second when the card is pulled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from customs.card import Card, RemovalWatcher, open_card


class CardSlot(Protocol):
    description: str

    def open(self) -> Card: ...

    def watch(self, on_removed: Callable[[], None]) -> Callable[[], None]:
        """Start watching for removal; returns the function that stops watching."""
        ...


class PcscSlot:
    """A reader of the real PC/SC stack (pcscd), by name substring or the first with a card."""

    def __init__(self, reader: str | None = None, *, timeout: float = 5.0) -> None:
        self.reader = reader
        self.timeout = timeout
        self.description = f"读卡器 {reader}" if reader else "读卡器"
        self._card: Card | None = None

    def open(self) -> Card:
        self._card = open_card(self.reader, timeout=self.timeout)
        reader_name = getattr(self._card.transport, "reader", None)
        if reader_name:
            self.description = f"读卡器 {reader_name}"
        return self._card

    def watch(self, on_removed: Callable[[], None]) -> Callable[[], None]:
        reader = getattr(self._card.transport, "reader", None) if self._card else None
        if reader is None:
            return lambda: None
        watcher = RemovalWatcher(reader, on_removed).start()
        return watcher.stop


class SandboxSlot:
    """The sandbox card in process: the same Card logic over an in-process transport.

    `pull()` imitates pulling the card out, for tests and demonstrations.
    """

    description = "沙箱电子口岸卡"

    def __init__(self, card_no: str | None = None) -> None:
        from sandbox.card import SANDBOX_CARD_NO, Applet, card_identity

        self._applet = Applet(card_identity(card_no or SANDBOX_CARD_NO))
        self._card: Card | None = None
        self._listeners: list[Callable[[], None]] = []

    def open(self) -> Card:
        from sandbox.card import InProcessTransport

        self._card = Card(InProcessTransport(self._applet))
        return self._card

    def watch(self, on_removed: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(on_removed)
        return lambda: self._listeners.remove(on_removed) if on_removed in self._listeners else None

    @property
    def tries_left(self) -> int:
        """The PIN tries the sandbox card has left (what the card itself counts)."""
        return self._applet.tries_left

    def pull(self) -> None:
        if self._card is not None:
            transport = self._card.transport
            remove = getattr(transport, "remove", None)
            if remove:
                remove()
        for listener in list(self._listeners):
            listener()
