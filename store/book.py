"""The enterprise book (常用企业): the producers and consignee contacts an office has saved.

Every 暂存 puts the record's 原生产企业 (USCC, customs code, name, contact, phone, 行政区划, 所属机构)
and its 收货联系人 with phone into the book of the card's enterprise (`remember`, in the save's own
transaction: store/records.py), newest use first.
The book is rows of `store.models.BookEntry` in the same database, so the operators of one
PostgreSQL database share it; two saves naming one producer at once meet in one upsert
(INSERT … ON CONFLICT), never a duplicate or a lost use.

Search (`BookEntries.search`) ranks as the parameter popup does (`store.params.Table.search`):
exact code, code prefix, pinyin-initials prefix, name prefix, name substring; within a tier the
newest use first. Values are checked with the form's own validators (`put`), so the book never
offers what the form would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from store import clock
from store.catalogue import BY_KEY
from store.errors import RecordNotFound
from store.models import BookEntry
from store.operator import Operator
from store.params import Entry
from store.params.pinyin import initials_of
from store.rules import validate_field
from store.validators import FieldError

PRODUCER, CONTACT = "producer", "contact"
KINDS = {PRODUCER: "原生产企业", CONTACT: "收货联系人"}

# the record's field behind each column of a book entry, per kind
PRODUCER_FIELDS: dict[str, str] = {
    "uscc": "producer_uscc",
    "code": "producer_code",
    "name": "producer_name",
    "contact": "producer_contact",
    "phone": "producer_phone",
    "division": "producer_division",
    "customs": "producer_customs",
}
# a contact is kept with the consignee (收货人) it was saved for, so a backfill naming that
# consignee can offer it; the consignee's codes are not part of its key
CONTACT_FIELDS: dict[str, str] = {
    "contact": "contact_person",
    "phone": "contact_phone",
    "uscc": "consignee_uscc",
    "code": "consignee_code",
}
COLUMNS = tuple(PRODUCER_FIELDS)


def fields_of(kind: str) -> dict[str, str]:
    """Column -> the record's field key, for `kind`."""
    return PRODUCER_FIELDS if kind == PRODUCER else CONTACT_FIELDS


@dataclass(frozen=True, slots=True)
class Known:
    """One entry of the book as callers see it (detached from any session)."""

    id: int
    kind: str
    uscc: str | None
    code: str | None
    name: str
    contact: str | None
    phone: str | None
    division: str | None
    customs: str | None
    initials: str
    uses: int
    used_at: datetime

    @property
    def key(self) -> str:
        return _key(self.kind, self.values())

    def values(self) -> dict[str, str | None]:
        """Column -> value (None for empty), the columns of its kind only."""
        return {column: getattr(self, column) or None for column in fields_of(self.kind)}

    def record_values(self) -> dict[str, str | None]:
        """The record's field key -> value: what filling the form from this entry sets."""
        return {fields_of(self.kind)[c]: v for c, v in self.values().items()}

    def label(self) -> str:
        """How a list shows it: "name  USCC/code" or "contact  phone"."""
        if self.kind == CONTACT:
            return f"{self.contact or ''}  {self.phone or ''}"
        return f"{self.name}  {self.uscc or self.code or ''}"


def _known(row: BookEntry) -> Known:
    assert row.id is not None
    return Known(
        id=row.id,
        kind=row.kind,
        uscc=row.uscc,
        code=row.code,
        name=row.name,
        contact=row.contact,
        phone=row.phone,
        division=row.division,
        customs=row.customs,
        initials=row.initials,
        uses=row.uses,
        used_at=row.used_at,
    )


def _key(kind: str, values: dict[str, str | None]) -> str:
    if kind == PRODUCER:
        return (values.get("uscc") or values.get("code") or "").upper()
    return f"{values.get('contact') or ''}|{values.get('phone') or ''}"


