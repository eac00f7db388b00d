"""The customs gateway protocol (`/v1`), as pydantic models shared by the client and the sandbox.

One HTTP/JSON exchange between tuihuo and a customs gateway:

- `POST /v1/session/challenge` -> `Challenge`; `POST /v1/session` with `LoginRequest` -> `Session`
  (card login: the card signs the challenge bytes; the token goes in `Authorization: Bearer`).
- `GET /v1/import-declarations/{number}` -> `ImportDeclaration` (the backfill).
- `POST /v1/unified-numbers` with `Idempotency-Key` -> `UnifiedNumber` (201): the gateway issues the
  统一编号 of a record, unique per gateway and bound to the caller's enterprise; the same key again
  answers the same number.
- `PUT /v1/returns/{unified_no}` with `Idempotency-Key` and `Submission` -> `SubmissionAccepted`
  (the client streams this body: customs.stream): only a number issued to the caller's enterprise;
  keys are random, one per round, and scoped to the enterprise (another enterprise's key or number
  blocks nothing).
- `GET /v1/receipts?since=&limit=` -> `ReceiptPage`.
- Every error answer is `application/problem+json`: `Problem`.

The record payload (`ReturnRecord`) uses the store's own field names, flat (header and "other" fields
side by side, goods as a list), so a store row maps to it one to one. The wire model is permissive:
optional fields may be null or empty, and the gateway's review decides what is missing.

Signing: the card signs `signed_payload(...)`, the canonical JSON (sorted keys, no spaces, UTF-8) of
`{unified_no, round, record, attachments: [sha256, ...]}`, so the signature covers the attachments
through their digests without carrying their bytes twice.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from customs.certificate import Certificate
from store.limits import MAX_ATTACHMENTS

API_PREFIX = "/v1"
PROBLEM_MEDIA_TYPE = "application/problem+json"
IDEMPOTENCY_HEADER = "Idempotency-Key"

Declaration18 = Annotated[str, Field(pattern=r"^\d{18}$", examples=["010120251000000892"])]
Hex = Annotated[str, Field(pattern=r"^[0-9a-fA-F]*$", max_length=4096)]
Text = Annotated[str, Field(max_length=2000)]


def _decimal_text(value: Any) -> Any:
    """Decimals travel as strings (no float rounding); a Decimal or int from the store is welcome."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return value


DecimalText = Annotated[str, BeforeValidator(_decimal_text), Field(max_length=40)]
ShortText = Annotated[str, Field(max_length=255)]

# Record statuses of the manual (状态). The gateway issues 1 and 3-8; 0 and 2 exist only client-side.
STATUS_NAMES: dict[int, str] = {
    0: "暂存",
    1: "已提交",
    2: "提交失败",
    3: "海关接收成功",
    4: "海关接收失败",
    5: "电子审核完成，待人工审核",
    6: "电子审核退单",
    7: "人工审核通过",
    8: "人工审核退单",
}
REJECTION_STATUSES = frozenset({2, 4, 6, 8})
FINAL_STATUSES = frozenset({4, 6, 7, 8})


