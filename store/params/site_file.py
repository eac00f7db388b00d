"""A site's parameter list as a file (CSV or XLSX), read and checked whole before anything is kept.

Layout: a header row, then one row per code. Columns by header, in any order, English or Chinese:
``code``/``代码`` and ``name``/``名称`` (required), ``parent``/``上级代码`` and ``withdrawn``/``停用``
(optional; 停用 is 是/否, Y/N, 1/0). A CSV is UTF-8 (with or without BOM) or, as Excel in China
saves it, GB 18030. Every refusal names the file's row (the header is row 1) in Chinese; one bad
row refuses the whole file (``SiteFileError.problems`` lists them all, up to ``MAX_PROBLEMS``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from store.params import TITLES

MAX_PROBLEMS = 20
MAX_NAME = 200
MAX_ROWS = 20_000  # a whole 关区代码表 is ~1,000 rows and 行政区划 ~3,200; more is not a list

# Code shape per table, with its description for a refusal. Every table has one (a test checks).
SHAPES: dict[str, tuple[str, str]] = {
    "customs_districts": (r"\d{4}", "4位数字"),
    "countries": (r"[A-Z]{3}", "3位大写字母"),
    "currencies": (r"[A-Z]{3}", "3位大写字母"),
    "units": (r"\d{3}", "3位数字"),
    "trade_modes": (r"\d{4}", "4位数字"),
    "divisions": (r"\d{6}", "6位数字"),
    "regulatory_categories": (r"[0-9A-Za-z]", "1位字母或数字"),
    "yes_no": (r"[A-Z]", "1位大写字母"),
    "statuses": (r"\d", "1位数字"),
    "return_reason_categories": (r"\d", "1位数字"),
    "return_reasons": (r"\d{2}", "2位数字"),
    "disposal_methods": (r"\d", "1位数字"),
    "attachment_types": (r"\d{2}", "2位数字"),
}

_COLUMNS = {
    "code": "code",
    "代码": "code",
    "name": "name",
    "名称": "name",
    "parent": "parent",
    "上级代码": "parent",
    "withdrawn": "withdrawn",
    "停用": "withdrawn",
}
_YES = {"是", "y", "yes", "1", "true", "停用"}
_NO = {"", "否", "n", "no", "0", "false"}


class SiteFileError(ValueError):
    """The file cannot be imported; ``problems`` are Chinese sentences, each naming its row."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class SiteRow:
    """One checked row: the code, its name ("" only when withdrawn), parent or None, withdrawn."""

    code: str
    name: str
    parent: str | None
    withdrawn: bool


def read_site_file(table_name: str, path: Path) -> list[SiteRow]:
    """The checked rows of ``path`` for ``table_name``; raises SiteFileError (nothing is half-read).

    A code the table's shape refuses, a code twice, an empty name (unless 停用) or a 停用 value
    that is neither yes nor no are refused with their row numbers.
    """
    if table_name not in SHAPES:
        raise SiteFileError([f"没有参数表 {table_name}"])
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SiteFileError([f"{path.name}：只能导入 .csv 或 .xlsx 文件"])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SiteFileError([f"{path}：文件不存在"]) from None
    except IsADirectoryError:
        raise SiteFileError([f"{path}：是目录，不是文件"]) from None
    except PermissionError:
        raise SiteFileError([f"{path}：没有读取权限"]) from None
    cells = _xlsx_cells(path.name, raw) if suffix == ".xlsx" else _csv_cells(path.name, raw)
    return _check(table_name, path.name, cells)


def _csv_cells(file_name: str, raw: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    raise SiteFileError([f"{file_name}：文件编码无法识别（应为 UTF-8 或 GB18030 文本）"])


def _xlsx_cells(file_name: str, raw: bytes) -> list[list[object]]:
    # openpyxl is imported here: ~0.2 s that the app's start and a CSV import never pay
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SiteFileError([f"{file_name}：不是有效的 Excel（.xlsx）文件（{error}）"]) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _check(table_name: str, file_name: str, cells: list[list[object]]) -> list[SiteRow]:
    while cells and not any(_text(v) for v in cells[-1]):
        cells.pop()  # trailing empty rows, as spreadsheets leave them
    if not cells:
        raise SiteFileError([f"{file_name}：文件是空的"])
    if len(cells) > MAX_ROWS + 1:
        raise SiteFileError([f"{file_name}：超过 {MAX_ROWS} 行，不像一张参数表"])
    header = [_COLUMNS.get(_text(v).lower(), _COLUMNS.get(_text(v), "")) for v in cells[0]]
    missing = [c for c, title in (("code", "代码"), ("name", "名称")) if c not in header]
    if missing:
        need = "、".join({"code": "代码(code)", "name": "名称(name)"}[c] for c in missing)
        raise SiteFileError([f"{file_name}：第1行应为表头，缺少列：{need}"])
    column = {name: header.index(name) for name in set(header) if name}
    pattern, shape = SHAPES[table_name]
    title = TITLES[table_name]
    problems: list[str] = []
    rows: list[SiteRow] = []
    first_row: dict[str, int] = {}
    for number, values in enumerate(cells[1:], start=2):
        if not any(_text(v) for v in values):
            continue

        def cell(name: str, values: list[object] = values) -> object:
            index = column.get(name)
            return values[index] if index is not None and index < len(values) else None

        where = f"{file_name} 第{number}行"
        code_cell = cell("code")
        code = _text(code_cell)
        if isinstance(code_cell, (int, float)) and not re.fullmatch(pattern, code):
            problems.append(f"{where}：代码“{code}”是数字单元格，前导0已丢失；请把代码列设为文本")
        elif not re.fullmatch(pattern, code):
            problems.append(f"{where}：代码“{code}”不符合{title}代码格式（{shape}）")
        elif code in first_row:
            problems.append(f"{where}：代码“{code}”重复（第{first_row[code]}行已有）")
        else:
            first_row[code] = number
        flag = _text(cell("withdrawn")).lower()
        if flag not in _YES and flag not in _NO:
            problems.append(f"{where}：停用一栏应为“是”或“否”，而不是“{flag}”")
        withdrawn = flag in _YES
        name = _text(cell("name"))
        if not name and not withdrawn:
            problems.append(f"{where}：名称为空")
        elif len(name) > MAX_NAME:
            problems.append(f"{where}：名称超过{MAX_NAME}字")
        parent = _text(cell("parent")) or None
        if parent is None and table_name == "customs_districts" and not code.endswith("00"):
            parent = code[:2] + "00"  # a 隶属海关's 直属海关, as the shipped table has it
        rows.append(SiteRow(code, name, parent, withdrawn))
        if len(problems) >= MAX_PROBLEMS:
            problems.append(f"{file_name}：错误过多，只列出前{MAX_PROBLEMS}条")
            break
    if problems:
        raise SiteFileError(problems)
    if not rows:
        raise SiteFileError([f"{file_name}：只有表头，没有参数行"])
    return rows
