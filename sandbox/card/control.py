"""A stand-in for the official local card control: the sandbox card behind the control's JSON.

It speaks what `customs.card.control` expects of the real control (docs/notes.md, "The local card
control"): the ``open`` greeting, ``{"_id", "_method", "args"}`` requests, ``_args`` answers with
``Result``/``Data``/``Error``. Behind it is the sandbox card itself, an `Applet` driven through
`customs.card.Card` in process, so its identity, certificate and signatures are the sandbox card's
and the sandbox gateway accepts them.

Faults, set at start or at run time by the ``sandbox_Fault`` method (``{"fault": NAME}``):

- ``pulled``: the card is out (the applet loses power: the verified PIN is gone); every card method
  answers the reader library's "打开读卡器失败:错误码=50200";
- ``reader-error``: every card method answers "复位读卡器失败:错误码=50070";
- ``mute``: the control answers nothing, greetings included (a hung control);
- ``slow``: every answer comes `SLOW_ANSWER_S` late (a long or congested SSH link), but comes;
- ``none``: the card is (back) in and every fault cleared.

A wrong PIN answers "口令错误，还可尝试N次" with the applet's own count (this wording is the
stand-in's: the real control's is not public). `ControlStandIn.start_tcp/start_unix` run it in a
thread of their own; `serve_forever` runs it in the caller's event loop (the CLI).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve, unix_serve
from websockets.exceptions import ConnectionClosed

from customs.card import Card, CardBlocked, CardError, CardRemoved, PinRequired, WrongPin
from customs.card import control as names
from sandbox.card.applet import Applet
from sandbox.card.identity import SANDBOX_CARD_NO, SANDBOX_PIN, card_identity
from sandbox.card.inprocess import InProcessTransport

log = logging.getLogger(__name__)
_frames = logging.getLogger("sandbox.card.control.frames")  # frames hold PINs: never logged
_frames.setLevel(logging.WARNING)

FAULTS = ("none", "pulled", "reader-error", "mute", "slow")
SLOW_ANSWER_S = 1.2  # the "slow" fault's delay of each answer, seconds
FAULT_METHOD = "sandbox_Fault"
NO_CARD = ["[读卡器底层库]打开读卡器失败:错误码=50200", "Err:Custom50200"]
READER_ERROR = ["[读卡器底层库]复位读卡器失败:错误码=50070", "Err:Custom50070"]


class ControlStandIn:
    """The control for one sandbox card. Thread-safe: tests set faults while it serves."""

    def __init__(
        self,
        card_no: str = SANDBOX_CARD_NO,
        *,
        pin: str = SANDBOX_PIN,
        applet: Applet | None = None,
        fault: str = "none",
    ) -> None:
        self.applet = applet if applet is not None else Applet(card_identity(card_no), pin=pin)
        self._lock = threading.Lock()
        self._card = Card(InProcessTransport(self.applet))
        self.fault = "none"
        self.set_fault(fault)
        self.requests: list[str] = []  # method names asked, in order (never their arguments)
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.address = ""

    # --- faults --------------------------------------------------------------------------------
    def set_fault(self, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        with self._lock:
            if fault == "pulled" and self.fault != "pulled":
                self.applet.power_off()
            if fault == "none" and self.fault == "pulled":
                self._card = Card(InProcessTransport(self.applet))  # inserted again: powered on
            self.fault = fault

    def pull(self) -> None:
        self.set_fault("pulled")

    def insert(self) -> None:
        self.set_fault("none")

    # --- the methods ---------------------------------------------------------------------------
    def answer(self, method: str, args: dict[str, Any]) -> tuple[bool, list[Any], list[str]]:
        """(Result, Data, Error) for one request."""
        if method == FAULT_METHOD:
            try:
                self.set_fault(str(args.get("fault", "")))
            except ValueError as exc:
                return False, [], [str(exc)]
            return True, [self.fault], []
        with self._lock:
            self.requests.append(method)
            if self.fault == "pulled":
                return False, [], list(NO_CARD)
            if self.fault == "reader-error":
                return False, [], list(READER_ERROR)
            try:
                return True, self._card_method(method, args), []
            except WrongPin as exc:
                return False, [], [f"口令错误，还可尝试{exc.tries_left}次", "Err:Custom60301"]
            except CardBlocked:
                return False, [], ["卡已锁定，请联系发卡机构解锁", "Err:Custom60302"]
            except PinRequired:
                return False, [], ["请先验证卡口令", "Err:Custom60303"]
            except CardRemoved:
                return False, [], list(NO_CARD)
            except CardError as exc:
                return False, [], [exc.message, "Err:Custom60399"]
            except _BadRequest as exc:
                return False, [], [str(exc), "Err:Base60400"]

    def _card_method(self, method: str, args: dict[str, Any]) -> list[Any]:
        card, identity = self._card, self.applet.identity
        if method in (names.OPEN_CARD, names.CLOSE_CARD):
            self.applet.reset()  # either way a fresh card session: the verified PIN is gone
            return ["ok"]
        simple: dict[str, Callable[[], str]] = {
            names.GET_CARD_ID: lambda: card.read_info().card_no,
            names.GET_OPERATOR: lambda: card.read_info().operator_name,
            names.GET_ENTERPRISE_ID: lambda: card.read_info().customs_code,
            names.GET_ENTERPRISE_NAME: lambda: card.read_info().enterprise_name,
            names.GET_CERT_NO: lambda: card.certificate().serial,
            names.GET_SIGN_CERT: lambda: base64.b64encode(card.certificate().to_bytes()).decode(),
        }
        if method in simple:
            return [simple[method]()]
        if method == names.VERIFY_PIN:
            card.verify_pin(str(args.get("passwd", "")))
            return ["ok"]
        if method in (names.SIGN_TEXT, names.SIGN_BASE64):
            data = self._sign_input(method, args)
            if "passwd" in args:
                card.verify_pin(str(args["passwd"]))
            signature = card.sign(data)
            return [base64.b64encode(signature).decode(), identity.certificate.serial]
        raise _BadRequest(f"未知的方法：{method}")

    @staticmethod
    def _sign_input(method: str, args: dict[str, Any]) -> bytes:
        in_data = args.get("inData")
        if not isinstance(in_data, str):
            raise _BadRequest("缺少参数 inData")
        if method == names.SIGN_TEXT:
            return in_data.encode("utf-8")
        try:
            return base64.b64decode(in_data, validate=True)
        except (binascii.Error, ValueError):
            raise _BadRequest("inData 不是 PEM（base64）编码") from None

    # --- the WebSocket side --------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        if self.fault == "mute":
            await ws.wait_closed()
            return
        greeting = {"_id": 0, "_method": "open", "_status": "00", "_args": _args(True, [], [])}
        await ws.send(json.dumps(greeting, ensure_ascii=False))
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                try:
                    request = json.loads(raw)
                    method = str(request["_method"])
                    args = request.get("args") or {}
                    if not isinstance(args, dict):
                        raise TypeError("args")
                except (TypeError, ValueError, KeyError):
                    continue  # the control ignores what it cannot read
                if self.fault == "mute":
                    continue
                if self.fault == "slow":
                    await asyncio.sleep(SLOW_ANSWER_S)
                result, data, error = await asyncio.to_thread(self.answer, method, args)
                del args  # it may hold the PIN
                reply = {
                    "_id": request.get("_id"),
                    "_method": method,
                    "_status": "00",
                    "_args": _args(result, data, error),
                }
                await ws.send(json.dumps(reply, ensure_ascii=False))

    async def _serve(self, *, port: int | None = None, path: Path | None = None) -> Server:
        options: dict[str, Any] = {"logger": _frames, "compression": None, "ping_interval": None}
        if path is not None:
            return await unix_serve(self._handle, sock=_private_unix_socket(path), **options)
        return await serve(self._handle, "127.0.0.1", port or 0, **options)

    async def serve_forever(self, *, port: int | None = None, path: Path | None = None) -> None:
        """Serve in the running loop until cancelled (the CLI)."""
        server = await self._serve(port=port, path=path)
        self.address = str(path) if path else _ws_url(server)
        await server.serve_forever()

    def _start(self, *, port: int | None = None, path: Path | None = None) -> ControlStandIn:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(self._serve(port=port, path=path))
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            self.address = str(path) if path else _ws_url(self._server)
            ready.set()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="card-control-stand-in", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self

    def start_tcp(self, port: int | None = None) -> ControlStandIn:
        """Serve on 127.0.0.1 (a free port unless given) in a thread; `address` is the ws:// URL."""
        return self._start(port=port)

    def start_unix(self, path: Path) -> ControlStandIn:
        """Serve on a Unix socket at `path` (mode 0600) in a thread; `address` is the path."""
        return self._start(path=path)

    def stop(self) -> None:
        server, loop = self._server, self._loop
        if server is not None and loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(server.close)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> ControlStandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _BadRequest(Exception):
    pass


def _args(result: bool, data: list[Any], error: list[str]) -> dict[str, Any]:
    return {"Result": result, "Data": data, "Error": error}


def _ws_url(server: Server) -> str:
    host, port = next(iter(server.sockets)).getsockname()[:2]
    return f"ws://{host}:{port}"


def _private_unix_socket(path: Path) -> socket.socket:
    """A bound Unix socket at `path`, mode 0600 before it listens (no one else may connect)."""
    with contextlib.suppress(FileNotFoundError):
        if path.is_socket():
            path.unlink()  # a stale socket from a killed run
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.fspath(path))
    os.chmod(path, 0o600)
    return sock
