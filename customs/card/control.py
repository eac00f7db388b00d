"""The e-port card through the official local card control (客户端控件), JSON over a WebSocket.

On the operator's Windows PC the control listens on ``ws://127.0.0.1:61232``; over SSH the operator
forwards it to a Unix socket on the server (README, "the real card over SSH"). What this module
relies on, with its public sources, is in docs/notes.md ("The local card control"):

- on connect the control greets: ``{"_id": 0, "_method": "open", "_status": "00", ...}``;
- a request is ``{"_id": N, "_method": "cus-sec_…", "args": {...}}``;
- the answer carries the same ``_id`` and ``_method`` and ``"_args": {"Result": bool, "Data":
  [...], "Error": [...]}``; a failure is ``Result: false`` with Chinese text in ``Error``, e.g.
  ``["[读卡器底层库]复位读卡器失败:错误码=50070", "Err:Custom50070"]``.

`ControlCard` offers the operations of `customs.card.Card` (read_info, certificate, verify_pin,
sign, close) so `AsyncCard` and the worker use it unchanged. It is blocking (the worker runs it in a
thread); every wait is bounded by `timeout` seconds, after which the connection is given up
(`CardTimeout`, "客户端控件无响应"), never a hang. The PIN crosses the socket in the
``cus-sec_SpcVerifyPIN`` request and is kept nowhere: the websockets library's own frame log (which
would print it at DEBUG) is sent to a logger that never logs below WARNING.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import logging
import os
import re
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.sync.client import ClientConnection, connect, unix_connect

from customs.card.errors import (
    CardBlocked,
    CardError,
    CardProtocolError,
    CardRemoved,
    CardTimeout,
    NoCard,
    NoReader,
    WrongPin,
)
from customs.card.profile import SIGNATURE_LENGTH, CardInfo
from customs.certificate import Certificate

log = logging.getLogger(__name__)
# websockets logs every frame at DEBUG, a VERIFY request with its PIN included: never below WARNING
_frames = logging.getLogger("customs.card.control.frames")
_frames.setLevel(logging.WARNING)

DEFAULT_URL = "ws://127.0.0.1:61232"  # the control's loopback address on the operator's PC
DEFAULT_TIMEOUT = 5.0  # seconds for the greeting and for each answer
WATCH_POLL = 0.25  # seconds between two looks at the card while a session is open
# seconds the watcher waits for one answer before calling the control hung (poll + this is the
# longest a mute control goes unnoticed). A pull or a closed control is noticed at the next poll
# whatever this is; it only has to outlast a slow answer over a long SSH link: at 0.5 s a loaded
# machine or a congested link locked a working session (seen on a loaded test run).
WATCH_TIMEOUT = 2.0

# why the watcher called the card gone: the first words of the lock message (issue 14)
PULLED = "电子口岸卡已拔出"
CONTROL_CLOSED = "客户端控件已断开"
CONTROL_MUTE = "客户端控件无响应"

# method names of the control (docs/notes.md)
GET_CARD_ID = "cus-sec_SpcGetCardID"
GET_CERT_NO = "cus-sec_SpcGetCertNo"
GET_OPERATOR = "cus-sec_SpcGetUName"
GET_ENTERPRISE_ID = "cus-sec_SpcGetEntID"
GET_ENTERPRISE_NAME = "cus-sec_SpcGetEntName"
GET_SIGN_CERT = "cus-sec_SpcGetSignCertAsPEM"
VERIFY_PIN = "cus-sec_SpcVerifyPIN"
SIGN_TEXT = "cus-sec_SpcSignDataAsPEM"  # inData: the text itself
SIGN_BASE64 = "cus-sec_SpcSignPemDataAsPem"  # inData: base64 of the bytes (binary-safe)
OPEN_CARD = "cus-sec_SpcInitEnvEx"
CLOSE_CARD = "cus-sec_SpcClearEnv"
GREETING = "open"

_CODE = re.compile(r"错误码\s*[=＝:：]\s*(\d+)")
_TRIES = re.compile(r"(?:还可|剩余|还能)[^0-9]{0,6}(\d+)\s*次")
# reader-library codes seen in public reports (docs/notes.md): the card or the key is not there
_NO_CARD_CODES = frozenset({"50200"})
_READER_CODES = frozenset({"50070"})


@dataclass(frozen=True)
class ControlAddress:
    """Where the control listens: a Unix socket path (``/run/user/…/tuihuo-card.sock``) or a
    ``ws://host:port`` URL."""

    target: str

    @property
    def unix(self) -> bool:
        return not self.target.startswith(("ws://", "wss://"))

    def __str__(self) -> str:
        return self.target


