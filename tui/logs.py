"""The support log: a rotating file in the XDG state dir, with secrets masked on the way in.

    path = setup_logging()              # ~/.local/state/tuihuo/tuihuo.log; idempotent
    setup_logging(secrets=[password])   # also masks these exact strings (the database password)
    mask_secrets("postgresql://u:pw@h/db")  -> "postgresql://u:***@h/db"

What is logged (by the modules themselves, through `logging`): each gateway, card and database
error, each session state change, each submission round and its outcome, each status change of a
record (from the store's audit rows, `log_status_changes`), and an unexpected exception with its
traceback (never its local variables). Never a PIN, a token, a password or a signature: the code
does not log them, and `SecretMask`, a filter on the handler, masks anything shaped like one as a
second line of defence: a URL's password, `Bearer …`, `pin=`/`token=`/`password=`/`signature=`
values and long hex runs (an SM2 signature is 128 hex digits).

The file is 0600 in a 0700 directory, rotated at 1 MB, five old files kept (about 6 MB at most).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, Any

from store.private import FILE_MODE, private_dir, private_file
from tui import locations

MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d] %(message)s"
MASK = "***"

_URL_PASSWORD = re.compile(
    r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://[^:/@\s]*):(?P<pw>[^@\s/]+)@"
)
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=\-]+")
_KEY_VALUE = re.compile(
    r"(?i)\b(pin|password|passwd|pwd|token|secret|signature|authorization)"
    r"(['\"]?\s*[:=]\s*['\"]?)(?!\*\*\*)([^\s'\",;}&)]+)"
)
_LONG_HEX = re.compile(r"\b[0-9a-fA-F]{96,}\b")

_lock = threading.Lock()
_handler: PrivateRotatingFileHandler | None = None
_literals: set[str] = set()


def mask_secrets(text: str) -> str:
    """`text` with every secret-shaped part replaced by ***."""
    for literal in sorted(_literals, key=len, reverse=True):
        text = text.replace(literal, MASK)
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}:{MASK}@", text)
    text = _BEARER.sub(lambda m: m[1] + MASK, text)
    text = _KEY_VALUE.sub(lambda m: m[1] + m[2] + MASK, text)
    return _LONG_HEX.sub(MASK, text)


def remember_secret(value: str | None) -> None:
    """Mask this exact string from now on (at least 4 characters: shorter ones mask too much)."""
    if value and len(value) >= 4:
        _literals.add(value)


def database_password(url: str | None) -> str | None:
    """The password inside a database URL (None when it has none or is not a URL)."""
    if not url:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password  # type: ignore[return-value]
    except (ArgumentError, ValueError):
        return None


class SecretMask(logging.Filter):
    """Renders the message and the traceback of each record, masked, before any handler writes it."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self._formatter = formatter

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_secrets(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """RotatingFileHandler whose files, the first and each one after a rollover, are 0600."""

    def _open(self) -> IO[Any]:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(
    path: Path | None = None, *, level: int = logging.INFO, secrets: Iterable[str | None] = ()
) -> Path:
    """Send the root logger's INFO and above to the rotating file `path`; returns the path.

    Calling it again with the same path only adds `secrets`; with another path (a test's own state
    dir) the handler moves there.
    """
    global _handler
    target = path or locations.log_file()
    for secret in secrets:
        remember_secret(secret)
    with _lock:
        root = logging.getLogger()
        if _handler is not None:
            if Path(_handler.baseFilename) == target.absolute():
                return target
            root.removeHandler(_handler)
            _handler.close()
        private_dir(target.parent)
        private_file(target)
        handler = PrivateRotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
        formatter = logging.Formatter(FORMAT)
        handler.setFormatter(formatter)
        handler.addFilter(SecretMask(formatter))
        root.addHandler(handler)
        if root.level > level or root.level == logging.NOTSET:
            root.setLevel(level)
        # one line per HTTP request (and every receipt poll) would drown what support looks for
        for noisy in ("httpx", "httpcore", "asyncio", "uvicorn", "uvicorn.access", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        _handler = handler
    _install_store_hooks()
    return target


def configured() -> bool:
    """True once `setup_logging` has run in this process."""
    return _handler is not None


def log_path() -> Path:
    """Where the log is (or will be)."""
    handler = _handler
    return Path(handler.baseFilename) if handler is not None else locations.log_file()


_hooks_installed = False


def _install_store_hooks() -> None:
    """Database errors and status changes, logged where they happen: in SQLAlchemy's events."""
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    from sqlalchemy import Engine, event
    from sqlalchemy.orm import Session

    event.listen(Engine, "handle_error", _database_error)
    event.listen(Session, "after_flush", _collect_status_changes)
    event.listen(Session, "after_commit", _log_status_changes)
    event.listen(Session, "after_rollback", _forget_status_changes)


_db_log = logging.getLogger("tuihuo.database")
_status_log = logging.getLogger("tuihuo.status")


def _database_error(context: Any) -> None:
    # the driver's own words only: SQLAlchemy's text would add the statement's parameters
    error = context.original_exception
    engine = context.engine
    where = engine.url.render_as_string(hide_password=True) if engine is not None else "?"
    _db_log.warning("database error on %s: %s: %s", where, type(error).__name__, error)


def _collect_status_changes(session: Any, _flush_context: Any) -> None:
    from store.models import AuditEntry

    entries = [obj for obj in session.new if isinstance(obj, AuditEntry)]
    if entries:
        session.info.setdefault("tuihuo_status_changes", []).extend(
            (e.unified_no, e.action, e.from_status, e.to_status) for e in entries
        )


def _log_status_changes(session: Any) -> None:
    from store.status import Status

    def label(code: int | None) -> str:
        if code is None:
            return "(none)"
        try:
            return f"{code} {Status(code).label}"
        except ValueError:
            return str(code)

    for unified_no, action, old, new in session.info.pop("tuihuo_status_changes", ()):
        _status_log.info("status %s %s: %s -> %s", unified_no, action, label(old), label(new))


def _forget_status_changes(session: Any) -> None:
    session.info.pop("tuihuo_status_changes", None)
