"""The e-port card over PC/SC (pcscd) with pyscard's low-level `smartcard.scard` API.

Why the low-level API: it hands back the PC/SC result codes themselves, and the app must tell
"card gone" (0x80100069 SCARD_W_REMOVED_CARD, and 0x80100016 SCARD_E_NOT_TRANSACTED, which pcscd
answers in the ~400 ms after a pull) from "no pcscd" (0x8010001D SCARD_E_NO_SERVICE) and the rest.

A card that never answers blocks SCardTransmit forever, so every call that talks to the card runs
in a worker thread that the caller waits for at most `timeout` seconds; after that the transport is
dead (every later transmit raises at once). Its handle is released only once the stuck call has
returned (when the card is pulled): pcsc-lite's SCardDisconnect takes the library-wide client lock
and then waits for the context's lock, which the stuck transmit holds, so disconnecting earlier
would freeze every PC/SC call of the process.

pyscard is imported lazily: without it (an install without the `card` extra) every entry point
raises `PcscUnavailable`, and the rest of `customs.card` works.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from customs.card.card import Card
from customs.card.errors import (
    CardError,
    CardProtocolError,
    CardRemoved,
    CardTimeout,
    NoCard,
    NoReader,
    PcscUnavailable,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0  # seconds for one APDU; an SM2 signature on a real card takes well under 1 s
REMOVAL_POLL = 0.5  # seconds; GetStatusChange returns at once on a change, this only bounds stop()

# PC/SC result codes (winscard.h), as unsigned 32-bit values.
SCARD_S_SUCCESS = 0
SCARD_E_CANCELLED = 0x80100002
SCARD_E_UNKNOWN_READER = 0x80100009
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_SHARING_VIOLATION = 0x8010000B
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_NOT_TRANSACTED = 0x80100016
SCARD_E_READER_UNAVAILABLE = 0x80100017
SCARD_E_NO_SERVICE = 0x8010001D
SCARD_E_SERVICE_STOPPED = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
SCARD_W_UNRESPONSIVE_CARD = 0x80100066
SCARD_W_UNPOWERED_CARD = 0x80100067
SCARD_W_RESET_CARD = 0x80100068
SCARD_W_REMOVED_CARD = 0x80100069

CARD_GONE = frozenset(
    {SCARD_W_REMOVED_CARD, SCARD_E_NOT_TRANSACTED, SCARD_E_NO_SMARTCARD, SCARD_W_UNPOWERED_CARD}
)
NO_SERVICE = frozenset({SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED})
EVENT_COUNTER_SHIFT = 16  # pcsc-lite keeps an insert/remove counter in the state's high 16 bits

T = TypeVar("T")


def _scard() -> ModuleType:
    try:
        from smartcard import scard
    except ImportError as exc:
        raise PcscUnavailable(f"pyscard is not installed: {exc}") from exc
    return scard


def _u32(hresult: int) -> int:
    return hresult & 0xFFFFFFFF


def _describe(hresult: int) -> str:
    try:
        text = _scard().SCardGetErrorMessage(hresult)
    except Exception:  # the message is only decoration
        text = "PC/SC error"
    return f"{text} (0x{_u32(hresult):08X})"


def _error_for(hresult: int, what: str) -> CardError:
    code = _u32(hresult)
    detail = f"{what}: {_describe(hresult)}"
    if code in NO_SERVICE:
        return PcscUnavailable(detail)
    if code in CARD_GONE:
        return CardRemoved(detail)
    if code in (SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE, SCARD_E_NO_READERS_AVAILABLE):
        return NoReader(detail)
    if code in (SCARD_E_TIMEOUT, SCARD_W_UNRESPONSIVE_CARD):
        return CardTimeout(detail)
    if code == SCARD_E_SHARING_VIOLATION:
        return CardError(detail, message="电子口岸卡正被其他程序使用")
    return CardProtocolError(detail)


class _Stuck(CardTimeout):
    """CardTimeout that knows the thread still blocked in the PC/SC call."""

    def __init__(self, detail: str, worker: threading.Thread) -> None:
        super().__init__(detail)
        self.worker = worker


def _call_with_timeout(fn: Callable[[], T], timeout: float, what: str) -> T:
    """Run `fn` in a daemon thread; CardTimeout if it has not returned after `timeout` s."""
    box: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            box.append((True, fn()))
        except BaseException as exc:
            box.append((False, exc))

    worker = threading.Thread(target=run, name=f"pcsc-{what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise _Stuck(f"{what}: no answer within {timeout:g} s", worker)
    ok, value = box[0]
    if not ok:
        raise value
    return value


class _Context:
    """An SCARDCONTEXT, released on exit."""

    def __init__(self) -> None:
        self.scard = _scard()
        try:
            hresult, self.handle = self.scard.SCardEstablishContext(self.scard.SCARD_SCOPE_USER)
        except Exception as exc:  # pyscard raises when the library itself cannot be loaded
            raise PcscUnavailable(f"SCardEstablishContext: {exc}") from exc
        if hresult != SCARD_S_SUCCESS:
            if _u32(hresult) in NO_SERVICE:
                raise PcscUnavailable(f"SCardEstablishContext: {_describe(hresult)}")
            raise _error_for(hresult, "SCardEstablishContext")

    def release(self) -> None:
        self.scard.SCardReleaseContext(self.handle)

    def __enter__(self) -> _Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def readers(self) -> list[str]:
        hresult, readers = self.scard.SCardListReaders(self.handle, [])
        if _u32(hresult) == SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult != SCARD_S_SUCCESS:
            raise _error_for(hresult, "SCardListReaders")
        return list(readers)

    def states(self, readers: list[str]) -> dict[str, tuple[int, bytes]]:
        """Current (state, ATR) of each reader, without waiting."""
        if not readers:
            return {}
        hresult, states = self.scard.SCardGetStatusChange(
            self.handle, 0, [(r, self.scard.SCARD_STATE_UNAWARE) for r in readers]
        )
        if hresult != SCARD_S_SUCCESS:
            raise _error_for(hresult, "SCardGetStatusChange")
        return {r: (s, bytes(atr)) for r, s, atr in states}


def list_readers() -> list[str]:
    """Names of the PC/SC readers; [] when there are none. PcscUnavailable without pcscd."""
    with _Context() as context:
        return context.readers()


def reader_state(reader: str) -> int:
    """The raw PC/SC state of `reader` (flags in the low 16 bits, event counter above)."""
    with _Context() as context:
        if reader not in context.readers():
            raise NoReader(f"no reader named {reader!r}")
        return context.states([reader])[reader][0]


def event_counter(state: int) -> int:
    """pcsc-lite's insert/remove counter held in a reader state."""
    return (state >> EVENT_COUNTER_SHIFT) & 0xFFFF


