"""The goods rows (商品信息) of the entry form: backfilled details, weight and 工业品 editable."""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from store import params
from store.catalogue import GOODS_BY_KEY, FieldSpec
from store.record import GoodsData
from store.text import inert
from widgets.fields import FieldInput, ParamInput

WEIGHT = GOODS_BY_KEY["weight"]
INDUSTRIAL = GOODS_BY_KEY["industrial"]


def _describe(row: GoodsData) -> str:
    """序号 HS编码 名称 金额币制 数量单位 (监管类别), in one line for a narrow terminal."""
    currency = row.currency or ""
    unit = params.table("units").get(row.unit or "")
    parts = [
        f"{row.seq:>2}",
        row.hs_code or "",
        row.goods_name or "",
        f"{row.amount or ''}{currency}",
        f"{row.quantity or ''}{unit.name if unit else row.unit or ''}",
    ]
    if row.reg_category:
        parts.append(f"监管类别:{row.reg_category}")
    return inert("  ".join(p for p in parts if p))  # backfilled text: never controls on screen


class GoodsWeight(FieldInput):
    """退货重量 of one goods row."""

    def __init__(self, seq: int) -> None:
        super().__init__(WEIGHT, id=f"g-weight-{seq}")
        self.goods_seq = seq

    @classmethod
    def placeholder_for(cls, spec: FieldSpec) -> str:
        return "（最多3位小数）"  # 16 cells wide: the catalogue's whole hint is on the hint bar


class GoodsIndustrial(ParamInput):
    """是否属于工业品 of one goods row (Y/N)."""

    def __init__(self, seq: int) -> None:
        super().__init__(INDUSTRIAL, id=f"g-industrial-{seq}")
        self.goods_seq = seq

    @classmethod
    def placeholder_for(cls, spec: FieldSpec) -> str:
        return "（Y/N）"


class GoodsRowView(Vertical):
    DEFAULT_CSS = """
    GoodsRowView {
        height: auto;
    }
    GoodsRowView .goods-line {
        height: auto;  /* a long name wraps: 监管类别 at the end of the line is never dropped */
        color: $text-muted;
    }
    GoodsRowView Horizontal {
        height: 1;
    }
    GoodsRowView Label {
        width: auto;
        padding: 0 1 0 3;
    }
    GoodsRowView GoodsWeight {
        width: 16;
    }
    GoodsRowView GoodsIndustrial {
        width: 12;
    }
    """

    def __init__(self, row: GoodsData) -> None:
        super().__init__(id=f"goods-{row.seq}")
        self.row = row

    def compose(self) -> ComposeResult:
        yield Static(_describe(self.row), classes="goods-line", markup=False)
        with Horizontal():
            yield Label("退货重量")
            weight = GoodsWeight(self.row.seq)
            weight.show(self.row.weight)
            yield weight
            yield Label("千克  *是否属于工业品")
            industrial = GoodsIndustrial(self.row.seq)
            industrial.show(self.row.industrial)
            yield industrial


class GoodsList(Vertical):
    """All goods rows; rebuilt only when a backfill or a load brings other rows."""

    DEFAULT_CSS = """
    GoodsList {
        height: auto;
    }
    GoodsList .empty {
        color: $text-muted;
        padding-left: 3;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="goods")
        self.rows: list[GoodsData] = []
        self._lock = asyncio.Lock()  # two loads (save, then a receipt) must not interleave

    def compose(self) -> ComposeResult:
        yield Static("没有找到匹配的记录", classes="empty")

    async def show_rows(self, rows: list[GoodsData]) -> None:
        async with self._lock:
            self.rows = [row.model_copy() for row in rows]
            await self.remove_children()
            if not rows:
                await self.mount(Static("没有找到匹配的记录", classes="empty"))
                return
            await self.mount_all(GoodsRowView(row) for row in self.rows)

    def collect(self) -> list[GoodsData]:
        """The rows with what is typed in their weight and 工业品 fields (raw, not yet checked)."""
        # one walk of the rows' widgets for all rows: a query by id per row walked the whole list
        # each time, quadratic (50 goods items took seconds on every draft write)
        weights = {w.goods_seq: w for w in self.query(GoodsWeight)}
        flags = {f.goods_seq: f for f in self.query(GoodsIndustrial)}
        result = []
        for row in self.rows:
            weight_input, flag_input = weights.get(row.seq), flags.get(row.seq)
            if weight_input is None or flag_input is None:  # rows being rebuilt by a load
                result.append(row.model_copy())
                continue
            weight = weight_input.raw()
            industrial = flag_input.raw()
            result.append(
                row.model_copy(
                    update={
                        "weight": str(weight) or None,
                        "industrial": str(industrial) or None,
                    }
                )
            )
        return result
