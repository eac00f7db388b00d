"""Where the card comes from: a PC/SC reader, the local card control (客户端控件, often forwarded
over SSH), or the sandbox card in process; `AutoSlot` picks one each time the card is read.

Each gives a card (`customs.card.Card` or `ControlCard`, the same operations) and calls back within
a second when the card is pulled. `description` names the path in use, `why` says why it was chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from customs.card import Card, RemovalWatcher, open_card
from customs.card.control import PULLED, ControlAddress, ControlCard, ControlWatcher


class CardSlot(Protocol):
    description: str
    why: str

    def open(self) -> Card | ControlCard: ...

    def watch(self, on_removed: Callable[[str], None]) -> Callable[[], None]:
        """Start watching for removal; returns the function that stops watching. `on_removed`
        gets why, in the operator's words (`customs.card.control.PULLED`, `CONTROL_CLOSED`,
        `CONTROL_MUTE`)."""
        ...


class PcscSlot:
    """A reader of the real PC/SC stack (pcscd), by name substring or the first with a card."""

    why = ""

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

    def watch(self, on_removed: Callable[[str], None]) -> Callable[[], None]:
        reader = getattr(self._card.transport, "reader", None) if self._card else None
        if reader is None:
            return lambda: None
        watcher = RemovalWatcher(reader, lambda: on_removed(PULLED)).start()
        return watcher.stop


class SandboxSlot:
    """The sandbox card in process: the same Card logic over an in-process transport.

    `pull()` imitates pulling the card out, for tests and demonstrations.
    """

    description = "沙箱电子口岸卡"
    why = ""

    def __init__(self, card_no: str | None = None) -> None:
        from sandbox.card import SANDBOX_CARD_NO, Applet, card_identity

        self._applet = Applet(card_identity(card_no or SANDBOX_CARD_NO))
        self._card: Card | None = None
        self._listeners: list[Callable[[str], None]] = []

    def open(self) -> Card:
        from sandbox.card import InProcessTransport

        self._card = Card(InProcessTransport(self._applet))
        return self._card

    def watch(self, on_removed: Callable[[str], None]) -> Callable[[], None]:
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
            listener(PULLED)


class ControlSlot:
    """The operator's card behind the local card control, at a Unix socket or a ws:// URL."""

    why = ""

    def __init__(self, address: str, *, timeout: float = 5.0) -> None:
        self.address = ControlAddress(address)
        self.timeout = timeout
        self.description = f"客户端控件 {address}"
        self._card: ControlCard | None = None

    def open(self) -> ControlCard:
        self._card = ControlCard(self.address, timeout=self.timeout)
        return self._card

    def watch(self, on_removed: Callable[[str], None]) -> Callable[[], None]:
        card = self._card

        def removed(reason: str) -> None:
            on_removed(reason)  # first: closing may wait for a hung control's close frame
            if card is not None:  # the card is gone: its connection has nothing left to do
                card.connection.close()

        card_no = card.card_no if card else None
        return ControlWatcher(self.address, card_no, removed).start().stop


def control_present(address: str) -> bool:
    """True when the control's socket exists (an SSH forward is up); a ws:// URL counts as there."""
    if address.startswith(("ws://", "wss://")):
        return True
    return Path(address).is_socket()


class AutoSlot:
    """Chooses at every `open()`: a named reader, else the control when its socket exists (an
    `ssh -R` forward is up), else the sandbox card in sandbox mode, else the first PC/SC reader."""

    def __init__(
        self, control: str, *, reader: str | None = None, sandbox: bool, timeout: float = 5.0
    ) -> None:
        self.control = ControlSlot(control, timeout=timeout)
        self.pcsc = PcscSlot(reader, timeout=timeout)
        self.sandbox = SandboxSlot() if sandbox else None
        self.reader = reader
        self.chosen: CardSlot = self._choose()

    def _choose(self) -> CardSlot:
        address = str(self.control.address)
        if self.reader:
            self.why = f"自动选择：设置了读卡器 {self.reader}"
            return self.pcsc
        if control_present(address):
            self.why = "自动选择：发现客户端控件的转发"
            return self.control
        missing = f"未发现客户端控件，SSH 未转发： {address} 不存在"  # the path apart: never cut
        if self.sandbox is not None:
            self.why = f"自动选择：{missing}，沙箱模式用沙箱卡"
            return self.sandbox
        self.why = f"自动选择：{missing}，改用本机读卡器"
        return self.pcsc

    @property
    def description(self) -> str:
        return self.chosen.description

    def open(self) -> Card | ControlCard:
        self.chosen = self._choose()
        return self.chosen.open()

    def watch(self, on_removed: Callable[[str], None]) -> Callable[[], None]:
        return self.chosen.watch(on_removed)
