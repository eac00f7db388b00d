"""The sandbox card without PC/SC: a `customs.card.Transport` straight into an `Applet`.

The app then runs the very same `customs.card.Card` logic in process (no pcscd, no pyscard);
`remove()` imitates pulling the card.
"""

from __future__ import annotations

from customs.card import Card, CardError, CardRemoved
from sandbox.card.applet import Applet
from sandbox.card.identity import SANDBOX_CARD_NO, SANDBOX_PIN, card_identity


class InProcessTransport:
    """Hands each C-APDU to the applet; the applet is powered on when the transport opens."""

    def __init__(self, applet: Applet) -> None:
        self.applet = applet
        self._removed = False
        self._closed = False
        applet.power_on()

    def transmit(self, apdu: bytes) -> bytes:
        if self._removed:
            raise CardRemoved("the in-process card was removed")
        if self._closed:
            raise CardError("transport closed", message="电子口岸卡连接已关闭")
        return self.applet.process(bytes(apdu))

    def remove(self) -> None:
        self._removed = True
        self.applet.power_off()

    def close(self) -> None:
        if not self._closed and not self._removed:
            self.applet.reset()  # like PcscTransport.close(): the verified PIN ends with the session
        self._closed = True


def in_process_card(
    card_no: str = SANDBOX_CARD_NO, *, pin: str = SANDBOX_PIN, applet: Applet | None = None
) -> Card:
    """A `Card` over a fresh sandbox applet (or the one given), for the app without PC/SC."""
    if applet is None:
        applet = Applet(card_identity(card_no), pin=pin)
    return Card(InProcessTransport(applet))
