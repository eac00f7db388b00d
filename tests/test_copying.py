"""复制 (store/copying.py): every typed field, never the source's numbers, status, times."""

from __future__ import annotations

from sqlalchemy import Engine

from store.copying import NOT_COPIED, copy_of
from store.models import RecordFields
from store.operator import Operator
from store.records import RecordStore
from tests.factories import complete_record
from tests.fixtures_db import OPERATOR


def test_a_copy_keeps_every_typed_field_and_none_of_the_source_s_identity(
    engine: Engine,
) -> None:
    store = RecordStore(engine, OPERATOR)
    source = store.save(complete_record(store, reason_detail="客户退货"))
    source.return_no = "R2025000001"
    colleague = RecordStore(
        engine,
        Operator("8930000099999", "王五", OPERATOR.enterprise_uscc, "3122480063", "上海示例"),
    )
    copy = copy_of(source, colleague.new_record())
    typed = [n for n in RecordFields.model_fields if n not in NOT_COPIED]
    assert {n: getattr(copy, n) for n in typed} == {n: getattr(source, n) for n in typed}
    assert copy.reason_detail == "客户退货" and copy.producer_name == source.producer_name
    assert copy.unified_no is None and copy.draft_no is None and copy.key is None
    assert copy.return_no is None and copy.status == 0 and copy.version is None
    assert copy.updated_at is None and copy.submission_round == 0
    assert copy.collector_name == "王五"  # the card copying it, not the source's
    assert [g.weight for g in copy.goods] == [g.weight for g in source.goods]
    copy.goods[0].weight = "1"
    copy.disposal_methods.append("5")
    assert source.goods[0].weight == "25.5" and source.disposal_methods == ["1"]  # no sharing
    saved = store.save(copy)
    assert saved.draft_no != source.draft_no
