"""Record rules: what 暂存 accepts, what 提交 requires, each refusal naming its field."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine

from store.catalogue import ALL_FIELDS, BY_KEY, RECORD_FIELDS, Kind
from store.models import GoodsFields, RecordFields
from store.record import GoodsData, RecordData
from store.records import RecordStore
from store.rules import check_for_save, check_for_submit, validate_field
from store.validators import FieldError
from tests.factories import complete_record
from tests.fixtures_db import OPERATOR


@pytest.fixture
def store() -> RecordStore:
    # no database needed: only new_record() is used here
    return RecordStore(create_engine("sqlite://"), OPERATOR)


def _messages(record: RecordData) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for violation in check_for_submit(record):
        found.setdefault(violation.field, []).append(violation.message)
    return found


def test_catalogue_matches_the_tables() -> None:
    record_keys = {s.key for s in RECORD_FIELDS} - {"unified_no", "status"}
    assert record_keys == set(RecordFields.model_fields)
    goods_keys = {s.key for s in ALL_FIELDS if s.part == "商品信息"}
    assert goods_keys == set(GoodsFields.model_fields)


def test_catalogue_labels_are_the_manuals() -> None:
    labels = {s.label for s in ALL_FIELDS}
    for label in [
        "统一编号",
        "退货编号",
        "采集机构类别",
        "进口报关单号",
        "收货联系人及联系电话",
        "消费使用单位所在地关区",
        "退货国家(地区)",
        "拟处理方式",
        "货物HS编码",
        "是否属于工业品",
        "原出口报关单号",
        "原生产企业所属机构",
        "关联报关单原出口监管方式",
        "具体退运原因",
        "退货原因具体说明",
    ]:
        assert label in labels
    assert BY_KEY["consignee_uscc"].kind == Kind.GREY
    assert BY_KEY["consumer_district"].kind == Kind.REQUIRED
    assert BY_KEY["return_date"].kind == Kind.OPTIONAL


def test_complete_record_passes(store: RecordStore) -> None:
    assert check_for_submit(complete_record(store)) == []


def test_every_required_field_is_named_when_missing(store: RecordStore) -> None:
    empty = store.new_record()
    assert check_for_save(empty) == []  # incomplete is fine for 暂存
    found = _messages(empty)
    required = [s for s in RECORD_FIELDS if s.kind == Kind.REQUIRED]
    for spec in required:
        assert f"{spec.title}为必填项" in found[spec.key]
    first = check_for_submit(empty)[0]
    assert first.field == "import_decl_no"


def test_other_disposal_needs_its_text(store: RecordStore) -> None:
    record = complete_record(store, disposal_methods=["1", "5"])
    assert _messages(record)["disposal_other_text"] == ["拟处理方式为“其他”时需填写其他具体内容"]
    record.disposal_other_text = "捐赠"
    assert _messages(record) == {}


def test_quality_reason_needs_detail_and_reasons_belong_to_categories(store: RecordStore) -> None:
    record = complete_record(store, reason_categories=["1"], specific_reasons=["11", "23"])
    found = _messages(record)
    assert found["reason_detail"] == ["退货原因类别为质量原因时，退货原因具体说明必填"]
    assert found["specific_reasons"] == ["具体退运原因“客户需求更改”不属于已勾选的退货原因类别"]
    record.reason_detail = "外壳开裂"
    record.specific_reasons = ["11"]
    assert _messages(record) == {}


def test_each_chosen_category_needs_a_reason_and_other_needs_text(store: RecordStore) -> None:
    record = complete_record(store, reason_categories=["2", "3", "4"], specific_reasons=["23"])
    found = _messages(record)
    assert found["specific_reasons"] == ["请勾选“3 运输原因”下的具体退运原因"]
    assert found["other_reason_text"] == ["退货原因类别为其他原因时需填写具体退运原因"]


def test_direct_customs_refused_for_producer_customs(store: RecordStore) -> None:
    record = complete_record(store, producer_customs="2200")
    found = _messages(record)
    assert found["producer_customs"][0].startswith("原生产企业所属机构不能选择直属海关")
    with pytest.raises(FieldError, match="不能选择直属海关"):
        validate_field(BY_KEY["producer_customs"], "5300")
    assert validate_field(BY_KEY["producer_customs"], "2244") == "2244"
    assert check_for_save(record)[0].field == "producer_customs"  # invalid: refused by 暂存 too


def test_unknown_parameter_codes_are_refused(store: RecordStore) -> None:
    record = complete_record(
        store,
        consumer_district="1234",
        producer_division="999999",
        export_trade_modes=["0214"],
        disposal_methods=["9"],
    )
    fields = [v.field for v in check_for_save(record)]
    assert fields == [
        "consumer_district",
        "disposal_methods",
        "producer_division",
        "export_trade_modes",
    ]


def test_office_missing_from_the_table_is_accepted_under_a_known_direct_customs() -> None:
    # the shipped district table lacks many 隶属海关; a well-formed one under a 直属 passes
    assert validate_field(BY_KEY["producer_customs"], "5399") == "5399"
    with pytest.raises(FieldError, match="不在参数表中"):
        validate_field(BY_KEY["producer_customs"], "1234")


def test_goods_rules(store: RecordStore) -> None:
    record = complete_record(store, goods=0)
    assert _messages(record)["goods"] == ["商品信息至少一条：请在进口报关单号按回车获取"]
    record = complete_record(store)
    record.goods[1] = GoodsData(seq=2, weight="1.2345", industrial="X")
    violations = check_for_save(record)
    assert [(v.field, v.goods_seq) for v in violations] == [("weight", 2), ("industrial", 2)]
    assert violations[0].message == "第2项：退货重量最多3位小数"


def test_backfill_must_have_happened(store: RecordStore) -> None:
    record = complete_record(store, consignee_name=None)
    assert _messages(record)["import_decl_no"] == [
        "进口报关单号尚未获取数据，请在进口报关单号按回车获取"
    ]


def test_future_return_date_refused(store: RecordStore) -> None:
    with pytest.raises(FieldError, match="退货日期不能晚于今天"):
        validate_field(BY_KEY["return_date"], f"{date.today().year + 1}0101")


# ---- what each field stores (issue 10 §4): through validate_field, as the store saves it ------
def _fw(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("import_decl_no", _fw("010120251000000892"), "010120251000000892"),
        (
            "export_decl_nos",
            _fw("220120240000001234/220120240000001235"),
            "220120240000001234/220120240000001235",
        ),
        ("producer_code", _fw("32059a0001"), "32059A0001"),
        ("contact_phone", "138 0013 8000", "13800138000"),
        ("producer_phone", "（0512）6688 1234 转 8", "0512-66881234转8"),
        ("return_date", "2025.11.03", "2025-11-03"),
        ("consumer_district", _fw("0101"), "0101"),
        ("producer_division", _fw("320505"), "320505"),
        ("export_inspected", "ｎ", "N"),
        ("weight", "12.5000", "12.5"),
        ("contact_person", "  赵六  ", "赵六"),
    ],
)
def test_each_field_stores_the_canonical_ascii_form(key: str, typed: str, stored: str) -> None:
    from store.catalogue import field

    assert validate_field(field(key), typed) == stored


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("import_decl_no", "٠١٠١20251000000892", "进口报关单号应为18位数字：第1位“٠”不是半角字符"),
        ("contact_phone", "400-820-882", "收货联系人及联系电话格式不正确：座机请加区号"),
        ("weight", "1e3", "退货重量不能用科学计数法，请直接写数字，如 1000"),
        (
            "return_date",
            "2025/11-03",
            "退货日期格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03",
        ),
        (
            "consumer_district",
            "\x1b[2J",
            "消费使用单位所在地关区：代码“␛[2J”不在参数表中，请按空格键检索",
        ),
        (
            "contact_person",
            "\x1b]0;pwned\x07",
            "收货联系人及联系电话第1个字符是不可见的控制字符（U+001B），请删除",
        ),
        (
            "reason_detail",
            "质量\u202e问题",
            "退货原因具体说明第3个字符是不可见的控制字符（U+202E），请删除",
        ),
    ],
)
def test_each_field_refuses_with_the_right_position(key: str, typed: str, message: str) -> None:
    from store.catalogue import field

    with pytest.raises(FieldError) as refused:
        validate_field(field(key), typed)
    assert refused.value.message.startswith(message)


def test_a_backfill_leaves_out_values_with_controls_and_says_where(store: RecordStore) -> None:
    from customs.mapping import backfill
    from customs.wire import Party
    from tests.fixtures_gateway import declarations

    good = declarations()[sorted(declarations())[0]]
    bad = good.model_copy(
        update={
            "consignee": Party(uscc=good.consignee.uscc, code=good.consignee.code, name="A\x1b[2J"),
            "consignee_address": "上海\u202e路",
            "consumer_district": "ABCD",
            "goods": [good.goods[0].model_copy(update={"goods_name": "x\x9by"}), *good.goods[1:]],
        }
    )
    filled, refused = backfill(store.new_record(), bad)
    assert [(v.field, v.goods_seq, v.message) for v in refused] == [
        ("consignee_name", None, "返填的收货人名称含不可见的控制字符（U+001B），未采用"),
        ("consignee_address", None, "返填的收货人所在地含不可见的控制字符（U+202E），未采用"),
        (
            "consumer_district",
            None,
            "返填的消费使用单位所在地关区未采用：消费使用单位所在地关区：代码“ABCD”不在参数表中，请按空格键检索",
        ),
        ("goods_name", 1, "第1项：返填的货物名称含不可见的控制字符（U+009B），未采用"),
    ]
    assert filled.consignee_name is None and filled.consignee_address is None
    assert filled.consumer_district is None and filled.goods[0].goods_name is None
    assert filled.consignee_uscc == good.consignee.uscc and filled.goods[0].hs_code
    clean, none = backfill(store.new_record(), good)
    assert none == [] and clean.consignee_name == good.consignee.name
