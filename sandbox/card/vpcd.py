"""A virtual card for vsmartcard's `vpcd` reader driver: puts an `Applet` into pcscd's reader.

vpcd (loaded by pcscd) listens on 127.0.0.1:35963 for `Virtual PCD 00 00` and :35964 for
`Virtual PCD 00 01`; connecting is inserting the card, closing the socket is pulling it. Wire: every
message is a 2-byte big-endian length and a payload. A 1-byte payload is a control code (0 power
off, 1 power on, 2 reset, 4 "send the ATR", which is the only one answered); anything longer is a
C-APDU, answered by the R-APDU.

vpcd writes the length and the payload in two segments, so the card sets TCP_QUICKACK before every
recv: otherwise delayed ACK plus Nagle on vpcd's side stall each APDU by ~40 ms.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading

from sandbox.card.applet import Applet

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963  # reader "Virtual PCD 00 00"; 35964 is "Virtual PCD 00 01"
VPCD_READER_PREFIX = "Virtual PCD 00 "

CTRL_OFF = 0
CTRL_ON = 1
CTRL_RESET = 2
CTRL_ATR = 4

# 3B: direct convention; 88: TD1 follows, 8 historical bytes; 80: TD2 follows (T=0);
# 01: T=1; historical bytes "TUIHUO" 01 00; then TCK, the XOR of T0..the last historical byte.
_ATR_BODY = bytes.fromhex("888001") + b"TUIHUO" + bytes.fromhex("0100")


def _tck(body: bytes) -> int:
    check = 0
    for byte in body:
        check ^= byte
    return check


ATR = b"\x3b" + _ATR_BODY + bytes((_tck(_ATR_BODY),))


def reader_for_port(port: int) -> str:
    """The PC/SC reader name vpcd gives the slot listening on `port`."""
    return f"{VPCD_READER_PREFIX}{port - VPCD_PORT:02d}"


def port_for_reader(reader: str) -> int:
    if not reader.startswith(VPCD_READER_PREFIX):
        raise ValueError(f"{reader!r} is not a vpcd reader")
    return VPCD_PORT + int(reader[len(VPCD_READER_PREFIX) :])


class VirtualCard:
    """An applet plugged into vpcd. `insert()` / `remove()` from any thread; `serve()` blocks."""

    def __init__(
        self,
        applet: Applet,
        *,
        host: str = VPCD_HOST,
        port: int = VPCD_PORT,
        atr: bytes = ATR,
    ) -> None:
        self.applet = applet
        self.host = host
        self.port = port
        self.atr = atr
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._answering = threading.Event()
        self._answering.set()
        self._removed = threading.Event()
        self.apdus = 0  # C-APDUs received

    @property
    def reader(self) -> str:
        return reader_for_port(self.port)

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    def connect(self, timeout: float = 5.0) -> None:
        """Open the connection to vpcd (the card is in the reader from here on)."""
        if self._sock is not None:
            raise RuntimeError("card already inserted")
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._removed.clear()
        self._sock = sock

    def insert(self, timeout: float = 5.0) -> None:
        """Connect and answer vpcd from a background thread until `remove()`."""
        self.connect(timeout)
        self._thread = threading.Thread(
            target=self.serve, name=f"vpcd-card-{self.port}", daemon=True
        )
        self._thread.start()

    def remove(self) -> None:
        """Pull the card: close the connection; vpcd reports the reader empty."""
        self._removed.set()
        self._answering.set()  # let a frozen serve() notice the removal and return
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(5.0)
        self._thread = None
        self._sock = None
        self.applet.power_off()

    def freeze(self) -> None:
        """From now on, take C-APDUs but never answer them (a card that hangs)."""
        self._answering.clear()

    def thaw(self) -> None:
        self._answering.set()

    def _recv_exactly(self, sock: socket.socket, size: int) -> bytes | None:
        data = bytearray()
        while len(data) < size:
            # vpcd splits length and payload into two writes: ACK at once or it stalls ~40 ms.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return bytes(data)

    def _send(self, sock: socket.socket, payload: bytes) -> None:
        sock.sendall(len(payload).to_bytes(2, "big") + payload)

    def serve(self) -> None:
        """Answer vpcd until the connection closes or `remove()` is called."""
        sock = self._sock
        if sock is None:
            raise RuntimeError("connect() first")
        try:
            while not self._removed.is_set():
                header = self._recv_exactly(sock, 2)
                if header is None:
                    break
                payload = self._recv_exactly(sock, int.from_bytes(header, "big"))
                if payload is None:
                    break
                if len(payload) == 1:
                    self._control(sock, payload[0])
                    continue
                self.apdus += 1
                if not self._answering.is_set():
                    self._answering.wait()
                    if self._removed.is_set():
                        break
                self._send(sock, self.applet.process(payload))
        except OSError as exc:
            if not self._removed.is_set():
                log.info("vpcd connection on port %d lost: %s", self.port, exc)
        finally:
            self.applet.power_off()

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == CTRL_OFF:
            self.applet.power_off()
        elif code == CTRL_ON:
            self.applet.power_on()
        elif code == CTRL_RESET:
            self.applet.reset()
        elif code == CTRL_ATR:
            self._send(sock, self.atr)
        else:
            log.warning("unknown vpcd control code %d", code)


def run_forever(
    applet: Applet,
    *,
    host: str = VPCD_HOST,
    port: int = VPCD_PORT,
    retry: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """Keep the card inserted: reconnect whenever vpcd goes away (pcscd restarted)."""
    stop = stop or threading.Event()
    announced = False
    while not stop.is_set():
        card = VirtualCard(applet, host=host, port=port)
        try:
            card.connect()
        except OSError as exc:
            if not announced:
                log.warning("vpcd at %s:%d not reachable (%s); retrying", host, port, exc)
                announced = True
            stop.wait(retry)
            continue
        announced = False
        log.info("card inserted into %s (%s:%d)", card.reader, host, port)
        card.serve()
        log.info("vpcd closed the connection")
        card.remove()
