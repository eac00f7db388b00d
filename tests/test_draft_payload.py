"""A draft's payload back into a record never raises (store/draft_payload.py), and the in-memory
record holds typed text the table's column lengths refuse (store/record.py)."""

from __future__ import annotations

from customs.mapping import apply_declaration
from store.draft_payload import lost_words, record_from_payload
from store.record import GoodsData, RecordData
from store.rules import check_for_save
from tests.fixtures_gateway import declarations


def test_typed_text_the_table_would_not_hold_is_taken_and_refused_by_the_rules() -> None:
    payload = {"consignee_address": "上" * 201, "goods": [{"seq": 1, "industrial": "Y 是N"}]}
    record, lost = record_from_payload(payload)
    assert lost == []
    assert record.goods[0].industrial == "Y 是N" and len(record.consignee_address or "") == 201
    words = [v.message for v in check_for_save(record)]
    assert any("不能超过200个字符" in w for w in words)
    assert any("是否属于工业品" in w and "不在参数表中" in w for w in words)


def test_a_backfill_keeps_a_typed_value_the_table_would_not_hold() -> None:
    declaration = declarations()["010220251000009136"]
    first = declaration.goods[0]  # the same goods: what was typed on it stays (customs/mapping)
    typed = RecordData(
        goods=[
            GoodsData(
                seq=first.seq,
                hs_code=first.hs_code,
                goods_name=first.goods_name,
                industrial="Y 是9.9",
                weight="9" * 30,
            )
        ]
    )
    filled = apply_declaration(typed, declaration)  # raised ValidationError (max_length=1)
    assert filled.goods[0].industrial == "Y 是9.9" and filled.goods[0].weight == "9" * 30


def test_what_the_model_refuses_is_left_out_and_named() -> None:
    payload = {
        "import_decl_no": "0101",
        "contact_person": {"a": 1},
        "disposal_methods": "5",
        "goods": [{"seq": 1, "industrial": ["Y"]}, {"seq": "x"}],
        "status": "bad",
    }
    record, lost = record_from_payload(payload)
    assert record.import_decl_no == "0101" and record.disposal_methods == []
    assert [g.seq for g in record.goods] == [1] and record.goods[0].industrial == "Y"
    where = [item.where for item in lost]
    assert "拟处理方式" in where and "第1项是否属于工业品" in where and "第x项商品" in where
    assert "原草稿已保留" in lost_words(lost)


def test_a_payload_that_is_no_record_at_all_opens_empty() -> None:
    for payload in (None, [1, 2], "x", {"goods": "nope"}):
        record, lost = record_from_payload(payload)
        assert isinstance(record, RecordData) and record.goods == []
        assert lost
