"""The database's health and the writes it still owes: headless (no Textual), one per engine.

`health(engine)` is the engine's `Health`. The engine's error hook (`store.faults`) reports every
fault to it; it keeps the last fault (`fault`, its `state` for the status line) until the database
answers again. Writes that must not be lost (the form's draft at every field exit) go through
`Health.write(key, fn)`: written now when the database is well, else kept in memory under `key`
(a newer write of the same key replaces the older one) and retried by `keep_retrying` with backoff
(1 s, 2 s, 4 s … 30 s) or at once on `retry_now` (the operator's retry key). The listeners hear
every change of state (a fault, or None once everything owed is written), on the retry loop's
event loop when one runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections.abc import Callable
from itertools import count

from sqlalchemy import Engine, text

from store.errors import DatabaseFault

log = logging.getLogger(__name__)

FIRST_DELAY_S = 1.0
LONGEST_DELAY_S = 30.0

Listener = Callable[[DatabaseFault | None], None]


class Health:
    def __init__(self, engine: Engine) -> None:
        self._engine = weakref.ref(engine)
        self.fault: DatabaseFault | None = None
        self.first_delay = FIRST_DELAY_S
        self.longest_delay = LONGEST_DELAY_S
        self._pending: dict[str, tuple[int, Callable[[], None]]] = {}
        self._generations = count()
        self._lock = threading.Lock()  # guards fault and _pending (the hook runs in any thread)
        self._writing = threading.Lock()  # one owed write at a time, in the order they came
        self._listeners: list[Listener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._trouble: asyncio.Event | None = None
        self._now: asyncio.Event | None = None

    # ---- state -----------------------------------------------------------------------------
    @property
    def state(self) -> str | None:
        """数据库忙 / 磁盘已满 / 数据库只读 / 无法连接数据库 …, or None when the database answers."""
        fault = self.fault
        return fault.state if fault is not None else None

    @property
    def pending(self) -> list[str]:
        """Keys of the writes still owed, oldest first."""
        with self._lock:
            return list(self._pending)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def failed(self, fault: DatabaseFault) -> None:
        """A call met `fault` (from the engine's hook, in whatever thread made the call)."""
        with self._lock:
            changed = type(self.fault) is not type(fault)
            self.fault = fault
        if changed:
            log.warning("database fault: %s (%s)", fault.state, fault.detail)
            self._tell(fault)
        self._signal("_trouble")

    def _recovered(self) -> None:
        with self._lock:
            was, self.fault = self.fault, None
        if was is not None:
            log.warning("database answers again after %s", was.state)
            self._tell(None)

    def _tell(self, fault: DatabaseFault | None) -> None:
        loop = self._loop
        for listener in list(self._listeners):
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(listener, fault)
            else:
                listener(fault)

    def _signal(self, name: str) -> None:
        loop, event = self._loop, getattr(self, name)
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    # ---- owed writes -------------------------------------------------------------------------
    def write(self, key: str, fn: Callable[[], None]) -> bool:
        """Run `fn` (a store write) now, or keep it under `key` while the database is at fault.

        Returns True when written, False when kept for later (the fault is in `fault`). A newer
        write of the same key replaces a kept one. Errors other than a `DatabaseFault` (a refusal
        the retry cannot cure) drop the write and propagate.
        """
        generation = next(self._generations)
        with self._lock:
            waiting = self.fault is not None or bool(self._pending)
            self._pending[key] = (generation, fn)
        if waiting:  # never wait on a locked or absent database at a field exit: retried later
            self._signal("_trouble")
            return False
        return self._run(key, generation, fn)

    def forget(self, key: str) -> None:
        """Drop what is owed under `key` (the record was saved by other means)."""
        with self._lock:
            self._pending.pop(key, None)

    def _run(self, key: str, generation: int, fn: Callable[[], None]) -> bool:
        try:
            with self._writing:
                fn()
        except DatabaseFault:
            return False  # kept; the hook has reported the fault
        except Exception:
            self._done(key, generation)
            raise
        self._done(key, generation)
        return True

    def _done(self, key: str, generation: int) -> None:
        with self._lock:
            kept = self._pending.get(key)
            if kept is not None and kept[0] == generation:
                del self._pending[key]

    def retry(self) -> bool:
        """Write everything owed, oldest first; with nothing owed, ask the database (a write
        transaction that changes nothing). True when it answered and nothing is owed any more."""
        with self._lock:
            owed = list(self._pending.items())
        for key, (generation, fn) in owed:
            try:
                if not self._run(key, generation, fn):
                    return False
            except Exception:  # cannot succeed by retrying: dropped, logged
                log.exception("an owed database write was refused; dropped")
        if not owed:
            engine = self._engine()
            if engine is None:
                return False
            try:
                with engine.begin() as connection:  # SQLite: BEGIN IMMEDIATE, the write lock
                    connection.execute(text("SELECT 1"))
            except DatabaseFault:
                return False
        if self.pending:
            return False  # written meanwhile: the next round
        self._recovered()
        return True

    def retry_now(self) -> None:
        """The operator's retry key: the next retry starts at once (thread-safe)."""
        self._signal("_now")

    async def keep_retrying(self) -> None:
        """Retry while a fault stands or writes are owed, backing off; idle otherwise. Runs until
        cancelled; the listeners are called on this loop from now on."""
        self._loop = asyncio.get_running_loop()
        self._trouble, self._now = trouble, now = asyncio.Event(), asyncio.Event()
        delay = self.first_delay
        try:
            while True:
                if self.fault is None and not self.pending:
                    await trouble.wait()
                    delay = self.first_delay
                trouble.clear()
                with contextlib.suppress(TimeoutError):  # the delay ran out: retry anyway
                    await asyncio.wait_for(now.wait(), timeout=delay)
                now.clear()
                answered = await asyncio.to_thread(self.retry)
                delay = self.first_delay if answered else min(delay * 2, self.longest_delay)
        finally:
            if self._now is now:  # not replaced by a newer loop (a login after a logout)
                self._loop = self._trouble = self._now = None


_HEALTH: weakref.WeakKeyDictionary[Engine, Health] = weakref.WeakKeyDictionary()
_HEALTH_LOCK = threading.Lock()


def health(engine: Engine) -> Health:
    """The one `Health` of `engine`."""
    with _HEALTH_LOCK:
        found = _HEALTH.get(engine)
        if found is None:
            found = _HEALTH[engine] = Health(engine)
        return found