class BookEntries:
    """A kind's entries in memory, newest use first, searched as the parameter popup searches.

    `search` returns `store.params.Entry` items (code: the entry's id as text, name: its label),
    so the parameter popup (screens/popups.py) lists them unchanged; `get(id)` gives the entry back.
    """

    def __init__(self, entries: Sequence[Known]) -> None:
        self._entries = tuple(entries)
        self._by_id = {str(e.id): e for e in self._entries}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, entry_id: str) -> Known | None:
        return self._by_id.get(entry_id)

    def find(self, query: str, limit: int = 200) -> list[Known]:
        """Entries matching `query`: exact code, code prefix, initials prefix, name prefix, name
        substring; newest use first within each; empty query: all, newest first."""
        q = query.strip()
        if not q:
            return list(self._entries[:limit])
        qu = q.upper()
        buckets: tuple[list[Known], ...] = ([], [], [], [], [])
        for entry in self._entries:
            codes = [c.upper() for c in (entry.uscc, entry.code, entry.phone) if c]
            name = entry.name if entry.kind == PRODUCER else entry.contact or ""
            if qu in codes:
                buckets[0].append(entry)
            elif any(c.startswith(qu) for c in codes):
                buckets[1].append(entry)
            elif entry.initials.startswith(qu):
                buckets[2].append(entry)
            elif name.startswith(q):
                buckets[3].append(entry)
            elif q in name:
                buckets[4].append(entry)
        return [e for bucket in buckets for e in bucket][:limit]

    def search(self, query: str, limit: int = 200) -> list[Entry]:
        """`find` as parameter entries, for the popup."""
        return [
            Entry(code=str(e.id), name=e.label(), parent=None, initials=e.initials)
            for e in self.find(query, limit)
        ]

    def place(self, code: str) -> str:
        """The popup's parents column: a book entry has none (its label says whose it is)."""
        return ""


class EnterpriseBook:
    """The book of the operator's enterprise. Every call is its own short transaction."""

    def __init__(
        self, engine: Engine, operator: Operator, *, now: Callable[[], datetime] = clock.now
    ) -> None:
        self.engine = engine
        self.operator = operator
        self._now = now

    # ---- reading ---------------------------------------------------------------------------
    def entries(self, kind: str) -> BookEntries:
        """Every entry of `kind`, newest use first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(BookEntry)
                .where(self._scope(), BookEntry.kind == kind)  # type: ignore[arg-type]
                .order_by(BookEntry.used_at.desc(), BookEntry.id.desc())  # type: ignore[attr-defined,union-attr]
            ).all()
            return BookEntries([_known(row) for row in rows])

    def producer(self, *, uscc: str | None = None, code: str | None = None) -> Known | None:
        """The producer the book knows by this USCC or customs code (the newest when several)."""
        return self._newest(PRODUCER, uscc=uscc, code=code)

    def _newest(self, kind: str, *, uscc: str | None, code: str | None) -> Known | None:
        wanted = []
        if uscc:
            wanted.append(func.upper(BookEntry.uscc) == uscc.strip().upper())
        if code:
            wanted.append(func.upper(BookEntry.code) == code.strip().upper())
        if not wanted:
            return None
        with Session(self.engine) as session:
            row = session.scalars(
                select(BookEntry)
                .where(self._scope(), BookEntry.kind == kind, or_(*wanted))  # type: ignore[arg-type]
                .order_by(BookEntry.used_at.desc())  # type: ignore[attr-defined]
                .limit(1)
            ).first()
            return _known(row) if row is not None else None

    # ---- writing ---------------------------------------------------------------------------
    def contact(self, *, uscc: str | None = None, code: str | None = None) -> Known | None:
        """The newest contact saved for the consignee of this USCC or customs code."""
        return self._newest(CONTACT, uscc=uscc, code=code)

    def remember(self, values: Mapping[str, object], *, session: Session | None = None) -> None:
        """Put a saved record's producer and consignee contact in the book (a use: newest).

        `values`: the record's business fields (`RecordData.business_dict()`); `session`: the
        save's own transaction (RecordStore.save), so the book and the record change together.
        """
        if session is None:
            with Session(self.engine) as own, own.begin():
                self._remember(own, values)
        else:
            self._remember(session, values)

    def _remember(self, session: Session, values: Mapping[str, object]) -> None:
        producer = {c: _text(values.get(f)) for c, f in PRODUCER_FIELDS.items()}
        contact = {c: _text(values.get(f)) for c, f in CONTACT_FIELDS.items()}
        now = self._now()
        code = producer["code"]
        if producer["uscc"] or code:
            if producer["uscc"] and code:
                # it was kept by its customs code alone before its USCC was known: one entry
                session.execute(
                    delete(BookEntry).where(
                        self._scope(),
                        BookEntry.kind == PRODUCER,  # type: ignore[arg-type]
                        BookEntry.key == code.upper(),  # type: ignore[arg-type]
                        BookEntry.uscc.is_(None),  # type: ignore[union-attr]
                    )
                )
            session.execute(self._upsert(PRODUCER, producer, now))
        if contact["contact"] and contact["phone"]:
            session.execute(self._upsert(CONTACT, contact, now))

    def put(
        self, kind: str, values: dict[str, str | None], *, entry_id: int | None = None
    ) -> Known:
        """Add an entry (`entry_id` None) or change one, its values checked as the form checks
        them. Raises `BookRefused` with every refusal, `RecordNotFound` for a gone entry."""
        clean = check(kind, values)
        with Session(self.engine) as session, session.begin():
            if entry_id is None:
                session.execute(self._upsert(kind, clean, self._now()))
                row = session.scalars(
                    select(BookEntry).where(
                        self._scope(),
                        BookEntry.kind == kind,  # type: ignore[arg-type]
                        BookEntry.key == _key(kind, clean),  # type: ignore[arg-type]
                    )
                ).one()
            else:
                row = self._get(session, entry_id)
                for column, value in clean.items():
                    setattr(row, column, value if column != "name" else value or "")
                row.key = _key(kind, clean)
                row.initials = _initials(kind, clean)
                session.add(row)
                session.flush()
            return _known(row)

    def delete(self, entry_id: int) -> None:
        with Session(self.engine) as session, session.begin():
            session.delete(self._get(session, entry_id))

    # ---- helpers ---------------------------------------------------------------------------
    def _scope(self):  # type: ignore[no-untyped-def]
        return BookEntry.enterprise_uscc == self.operator.enterprise_uscc

    def _get(self, session: Session, entry_id: int) -> BookEntry:
        row = session.scalars(
            select(BookEntry).where(self._scope(), BookEntry.id == entry_id)  # type: ignore[arg-type]
        ).first()
        if row is None:
            raise RecordNotFound(detail=f"book entry {entry_id}")
        return row

    def _upsert(self, kind: str, values: dict[str, str | None], now: datetime):  # type: ignore[no-untyped-def]
        """INSERT … ON CONFLICT: a use more, the newest values over the kept ones (an empty value
        never wipes a kept one)."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        row = {
            "enterprise_uscc": self.operator.enterprise_uscc,
            "kind": kind,
            "key": _key(kind, values),
            **{c: v for c, v in values.items() if c != "name"},
            "name": values.get("name") or "",
            "initials": _initials(kind, values),
            "uses": 1,
            "used_at": now,
        }
        statement = dialect.insert(BookEntry).values(**row)
        table = BookEntry.__table__  # type: ignore[attr-defined]
        excluded = statement.excluded
        kept = {c: func.coalesce(excluded[c], table.c[c]) for c in values if c not in ("name",)}
        if values.get("name"):
            kept["name"] = excluded["name"]
            kept["initials"] = excluded["initials"]
        return statement.on_conflict_do_update(
            index_elements=["enterprise_uscc", "kind", "key"],
            set_={**kept, "uses": table.c.uses + 1, "used_at": excluded["used_at"]},
        )


