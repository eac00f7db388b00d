"""提交 of many records in turn (查询's ticked drafts, `tuihuo submit --all-drafts`), headless.

`submit_batch(worker, keys, progress=None) -> BatchReport`: each record is submitted in the order
given, through the worker's own 提交 (number, check, sign with the card, outbox, send), and gets
one `BatchRow`: accepted, pending (sent, customs' answer awaited: the outbox sends it again), refused
by customs with the reason, broken (its first broken rule, nothing sent) or not sent (its status,
a stale copy, a fault). A record that fails never stops the rest, except a lost card or gateway:
then the rest are marked not sent with that reason, since each would fail the same way.
`progress(done, total, row)` is called after each record (from the event loop's thread).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from customs.card import CardError
from customs.errors import GatewayError
from declarant.worker import NotConnected, SessionState, SubmitOutcome, Worker
from store.errors import StoreError
from store.rules import RuleError


class RowOutcome(StrEnum):
    ACCEPTED = "accepted"  # customs holds it: 已提交
    PENDING = "pending"  # sent, no answer yet: the outbox sends it again
    REFUSED = "refused"  # customs refused it: 提交失败 with the reason
    BROKEN = "broken"  # it fails a rule of 提交: nothing sent
    NOT_SENT = "not_sent"  # its status, a stale copy, a store fault, the card or gateway away


WORDS = {
    RowOutcome.ACCEPTED: "已提交",
    RowOutcome.PENDING: "等待应答",
    RowOutcome.REFUSED: "提交失败",
    RowOutcome.BROKEN: "校验未通过",
    RowOutcome.NOT_SENT: "未提交",
}


@dataclass(frozen=True, slots=True)
class BatchRow:
    key: str  # the number the record was asked by (统一编号 or local draft number)
    unified_no: str | None  # its 统一编号 once the gateway issued it
    outcome: RowOutcome
    message: str  # Chinese: the status reached, customs' reason, the first broken rule

    @property
    def text(self) -> str:
        """One line: "编号 已提交" / "编号 校验未通过：原生产企业名称为必填项"."""
        number = self.unified_no or self.key
        if self.outcome == RowOutcome.ACCEPTED:
            return f"{number} 已提交"
        return f"{number} {WORDS[self.outcome]}：{self.message}"


@dataclass(slots=True)
class BatchReport:
    rows: list[BatchRow] = field(default_factory=list)

    def count(self, outcome: RowOutcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def summary(self) -> str:
        """ "共3条：已提交2条，校验未通过1条" (outcomes that occurred, in a fixed order)."""
        parts = [f"{WORDS[o]}{self.count(o)}条" for o in RowOutcome if self.count(o)]
        return f"共{len(self.rows)}条：" + "，".join(parts) if parts else "没有要提交的数据"


Progress = Callable[[int, int, BatchRow], None]


async def submit_batch(
    worker: Worker, keys: Sequence[str], *, progress: Progress | None = None
) -> BatchReport:
    """Submit the records `keys` one after the other; never raises for one record's failure."""
    report = BatchReport()
    stop: str | None = None
    for key in keys:
        if stop is not None:
            row = BatchRow(key, None, RowOutcome.NOT_SENT, stop)
        else:
            row, away = await _submit_one(worker, key)
            if away:
                stop = row.message
        report.rows.append(row)
        if progress is not None:
            progress(len(report.rows), len(keys), row)
    return report


async def _submit_one(worker: Worker, key: str) -> tuple[BatchRow, bool]:
    """The record's row, and whether the card or the gateway is away (the rest cannot go)."""
    store = worker.store
    if store is None:
        return BatchRow(key, None, RowOutcome.NOT_SENT, "请先插卡登录"), True
    try:
        record = await asyncio.to_thread(store.load, key)
    except StoreError as error:
        return BatchRow(key, None, RowOutcome.NOT_SENT, error.message), False
    number = record.unified_no
    assert record.version is not None  # loaded from the store: it has one
    try:
        result = await worker.submit(key, version=record.version)
    except RuleError as error:
        return BatchRow(key, number, RowOutcome.BROKEN, error.violations[0].message), False
    except (NotConnected, CardError) as error:
        return BatchRow(key, number, RowOutcome.NOT_SENT, _message(error)), True
    except (StoreError, GatewayError) as error:
        return BatchRow(key, number, RowOutcome.NOT_SENT, _message(error)), False
    outcome = {
        SubmitOutcome.ACCEPTED: RowOutcome.ACCEPTED,
        SubmitOutcome.PENDING: RowOutcome.PENDING,
        SubmitOutcome.FAILED: RowOutcome.REFUSED,
    }[result.outcome]
    away = result.outcome == SubmitOutcome.PENDING and worker.state != SessionState.ACTIVE
    return BatchRow(key, result.unified_no, outcome, result.message), away


def _message(error: Exception) -> str:
    return str(getattr(error, "message", "") or error)
