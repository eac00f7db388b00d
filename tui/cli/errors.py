"""Exit codes and how an error an operator can meet becomes one: the Chinese line, the code.

0 done; 1 refused (a record's rules, a wrong or malformed PIN, the gateway's refusal, a record not found);
2 usage (click's own errors, a bad filter, bad settings); 3 a service unavailable (the gateway down,
the database away or damaged, no card, no reader, no PC/SC).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    DONE = 0
    REFUSED = 1
    USAGE = 2
    UNAVAILABLE = 3


class Failed(Exception):
    """Stop the command: `message` (Chinese) on stderr, exit with `code`."""

    def __init__(self, message: str, code: ExitCode = ExitCode.REFUSED) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


def classify(error: BaseException) -> tuple[ExitCode | None, str]:
    """The exit code and message of a known error; (None, str(error)) for an unnamed one."""
    # imported here: `tuihuo settings` must not pay for the card stack and the gateway client
    from customs.card import CardError
    from customs.card.errors import BadPinFormat, CardBlocked, WrongPin
    from customs.errors import GatewayError, GatewayUnavailable, OutcomeUnknown, ServerError
    from declarant.worker import NotConnected
    from store.errors import DatabaseFault, StoreError
    from store.queries import QueryError
    from store.validators import FieldError

    message = getattr(error, "message", None) or str(error)
    if isinstance(error, QueryError | FieldError):  # a filter or a number as typed
        return ExitCode.USAGE, message
    if isinstance(error, DatabaseFault | NotConnected):
        return ExitCode.UNAVAILABLE, message
    if isinstance(error, WrongPin | CardBlocked | BadPinFormat):
        return ExitCode.REFUSED, message
    if isinstance(error, CardError):  # no reader, no card, pcscd away, the card not answering
        return ExitCode.UNAVAILABLE, message
    if isinstance(error, GatewayUnavailable | OutcomeUnknown | ServerError):
        return ExitCode.UNAVAILABLE, message
    if isinstance(error, GatewayError | StoreError):
        return ExitCode.REFUSED, message
    return None, message
