"""提交 of records and 回执 refresh for a script: through the worker, exactly as the form does it.

Each record is loaded for its version and handed to `Worker.submit` (the 统一编号 fetched first for
a record saved offline, the rules checked, the card's signature, 已提交 and the outbox in one
transaction, then the sending); the outcome of each is a `Submitted`. A refusal (the rules, the
status, the gateway's answer) is that record's outcome and the next record goes on; a service
failing (the card pulled, the gateway gone, the database away) raises and stops the run: what was
already written stays in the store and the outbox sends it at the next contact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from customs.errors import Conflict, NotFound, Rejected
from declarant.session import Session
from declarant.worker import StatusChanged, SubmitOutcome
from store.errors import DatabaseFault, StoreError
from store.rules import RuleError
from store.status import Status

ACCEPTED = "accepted"  # customs holds the round: 已提交
PENDING = "pending"  # sent, no answer yet: in the outbox, sent again until answered
REFUSED = "refused"  # not submitted, or refused by customs: the reasons say why


@dataclass(frozen=True, slots=True)
class Submitted:
    """One record's 提交: `key` as asked, `unified_no` once known, the status it now has."""

    key: str
    outcome: str  # ACCEPTED, PENDING or REFUSED
    message: str  # the one line an operator reads (Chinese)
    unified_no: str | None = None
    round: int | None = None
    status: str = ""
    reasons: list[str] = field(default_factory=list)  # each refusal, in the form's field order

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _status(session: Session, key: str) -> str:
    return _held(session, key)[1]


def _held(session: Session, key: str) -> tuple[str | None, str]:
    """The 统一编号 the record holds now (None if it has only a draft number, or cannot be read)
    and its status label: a refused record may have been numbered before the rules refused it."""
    try:
        record = session.store.load(key)
    except StoreError:
        return None, ""
    return record.unified_no, Status(record.status).label


def _refused(session: Session, key: str, message: str, reasons: list[str]) -> Submitted:
    unified_no, status = _held(session, key)
    return Submitted(key, REFUSED, message, unified_no=unified_no, status=status, reasons=reasons)


async def submit_one(session: Session, key: str) -> Submitted:
    """提交 of the record `key` (统一编号 or local draft number) with the logged-in card."""
    try:
        record = session.store.load(key)
        assert record.version is not None
        result = await session.worker.submit(key, version=record.version)
    except RuleError as error:
        reasons = [v.message for v in error.violations]
        return _refused(session, key, f"未通过校验：{reasons[0]}", reasons)
    except DatabaseFault:
        raise
    except StoreError as error:  # not found, a locked status, a stale version
        return _refused(session, key, error.message, [error.message])
    except (Rejected, Conflict, NotFound) as error:  # the gateway refused to number it
        return _refused(session, key, error.message, [error.message])
    outcome = {
        SubmitOutcome.ACCEPTED: ACCEPTED,
        SubmitOutcome.PENDING: PENDING,
        SubmitOutcome.FAILED: REFUSED,
    }[result.outcome]
    reasons = [result.message] if outcome == REFUSED else []
    message = "提交成功" if outcome == ACCEPTED else result.message
    return Submitted(
        key,
        outcome,
        message,
        unified_no=result.unified_no,
        round=result.round,
        status=_status(session, result.unified_no),
        reasons=reasons,
    )


async def submit_records(
    session: Session,
    keys: Iterable[str],
    *,
    on_result: Callable[[Submitted], None] | None = None,
) -> list[Submitted]:
    """提交 of each record in order; `on_result` is called after each (a progress bar, a line)."""
    results = []
    for key in keys:
        submitted = await submit_one(session, key)
        results.append(submitted)
        if on_result is not None:
            on_result(submitted)
    return results


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What one refresh did: submissions sent again from the outbox, status changes by receipt."""

    resent: list[Submitted]
    changes: list[StatusChanged]

    def as_dict(self) -> dict[str, Any]:
        return {
            "resent": [s.as_dict() for s in self.resent],
            "changes": [
                {
                    "unified_no": c.unified_no,
                    "old_status": Status(c.old).label,
                    "new_status": Status(c.new).label,
                    "content": c.content,
                }
                for c in self.changes
            ],
        }


async def refresh(session: Session) -> Refreshed:
    """One round of the worker's background work, once: numbers for records saved offline, the
    outbox sent again, the receipt feed read from its saved cursor and applied."""
    worker = session.worker
    await worker.number_all()
    resent = [
        Submitted(
            r.unified_no,
            {SubmitOutcome.ACCEPTED: ACCEPTED, SubmitOutcome.PENDING: PENDING}.get(
                r.outcome, REFUSED
            ),
            r.message,
            unified_no=r.unified_no,
            round=r.round,
            status=_status(session, r.unified_no),
        )
        for r in await worker.resume_outbox()
    ]
    return Refreshed(resent, await worker.refresh_receipts())


__all__ = ["ACCEPTED", "PENDING", "REFUSED", "Refreshed", "Submitted", "refresh", "submit_records"]