def _card_present(scard: ModuleType, state: int) -> bool:
    return bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_MUTE


def wait_for_card(reader: str | None = None, timeout: float = 0.0) -> str:
    """The name of a reader holding a card, waiting up to `timeout` s for one to be inserted.

    `reader` is a reader's exact name or a part of it (case-insensitive; settings hold "ACS" or
    "Virtual PCD 00 01"); None means any reader. Raises NoReader when there is no such reader,
    NoCard when no card came.
    """
    with _Context() as context:
        scard = context.scard
        readers = context.readers()
        if reader is not None:
            wanted = reader.casefold()
            matching = [r for r in readers if r == reader] or [
                r for r in readers if wanted in r.casefold()
            ]
            if not matching:
                raise NoReader(f"no reader matching {reader!r} among {readers}")
            readers = matching
        if not readers:
            raise NoReader("PC/SC lists no reader")
        deadline = time.monotonic() + timeout
        current = [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
        wait_ms = 0
        while True:
            hresult, states = scard.SCardGetStatusChange(context.handle, wait_ms, current)
            if _u32(hresult) == SCARD_E_TIMEOUT:
                raise NoCard(f"no card in {readers} within {timeout:g} s")
            if hresult != SCARD_S_SUCCESS:
                raise _error_for(hresult, "SCardGetStatusChange")
            for name, state, _atr in states:
                if _card_present(scard, state):
                    return name
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NoCard(f"no card in {readers}")
            wait_ms = max(1, int(remaining * 1000))
            current = [(name, state & ~scard.SCARD_STATE_CHANGED) for name, state, _ in states]


class RemovalWatcher:
    """Calls `on_removed()` once, from its own thread, when the card leaves `reader`.

    "Leaves" means the reader reports no card, or pcscd's event counter moved since the watcher
    started (a card pulled and another inserted between two looks), or the reader or pcscd went
    away. GetStatusChange wakes on the change itself, so the call follows pcscd's own detection
    (it polls vpcd every 400 ms) by a few milliseconds.
    """

    def __init__(
        self, reader: str, on_removed: Callable[[], None], *, poll: float = REMOVAL_POLL
    ) -> None:
        self.reader = reader
        self._on_removed = on_removed
        self._poll_ms = max(1, int(poll * 1000))
        self._stop = threading.Event()
        self.fired = threading.Event()
        self._ready = threading.Event()
        self._context: _Context | None = None
        self._thread = threading.Thread(target=self._run, name="card-removal", daemon=True)
        self._error: CardError | None = None

    def start(self) -> RemovalWatcher:
        self._thread.start()
        self._ready.wait(5.0)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        self._stop.set()
        context = self._context
        if context is not None:
            context.scard.SCardCancel(context.handle)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(5.0)

    def __enter__(self) -> RemovalWatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _fire(self, why: str) -> None:
        if self._stop.is_set() or self.fired.is_set():
            return
        self.fired.set()
        log.info("e-port card left %s: %s", self.reader, why)
        try:
            self._on_removed()
        except Exception:
            log.exception("card removal callback failed")

    def _run(self) -> None:
        try:
            context = _Context()
        except CardError as exc:
            self._error = exc
            self._ready.set()
            return
        self._context = context
        try:
            scard = context.scard
            try:
                baseline = context.states([self.reader])[self.reader][0]
            except CardError as exc:
                self._error = exc
                return
            finally:
                self._ready.set()
            if not _card_present(scard, baseline):
                self._fire("no card when the watch began")
                return
            counter = event_counter(baseline)
            current = baseline & ~scard.SCARD_STATE_CHANGED
            while not self._stop.is_set():
                hresult, states = scard.SCardGetStatusChange(
                    context.handle, self._poll_ms, [(self.reader, current)]
                )
                code = _u32(hresult)
                if code == SCARD_E_TIMEOUT:
                    continue
                if code == SCARD_E_CANCELLED or self._stop.is_set():
                    return
                if hresult != SCARD_S_SUCCESS:
                    self._fire(_describe(hresult))
                    return
                state = states[0][1]
                if not _card_present(scard, state) or event_counter(state) != counter:
                    self._fire(f"state 0x{state:08X}")
                    return
                current = state & ~scard.SCARD_STATE_CHANGED
        finally:
            self._context = None
            context.release()


class PcscTransport:
    """A connection to the card in one PC/SC reader, with a timeout on every exchange.

    The connection object must stay referenced for the whole session (pyscard drops the card
    when it is collected). `close()` resets the card, so a verified PIN does not outlive the
    session.
    """

    def __init__(self, reader: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.reader = reader
        self.timeout = timeout
        self._dead: CardError | None = None
        self._closed = False
        self._context = _Context()
        scard = self._context.scard
        self._scard = scard
        try:
            hresult, self._card, self._protocol = _call_with_timeout(
                lambda: scard.SCardConnect(
                    self._context.handle,
                    reader,
                    scard.SCARD_SHARE_SHARED,
                    scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
                ),
                timeout,
                "SCardConnect",
            )
        except _Stuck as exc:
            self._dead = CardTimeout("SCardConnect did not return")
            self._release_later(exc.worker)
            raise CardTimeout(exc.detail) from None
        if hresult != SCARD_S_SUCCESS:
            self._context.release()
            code = _u32(hresult)
            if code in CARD_GONE or code == SCARD_W_UNRESPONSIVE_CARD:
                raise NoCard(f"SCardConnect {reader!r}: {_describe(hresult)}")
            raise _error_for(hresult, f"SCardConnect {reader!r}")

    @classmethod
    def open(
        cls, reader: str | None = None, *, timeout: float = DEFAULT_TIMEOUT, wait: float = 0.0
    ) -> PcscTransport:
        """Connect to the card in `reader`, or in the first reader holding one."""
        return cls(wait_for_card(reader, wait), timeout=timeout)

    @property
    def atr(self) -> bytes:
        if self._dead is not None:
            raise type(self._dead)(f"connection given up earlier: {self._dead.detail}")
        try:
            hresult, _reader, _state, _protocol, atr = _call_with_timeout(
                lambda: self._scard.SCardStatus(self._card), self.timeout, "SCardStatus"
            )
        except _Stuck as exc:
            self._dead = CardTimeout(exc.detail)
            self._release_later(exc.worker)
            raise CardTimeout(exc.detail) from None
        if hresult != SCARD_S_SUCCESS:
            raise _error_for(hresult, "SCardStatus")
        return bytes(atr)

    @property
    def dead(self) -> bool:
        return self._dead is not None or self._closed

    def transmit(self, apdu: bytes) -> bytes:
        if self._closed:
            raise CardError("transport closed", message="电子口岸卡连接已关闭")
        if self._dead is not None:
            raise type(self._dead)(f"connection given up earlier: {self._dead.detail}")
        command = list(apdu)
        try:
            hresult, response = self._exchange(command)
            if _u32(hresult) == SCARD_W_RESET_CARD:
                # Another program reset the card: reconnect; the applet answers 6985 and the
                # Card selects it again (the verified PIN is gone, as it should be).
                self._reconnect()
                hresult, response = self._exchange(command)
        except _Stuck as exc:
            self._dead = CardTimeout(exc.detail)
            self._release_later(exc.worker)
            raise CardTimeout(exc.detail) from None
        finally:
            command.clear()
        if hresult != SCARD_S_SUCCESS:
            error = _error_for(hresult, "SCardTransmit")
            if isinstance(error, CardRemoved | PcscUnavailable):
                self._dead = error
            raise error
        return bytes(response)

    def _exchange(self, command: list[int]) -> tuple[int, list[int]]:
        return _call_with_timeout(
            lambda: self._scard.SCardTransmit(self._card, self._protocol, command),
            self.timeout,
            "SCardTransmit",
        )

    def _reconnect(self) -> None:
        scard = self._scard
        hresult, self._protocol = _call_with_timeout(
            lambda: scard.SCardReconnect(
                self._card,
                scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
                scard.SCARD_LEAVE_CARD,
            ),
            self.timeout,
            "SCardReconnect",
        )
        if hresult != SCARD_S_SUCCESS:
            raise _error_for(hresult, "SCardReconnect")

    def _release_later(self, stuck: threading.Thread) -> None:
        """Disconnect in the background once the stuck call has returned (see the module doc)."""
        context, card, scard = self._context, getattr(self, "_card", None), self._scard

        def release() -> None:
            stuck.join()
            if card is not None:
                scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
            context.release()

        threading.Thread(target=release, name="pcsc-release", daemon=True).start()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._dead is not None and isinstance(self._dead, CardTimeout):
            return  # already being released in the background
        try:
            _call_with_timeout(
                lambda: self._scard.SCardDisconnect(self._card, self._scard.SCARD_RESET_CARD),
                self.timeout,
                "SCardDisconnect",
            )
            self._context.release()
        except _Stuck as exc:
            self._release_later(exc.worker)

    def watch_removal(self, on_removed: Callable[[], None]) -> RemovalWatcher:
        """A started RemovalWatcher for this transport's reader."""
        return RemovalWatcher(self.reader, on_removed).start()

    def __enter__(self) -> PcscTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_card(
    reader: str | None = None, *, timeout: float = DEFAULT_TIMEOUT, wait: float = 0.0
) -> Card:
    """A `Card` over PC/SC in `reader` (or the first reader with a card)."""
    return Card(PcscTransport.open(reader, timeout=timeout, wait=wait))
