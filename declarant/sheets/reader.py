"""Reading a client's workbook: find the sheets and their header rows, yield the data rows.

Sheets are found by their headers, not their names (clients rename them): the records sheet is the
one whose header row holds 进口报关单号 and other record columns, the goods sheet the one holding
进口报关单号, 序号 and 退货重量. A header row may sit under merged title rows, and a composite
header may be two rows (原生产企业 merged above 社会信用代码 / 海关编码 / 名称). Merged cells in the
data are read as their value in every cell they cover. Hidden columns and rows are read like the
others; blank rows are skipped. What cannot be read is a `SheetError` with the operator's message.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from declarant.sheets.cells import blank, plain_text
from declarant.sheets.columns import (
    GOODS_COLUMNS,
    RECORD_COLUMNS,
    Column,
    lookup,
    normalize_header,
)

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20  # a header row further down than this is not looked for
MAX_UNPACKED = 300 * 1024 * 1024  # 10,000 rows of records unpack to about 10 MB
SUFFIXES = (".xlsx", ".xlsm")


class SheetError(Exception):
    """The file as a whole cannot be imported; `message` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Cell:
    value: object  # as openpyxl read it
    column: str  # letter, as Excel shows it
    header: str  # the header as the file wrote it

    @property
    def text(self) -> str:
        return plain_text(self.value)


@dataclass(frozen=True, slots=True)
class Row:
    sheet: str
    number: int  # Excel's row number
    cells: dict[str, Cell]  # column key → cell (blank cells included)

    def value(self, key: str) -> object:
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass(slots=True)
class Table:
    """One sheet's data: its columns by key, its rows, and the headers it ignored."""

    sheet: str
    header_row: int
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (letter, header)
    rows: list[Row] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Workbook:
    records: Table
    goods: Table | None


class _Grid:
    """A worksheet's values with every merged range's value in each of its cells."""

    def __init__(self, sheet: Any) -> None:
        self.rows: list[tuple[object, ...]] = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        self.merged: dict[tuple[int, int], object] = {}
        for merged in sheet.merged_cells.ranges:
            value = self.get(merged.min_row, merged.min_col)
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    self.merged[(row, col)] = value

    def get(self, row: int, col: int) -> object:
        if (row, col) in self.merged:
            return self.merged[(row, col)]
        if row - 1 >= len(self.rows) or col - 1 >= len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][col - 1]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def _match_header(grid: _Grid, row: int, names: dict[str, Column]) -> dict[int, tuple[Column, str]]:
    """Column index → (column, header text) for the header row `row` (a parent row above it
    may name the composite field: 原生产企业 over 社会信用代码)."""
    found: dict[int, tuple[Column, str]] = {}
    for col in range(1, grid.width + 1):
        text = plain_text(grid.get(row, col)).strip()
        if not text:
            continue
        above = plain_text(grid.get(row - 1, col)).strip() if row > 1 else ""
        for candidate in (text, above + text, f"{above}（{text}）"):
            column = names.get(normalize_header(candidate))
            if column is not None:
                found[col] = (column, f"{above}{text}" if candidate != text else text)
                break
    return found


def _find_table(
    grid: _Grid, sheet: str, columns: tuple[Column, ...], needed: set[str], least: int
) -> Table | None:
    names = lookup(columns)
    best: tuple[int, dict[int, tuple[Column, str]]] | None = None
    for row in range(1, min(len(grid.rows), HEADER_SEARCH_ROWS) + 1):
        found = _match_header(grid, row, names)
        keys = {column.key for column, _ in found.values()}
        if needed <= keys and len(keys) >= least and (best is None or len(found) > len(best[1])):
            best = (row, found)
    if best is None:
        return None
    row, found = best
    table = Table(sheet, row)
    for col, (column, header) in sorted(found.items()):
        letter = get_column_letter(col)
        if column.key in table.columns:
            first = table.columns[column.key][0]
            raise SheetError(
                f"工作表“{sheet}”第{row}行有两列都是“{column.header}”（{first}列和{letter}列），"
                "请删去一列后重新导入"
            )
        table.columns[column.key] = (letter, header.lstrip("*＊ "))  # the label, not its mark
    for col in range(1, grid.width + 1):
        text = plain_text(grid.get(row, col)).strip()
        if text and col not in found:
            table.ignored.append(f"{get_column_letter(col)}列“{text}”")
    for number in range(row + 1, len(grid.rows) + 1):
        cells = {
            key: Cell(grid.get(number, column_index_from_string(letter)), letter, header)
            for key, (letter, header) in table.columns.items()
        }
        if all(blank(cell.value) for cell in cells.values()):
            continue  # a blank row, or a spacer between blocks
        table.rows.append(Row(sheet, number, cells))
    return table


def _refuse_a_bomb(path: Path) -> None:
    """A package whose parts claim more than MAX_UNPACKED is refused before openpyxl inflates it."""
    try:
        with zipfile.ZipFile(path) as archive:
            claimed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: openpyxl's refusal below says so
    if claimed > MAX_UNPACKED:
        raise SheetError(
            f"文件解压后超过{MAX_UNPACKED // 1024 // 1024} MB，不像出口退货记录表：{path.name}"
        )


def read_workbook(path: Path) -> Workbook:
    """The records table (and the goods table, when a sheet holds one) of the file at `path`."""
    if path.suffix.lower() not in SUFFIXES:
        raise SheetError(
            f"只能导入 .xlsx 文件：{path.name}（.xls 或 .csv 请先在Excel中另存为 .xlsx）"
        )
    _refuse_a_bomb(path)
    try:
        book = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise SheetError(f"文件不存在：{path}") from None
    except PermissionError:
        raise SheetError(f"没有读取权限：{path}") from None
    except IsADirectoryError:
        raise SheetError(f"这是一个目录，不是文件：{path}") from None
    except Exception as error:  # openpyxl on a client's file: any fault there is the file's
        log.warning("workbook %s not readable: %s: %s", path, type(error).__name__, error)
        raise SheetError(
            f"无法读取该文件（不是有效的 .xlsx，或已加密、已损坏）：{path.name}"
        ) from error
    records: Table | None = None
    goods: Table | None = None
    try:
        for sheet in book.worksheets:
            grid = _Grid(sheet)
            if goods is None:
                goods = _find_table(grid, sheet.title, GOODS_COLUMNS, {"import_decl_no", "seq"}, 3)
                if goods is not None:
                    continue
            if records is None:
                records = _find_table(grid, sheet.title, RECORD_COLUMNS, {"import_decl_no"}, 3)
    finally:
        book.close()
    if records is None:
        raise SheetError(
            "未找到出口退货记录表：需要一行表头，其中有“进口报关单号”等列"
            f"（在前{HEADER_SEARCH_ROWS}行内）；可用 tuihuo template 生成模板"
        )
    if not records.rows:
        raise SheetError(
            f"工作表“{records.sheet}”第{records.header_row}行表头以下没有数据行，没有可导入的记录"
        )
    return Workbook(records, goods)
