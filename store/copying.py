"""复制: a new record holding every typed field of another.

Not copied: what names or dates the source itself (统一编号, the local draft number, 退货编号,
status, version, rounds, times), what the card fills (采集人, 采集机构 and the other system
fields of the new record), and what hangs off the stored record (receipts, attachments). The
goods rows are copied with their typed weight and 工业品; a new 进口报关单号 brings its own.
"""

from __future__ import annotations

from store.models import RecordFields
from store.record import GoodsData, RecordData

# filled by the system for the record itself: the new record keeps its own
NOT_COPIED = frozenset(
    {
        "return_no",
        "collector_name",
        "collector_uscc",
        "collector_code",
        "collector_org_name",
        "collector_category",
        "info_source",
        "collected_at",
    }
)


def copy_of(source: RecordData, blank: RecordData) -> RecordData:
    """`blank` (a new record of the operator's card) with every typed field of `source`."""
    values = {
        name: source.model_dump(include={name})[name]
        for name in RecordFields.model_fields
        if name not in NOT_COPIED
    }
    goods = [GoodsData.model_validate(row.model_dump()) for row in source.goods]
    return blank.model_copy(update={**values, "goods": goods}, deep=True)
