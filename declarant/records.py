"""The records of the operator's enterprise, as 查询 finds them and as the form shows one, headless.

- `query_filter(...)` builds the query pane's filter from typed values (统一编号 or local draft
  number, 进口报关单号, status by code or label, 收货人, 原生产企业, 最近操作时间 from/to or one of
  当天/本周/本月); `.validated()` raises `store.queries.QueryError` naming the bad value in Chinese.
- `find(engine, operator, query)` yields the rows newest first (keyset batches, any number of rows).
- `row_dict(row)` is one row as a script reads it: the grid's columns by key, plus `key`.
- `record_dict(store, key)` is one record whole: every field by catalogue key, its goods, receipts.
- `draft_keys(engine, operator)` names every record in 暂存, whatever its date (for 提交 of all).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session

from declarant.export import COLUMNS, EXPORT_BATCH, local_time
from declarant.printout import field_value
from store.catalogue import BY_KEY, GOODS_FIELDS
from store.models import ReturnRecord
from store.operator import Operator
from store.queries import QueryFilter, RecordQuery, RecordRow, ValidQuery, quick_range
from store.records import RecordStore
from store.status import STATUS_LABELS, Status

PERIODS = ("当天", "本周", "本月")
PERIOD_ALIASES = {"today": "当天", "week": "本周", "month": "本月"}


def status_code(text: str) -> str:
    """A status as typed: its code (0-8) or its label (暂存, 已提交 …) -> the code as text."""
    value = text.strip()
    for status, label in STATUS_LABELS.items():
        if value == label:
            return str(int(status))
    return value  # validated (and refused in Chinese) by QueryFilter


def query_filter(
    *,
    unified_no: str = "",
    import_decl_no: str = "",
    status: str = "",
    consignee: str = "",
    producer: str = "",
    op_from: str = "",
    op_to: str = "",
    period: str = "",
    today: date | None = None,
) -> QueryFilter:
    """The query pane's filter; `period` (当天/本周/本月, or today/week/month) sets both dates."""
    if period:
        which = PERIOD_ALIASES.get(period, period)
        start, end = quick_range(which, today)
        op_from, op_to = start.isoformat(), end.isoformat()
    return QueryFilter(
        import_decl_no=import_decl_no,
        unified_no=unified_no,
        status=status_code(status) if status else "",
        consignee=consignee,
        producer=producer,
        op_from=op_from,
        op_to=op_to,
    )


def find(engine: Engine, operator: Operator, query: ValidQuery) -> Iterator[RecordRow]:
    """Every row of the validated query in the operator's enterprise, newest first."""
    return RecordQuery(engine, operator, query).all_rows(EXPORT_BATCH)  # type: ignore[no-any-return]


def count(engine: Engine, operator: Operator, query: ValidQuery) -> int:
    return RecordQuery(engine, operator, query).count()


def row_dict(row: RecordRow) -> dict[str, Any]:
    """One grid row: `key` (统一编号, else the local draft number), the raw numbers, the status
    code, and each exported column's text by its key (times in China's local time)."""
    out: dict[str, Any] = {
        "key": row.key,
        "unified_no": row.unified_no,
        "draft_no": row.draft_no,
        "status_code": row.status,
    }
    for column in COLUMNS:
        if column.key != "unified_no":
            out[column.key] = column.text(row)
    return out


def record_dict(store: RecordStore, key: str) -> dict[str, Any]:
    """The record `key` (统一编号 or local draft number) whole; `RecordNotFound` if not the
    operator's. Fields by catalogue key as stored, with `labels` (the manual's label of each key)
    and `texts` (as printed: parameter codes with their names)."""
    record = store.load(key)
    fields: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for spec_key, spec in BY_KEY.items():
        if spec_key in {s.key for s in GOODS_FIELDS} or not hasattr(record, spec_key):
            continue
        value = getattr(record, spec_key)
        fields[spec_key] = value
        texts[spec_key] = field_value(spec, value)
    receipts = [
        {
            "status_code": receipt.status,
            "status": Status(receipt.status).label,
            "issued_at": local_time(receipt.issued_at),
            "content": receipt.content,
        }
        for receipt in store.receipts(key)
    ]
    return {
        "key": record.key,
        "unified_no": record.unified_no,
        "draft_no": record.draft_no,
        "status_code": record.status,
        "status": Status(record.status).label,
        "version": record.version,
        "round": record.submission_round,
        "updated_at": local_time(record.updated_at),
        "fields": fields,
        "texts": texts,
        "labels": {key: spec.title for key, spec in BY_KEY.items() if key in fields},
        "goods": [row.model_dump(mode="json") for row in record.goods],
        "receipts": receipts,
    }


def draft_keys(engine: Engine, operator: Operator) -> list[str]:
    """Every record of the enterprise in 暂存, oldest first, by its key."""
    r = ReturnRecord
    statement = (
        select(r.unified_no, r.draft_no)
        .where(
            r.enterprise_uscc == operator.enterprise_uscc,  # type: ignore[arg-type]
            r.status == int(Status.DRAFT),  # type: ignore[arg-type]
        )
        .order_by(r.updated_at, r.id)  # type: ignore[arg-type]
    )
    with Session(engine) as session:
        return [unified or draft for unified, draft in session.execute(statement).all()]


__all__ = [
    "PERIODS",
    "count",
    "draft_keys",
    "find",
    "query_filter",
    "record_dict",
    "row_dict",
    "status_code",
]
