"""Codes as old files wrote them, turned into today's: a code kept as read is flagged, never dropped.

Files from before 2018 carry the customs' 3-digit numeric codes for currencies (142 人民币, 502 美元,
110 港币, 116 日本元 …) and countries (142 中国, 502 美国 …); today's tables use ISO 4217 and
ISO 3166-1 alpha-3 (store/params). A spreadsheet shows names (美元, 千克, 一般贸易) or "name(code)".
`normalize(kind, text)` -> `Coded(value, note)`: the value to fill in, and a note (Chinese) when the
text was not a code that today's table knows, in which case the value is the text as read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from importlib import resources

from store.params import table


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    COUNTRY = "countries"
    CURRENCY = "currencies"
    CUSTOMS = "customs_districts"
    TRADE_MODE = "trade_modes"
    UNIT = "units"
    HS = "hs"
    DECIMAL = "decimal"


OLD_FILES = {Kind.COUNTRY: "old_countries.csv", Kind.CURRENCY: "old_currencies.csv"}
TITLES = {
    Kind.COUNTRY: "国别(地区)代码",
    Kind.CURRENCY: "币制代码",
    Kind.CUSTOMS: "关区代码",
    Kind.TRADE_MODE: "监管方式代码",
    Kind.UNIT: "计量单位代码",
}
_IN_BRACKETS = re.compile(r"[(（\[]\s*([0-9A-Za-z]+)\s*[)）\]]")
_DATE_PATTERNS = ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, slots=True)
class Coded:
    value: str  # today's code, or the text as read when it is not one
    note: str | None = None  # why the text was kept as read (Chinese), or an old code's mapping


@cache
def old_codes(kind: Kind) -> dict[str, str]:
    """Old numeric code -> today's code, from the CSV shipped beside this module."""
    text = resources.files("customs.declfiles").joinpath(OLD_FILES[kind]).read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["old"]: row["code"] for row in rows}


@cache
def _by_name(kind: Kind) -> dict[str, str]:
    return {entry.name: entry.code for entry in table(kind.value)}


def normalize(kind: Kind, text: str) -> Coded:
    """`text` (stripped) as today's code of `kind`; see the module docstring."""
    text = text.strip()
    if not text or kind in (Kind.TEXT, Kind.DECIMAL):
        return Coded(text)
    if kind == Kind.HS:
        return _hs(text)
    if kind == Kind.DATE:
        raise ValueError("dates go through parse_date")
    known = table(kind.value)
    candidate = text.upper() if kind in (Kind.COUNTRY, Kind.CURRENCY) else text
    if candidate in known:
        return Coded(candidate)
    if kind in OLD_FILES and candidate in old_codes(kind):
        new = old_codes(kind)[candidate]
        return Coded(new, f"旧{TITLES[kind]}{candidate}已换为{new}")
    bracketed = _IN_BRACKETS.search(text)  # 一般贸易(0110), 浦东机场（2233）
    if bracketed and bracketed.group(1).upper() in known:
        return Coded(bracketed.group(1).upper())
    name = _IN_BRACKETS.sub("", text).strip()
    if name in _by_name(kind):
        return Coded(_by_name(kind)[name])
    return Coded(text, f"{TITLES[kind]}“{text}”不在参数表中，原样保留")


def _hs(text: str) -> Coded:
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        return Coded(digits)
    return Coded(text, f"商品编号“{text}”不是10位数字，原样保留")


def parse_date(value: object) -> date | None:
    """A date as files write it (20251103, 2025-11-03, a spreadsheet's datetime); None if none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if len(text) > 10 and text[:10].count("-") == 2:  # 2025-11-03T08:00:00 and the like
        return parse_date(text[:10])
    raise ValueError(text)
