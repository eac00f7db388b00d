"""SQLModel tables of the store.

`RecordFields` holds the business fields of one export-return record (fields.md, header and 其他),
shared by the table `ReturnRecord` and the in-memory `RecordData` the form and the gateway use, so a
field is declared once. Values are kept as text where the manual's input is text: dates as ISO
`YYYY-MM-DD`, decimals as their canonical string (exact on SQLite and PostgreSQL alike), multi-selects
as JSON lists of parameter codes. System timestamps are timezone-aware, stored as UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

COLLECTOR_CATEGORY = "企业"
INFO_SOURCE = "进境货物报关时提供的有效单证"
WEIGHT_UNIT_KG = "035"


class RecordFields(SQLModel):
    """Every business field of the record, header then 其他 (goods rows are their own table)."""

    # 表头: system fields
    return_no: str | None = Field(default=None, max_length=20)
    collector_name: str | None = Field(default=None, max_length=50)
    collector_uscc: str | None = Field(default=None, max_length=18)
    collector_code: str | None = Field(default=None, max_length=10)
    collector_org_name: str | None = Field(default=None, max_length=100)
    collector_category: str = Field(default=COLLECTOR_CATEGORY, max_length=10)
    info_source: str = Field(default=INFO_SOURCE, max_length=50)
    collected_at: datetime | None = None
    # 表头: typed or backfilled
    import_decl_no: str | None = Field(default=None, max_length=18)
    declarant_uscc: str | None = Field(default=None, max_length=18)
    declarant_code: str | None = Field(default=None, max_length=10)
    declarant_name: str | None = Field(default=None, max_length=100)
    declarant_person: str | None = Field(default=None, max_length=50)
    consignee_uscc: str | None = Field(default=None, max_length=18)
    consignee_code: str | None = Field(default=None, max_length=10)
    consignee_name: str | None = Field(default=None, max_length=100)
    consignee_address: str | None = Field(default=None, max_length=200)
    contact_person: str | None = Field(default=None, max_length=50)
    contact_phone: str | None = Field(default=None, max_length=30)
    return_date: str | None = Field(default=None, max_length=10)
    consumer_district: str | None = Field(default=None, max_length=4)
    consumer_uscc: str | None = Field(default=None, max_length=18)
    consumer_code: str | None = Field(default=None, max_length=10)
    consumer_name: str | None = Field(default=None, max_length=100)
    declared_on: str | None = Field(default=None, max_length=10)
    arrived_on: str | None = Field(default=None, max_length=10)
    return_country: str | None = Field(default=None, max_length=3)
    accepting_customs: str | None = Field(default=None, max_length=4)
    trade_mode: str | None = Field(default=None, max_length=4)
    bill_of_lading: str | None = Field(default=None, max_length=50)
    destination_customs: str | None = Field(default=None, max_length=4)
    disposal_methods: list[str] = Field(default_factory=list, sa_type=JSON)
    disposal_other_text: str | None = Field(default=None, max_length=200)
    # 其他
    export_decl_nos: str | None = Field(default=None, max_length=950)
    producer_uscc: str | None = Field(default=None, max_length=18)
    producer_code: str | None = Field(default=None, max_length=10)
    producer_name: str | None = Field(default=None, max_length=100)
    producer_contact: str | None = Field(default=None, max_length=50)
    producer_phone: str | None = Field(default=None, max_length=30)
    producer_division: str | None = Field(default=None, max_length=6)
    producer_customs: str | None = Field(default=None, max_length=4)
    export_inspected: str | None = Field(default=None, max_length=1)
    export_trade_modes: list[str] = Field(default_factory=list, sa_type=JSON)
    reason_categories: list[str] = Field(default_factory=list, sa_type=JSON)
    specific_reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    other_reason_text: str | None = Field(default=None, max_length=200)
    reason_detail: str | None = Field(default=None, max_length=500)


class GoodsFields(SQLModel):
    """One goods row (商品信息): backfilled from the import declaration but for weight and 工业品."""

    seq: int
    hs_code: str | None = Field(default=None, max_length=10)
    reg_category: str | None = Field(default=None, max_length=100)
    goods_name: str | None = Field(default=None, max_length=255)
    amount: str | None = Field(default=None, max_length=25)
    currency: str | None = Field(default=None, max_length=3)
    quantity: str | None = Field(default=None, max_length=25)
    unit: str | None = Field(default=None, max_length=3)
    weight: str | None = Field(default=None, max_length=25)
    weight_unit: str = Field(default=WEIGHT_UNIT_KG, max_length=3)
    industrial: str | None = Field(default="Y", max_length=1)


class ReturnRecord(RecordFields, table=True):
    """A saved record. Scoped to the enterprise of the card that created it."""

    __tablename__ = "return_record"
    __table_args__ = (
        Index("ix_record_scope_time", "enterprise_uscc", "updated_at", "id"),
        Index("ix_record_scope_status_time", "enterprise_uscc", "status", "updated_at", "id"),
        Index("ix_record_scope_import", "enterprise_uscc", "import_decl_no"),
        Index("ix_record_scope_consignee_uscc", "enterprise_uscc", "consignee_uscc"),
        Index("ix_record_scope_consignee_code", "enterprise_uscc", "consignee_code"),
        Index("ix_record_scope_producer_uscc", "enterprise_uscc", "producer_uscc"),
        Index("ix_record_scope_producer_code", "enterprise_uscc", "producer_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # 统一编号: issued by the gateway (None until then); the local draft number is this database's
    # own, given at the first 暂存 and kept for good, so a record is found by either
    unified_no: str | None = Field(default=None, max_length=18, unique=True)
    draft_no: str | None = Field(default=None, max_length=18, unique=True)
    enterprise_uscc: str = Field(max_length=18)
    status: int = Field(default=0)
    version: int = Field(default=1)
    # the round in flight or last accepted by customs; receipts of other rounds change nothing
    submission_round: int = Field(default=0)
    accepted_round: int = Field(default=0)
    created_by: str = Field(max_length=50)
    created_at: datetime
    updated_at: datetime  # 最近操作时间


class GoodsRow(GoodsFields, table=True):
    __tablename__ = "goods_row"
    __table_args__ = (UniqueConstraint("record_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="return_record.id", ondelete="CASCADE", index=True)


class Receipt(SQLModel, table=True):
    """A receipt (回执) of customs, or the local 提交失败 note; kept forever with its record."""

    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("record_id", "receipt_id"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="return_record.id", ondelete="CASCADE", index=True)
    receipt_id: str = Field(max_length=64)
    round: int
    status: int
    content: str = Field(default="", max_length=500)
    issued_at: datetime
    received_at: datetime


class Blob(SQLModel, table=True):
    """Content-addressed document bytes: a file attached twice is stored once."""

    __tablename__ = "blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("record_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="return_record.id", ondelete="CASCADE", index=True)
    sha256: str = Field(foreign_key="blob.sha256", max_length=64)
    doc_type: str = Field(max_length=10)
    filename: str = Field(max_length=255)
    size: int
    added_at: datetime


class AuditEntry(SQLModel, table=True):
    """Who changed what status when. Outlives its record (no foreign key)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    unified_no: str = Field(max_length=18, index=True)
    enterprise_uscc: str = Field(max_length=18)
    actor: str = Field(max_length=50)
    action: str = Field(max_length=20)
    from_status: int | None = None
    to_status: int | None = None
    detail: str = Field(default="", max_length=500)
    at: datetime


