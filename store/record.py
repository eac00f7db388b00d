"""The record as the form and the gateway handle it: the business fields, goods rows, identity."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from store.models import GoodsFields, RecordFields


class GoodsData(GoodsFields):
    """One goods row in memory."""


class RecordData(RecordFields):
    """A record in memory: new (no number, version None) or loaded from the store.

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

    def business_dict(self) -> dict[str, object]:
        """The business fields alone (RecordFields), as stored and as sent to customs."""
        return {name: getattr(self, name) for name in RecordFields.model_fields}
