"""The record's statuses (fields.md) and the rules of moving between them.

A round is one submission of a record to customs; a record rejected by customs (4, 6, 8) may be
edited and submitted again as a new round. Receipts belong to a round: a receipt of an earlier round,
or one that would move the record to an earlier stage of its round, is kept but changes nothing, so a
late, duplicate or out-of-order receipt never moves a record backwards.
"""

from __future__ import annotations

from enum import IntEnum


class Status(IntEnum):
    DRAFT = 0
    SUBMITTED = 1
    SUBMIT_FAILED = 2
    RECEIVED = 3
    RECEIVE_FAILED = 4
    E_REVIEWED = 5
    E_REJECTED = 6
    APPROVED = 7
    REJECTED = 8

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def locked(self) -> bool:
        """Locked statuses refuse save and delete: customs holds the record."""
        return self in LOCKED

    @property
    def stage(self) -> int:
        return _STAGE[self]

    @property
    def final(self) -> bool:
        """Nothing more happens in this round (approved, or rejected at some stage)."""
        return self in FINAL


STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "暂存",
    Status.SUBMITTED: "已提交",
    Status.SUBMIT_FAILED: "提交失败",
    Status.RECEIVED: "海关接收成功",
    Status.RECEIVE_FAILED: "海关接收失败",
    Status.E_REVIEWED: "电子审核完成，待人工审核",
    Status.E_REJECTED: "电子审核退单",
    Status.APPROVED: "人工审核通过",
    Status.REJECTED: "人工审核退单",
}

LOCKED = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.E_REVIEWED, Status.APPROVED})
EDITABLE = frozenset(Status) - LOCKED
REJECTIONS = frozenset(
    {Status.SUBMIT_FAILED, Status.RECEIVE_FAILED, Status.E_REJECTED, Status.REJECTED}
)
FINAL = REJECTIONS | {Status.APPROVED}

# The review walks 已提交 → 接收 → 电子审核 → 人工审核; each stage ends in success or rejection.
_STAGE = {
    Status.DRAFT: 0,
    Status.SUBMITTED: 1,
    Status.SUBMIT_FAILED: 1,
    Status.RECEIVED: 2,
    Status.RECEIVE_FAILED: 2,
    Status.E_REVIEWED: 3,
    Status.E_REJECTED: 3,
    Status.APPROVED: 4,
    Status.REJECTED: 4,
}


def status_label(code: int) -> str:
    return f"{code}-{Status(code).label}"


def next_status_from_receipt(
    current: Status, current_round: int, receipt_status: Status, receipt_round: int
) -> Status | None:
    """The status a receipt moves the record to, or None when it must change nothing.

    `current_round` is the round the record is in (the last one customs accepted or that is in
    flight). Only a receipt of that round moves the record, only forwards, and never out of a final
    status or out of 暂存 (a record edited after a rejection waits for its next submission).
    """
    if receipt_round != current_round or current == Status.DRAFT or current.final:
        return None
    if receipt_status.stage <= current.stage:
        return None
    return receipt_status