class Draft(SQLModel, table=True):
    """The form's unsaved state, written at every field exit so a killed process loses little."""

    __tablename__ = "draft"
    __table_args__ = (Index("ix_draft_owner", "enterprise_uscc", "operator_card", "updated_at"),)

    key: str = Field(primary_key=True, max_length=36)
    enterprise_uscc: str = Field(max_length=18)
    operator_card: str = Field(max_length=13)
    unified_no: str | None = Field(default=None, max_length=18)
    base_version: int | None = None
    payload: dict = Field(default_factory=dict, sa_type=JSON)  # type: ignore[type-arg]
    updated_at: datetime


class DraftNoCounter(SQLModel, table=True):
    """The last local draft number handed out per year (row-locked on PostgreSQL)."""

    __tablename__ = "draft_no_counter"

    year: int = Field(primary_key=True)
    last: int = Field(default=0)


class Outbox(SQLModel, table=True):
    """A signed submission waiting for customs' answer, sent again as it is until one comes.

    Written in the same transaction that sets 已提交, so a killed process, a dropped connection or a
    pulled card loses nothing: the worker resends it under the same key, a random one made once per
    round (the gateway scopes it to the enterprise). `body` is the submission
    with each document by reference (`customs.wire.SignedSubmission`: type, name, size, SHA-256 of
    a `Blob`), a few KB; the documents' bytes are read from `blob` one at a time as each send
    streams them (a record with documents is locked while it waits here, so they cannot change).
    """

    __tablename__ = "outbox"

    record_id: int = Field(foreign_key="return_record.id", ondelete="CASCADE", primary_key=True)
    round: int
    idempotency_key: str = Field(max_length=80)
    body: dict = Field(default_factory=dict, sa_type=JSON)  # type: ignore[type-arg]
    created_at: datetime
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)


