"""Between the store's record and the gateway's wire models: backfill in, submission out."""

from __future__ import annotations

from datetime import date

from customs import wire
from store.catalogue import BY_KEY, GOODS_FIELDS, Kind
from store.record import GoodsData, RecordData
from store.rules import Violation, validate_field
from store.text import describe, unsafe_at
from store.validators import FieldError

GOODS_BACKFILLED = ("hs_code", "reg_category", "goods_name", "currency", "unit")
# the header fields of the form a declaration fills (its grey fields aside)
BACKFILLED = frozenset({"import_decl_no", "consignee_address", "consumer_district"})


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def apply_declaration(record: RecordData, declaration: wire.ImportDeclaration) -> RecordData:
    """A copy of `record` with the import declaration's fields backfilled and its goods as rows.

    The operator's own inputs stay, except 收货人所在地 and 消费使用单位所在地关区, which the manual
    has backfilled (and editable after), and the goods rows, which follow the declaration. A goods
    row keeps the weight and 是否属于工业品 already typed only for the same goods: same 序号 and
    same 商品编号 and 商品名称 (`weights_dropped` names the rows whose typed weight goes).
    """
    d = declaration
    goods = []
    for item in d.goods:
        before = _same_goods(record, item)
        goods.append(
            GoodsData(
                seq=item.seq,
                hs_code=item.hs_code,
                reg_category=item.reg_category,
                goods_name=item.goods_name,
                amount=item.amount,
                currency=item.currency,
                quantity=item.quantity,
                unit=item.unit,
                weight=before.weight if before else None,
                industrial=before.industrial if before else "Y",
            )
        )
    # an editable field a declaration leaves empty (a file holds no 收货人所在地) keeps the typed one
    header = {
        key: value
        for key, value in _header_values(d).items()
        if value not in ("", None) or not BY_KEY[key].editable
    }
    return record.model_copy(update={**header, "goods": goods})


def _same_goods(record: RecordData, item: wire.DeclarationGoods) -> GoodsData | None:
    """The row of `record` for the same goods as `item` (序号, 商品编号, 商品名称), if any."""
    return next(
        (
            row
            for row in record.goods
            if (row.seq, row.hs_code, row.goods_name) == (item.seq, item.hs_code, item.goods_name)
        ),
        None,
    )


def weights_dropped(record: RecordData, declaration: wire.ImportDeclaration) -> list[int]:
    """The 序号 of `record`'s rows holding a typed weight that `declaration` does not carry on
    (its goods differ there, or it has no such row)."""
    carried = {row.seq for item in declaration.goods if (row := _same_goods(record, item))}
    return [
        row.seq for row in record.goods if row.weight not in (None, "") and row.seq not in carried
    ]


def _header_values(d: wire.ImportDeclaration) -> dict[str, object]:
    """The header fields a declaration backfills, by catalogue key."""
    return {
        "import_decl_no": d.number,
        "declarant_uscc": d.declarant.uscc,
        "declarant_code": d.declarant.code,
        "declarant_name": d.declarant.name,
        "declarant_person": d.declarant_person,
        "consignee_uscc": d.consignee.uscc,
        "consignee_code": d.consignee.code,
        "consignee_name": d.consignee.name,
        "consignee_address": d.consignee_address,
        "consumer_district": d.consumer_district,
        "consumer_uscc": d.consumer.uscc,
        "consumer_code": d.consumer.code,
        "consumer_name": d.consumer.name,
        "declared_on": _iso(d.declared_on),
        "arrived_on": _iso(d.arrived_on),
        "return_country": d.departure_country,
        "accepting_customs": d.accepting_customs,
        "trade_mode": d.trade_mode,
        "bill_of_lading": d.bill_of_lading,
        "destination_customs": d.destination_customs,
    }


def backfill(
    record: RecordData, declaration: wire.ImportDeclaration
) -> tuple[RecordData, list[Violation]]:
    """`apply_declaration`, with every backfilled value checked as typed text is.

    A value holding a control character or a bidi override (`store.text.unsafe_at`) is not taken
    (left empty), nor is a value of an editable field (收货人所在地, 消费使用单位所在地关区) that its
    field refuses; each refusal is a Violation naming the field (and goods row), "返填的…未采用".
    """
    filled = apply_declaration(record, declaration)
    refused: list[Violation] = []
    updates: dict[str, object] = {}
    for key, value in _header_values(declaration).items():
        spec = BY_KEY[key]
        if not isinstance(value, str):
            continue
        why = _refusal(value, spec.title, validate=spec.kind != Kind.GREY, spec_key=key)
        if why is not None:
            refused.append(Violation(key, why))
            updates[key] = None
    goods = []
    for row in filled.goods:
        bad = {}
        for spec in GOODS_FIELDS:
            value = getattr(row, spec.key)
            if spec.key in GOODS_BACKFILLED and isinstance(value, str):
                why = _refusal(value, spec.title, validate=False, spec_key=spec.key)
                if why is not None:
                    refused.append(Violation(spec.key, f"第{row.seq}项：{why}", row.seq))
                    bad[spec.key] = None
        goods.append(row.model_copy(update=bad) if bad else row)
    return filled.model_copy(update={**updates, "goods": goods}), refused


def _refusal(value: str, title: str, *, validate: bool, spec_key: str) -> str | None:
    at = unsafe_at(value)
    if at is not None:
        return f"返填的{title}含不可见的控制字符（{describe(value[at])}），未采用"
    if validate:
        try:
            validate_field(BY_KEY[spec_key], value)
        except FieldError as error:
            return f"返填的{title}未采用：{error.message}"
    return None


def record_to_wire(record: RecordData) -> wire.ReturnRecord:
    """The record as submitted to customs (dates as dates, check-group codes as numbers)."""
    values = record.business_dict()
    for key in ("return_date", "declared_on", "arrived_on"):
        text = values.get(key)
        values[key] = date.fromisoformat(text) if isinstance(text, str) and text else None
    values["disposal_methods"] = [int(code) for code in record.disposal_methods]
    values["reason_categories"] = [int(code) for code in record.reason_categories]
    known = set(wire.ReturnRecord.model_fields)
    body = {key: value for key, value in values.items() if key in known}
    body["goods"] = [
        wire.ReturnGoods(**row.model_dump(include=set(wire.ReturnGoods.model_fields)))
        for row in record.goods
    ]
    return wire.ReturnRecord(**body)
