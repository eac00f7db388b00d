"""The record as the form and the gateway handle it: the business fields, goods rows, identity."""

from __future__ import annotations

from datetime import datetime

from annotated_types import MaxLen
from pydantic import BaseModel, Field

from store.models import GoodsFields, RecordFields


def _typed_text_fits(model: type[BaseModel]) -> None:
    """Drop the table's column lengths from an in-memory model: it holds the form's typed text as
    typed ("Y 是N" in 是否属于工业品, 201 characters in a 200-character field), which the store's
    rules refuse in words at the field (store/rules.py), before 暂存 writes a row. A backfill, a
    draft write or a draft's restore building the model from that text never raises."""
    for field in model.model_fields.values():
        field.metadata = [m for m in field.metadata if not isinstance(m, MaxLen)]  # a copy: the
        # parent's FieldInfo (and so the table's) keeps its length
    model.model_rebuild(force=True)


class GoodsData(GoodsFields):
    """One goods row in memory (typed text of any length: `_typed_text_fits`)."""


_typed_text_fits(GoodsData)


class RecordData(RecordFields):
    """A record in memory: new (no number, version None) or loaded from the store; its text
    fields hold typed text of any length (`_typed_text_fits`), checked by store/rules.py.

    `unified_no` is the gateway's 统一编号 (None until issued); `draft_no` the local draft number
    every saved record has; `key` is whichever names the record in the store's calls.
    """

    unified_no: str | None = None
    draft_no: str | None = None
    status: int = 0
    version: int | None = None
    submission_round: int = 0
    accepted_round: int = 0
    updated_at: datetime | None = None
    goods: list[GoodsData] = Field(default_factory=list)

    @property
    def key(self) -> str | None:
        """The number the store finds this record by: 统一编号, else the local draft number."""
        return self.unified_no or self.draft_no

    def is_same_record(self, other: RecordData) -> bool:
        """Both name one stored record (one may be an older copy, before its 统一编号 came)."""
        return bool(
            (self.draft_no and self.draft_no == other.draft_no)
            or (self.unified_no and self.unified_no == other.unified_no)
        )

    @property
    def number_label(self) -> str:
        """统一编号 as the form and the print show it: the number; "暂无（本地草稿号202600000001）"
        while the gateway has not issued one; "（未暂存）" for a record never saved."""
        if self.unified_no:
            return self.unified_no
        if self.draft_no:
            return f"暂无（本地草稿号{self.draft_no}）"
        return "（未暂存）"

    def business_dict(self) -> dict[str, object]:
        """The business fields alone (RecordFields), as stored and as sent to customs."""
        return {name: getattr(self, name) for name in RecordFields.model_fields}


_typed_text_fits(RecordData)
