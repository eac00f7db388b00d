"""Running a store transaction again when the database aborted it as a conflict.

PostgreSQL may roll back a transaction that waits on row locks in a cycle (deadlock_detected,
SQLSTATE 40P01) or, under REPEATABLE READ / SERIALIZABLE, one that read a row another transaction
then changed (serialization_failure, 40001). Nothing of it was written, so running it again is safe
and, with the record row locked, decides on the current row. SQLite never raises these: its writers
queue on `BEGIN IMMEDIATE` under the busy timeout (store/engine.py), and a timeout there is not
retried here, since it has already waited.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

ATTEMPTS = 5  # tries in all, so a lasting fault still reaches the caller within ~0.5 s
BACKOFF_S = 0.02  # first pause, doubled at each try, with jitter so two racers part
CONFLICT_SQLSTATES = frozenset({"40001", "40P01"})

_P = ParamSpec("_P")
_T = TypeVar("_T")


def is_conflict(error: BaseException) -> bool:
    """True for a DBAPI error whose SQLSTATE says the transaction may simply run again."""
    if not isinstance(error, DBAPIError):
        return False
    return getattr(error.orig, "sqlstate", None) in CONFLICT_SQLSTATES


def retry_on_conflict(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """Wrap a function that runs exactly one transaction: on a conflict, run it again.

    At most `ATTEMPTS` runs; the last conflict is raised as it came (sqlalchemy.exc.DBAPIError).
    Any other error is raised at once.
    """

    @functools.wraps(function)
    def retrying(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except DBAPIError as error:
                if not is_conflict(error) or attempt == ATTEMPTS:
                    raise
            time.sleep(BACKOFF_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable: the loop returns or raises")

    return retrying
