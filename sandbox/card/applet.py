"""The card side of tuihuo's e-port card profile (`customs.card.profile`): a virtual applet.

`Applet.process(apdu)` answers one C-APDU with one R-APDU, like the applet on a real card. It keeps
the state a real card keeps: the PIN tries left (across power cycles, like EEPROM) and, until the
next power-off or reset, whether the applet is selected, whether the PIN was verified, and a
partial SIGN chain. Thread-safe, so a test may look at it while a vpcd thread drives it.
"""

from __future__ import annotations

import hmac
import threading

from customs import crypto
from customs.card import profile
from customs.card.profile import Command, ProfileError, build_response
from sandbox.card.identity import SANDBOX_PIN, CardIdentity, card_identity


class Applet:
    """The e-port applet of one sandbox card."""

    def __init__(
        self,
        identity: CardIdentity | None = None,
        *,
        pin: str = SANDBOX_PIN,
        max_tries: int = profile.DEFAULT_PIN_TRIES,
    ) -> None:
        if not profile.pin_is_well_formed(pin):
            raise ValueError("the PIN must be 4 to 16 printable ASCII characters")
        if not 1 <= max_tries <= 15:
            raise ValueError("max_tries must be 1..15 (it travels in the low nibble of 63Cx)")
        self.identity = identity if identity is not None else card_identity()
        self._pin = pin.encode("ascii")
        self.max_tries = max_tries
        self._tries_left = max_tries
        self._lock = threading.Lock()
        self._card_data = profile.frame_object(profile.encode_card_data(self.identity.info))
        self._certificate = profile.frame_object(self.identity.certificate.to_bytes())
        self._powered = False
        self._selected = False
        self._verified = False
        self._chain: bytearray | None = None
        self.signatures = 0  # how many signatures the card made (tests count them)

    def __repr__(self) -> str:
        return (
            f"Applet(card_no={self.identity.card_no!r}, tries_left={self._tries_left}, "
            f"verified={self._verified})"
        )

    # --- state ---------------------------------------------------------------------------------

    @property
    def tries_left(self) -> int:
        return self._tries_left

    @property
    def blocked(self) -> bool:
        return self._tries_left == 0

    @property
    def verified(self) -> bool:
        return self._verified

    @property
    def powered(self) -> bool:
        return self._powered

    def _forget_session(self) -> None:
        self._selected = False
        self._verified = False
        self._chain = None

    def power_on(self) -> None:
        with self._lock:
            self._forget_session()
            self._powered = True

    def power_off(self) -> None:
        with self._lock:
            self._forget_session()
            self._powered = False

    def reset(self) -> None:
        with self._lock:
            self._forget_session()
            self._powered = True

    def unblock(self) -> None:
        """What the issuer's PUK would do: restore every try (the sandbox's operator tool)."""
        with self._lock:
            self._tries_left = self.max_tries

    # --- APDUs ---------------------------------------------------------------------------------

    def process(self, apdu: bytes) -> bytes:
        with self._lock:
            try:
                command = profile.parse_command(apdu)
            except ProfileError:
                self._chain = None
                return build_response(sw=profile.SW_WRONG_LENGTH)
            return self._dispatch(command)

    def _dispatch(self, c: Command) -> bytes:
        if c.ins != profile.INS_SIGN or c.cla & ~profile.CLA_CHAINING != profile.CLA_PROPRIETARY:
            self._chain = None  # any other command abandons a SIGN chain (ISO 7816-4 chaining)
        if c.cla == profile.CLA_ISO and c.ins == profile.INS_SELECT:
            return self._select(c)
        if c.cla not in (
            profile.CLA_ISO,
            profile.CLA_PROPRIETARY,
            profile.CLA_PROPRIETARY | profile.CLA_CHAINING,
        ):
            return build_response(sw=profile.SW_CLA_NOT_SUPPORTED)
        handlers = {
            (profile.CLA_ISO, profile.INS_VERIFY): self._verify,
            (profile.CLA_PROPRIETARY, profile.INS_READ_CARD_DATA): self._read_card_data,
            (profile.CLA_PROPRIETARY, profile.INS_READ_CERTIFICATE): self._read_certificate,
            (profile.CLA_PROPRIETARY, profile.INS_SIGN): self._sign,
            (profile.CLA_PROPRIETARY | profile.CLA_CHAINING, profile.INS_SIGN): self._sign,
        }
        handler = handlers.get((c.cla, c.ins))
        if handler is None:
            return build_response(sw=profile.SW_INS_NOT_SUPPORTED)
        if not self._selected:
            return build_response(sw=profile.SW_NOT_SELECTED)
        return handler(c)

    def _select(self, c: Command) -> bytes:
        if c.p1 != 0x04 or c.p2 != 0x00:
            return build_response(sw=profile.SW_WRONG_P1P2)
        if c.data != profile.AID:
            self._selected = False
            return build_response(sw=profile.SW_FILE_NOT_FOUND)
        self._selected = True
        return build_response()

    def _read(self, framed: bytes, c: Command) -> bytes:
        if c.data:
            return build_response(sw=profile.SW_WRONG_LENGTH)
        if c.p1 & 0x80:
            return build_response(sw=profile.SW_WRONG_P1P2)
        chunk = profile.object_chunk(framed, c.offset, c.le or 256)
        if chunk is None:
            return build_response(sw=profile.SW_OFFSET_OUT_OF_RANGE)
        return build_response(chunk)

    def _read_card_data(self, c: Command) -> bytes:
        return self._read(self._card_data, c)

    def _read_certificate(self, c: Command) -> bytes:
        return self._read(self._certificate, c)

    def _verify(self, c: Command) -> bytes:
        if c.p1 != 0x00 or c.p2 != profile.P2_PIN_REFERENCE:
            return build_response(sw=profile.SW_WRONG_P1P2)
        if self.blocked:
            return build_response(sw=profile.SW_PIN_BLOCKED)
        if not c.data:  # query: how many tries, or already verified
            if self._verified:
                return build_response()
            return build_response(sw=profile.wrong_pin_sw(self._tries_left))
        if hmac.compare_digest(c.data, self._pin):
            self._tries_left = self.max_tries
            self._verified = True
            return build_response()
        self._verified = False
        self._tries_left -= 1
        if self._tries_left == 0:
            return build_response(sw=profile.SW_PIN_BLOCKED)
        return build_response(sw=profile.wrong_pin_sw(self._tries_left))

    def _sign(self, c: Command) -> bytes:
        if c.p1 != 0x00 or c.p2 != 0x00:
            self._chain = None
            return build_response(sw=profile.SW_WRONG_P1P2)
        if self.blocked:
            self._chain = None
            return build_response(sw=profile.SW_PIN_BLOCKED)
        if not self._verified:
            self._chain = None
            return build_response(sw=profile.SW_SECURITY_NOT_SATISFIED)
        chain = self._chain if self._chain is not None else bytearray()
        if len(chain) + len(c.data) > profile.MAX_SIGN_DATA:
            self._chain = None
            return build_response(sw=profile.SW_WRONG_LENGTH)
        chain += c.data
        if c.chained:
            self._chain = chain
            return build_response()
        self._chain = None
        signature = crypto.sign(self.identity.private_key, bytes(chain))
        self.signatures += 1
        return build_response(signature)
