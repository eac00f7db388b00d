"""The e-port card (电子口岸卡): its APDU profile, the `Card` over any transport, PC/SC access.

`customs.card.profile` documents the APDUs. The PC/SC functions load pyscard on first use, so
importing this package never needs it (without it they raise `PcscUnavailable`).
"""

from __future__ import annotations

from customs.card.card import AsyncCard, Card, Transport
from customs.card.errors import (
    CardBlocked,
    CardError,
    CardProtocolError,
    CardRemoved,
    CardTimeout,
    NoCard,
    NoReader,
    PcscUnavailable,
    PinRequired,
    WrongPin,
)
from customs.card.pcsc import (
    DEFAULT_TIMEOUT,
    PcscTransport,
    RemovalWatcher,
    list_readers,
    open_card,
    wait_for_card,
)
from customs.card.profile import CardInfo

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncCard",
    "Card",
    "CardBlocked",
    "CardError",
    "CardInfo",
    "CardProtocolError",
    "CardRemoved",
    "CardTimeout",
    "NoCard",
    "NoReader",
    "PcscTransport",
    "PcscUnavailable",
    "PinRequired",
    "RemovalWatcher",
    "Transport",
    "WrongPin",
    "list_readers",
    "open_card",
    "wait_for_card",
]
