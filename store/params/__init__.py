"""Parameter tables (参数): the project's own code lists and their keystroke search.

Each table is a CSV under ``store/params/data/`` stating the standard it follows and its date; it is
loaded lazily on first use and then cached for the life of the process.

    >>> from store.params import table, is_direct_customs
    >>> table("units").label("035")
    '035 千克'
    >>> [e.code for e in table("divisions").search("4403", limit=1)]
    ['440300']
    >>> is_direct_customs("5300"), is_direct_customs("5301")
    (True, False)
"""

from __future__ import annotations

from functools import cache

from store.params.loader import load
from store.params.model import Entry, Table

__all__ = ["TABLE_NAMES", "TITLES", "Entry", "Table", "is_direct_customs", "table"]

# Name -> Chinese title, in the order a settings screen would list them.
TITLES: dict[str, str] = {
    "customs_districts": "关区代码",
    "countries": "国别(地区)",
    "currencies": "币制",
    "units": "计量单位",
    "trade_modes": "监管方式",
    "divisions": "行政区划",
    "regulatory_categories": "监管证件",
    "yes_no": "是否",
    "statuses": "状态",
    "return_reason_categories": "退运原因类别",
    "return_reasons": "具体退运原因",
    "disposal_methods": "拟处理方式",
    "attachment_types": "随附单据类型",
}

TABLE_NAMES: tuple[str, ...] = tuple(TITLES)


@cache
def table(name: str) -> Table:
    """The parameter table ``name`` (one of TABLE_NAMES), loaded on first use and cached."""
    if name not in TITLES:
        raise KeyError(f"unknown parameter table {name!r}; known: {', '.join(TABLE_NAMES)}")
    return load(name)


def is_direct_customs(code: str) -> bool:
    """True for a 直属海关: a 4-digit code ending in 00 that the customs district table holds.

    原生产企业所属机构 refuses these, so callers ask this rather than testing the digits alone.
    """
    return (
        len(code) == 4
        and code.isdigit()
        and code.endswith("00")
        and code in table("customs_districts")
    )
