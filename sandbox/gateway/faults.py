"""Injected faults: a raw ASGI middleware outside the application, so it can break the connection.

Before a request is handled it may be delayed, answered 503, or dropped (the socket closed without a
byte of answer). After a request was handled and committed (a 2xx about to go out) it may instead be
answered 503, dropped, or delayed: the cases where the client cannot know that customs took a
submission. Draws come from one RNG seeded by the gateway seed, so a run is repeatable.

Dropping uses uvicorn's transport (`send.__self__.transport.abort()`): ASGI itself has no way to
close a connection without answering. Under another server the fault raises instead, which the
server turns into a broken connection or a 500.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections import Counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from customs.wire import API_PREFIX, PROBLEM_MEDIA_TYPE
from sandbox.gateway.config import Fault


def request_class(method: str, path: str) -> str | None:
    """The fault class of a request (see sandbox.gateway.config)."""
    if not path.startswith(API_PREFIX + "/"):
        return None
    rest = path[len(API_PREFIX) + 1 :]
    if method == "POST" and rest == "session/challenge":
        return "challenge"
    if method == "POST" and rest == "session":
        return "login"
    if method == "GET" and rest.startswith("import-declarations/"):
        return "declaration"
    if method == "PUT" and rest.startswith("returns/"):
        return "submit"
    if method == "GET" and rest == "receipts":
        return "receipts"
    return None


class FaultState:
    """The configured faults, the seeded RNG and how often each fault has fired."""

    def __init__(self, faults: dict[str, Fault], seed: int) -> None:
        self.faults = dict(faults)
        self._rng = random.Random(seed)
        self._fired: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def fault(self, name: str | None) -> Fault | None:
        return self.faults.get(name) if name else None

    def fires(self, name: str, kind: str, share: float) -> bool:
        """Whether fault `kind` of class `name` strikes this time (and counts it if so)."""
        fault = self.faults.get(name)
        if fault is None or share <= 0:
            return False
        with self._lock:
            if fault.count and self._fired[name, kind] >= fault.count:
                return False
            if share < 1 and self._rng.random() >= share:
                return False
            self._fired[name, kind] += 1
            return True

    def fired(self, name: str, kind: str) -> int:
        return self._fired[name, kind]


async def drop_connection(send: Send) -> None:
    """Close the client's connection without an answer."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("sandbox fault: connection dropped")
    transport.abort()
    for _ in range(3):  # let uvicorn see the loss before the app returns, so it sends nothing
        await asyncio.sleep(0)


async def send_unavailable(send: Send, detail: str) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Service Unavailable",
            "status": 503,
            "detail": detail,
            "message": "海关网关暂时不可用，请稍后重试。",
        },
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", b"0"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class FaultMiddleware:
    def __init__(self, app: ASGIApp, state: FaultState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = request_class(scope.get("method", ""), scope.get("path", ""))
        fault = self.state.fault(name) if scope["type"] == "http" else None
        if fault is None or name is None:
            await self.app(scope, receive, send)
            return
        if fault.delay > 0 and self.state.fires(name, "delay", 1.0):
            await asyncio.sleep(fault.delay)
        if self.state.fires(name, "error", fault.error_share):
            await send_unavailable(send, "sandbox fault: answered 503 before handling")
            return
        if self.state.fires(name, "drop", fault.drop_share):
            await drop_connection(send)
            return
        await self.app(scope, receive, self._after_commit(name, fault, send))

    def _after_commit(self, name: str, fault: Fault, send: Send) -> Send:
        decision: dict[str, Any] = {}

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                ok = 200 <= message["status"] < 300
                if ok and self.state.fires(name, "commit_error", fault.commit_error_share):
                    decision["swallow"] = True
                    await send_unavailable(send, "sandbox fault: committed, then answered 503")
                    return
                if ok and self.state.fires(name, "commit_drop", fault.commit_drop_share):
                    decision["swallow"] = True
                    await drop_connection(send)
                    return
                if ok and fault.commit_delay > 0 and self.state.fires(name, "commit_delay", 1.0):
                    await asyncio.sleep(fault.commit_delay)
            if decision.get("swallow"):
                return
            await send(message)

        return wrapped
