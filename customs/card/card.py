"""The e-port card as the app uses it: `Card` over any `Transport`, and `AsyncCard` for the app.

`Card` speaks the profile of `customs.card.profile`; it knows nothing of PC/SC, so the same logic
runs over pcscd (`PcscTransport`) and in process against the sandbox's applet. The PIN passes
through `verify_pin` to the card and is kept nowhere.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from customs.card import profile
from customs.card.errors import (
    BadPinFormat,
    CardBlocked,
    CardError,
    CardProtocolError,
    PinRequired,
    WrongPin,
)
from customs.card.profile import CardInfo, ProfileError
from customs.certificate import Certificate


@runtime_checkable
class Transport(Protocol):
    """Carries one C-APDU to the card and returns its R-APDU (data + SW1 SW2).

    Implementations raise `CardError` subclasses (`CardRemoved`, `CardTimeout`, ...) for failures
    of the link; status words are the Card's business.
    """

    def transmit(self, apdu: bytes) -> bytes: ...

    def close(self) -> None: ...


def _unexpected(what: str, sw: int) -> CardProtocolError:
    return CardProtocolError(f"{what}: card answered SW {sw:04X}")


class Card:
    """The e-port card behind a transport. Thread-safe: one command sequence at a time."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._lock = threading.RLock()
        self._selected = False

    @property
    def transport(self) -> Transport:
        return self._transport

    def __enter__(self) -> Card:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    # --- plumbing ------------------------------------------------------------------------------

    def _send(self, apdu: bytes) -> profile.Response:
        try:
            return profile.parse_response(self._transport.transmit(apdu))
        except ProfileError as exc:
            raise CardProtocolError(str(exc)) from exc

    def _select(self) -> None:
        response = self._send(profile.select_apdu())
        if response.sw == profile.SW_FILE_NOT_FOUND:
            raise CardProtocolError("no e-port applet on this card", message="不是电子口岸卡")
        if not response.ok:
            raise _unexpected("SELECT", response.sw)
        self._selected = True

    def _command(self, apdu: bytes) -> profile.Response:
        """Send one command, selecting the applet first (again, if the card was reset)."""
        if not self._selected:
            self._select()
        response = self._send(apdu)
        if response.sw == profile.SW_NOT_SELECTED:
            self._selected = False
            self._select()
            response = self._send(apdu)
        return response

    def _read_object(self, read: Callable[[int, int], bytes], what: str) -> bytes:
        first = self._command(read(0, profile.CHUNK))
        if not first.ok:
            raise _unexpected(what, first.sw)
        if len(first.data) < 2:
            raise CardProtocolError(f"{what}: object shorter than its length prefix")
        total = 2 + int.from_bytes(first.data[:2], "big")
        blob = bytearray(first.data)
        while len(blob) < total:
            response = self._send(read(len(blob), min(profile.CHUNK, total - len(blob))))
            if not response.ok:
                raise _unexpected(what, response.sw)
            if not response.data:
                raise CardProtocolError(f"{what}: empty chunk at offset {len(blob)}")
            blob += response.data
        if len(blob) != total:
            raise CardProtocolError(f"{what}: {len(blob)} bytes read, object holds {total}")
        return bytes(blob[2:])

    # --- the card's operations -----------------------------------------------------------------

    def read_info(self) -> CardInfo:
        """Card number, operator, enterprise (USCC, customs code, name)."""
        with self._lock:
            blob = self._read_object(profile.read_card_data_apdu, "READ CARD DATA")
        try:
            return profile.decode_card_data(blob)
        except ProfileError as exc:
            raise CardProtocolError(f"card data: {exc}") from exc

    def certificate(self) -> Certificate:
        with self._lock:
            blob = self._read_object(profile.read_certificate_apdu, "READ CERTIFICATE")
        try:
            return Certificate.from_bytes(blob)
        except ValueError as exc:
            raise CardProtocolError(f"certificate: {type(exc).__name__}") from exc

    def verify_pin(self, pin: str) -> None:
        """Present the PIN. Raises WrongPin(tries_left), CardBlocked, or a link error."""
        try:
            apdu = profile.verify_apdu(pin)
        except ProfileError:
            # A malformed PIN never reaches the card, so it costs no try.
            raise BadPinFormat("PIN must be 4 to 16 printable ASCII characters") from None
        with self._lock:
            response = self._command(apdu)
        del apdu
        self._raise_for_pin(response.sw, "VERIFY")

    def pin_tries_left(self) -> int:
        """Tries left before the card locks (0 when locked); the verified state is untouched."""
        with self._lock:
            response = self._command(profile.verify_apdu(None))
        if response.ok:
            return profile.DEFAULT_PIN_TRIES
        if response.sw == profile.SW_PIN_BLOCKED:
            return 0
        tries = profile.tries_left_of(response.sw)
        if tries is None:
            raise _unexpected("VERIFY (query)", response.sw)
        return tries

    def is_pin_verified(self) -> bool:
        with self._lock:
            response = self._command(profile.verify_apdu(None))
        return response.ok

    @staticmethod
    def _raise_for_pin(sw: int, what: str) -> None:
        if sw == profile.SW_OK:
            return
        if sw == profile.SW_PIN_BLOCKED:
            raise CardBlocked(f"{what}: PIN blocked (SW 6983)")
        tries = profile.tries_left_of(sw)
        if tries == 0:
            raise CardBlocked(f"{what}: no PIN tries left (SW 63C0)")
        if tries is not None:
            raise WrongPin(tries)
        raise _unexpected(what, sw)

    def sign(self, data: bytes) -> bytes:
        """SM2-with-SM3 signature (r||s, 64 bytes) of `data` by the card's key; needs the PIN."""
        try:
            apdus = profile.sign_apdus(data)
        except ProfileError as exc:
            raise CardError(str(exc), message="待签名数据过大") from exc
        with self._lock:
            response = self._command(apdus[0])
            for apdu in apdus[1:]:
                if not response.ok:
                    break
                response = self._send(apdu)
        if response.sw == profile.SW_SECURITY_NOT_SATISFIED:
            raise PinRequired("SIGN refused: no PIN verified since power-up (SW 6982)")
        if response.sw == profile.SW_PIN_BLOCKED:
            raise CardBlocked("SIGN refused: PIN blocked (SW 6983)")
        if not response.ok:
            raise _unexpected("SIGN", response.sw)
        if len(response.data) != profile.SIGNATURE_LENGTH:
            raise CardProtocolError(f"SIGN: {len(response.data)}-byte signature, expected 64")
        return response.data


class AsyncCard:
    """`Card` for asyncio code: each call runs in a worker thread (`asyncio.to_thread`)."""

    def __init__(self, card: Card) -> None:
        self.card = card

    async def read_info(self) -> CardInfo:
        return await asyncio.to_thread(self.card.read_info)

    async def verify_pin(self, pin: str) -> None:
        await asyncio.to_thread(self.card.verify_pin, pin)

    async def pin_tries_left(self) -> int:
        return await asyncio.to_thread(self.card.pin_tries_left)

    async def certificate(self) -> Certificate:
        return await asyncio.to_thread(self.card.certificate)

    async def sign(self, data: bytes) -> bytes:
        return await asyncio.to_thread(self.card.sign, data)

    async def close(self) -> None:
        await asyncio.to_thread(self.card.close)