class WireModel(BaseModel):
    """Requests refuse unknown members: a typo in a field name must not pass as an empty field."""

    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    """RFC 9457 problem details; `message` is an extension member: the operator's Chinese text."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    message: str | None = None
    errors: list[dict[str, Any]] | None = None


# --- session -----------------------------------------------------------------------------------


class Challenge(BaseModel):
    challenge: str = Field(description="hex nonce; the card signs its bytes (bytes.fromhex)")
    expires_at: datetime


class LoginRequest(WireModel):
    challenge: Hex
    certificate: Certificate
    signature: Hex = Field(description="hex SM2 r||s over bytes.fromhex(challenge)")


class Session(BaseModel):
    token: str
    expires_at: datetime
    operator_name: str
    enterprise_uscc: str
    customs_code: str
    enterprise_name: str


# --- backfill ----------------------------------------------------------------------------------


class Party(BaseModel):
    """An enterprise as a declaration names it: 18-char USCC, 10-char customs code, name."""

    uscc: str
    code: str
    name: str


class DeclarationGoods(BaseModel):
    seq: int
    hs_code: str = Field(description="10 digits")
    reg_category: str
    goods_name: str
    amount: DecimalText = Field(description="decimal string: total price")
    currency: str = Field(description="ISO 4217")
    quantity: DecimalText = Field(description="decimal string: quantity of the deal")
    unit: str = Field(description="3-digit unit code")


class ImportDeclaration(BaseModel):
    number: str
    declarant: Party
    declarant_person: str
    consignee: Party
    consignee_address: str
    consumer_district: str = Field(description="4-digit customs district")
    consumer: Party
    declared_on: date
    arrived_on: date
    departure_country: str = Field(description="ISO 3166 alpha-3")
    accepting_customs: str
    trade_mode: str
    bill_of_lading: str
    destination_customs: str
    goods: list[DeclarationGoods]


# --- submission --------------------------------------------------------------------------------


class ReturnGoods(WireModel):
    seq: int = Field(ge=1, le=9999)
    hs_code: ShortText | None = None
    reg_category: ShortText | None = None
    goods_name: ShortText | None = None
    amount: DecimalText | None = None
    currency: ShortText | None = None
    quantity: DecimalText | None = None
    unit: ShortText | None = None
    weight: DecimalText | None = None
    weight_unit: ShortText | None = "035"
    industrial: Literal["Y", "N"] | None = None


class ReturnRecord(WireModel):
    """The record as submitted: header, then 其他, then the goods rows."""

    # header (表头)
    import_decl_no: ShortText | None = None
    declarant_uscc: ShortText | None = None
    declarant_code: ShortText | None = None
    declarant_name: ShortText | None = None
    declarant_person: ShortText | None = None
    consignee_uscc: ShortText | None = None
    consignee_code: ShortText | None = None
    consignee_name: ShortText | None = None
    consignee_address: ShortText | None = None
    contact_person: ShortText | None = None
    contact_phone: ShortText | None = None
    return_date: date | None = None
    consumer_district: ShortText | None = None
    consumer_uscc: ShortText | None = None
    consumer_code: ShortText | None = None
    consumer_name: ShortText | None = None
    declared_on: date | None = None
    arrived_on: date | None = None
    return_country: ShortText | None = None
    accepting_customs: ShortText | None = None
    trade_mode: ShortText | None = None
    bill_of_lading: ShortText | None = None
    destination_customs: ShortText | None = None
    disposal_methods: list[Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=list, max_length=5, description="1 内销 2 拆解他用 3 销毁 4 转口 5 其他"
    )
    disposal_other_text: Text | None = None
    # other (其他)
    export_decl_nos: Annotated[str, Field(max_length=2000)] | None = Field(
        default=None, description='original export declaration numbers joined by "/"'
    )
    producer_uscc: ShortText | None = None
    producer_code: ShortText | None = None
    producer_name: ShortText | None = None
    producer_contact: ShortText | None = None
    producer_phone: ShortText | None = None
    producer_division: ShortText | None = Field(default=None, description="GB/T 2260, 6 digits")
    producer_customs: ShortText | None = Field(default=None, description="4-digit district")
    export_inspected: Literal["Y", "N"] | None = None
    export_trade_modes: list[ShortText] = Field(default_factory=list, max_length=10)
    reason_categories: list[Annotated[int, Field(ge=1, le=4)]] = Field(
        default_factory=list,
        max_length=4,
        description="1 质量原因 2 贸易原因 3 运输原因 4 其他原因",
    )
    specific_reasons: list[ShortText] = Field(default_factory=list, max_length=50)
    other_reason_text: Text | None = None
    reason_detail: Text | None = None
    # goods (商品信息)
    goods: list[ReturnGoods] = Field(default_factory=list, max_length=500)


class AttachmentRef(WireModel):
    """A document named without its bytes: what the client keeps until it sends (the bytes stay in
    its store under `sha256`, read at each send) and what the signature covers through `sha256`."""

    doc_type: ShortText
    filename: ShortText
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: int = Field(ge=0)


class Attachment(AttachmentRef):
    content_b64: str


class Submission(WireModel):
    round: int = Field(ge=1, le=999, description="1 first, +1 after each rejection")
    record: ReturnRecord
    attachments: list[Attachment] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    signature: Hex = Field(description="hex SM2 r||s over signed_payload(...)")
    certificate: Certificate


class SignedSubmission(WireModel):
    """A `Submission` as signed and kept in the client's outbox: its documents by reference.

    The client sends it as the `Submission` JSON, each document's bytes base64-encoded on the way
    (customs.stream); it never crosses the wire in this form.
    """

    round: int = Field(ge=1, le=999)
    record: ReturnRecord
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    signature: Hex
    certificate: Certificate


class UnifiedNumber(BaseModel):
    """A 统一编号 the gateway issued to the caller's enterprise."""

    unified_no: str = Field(
        pattern=r"^\d{18}$",
        description="year + 14-digit sequence, unique per gateway",
        examples=["202500000000035676"],
    )
    issued_at: datetime


class SubmissionAccepted(BaseModel):
    unified_no: str
    round: int
    accepted_at: datetime
    status: int = 1


# --- receipts ----------------------------------------------------------------------------------


class Receipt(BaseModel):
    receipt_id: str = Field(description="unique and stable: the same receipt always has this id")
    unified_no: str
    round: int
    status: int = Field(ge=1, le=8)
    content: str
    issued_at: datetime
    return_no: str | None = Field(default=None, description="退货编号, on status 7")


class ReceiptPage(BaseModel):
    receipts: list[Receipt]
    next_cursor: str


# --- signing -----------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """The one JSON form that is signed: sorted keys, no spaces, UTF-8 (as the certificate's)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signed_payload(
    unified_no: str, round: int, record: ReturnRecord, attachment_digests: list[str]
) -> bytes:
    """The bytes the card signs for a submission."""
    body = {
        "unified_no": unified_no,
        "round": round,
        "record": record.model_dump(mode="json"),
        "attachments": list(attachment_digests),
    }
    return canonical_json(body)
