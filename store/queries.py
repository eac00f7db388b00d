"""The query of 出口退货信息查询: six filters, keyset pages over the last operation time, a total.

Rows are ordered by 最近操作时间 (updated_at) then id, newest first. A page is fetched after or
before a cursor (the edge row's time and id), never by OFFSET, so the last page of a million records
costs what the first does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from store import clock, validators
from store.models import ReturnRecord
from store.operator import Operator
from store.rules import Violation
from store.status import Status
from store.validators import FieldError

MAX_RANGE_DAYS = 30
PAGE_SIZES = (10, 20, 50, 100)


@dataclass(slots=True)
class QueryFilter:
    """The manual's filters as typed; `validated()` turns them into a query or names the bad one."""

    import_decl_no: str = ""
    unified_no: str = ""
    status: str = ""
    consignee: str = ""  # 收货人: 18-char USCC or 10-char customs code
    producer: str = ""  # 原生产企业: same
    op_from: str = ""  # 最近操作时间, default today
    op_to: str = ""

    def validated(self, *, today: date | None = None) -> ValidQuery:
        today = today or clock.today_local()
        violations: list[Violation] = []
        query = ValidQuery(op_from=today, op_to=today)

        def check(name: str, fn):  # type: ignore[no-untyped-def]
            try:
                return fn()
            except FieldError as error:
                violations.append(Violation(name, error.message))
                return None

        if self.import_decl_no.strip():
            query.import_decl_no = check(
                "import_decl_no", lambda: validators.import_declaration(self.import_decl_no)
            )
        if self.unified_no.strip():
            query.unified_no = check("unified_no", lambda: _unified_no(self.unified_no))
        if self.status.strip():
            query.status = check("status", lambda: _status(self.status))
        if self.consignee.strip():
            query.consignee = check(
                "consignee",
                lambda: validators.uscc_or_customs_code(self.consignee, label="收货人"),
            )
        if self.producer.strip():
            query.producer = check(
                "producer",
                lambda: validators.uscc_or_customs_code(self.producer, label="原生产企业"),
            )
        start = check("op_from", lambda: _date(self.op_from, today, "最近操作时间（起）"))
        end = check("op_to", lambda: _date(self.op_to, today, "最近操作时间（止）"))
        if start and end:
            if start > end:
                violations.append(Violation("op_from", "最近操作时间的开始日期不能晚于结束日期"))
            elif (end - start).days > MAX_RANGE_DAYS:
                violations.append(
                    Violation("op_from", f"最近操作时间范围不能超过{MAX_RANGE_DAYS}天")
                )
            query.op_from, query.op_to = start, end
        if violations:
            raise QueryError(violations)
        return query


class QueryError(Exception):
    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__(violations[0].message)

    @property
    def message(self) -> str:
        return self.violations[0].message


def _unified_no(value: str) -> str:
    """18 digits (统一编号) or 12 (a local draft number: a record saved offline)."""
    text = value.strip()
    if len(text) not in (18, 12) or not text.isdigit():
        raise FieldError("统一编号应为18位数字")
    return text


def _status(value: str) -> int:
    text = value.strip().split("-")[0]
    if not text.isdigit() or int(text) not in {int(s) for s in Status}:
        raise FieldError("状态应为0-8，请按空格键选择")
    return int(text)


def _date(value: str, today: date, label: str) -> date:
    if not value.strip():
        return today
    return date.fromisoformat(validators.parse_date(value, label=label))


def quick_range(which: str, today: date | None = None) -> tuple[date, date]:
    """当天, 本周 (Monday to today), 本月 (the 1st to today)."""
    today = today or clock.today_local()
    if which == "当天":
        return today, today
    if which == "本周":
        return today - timedelta(days=today.weekday()), today
    if which == "本月":
        return today.replace(day=1), today
    raise ValueError(which)


