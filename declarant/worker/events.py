"""What the worker tells its listeners (the screens, a test, a benchmark)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from store.status import Status


class SessionState(StrEnum):
    LOGGED_OUT = "logged_out"
    ACTIVE = "active"  # card in, session with the gateway
    OFFLINE = "offline"  # card in, gateway unreachable: drafts only, submissions wait
    LOCKED = "locked"  # card pulled: log in again

    @property
    def label(self) -> str:
        return {
            SessionState.LOGGED_OUT: "未登录",
            SessionState.ACTIVE: "已连接",
            SessionState.OFFLINE: "离线",
            SessionState.LOCKED: "已锁定",
        }[self]


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: SessionState
    message: str = ""


@dataclass(frozen=True, slots=True)
class StatusChanged:
    unified_no: str
    old: Status
    new: Status
    content: str = ""


@dataclass(frozen=True, slots=True)
class SubmissionSettled:
    unified_no: str
    round: int
    accepted: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class NumberIssued:
    """The gateway issued the 统一编号 of the record saved under local draft number `draft_no`."""

    draft_no: str
    unified_no: str


Event = StateChanged | StatusChanged | SubmissionSettled | NumberIssued
