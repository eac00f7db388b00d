"""The worker: card login, backfill, submission and receipt refresh, headless and async.

The TUI runs it in its own workers and listens to its events; tests and benchmarks drive it directly.
"""

from declarant.worker.backfill import Backfill
from declarant.worker.core import NotConnected, SubmitOutcome, SubmitResult, Worker
from declarant.worker.events import (
    Event,
    NumberIssued,
    SessionState,
    StateChanged,
    StatusChanged,
    SubmissionSettled,
)
from declarant.worker.slots import AutoSlot, CardSlot, ControlSlot, PcscSlot, SandboxSlot

__all__ = [
    "AutoSlot",
    "Backfill",
    "CardSlot",
    "ControlSlot",
    "Event",
    "NotConnected",
    "NumberIssued",
    "PcscSlot",
    "SandboxSlot",
    "SessionState",
    "StateChanged",
    "StatusChanged",
    "SubmissionSettled",
    "SubmitOutcome",
    "SubmitResult",
    "Worker",
]