class GatewayCursor(SQLModel, table=True):
    """Where the receipt feed was last read, per enterprise and gateway."""

    __tablename__ = "gateway_cursor"

    enterprise_uscc: str = Field(primary_key=True, max_length=18)
    gateway: str = Field(primary_key=True, max_length=200)
    cursor: str = Field(default="", max_length=200)
    updated_at: datetime


class StrayReceipt(SQLModel, table=True):
    """A receipt that names no record and round this database submitted: kept aside, never shown on
    a record (a number another installation holds, a round this database never sent)."""

    __tablename__ = "stray_receipt"
    __table_args__ = (UniqueConstraint("enterprise_uscc", "receipt_id"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_uscc: str = Field(max_length=18)
    receipt_id: str = Field(max_length=64)
    unified_no: str = Field(max_length=64)
    round: int
    status: int
    content: str = Field(default="", max_length=500)
    issued_at: datetime
    received_at: datetime
    reason: str = Field(default="", max_length=200)


class BookEntry(SQLModel, table=True):
    """常用企业: a 原生产企业 or a 收货联系人 that was saved, kept per enterprise of the card.

    `kind` is "producer" (the whole 原生产企业 group) or "contact" (收货联系人 and 联系电话). `key` names
    the entry once within its kind: a producer's USCC (its customs code when it has none), a
    contact's name and phone joined by "|". `initials`: pinyin initials of the name, for the
    popup's search. `used_at`: the last save that named it (the book lists newest use first).
    """

    __tablename__ = "enterprise_book"
    __table_args__ = (
        UniqueConstraint("enterprise_uscc", "kind", "key"),
        Index("ix_book_scope_used", "enterprise_uscc", "kind", "used_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_uscc: str = Field(max_length=18)
    kind: str = Field(max_length=10)
    key: str = Field(max_length=90)
    uscc: str | None = Field(default=None, max_length=18)
    code: str | None = Field(default=None, max_length=10)
    name: str = Field(default="", max_length=100)
    contact: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=30)
    division: str | None = Field(default=None, max_length=6)
    customs: str | None = Field(default=None, max_length=4)
    initials: str = Field(default="", max_length=100)
    uses: int = Field(default=1)
    used_at: datetime


class LocalParam(SQLModel, table=True):
    """A site's own row of a parameter table (`tuihuo params import`), shared by every operator of
    the database: it adds a code the shipped table lacks, renames one it has, or withdraws one
    (`withdrawn`: the code is refused from then on). `source_file` is the imported file's name and
    `imported_on` the ISO date of the import, shown beside the row in the popups and listings."""

    __tablename__ = "local_param"

    table_name: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=200)
    parent: str | None = Field(default=None, max_length=20)
    initials: str = Field(default="", max_length=200)  # pinyin initials, made once at import
    withdrawn: bool = Field(default=False)
    source_file: str = Field(max_length=255)
    imported_on: str = Field(max_length=10)