class BookRefused(Exception):
    """Values the book refuses: (column, Chinese message) pairs, in column order."""

    def __init__(self, refusals: list[tuple[str, str]]) -> None:
        super().__init__("；".join(message for _column, message in refusals))
        self.refusals = refusals


def check(kind: str, values: dict[str, str | None]) -> dict[str, str | None]:
    """The values of `kind` checked and made canonical by the form's validators; a producer needs
    a USCC or a customs code and a name, a contact a name and a phone. Raises `BookRefused`."""
    clean: dict[str, str | None] = {}
    refusals: list[tuple[str, str]] = []
    for column, field in fields_of(kind).items():
        raw = _text(values.get(column))
        if raw is None:
            clean[column] = None
            continue
        try:
            value = validate_field(BY_KEY[field], raw)
        except FieldError as error:
            refusals.append((column, error.message))
            continue
        clean[column] = _text(value)
    if kind == PRODUCER:
        if not (clean.get("uscc") or clean.get("code")) and not refusals:
            refusals.append(("uscc", "原生产企业须有社会信用代码或海关编码"))
        if not clean.get("name") and "name" not in {c for c, _ in refusals}:
            refusals.append(("name", "原生产企业名称不能为空"))
    elif not (clean.get("contact") and clean.get("phone")) and not refusals:
        refusals.append(("contact", "收货联系人及联系电话都不能为空"))
    if refusals:
        raise BookRefused(refusals)
    return clean


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _initials(kind: str, values: dict[str, str | None]) -> str:
    name = values.get("name") if kind == PRODUCER else values.get("contact")
    return initials_of(name)[:100] if name else ""
