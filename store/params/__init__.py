"""Parameter tables (参数): the project's own code lists and their keystroke search.

Each table is a CSV under ``store/params/data/`` stating the standard it follows and its date; it is
loaded lazily on first use and then cached for the life of the process. A site's own rows (the
``local_param`` store table, ``tuihuo params import``) are laid over it: ``store.params.local``
installs them with ``set_local`` whenever an engine opens or an import commits, and ``table()``
hands out the merged table from then on.

    >>> from store.params import table, is_direct_customs
    >>> table("units").label("035")
    '035 千克'
    >>> [e.code for e in table("divisions").search("4403", limit=1)]
    ['440300']
    >>> is_direct_customs("5300"), is_direct_customs("5301")
    (True, False)
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from functools import cache

from store.params.loader import load
from store.params.model import Entry, Table

__all__ = [
    "TABLE_NAMES",
    "TITLES",
    "Entry",
    "Table",
    "is_direct_customs",
    "set_local",
    "shipped",
    "table",
]

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


# A site's layer: table name -> (its rows, withdrawn code -> whence). Replaced whole, never mutated,
# so a reader in another thread sees the old layer or the new one.
_local: dict[str, tuple[tuple[Entry, ...], dict[str, str]]] = {}
_merged: dict[str, Table] = {}
_lock = threading.Lock()


@cache
def shipped(name: str) -> Table:
    """The table ``name`` as the project ships it, without a site's rows; loaded once."""
    if name not in TITLES:
        raise KeyError(f"unknown parameter table {name!r}; known: {', '.join(TABLE_NAMES)}")
    return load(name)


def table(name: str) -> Table:
    """The parameter table ``name`` (one of TABLE_NAMES): the shipped rows with the site's own
    laid over them (``set_local``). Built on first use after each change, then cached."""
    found = _merged.get(name)
    if found is not None:
        return found
    base = shipped(name)
    with _lock:
        layer = _local.get(name)
        merged = base if layer is None else base.overlay(*layer)
        _merged[name] = merged
    return merged


def set_local(layers: Mapping[str, tuple[Sequence[Entry], Mapping[str, str]]]) -> None:
    """Lay a site's rows over the shipped tables from now on: ``{table: (entries, withdrawn)}``,
    ``withdrawn`` mapping each withdrawn code to whence it came. ``{}`` takes every site row away.
    A table absent from ``layers`` is the shipped one."""
    global _local
    with _lock:
        _local = {name: (tuple(rows), dict(gone)) for name, (rows, gone) in layers.items()}
        _merged.clear()


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
