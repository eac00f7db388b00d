"""A spreadsheet laid out like the printed declaration, read with openpyxl in read-only mode.

Labels are found wherever they stand (only the first sheet, its first MAX_ROWS x MAX_COLUMNS):
a value is in the same cell after a colon ("海关编号：0101…"), else in the next cell to the right
that is not itself a label, else in the cell below (the printed form's boxes: label on top). The
goods table starts at the row holding 项号 and 商品编号; its columns are found by their labels,
the printed form's combined cells (数量及单位, 单价/总价/币制) read line by line. The direction is
the title's: 进口货物报关单 or 出口货物报关单.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from itertools import islice

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from customs.declfiles.extracted import Extracted, Problem
from customs.declfiles.table import (
    GOODS,
    HEADER,
    SHEET_OTHER_LABELS,
    SHEET_PRICE_TOTAL_CURRENCY,
    SHEET_QUANTITY_AND_UNIT,
    SHEET_REQUIRED,
)
from store import ids

MAX_UNPACKED = 100 * 1024 * 1024  # a declaration sheet unpacks to well under 1 MB
MAX_ROWS = 400
MAX_COLUMNS = 40
_SPACES = re.compile(r"\s+")
_QUANTITY = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(.*?)\s*$")
_TOKEN = re.compile(r"[0-9A-Z]+")

Grid = list[list[object]]


def _norm(text: str) -> str:
    """A label as compared: no spaces, no trailing colon, half-width brackets."""
    text = _SPACES.sub("", text).replace("（", "(").replace("）", ")")
    return text.rstrip(":：")


LABELS = frozenset(_norm(label) for s in (*HEADER, *GOODS) for label in s.sheet) | frozenset(
    _norm(label) for label in SHEET_OTHER_LABELS
)


def extract(data: bytes) -> Extracted:
    """The fields of one declaration sheet; `Problem` (Chinese) when it is not one."""
    grid = _grid(data)
    missing = [label for label in SHEET_REQUIRED if _find(grid, label) is None]
    if missing:
        raise Problem(f"表格中找不到报关单的栏目：{'、'.join(missing)}")
    head: dict[str, object] = {}
    for source in HEADER:
        value = next((v for lb in source.sheet if (v := _value(grid, lb)) not in (None, "")), "")
        head[source.target] = _party_part(value, source.part) if source.part else value
    return Extracted(head=head, goods=_goods(grid), direction=_direction(grid), kind="报关单表格")


def _unpacked_size(data: bytes) -> int:
    """What the package's parts claim to unpack to (a zip bomb claims gigabytes)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            return sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise Problem("Excel文件不完整或已损坏（可能未复制完），无法读取") from error


def _grid(data: bytes) -> Grid:
    if _unpacked_size(data) > MAX_UNPACKED:
        raise Problem("Excel文件解压后过大，不是报关单表格，未读取")
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, EOFError) as error:
        raise Problem("Excel文件不完整或已损坏（可能未复制完），无法读取") from error
    except Exception as error:  # openpyxl raises many kinds on a damaged part of the package
        raise Problem(f"Excel文件无法读取（{type(error).__name__}），可能已损坏") from error
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)
        return [list(row) for row in islice(rows, MAX_ROWS)]
    except (zipfile.BadZipFile, KeyError, EOFError, OSError) as error:
        raise Problem("Excel文件不完整或已损坏（可能未复制完），无法读取") from error
    finally:
        book.close()


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _find(grid: Grid, label: str) -> tuple[int, int] | None:
    wanted = _norm(label)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and (
                _norm(value) == wanted or re.search(rf"(^|\s){re.escape(label)}\s*[:：]", value)
            ):
                return r, c
    return None


def _cell(grid: Grid, r: int, c: int) -> object:
    return grid[r][c] if r < len(grid) and c < len(grid[r]) else None


def _is_label(value: object) -> bool:
    return isinstance(value, str) and _norm(value) in LABELS


def _value(grid: Grid, label: str) -> object:
    at = _find(grid, label)
    if at is None:
        return None
    r, c = at
    own = _text(grid[r][c])
    inline = re.search(rf"{re.escape(label)}\s*[:：]\s*(\S+)", own)
    if inline:
        return inline.group(1)
    for right in range(c + 1, len(grid[r])):
        value = grid[r][right]
        if value is None or _text(value) == "":
            continue
        if not _is_label(value):
            return value
        break
    below = _cell(grid, r + 1, c)
    return None if _is_label(below) else below


def _party_part(value: object, part: str) -> str:
    """One part of a party cell "USCC code name" (any order, spaces, lines or brackets between)."""
    text = _text(value)
    tokens = _TOKEN.findall(text.upper())
    uscc = next((t for t in tokens if len(t) == 18), "")
    code = next((t for t in tokens if len(t) == 10 and ids.is_customs_code(t)), "")
    if part == "uscc":
        return uscc
    if part == "code":
        return code
    name = text
    for token in (uscc, code):
        if token:
            name = re.sub(re.escape(token), " ", name, flags=re.IGNORECASE)
    return _SPACES.sub(" ", re.sub(r"[()（）\[\]]", " ", name)).strip()


def _direction(grid: Grid) -> str:
    for row in grid[:10]:
        for value in row:
            text = _text(value)
            if "出口货物报关单" in text:
                return "E"
            if "进口货物报关单" in text:
                return "I"
    return ""


def _goods(grid: Grid) -> list[dict[str, object]]:
    at = _find(grid, "项号")
    if at is None:
        return []
    top, _ = at
    columns: dict[str, int] = {}
    for c, value in enumerate(grid[top]):
        label = _norm(_text(value))
        if not label:
            continue
        for source in GOODS:
            if source.target not in columns and any(
                label == _norm(x) or label.startswith(_norm(x)) for x in source.sheet
            ):
                columns[source.target] = c
        if label == _norm(SHEET_QUANTITY_AND_UNIT):
            columns.setdefault("_quantity_unit", c)
        if label == _norm(SHEET_PRICE_TOTAL_CURRENCY):
            columns.setdefault("_price_total_currency", c)
    rows = []
    for row in grid[top + 1 :]:
        seq = _text(_cell([row], 0, columns.get("seq", 0)))
        if not seq.isdigit():
            break  # the goods end where 项号 does (a blank row, the 特殊关系确认 lines …)
        item: dict[str, object] = {}
        for source in GOODS:
            c = columns.get(source.target)
            value = _text(row[c]) if c is not None and c < len(row) else ""
            item[source.target] = value.splitlines()[0].strip() if value else ""
        _combined(row, columns, item)
        rows.append(item)
    return rows


def _combined(row: list[object], columns: dict[str, int], item: dict[str, object]) -> None:
    """The printed form's multi-line cells fill what no column of its own gave."""
    c = columns.get("_quantity_unit")
    if c is not None and c < len(row):
        lines = [x for x in _text(row[c]).splitlines() if x.strip()]
        match = _QUANTITY.match(lines[-1]) if lines else None  # the last line: the deal's
        if match:
            item["quantity"] = item.get("quantity") or match.group(1).replace(",", "")
            item["unit"] = item.get("unit") or match.group(2)
    c = columns.get("_price_total_currency")
    if c is not None and c < len(row):
        lines = [x.strip() for x in _text(row[c]).splitlines() if x.strip()]
        if len(lines) >= 2:
            item["amount"] = item.get("amount") or lines[1].replace(",", "")
        if len(lines) >= 3:
            item["currency"] = item.get("currency") or lines[2]