def control_error(texts: list[str], what: str) -> CardError:
    """The card error for a control's ``Error`` list (its first entry is the operator's text)."""
    text = next((t for t in texts if isinstance(t, str) and t.strip()), "")
    code = _CODE.search(text)
    detail = f"{what}: {text or 'Result false, no Error text'}"
    if code and code.group(1) in _NO_CARD_CODES:
        return NoCard(detail, message=f"请插入电子口岸卡（控件：{text}）")
    if code and code.group(1) in _READER_CODES:
        return NoReader(detail, message=f"读卡器故障，请重新插卡（控件：{text}）")
    if "锁" in text:
        return CardBlocked(detail)
    if ("口令" in text or "密码" in text or "PIN" in text.upper()) and "错" in text:
        tries = _TRIES.search(text)
        if tries:
            return WrongPin(int(tries.group(1)), detail)
        return CardError(detail, message="口令错误")
    return CardProtocolError(detail, message=f"客户端控件报错：{text or '未说明原因'}")


def _check_socket_is_ours(path: str) -> None:
    """Refuse a socket another user could have made or can reach: the PIN is about to cross it.

    `ssh -R` makes it 0600 and owned by the user (sshd's StreamLocalBindMask 0177)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return  # the connect says "no control" in its words
    except OSError as exc:
        raise CardError(f"stat {path}: {exc}", message=f"无法访问客户端控件（{path}）") from None
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        raise CardError(
            f"{path}: owner uid {info.st_uid}, mode {stat.S_IMODE(info.st_mode):o}",
            message=f"客户端控件套接字 {path} 不属于当前用户或他人可访问，拒绝向其发送卡口令",
        )


class ControlConnection:
    """One WebSocket connection to the control: greeting, then request/answer by ``_id``."""

    def __init__(self, address: ControlAddress, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.address = address
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._dead: CardError | None = None
        options: dict[str, Any] = {
            "open_timeout": timeout,
            "close_timeout": 1.0,
            "ping_interval": None,  # the watcher's polls show a dead link; pings would add noise
            "max_size": 8 * 1024 * 1024,
            "logger": _frames,
            "compression": None,
            "legacy": True,  # a connection that outlives one `with` block; close() is ours
        }
        if address.unix:
            _check_socket_is_ours(address.target)
        try:
            if address.unix:
                self._ws: ClientConnection = unix_connect(
                    address.target, "ws://localhost/", **options
                )
            else:
                self._ws = connect(address.target, proxy=None, **options)
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            raise CardError(
                f"connect {address}: {type(exc).__name__}: {exc}",
                # the address apart, after a space: a narrow screen wraps before it, never inside
                message=f"无法连接客户端控件，请确认控件已运行、SSH 转发已建立： {address}",
            ) from None
        try:
            greeting = self._receive(lambda m: m.get("_method") == GREETING, "greeting")
        except CardError:
            self.close()
            raise
        if greeting.get("_status", "00") != "00":
            self.close()
            raise CardProtocolError(f"greeting status {greeting.get('_status')!r}")

    def _receive(self, wanted: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        while True:
            try:
                raw = self._ws.recv(timeout=self.timeout)
            except TimeoutError:
                self._dead = CardTimeout(
                    f"{what}: no answer within {self.timeout:g} s", message="客户端控件无响应"
                )
                self.abort()
                raise self._dead from None
            except ConnectionClosed as exc:
                self._dead = CardRemoved(
                    f"{what}: control closed the connection ({exc})",
                    message="客户端控件已断开（控件关闭或 SSH 转发中断）",
                )
                raise self._dead from None
            try:
                message = json.loads(raw)
            except (TypeError, ValueError):
                log.warning("card control sent a non-JSON frame (%d chars)", len(raw))
                continue
            if isinstance(message, dict) and wanted(message):
                return message

    def call(self, method: str, args: dict[str, str] | None = None) -> list[Any]:
        """Send one request and return its ``Data`` list; a ``Result: false`` raises its
        `CardError` (see `control_error`)."""
        with self._lock:
            if self._dead is not None:
                raise type(self._dead)(
                    f"connection given up earlier: {self._dead.detail}", message=self._dead.message
                )
            request_id = next(self._ids)
            frame = json.dumps({"_id": request_id, "_method": method, "args": args or {}})
            try:
                self._ws.send(frame)
            except ConnectionClosed:
                self._dead = CardRemoved(f"{method}: connection closed", message="客户端控件已断开")
                raise self._dead from None
            finally:
                del frame  # it may hold the PIN
            answer = self._receive(
                lambda m: m.get("_id") == request_id and m.get("_method") == method, method
            )
        body = answer.get("_args", answer)
        if not isinstance(body, dict):
            raise CardProtocolError(f"{method}: _args is {type(body).__name__}")
        if answer.get("_status", "00") != "00" or body.get("Result") is not True:
            raise control_error(list(body.get("Error") or []), method)
        data = body.get("Data")
        if not isinstance(data, list):
            raise CardProtocolError(f"{method}: Data is {type(data).__name__}")
        return data

    def text(self, method: str) -> str:
        data = self.call(method)
        if not data or not isinstance(data[0], str):
            raise CardProtocolError(f"{method}: no text in Data")
        return data[0].strip()

    def close(self) -> None:
        """The closing handshake: waits up to ``close_timeout`` (1 s) for the control's answer."""
        self._ws.close()

    def abort(self) -> None:
        """Drop the connection at once, no closing handshake: a control that answers nothing
        would not answer the close frame either, and waiting for it delays the lock."""
        self._ws.close_socket()


