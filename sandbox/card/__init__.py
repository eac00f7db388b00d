"""The sandbox's virtual e-port card: the applet of tuihuo's APDU profile, its identity, and the
two ways to plug it in (vpcd into the real pcscd, or a transport in process).

`python -m sandbox card` runs it against vpcd until killed; see `sandbox.card.cli`.
"""

from __future__ import annotations

from sandbox.card.applet import Applet
from sandbox.card.identity import (
    SANDBOX_CA_PUBLIC_KEY,
    SANDBOX_CARD_NO,
    SANDBOX_PIN,
    CardIdentity,
    card_identity,
    sandbox_ca_keypair,
)
from sandbox.card.inprocess import InProcessTransport, in_process_card
from sandbox.card.vpcd import ATR, VPCD_PORT, VirtualCard, reader_for_port

__all__ = [
    "ATR",
    "SANDBOX_CARD_NO",
    "SANDBOX_CA_PUBLIC_KEY",
    "SANDBOX_PIN",
    "VPCD_PORT",
    "Applet",
    "CardIdentity",
    "InProcessTransport",
    "VirtualCard",
    "card_identity",
    "in_process_card",
    "reader_for_port",
    "sandbox_ca_keypair",
]
