"""A new declaration's goods rows keep a typed weight and 工业品 only for the same goods
(customs/mapping.py): same 序号, 商品编号 and 商品名称; `weights_dropped` names the others."""

from __future__ import annotations

from customs.mapping import apply_declaration, weights_dropped
from store.record import GoodsData, RecordData
from tests.fixtures_gateway import declarations

SHANGHAI_NO = "010120241000004881"  # 棉制针织套头衫, 电源适配器
ONE_ROW_NO = "010120251000008356"  # 彩色液晶电视机 alone


def _typed(number: str, weights: list[str]) -> RecordData:
    """A record backfilled from `number`, the operator's weights typed (工业品 N)."""
    record = apply_declaration(RecordData(), declarations()[number])
    goods = [
        GoodsData.model_validate({**row.model_dump(), "weight": weight, "industrial": "N"})
        for row, weight in zip(record.goods, weights, strict=False)
    ]
    return record.model_copy(update={"goods": goods})


def test_the_same_goods_keep_their_weight_and_flag() -> None:
    record = _typed(SHANGHAI_NO, ["12.5", "8"])
    again = apply_declaration(record, declarations()[SHANGHAI_NO])
    assert [(row.weight, row.industrial) for row in again.goods] == [("12.5", "N"), ("8", "N")]
    assert weights_dropped(record, declarations()[SHANGHAI_NO]) == []


def test_other_goods_start_empty_and_are_named() -> None:
    record = _typed(SHANGHAI_NO, ["12.5", "8"])
    other = declarations()[ONE_ROW_NO]
    filled = apply_declaration(record, other)
    assert [(row.goods_name, row.weight, row.industrial) for row in filled.goods] == [
        ("彩色液晶电视机", None, "Y")
    ]
    assert weights_dropped(record, other) == [1, 2]