@dataclass(slots=True)
class ValidQuery:
    op_from: date
    op_to: date
    import_decl_no: str | None = None
    unified_no: str | None = None
    status: int | None = None
    consignee: str | None = None
    producer: str | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    updated_at: datetime
    id: int


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One line of the grid."""

    id: int
    unified_no: str | None  # None until the gateway issues it
    draft_no: str | None
    return_no: str | None
    import_decl_no: str | None
    consignee_uscc: str | None
    consignee_code: str | None
    consignee_name: str | None
    producer_uscc: str | None
    producer_code: str | None
    producer_name: str | None
    collected_at: datetime | None
    status: int
    updated_at: datetime

    @property
    def key(self) -> str:
        """The number the store finds the record by (统一编号, else the local draft number)."""
        return self.unified_no or self.draft_no or ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.updated_at, self.id)


@dataclass(slots=True)
class Page:
    rows: list[RecordRow] = field(default_factory=list)
    total: int = 0
    has_next: bool = False
    has_prev: bool = False

    @property
    def first(self) -> Cursor | None:
        return self.rows[0].cursor if self.rows else None

    @property
    def last(self) -> Cursor | None:
        return self.rows[-1].cursor if self.rows else None


_COLUMNS = (
    ReturnRecord.id,
    ReturnRecord.unified_no,
    ReturnRecord.draft_no,
    ReturnRecord.return_no,
    ReturnRecord.import_decl_no,
    ReturnRecord.consignee_uscc,
    ReturnRecord.consignee_code,
    ReturnRecord.consignee_name,
    ReturnRecord.producer_uscc,
    ReturnRecord.producer_code,
    ReturnRecord.producer_name,
    ReturnRecord.collected_at,
    ReturnRecord.status,
    ReturnRecord.updated_at,
)


class RecordQuery:
    """Pages of one validated query, scoped to the operator's enterprise."""

    def __init__(self, engine: Engine, operator: Operator, query: ValidQuery) -> None:
        self.engine = engine
        self.operator = operator
        self.query = query
        self._where = self._conditions()

    def _conditions(self) -> list[ColumnElement[bool]]:
        q = self.query
        r = ReturnRecord
        conditions: list[ColumnElement[bool]] = [
            r.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[list-item]
            r.updated_at >= clock.local_day_start(q.op_from),  # type: ignore[list-item]
            r.updated_at < clock.local_day_start(q.op_to + timedelta(days=1)),  # type: ignore[list-item]
        ]
        if q.import_decl_no:
            conditions.append(r.import_decl_no == q.import_decl_no)  # type: ignore[arg-type]
        if q.unified_no:
            column = r.unified_no if len(q.unified_no) == 18 else r.draft_no
            conditions.append(column == q.unified_no)  # type: ignore[arg-type]
        if q.status is not None:
            conditions.append(r.status == q.status)  # type: ignore[arg-type]
        if q.consignee:
            column = r.consignee_uscc if len(q.consignee) == 18 else r.consignee_code
            conditions.append(column == q.consignee)  # type: ignore[arg-type]
        if q.producer:
            column = r.producer_uscc if len(q.producer) == 18 else r.producer_code
            conditions.append(column == q.producer)  # type: ignore[arg-type]
        return conditions

    def count(self) -> int:
        with Session(self.engine) as session:
            statement = select(func.count()).select_from(ReturnRecord).where(*self._where)
            return int(session.execute(statement).scalar_one())

    def _fetch(
        self, extra: list[ColumnElement[bool]], *, newest_first: bool, limit: int
    ) -> list[RecordRow]:
        order = (
            (ReturnRecord.updated_at.desc(), ReturnRecord.id.desc())  # type: ignore[union-attr, attr-defined]
            if newest_first
            else (ReturnRecord.updated_at.asc(), ReturnRecord.id.asc())  # type: ignore[union-attr, attr-defined]
        )
        statement = select(*_COLUMNS).where(*self._where, *extra).order_by(*order).limit(limit)
        with Session(self.engine) as session:
            return [RecordRow(*row) for row in session.execute(statement).all()]

    def page(
        self,
        size: int,
        *,
        after: Cursor | None = None,
        before: Cursor | None = None,
        last: bool = False,
        total: int | None = None,
    ) -> Page:
        """The first page, the page after/before a cursor, or the last page."""
        if size not in PAGE_SIZES:
            raise ValueError(f"page size {size} not in {PAGE_SIZES}")
        total = self.count() if total is None else total
        updated, ident = ReturnRecord.updated_at, ReturnRecord.id
        if last:
            tail = total % size or size
            rows = self._fetch([], newest_first=False, limit=tail)[::-1]
            return Page(rows, total, has_next=False, has_prev=total > len(rows))
        if before is not None:
            older_than_edge = or_(
                updated > before.updated_at,  # type: ignore[operator]
                and_(updated == before.updated_at, ident > before.id),  # type: ignore[arg-type, operator]
            )
            rows = self._fetch([older_than_edge], newest_first=False, limit=size + 1)
            has_prev = len(rows) > size
            return Page(rows[:size][::-1], total, has_next=True, has_prev=has_prev)
        extra = []
        if after is not None:
            extra.append(
                or_(
                    updated < after.updated_at,  # type: ignore[operator]
                    and_(updated == after.updated_at, ident < after.id),  # type: ignore[arg-type, operator]
                )
            )
        rows = self._fetch(extra, newest_first=True, limit=size + 1)
        return Page(rows[:size], total, has_next=len(rows) > size, has_prev=after is not None)

    def all_rows(self, batch: int = 1000):  # type: ignore[no-untyped-def]
        """Every row of the result, newest first, in keyset batches (for export)."""
        cursor: Cursor | None = None
        while True:
            extra = []
            if cursor is not None:
                extra.append(
                    or_(
                        ReturnRecord.updated_at < cursor.updated_at,  # type: ignore[operator]
                        and_(
                            ReturnRecord.updated_at == cursor.updated_at,  # type: ignore[arg-type]
                            ReturnRecord.id < cursor.id,  # type: ignore[operator]
                        ),
                    )
                )
            rows = self._fetch(extra, newest_first=True, limit=batch)
            yield from rows
            if len(rows) < batch:
                return
            cursor = rows[-1].cursor