def _decode_signature(value: object) -> bytes:
    """r||s (64 bytes) from the control's base64 answer."""
    if not isinstance(value, str):
        raise CardProtocolError("sign: no signature in Data")
    try:
        blob = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CardProtocolError(f"sign: signature is not base64: {exc}") from None
    if len(blob) != SIGNATURE_LENGTH:
        # a real control may answer DER or a PKCS#7 envelope: not known from public material
        raise CardProtocolError(f"sign: {len(blob)}-byte signature, expected r||s (64)")
    return blob


class ControlCard:
    """The operator's card behind the control; the same operations as `customs.card.Card`."""

    def __init__(self, address: ControlAddress, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.address = address
        self.connection = ControlConnection(address, timeout=timeout)
        self.card_no: str | None = None
        self.cert_no: str | None = None
        try:
            self.connection.call(OPEN_CARD)
        except CardError:
            self.connection.close()
            raise

    def read_info(self) -> CardInfo:
        """Card number, operator, enterprise: the control's answers, the USCC from the certificate."""
        c = self.connection
        card_no = c.text(GET_CARD_ID)
        certificate = self.certificate()
        self.card_no, self.cert_no = card_no, c.text(GET_CERT_NO)
        return CardInfo(
            card_no=card_no,
            operator_name=c.text(GET_OPERATOR),
            enterprise_uscc=certificate.enterprise_uscc,
            customs_code=c.text(GET_ENTERPRISE_ID),
            enterprise_name=c.text(GET_ENTERPRISE_NAME),
        )

    def certificate(self) -> Certificate:
        pem = self.connection.text(GET_SIGN_CERT)
        body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
        try:
            return Certificate.from_bytes(base64.b64decode(body, validate=True))
        except (binascii.Error, ValueError) as exc:
            raise CardProtocolError(
                f"certificate: {type(exc).__name__}",
                message="电子口岸卡证书无法识别（此网关只认沙箱证书格式）",
            ) from None

    def verify_pin(self, pin: str) -> None:
        """Present the PIN to the card through the control (WrongPin with the tries left)."""
        try:
            self.connection.call(VERIFY_PIN, {"passwd": pin})
        finally:
            del pin

    def sign(self, data: bytes) -> bytes:
        """SM2-with-SM3 signature r||s (64 bytes) by the card's key; needs the verified PIN.

        UTF-8 text goes as it is (``SpcSignDataAsPEM``), other bytes as base64
        (``SpcSignPemDataAsPem``). A certificate number in the answer other than the one read at
        login means another card is in the reader: `CardRemoved`.
        """
        try:
            method, in_data = SIGN_TEXT, data.decode("utf-8")
        except UnicodeDecodeError:
            method, in_data = SIGN_BASE64, base64.b64encode(data).decode("ascii")
        try:
            answer = self.connection.call(method, {"inData": in_data})
        except NoCard as exc:  # the session's card is out: what the worker treats as a pull
            raise CardRemoved(exc.detail) from None
        if not answer:
            raise CardProtocolError(f"{method}: empty Data")
        if len(answer) > 1 and self.cert_no and str(answer[1]).strip() != self.cert_no:
            raise CardRemoved(
                f"{method}: signed by certificate {answer[1]!r}, not {self.cert_no!r}"
            )
        return _decode_signature(answer[0])

    def close(self) -> None:
        """Close the card at the control (the verified PIN ends with the session), then the link."""
        try:
            self.connection.call(CLOSE_CARD)
        except CardError as exc:
            log.info("card control: closing the card failed: %s", exc.detail)
        finally:
            self.connection.close()


def removal_reason(error: CardRemoved) -> str:
    """Why a call found the card gone, for the lock message: `CONTROL_CLOSED` when the control's
    connection closed under it (the control quit or the SSH forward dropped), else `PULLED`
    (a reader's card pulled, or the control's card)."""
    return CONTROL_CLOSED if error.message.startswith(CONTROL_CLOSED) else PULLED


def gone_reason(error: CardError) -> str:
    """Why a watcher's look failed, in the operator's words: `CONTROL_MUTE` (no answer in time),
    `CONTROL_CLOSED` (the connection closed or could not be made: the control quit or the SSH
    forward dropped) or `PULLED` (the control answered with an error: the card is out)."""
    if isinstance(error, CardTimeout):
        return CONTROL_MUTE
    if isinstance(error, CardRemoved) or type(error) is CardError:  # closed, or no connection
        return CONTROL_CLOSED
    return PULLED


class ControlWatcher:
    """Calls `on_removed(reason)` once, from its thread, when the card leaves or the control goes;
    `reason` is `PULLED`, `CONTROL_CLOSED` or `CONTROL_MUTE` (see `gone_reason`).

    It asks the card's number over its own connection every `poll` seconds: an error answer, a
    different number, a closed connection or no answer within `timeout` all mean "gone", so a pull
    is noticed within poll + timeout. With the defaults a pull or a closed control is noticed
    within a second (the answer or the close comes at once), a mute one within 2.25 s, and an
    answer up to 2 s late (a slow link) does not count as gone.
    """

    def __init__(
        self,
        address: ControlAddress,
        card_no: str | None,
        on_removed: Callable[[str], None],
        *,
        poll: float = WATCH_POLL,
        timeout: float = WATCH_TIMEOUT,
    ) -> None:
        self.address = address
        self.card_no = card_no
        self._on_removed = on_removed
        self.poll = poll
        self._stop = threading.Event()
        self.fired = threading.Event()
        self.timeout = timeout
        self._thread = threading.Thread(target=self._run, name="card-control-watch", daemon=True)

    def start(self) -> ControlWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching at once; the thread ends after its current look (at most `timeout`)
        and closes its connection itself: the caller (the app's event loop) never waits."""
        self._stop.set()

    def _run(self) -> None:
        # connecting here, not in start(): the caller is the app's event loop, never held up
        try:
            connection = ControlConnection(self.address, timeout=self.timeout)
        except CardError as exc:
            self._fire(gone_reason(exc), exc.detail)
            return
        try:
            while not self._stop.wait(self.poll):
                try:
                    card_no = connection.text(GET_CARD_ID)
                except CardError as exc:
                    # the lock first: closing may wait for a hung control's close frame
                    self._fire(gone_reason(exc), exc.detail)
                    return
                if self.card_no is not None and card_no != self.card_no:
                    self._fire(PULLED, f"card {card_no} instead of {self.card_no}")
                    return
        finally:
            connection.close()

    def _fire(self, reason: str, why: str) -> None:
        if self._stop.is_set() or self.fired.is_set():
            return
        self.fired.set()
        log.info("e-port card behind the control %s is gone (%s): %s", self.address, reason, why)
        try:
            self._on_removed(reason)
        except Exception:
            log.exception("card removal callback failed")
