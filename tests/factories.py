"""Records as an operator would have them: complete and valid, with a backfilled declaration."""

from __future__ import annotations

from itertools import count

from store.numbering import Numbering
from store.record import GoodsData, RecordData
from store.records import RecordStore

_issued = count(35676)

IMPORT_DECL = "220120251000000892"
EXPORT_DECLS = "220120240000001234/220120240000001235"


def _uscc(first17: str) -> str:
    from store.ids import uscc_check_char

    return first17 + uscc_check_char(first17)


def complete_record(store: RecordStore, *, goods: int = 2, **overrides: object) -> RecordData:
    """A record that passes every submit rule."""
    record = store.new_record()
    values: dict[str, object] = {
        "import_decl_no": IMPORT_DECL,
        "declarant_uscc": _uscc("91310115MA1K4B2X0"),
        "declarant_code": "3122480063",
        "declarant_name": "上海示例报关有限公司",
        "declarant_person": "王五",
        "consignee_uscc": _uscc("91310000132212345"),
        "consignee_code": "3101930123",
        "consignee_name": "上海收货贸易有限公司",
        "consignee_address": "上海市浦东新区张江路100号",
        "contact_person": "赵六",
        "contact_phone": "13812345678",
        "return_date": "2025-11-03",
        "consumer_district": "2244",
        "consumer_uscc": _uscc("91310000132212345"),
        "consumer_code": "3101930123",
        "consumer_name": "上海收货贸易有限公司",
        "declared_on": "2025-11-01",
        "arrived_on": "2025-10-30",
        "return_country": "JPN",
        "accepting_customs": "2201",
        "trade_mode": "4561",
        "bill_of_lading": "COSU6123456780",
        "destination_customs": "2201",
        "disposal_methods": ["1"],
        "export_decl_nos": EXPORT_DECLS,
        "producer_uscc": _uscc("91320500MA1MXXXX0"),
        "producer_code": "3205960001",
        "producer_name": "苏州原生产制造有限公司",
        "producer_contact": "钱七",
        "producer_phone": "0512-66881234",
        "producer_division": "310115",
        "producer_customs": "2201",
        "export_inspected": "N",
        "export_trade_modes": ["0110"],
        "reason_categories": ["2"],
        "specific_reasons": ["23"],
    }
    values.update(overrides)
    for key, value in values.items():
        setattr(record, key, value)
    record.goods = [
        GoodsData(
            seq=i,
            hs_code="8471300000",
            reg_category="",
            goods_name=f"笔记本电脑{i}",
            amount="1200.00",
            currency="USD",
            quantity="10",
            unit="001",
            weight="25.5",
            industrial="Y",
        )
        for i in range(1, goods + 1)
    ]
    return record


OPERATOR_FIELDS: dict[str, object] = {
    "contact_person": "赵六",
    "contact_phone": "13812345678",
    "disposal_methods": ["1"],
    "export_decl_nos": EXPORT_DECLS,
    "producer_uscc": _uscc("91320500MA1MXXXX0"),
    "producer_code": "3205960001",
    "producer_name": "苏州原生产制造有限公司",
    "producer_contact": "钱七",
    "producer_phone": "0512-66881234",
    "producer_division": "320505",
    "producer_customs": "2201",
    "export_inspected": "N",
    "export_trade_modes": ["0110"],
    "reason_categories": ["2"],
    "specific_reasons": ["23"],
}


def record_from_declaration(store: RecordStore, declaration, **overrides: object) -> RecordData:  # type: ignore[no-untyped-def]
    """What an operator has after 进口报关单号 + Enter and typing the R fields of 其他."""
    from customs.mapping import apply_declaration

    record = apply_declaration(store.new_record(), declaration)
    for key, value in {**OPERATOR_FIELDS, **overrides}.items():
        setattr(record, key, value)
    return record


def issue(store: RecordStore, record: RecordData) -> RecordData:
    """The saved `record` once the gateway gave it a 统一编号 (as the worker does when online)."""
    assert record.draft_no is not None
    Numbering(store.engine, store.operator).assign(record.draft_no, f"2025{next(_issued):014d}")
    return store.load(record.draft_no)


def save_issued(store: RecordStore, record: RecordData) -> RecordData:
    """暂存 online: saved, then numbered by the gateway."""
    return issue(store, store.save(record))
