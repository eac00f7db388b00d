"""常用企业 to and from XLSX: one sheet per kind (原生产企业, 收货联系人), the manual's words as headers.

`export_book(book, path) -> int` writes every entry, newest use first, into a 0600 file (a formula-like
name is kept as text, declarant/export.py). `import_book(book, path) -> BookImport` reads the same
layout back: each row is checked as the form checks it (store.book.check) and added or merged by its
USCC / customs code (a contact by name and phone); a refused row is reported (sheet, row, column
label, Chinese message) and never half-saved. Headers are found by their label in the first rows,
so a title row above them or columns in another order still read; numbers stored as numbers
(a customs code, a phone) read as their digits; full-width digits and spaces are the validators'.
A file that is not a readable workbook is `BookSheetError` with a Chinese message, never a traceback.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from declarant.export import xlsx_value
from store.book import CONTACT, KINDS, PRODUCER, BookRefused, EnterpriseBook, fields_of
from store.catalogue import BY_KEY
from store.errors import StoreError
from store.private import ensure_dir, open_private

HEADER_ROWS = 5  # a header is looked for in the first rows (a merged title row above it)


def label(kind: str, column: str) -> str:
    """The column's header: the form's own words (原生产企业社会信用代码, 联系人 …)."""
    spec = BY_KEY[fields_of(kind)[column]]
    if kind == CONTACT and column in ("contact", "phone"):
        return f"收货{spec.sub}"  # 收货联系人, 收货联系电话
    return spec.title


class BookSheetError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowRefusal:
    sheet: str
    row: int  # as the spreadsheet numbers it
    column: str  # the header's label
    message: str

    @property
    def text(self) -> str:
        return f"{self.sheet} 第{self.row}行 {self.column}：{self.message}"


@dataclass(slots=True)
class BookImport:
    saved: int = 0
    refused: list[RowRefusal] = field(default_factory=list)

    @property
    def summary(self) -> str:
        words = f"已导入{self.saved}条"
        if self.refused:
            rows = len({(r.sheet, r.row) for r in self.refused})
            words += f"，{rows}行未导入：{self.refused[0].text}"
        return words


def export_book(book: EnterpriseBook, path: Path) -> int:
    """Write the book to `path` (.xlsx); returns how many entries. OSError as it comes."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    written = 0
    for kind in (PRODUCER, CONTACT):
        sheet = workbook.create_sheet(KINDS[kind])
        columns = list(fields_of(kind))
        sheet.append([label(kind, c) for c in columns])
        for entry in book.entries(kind).find("", limit=1_000_000):
            values = entry.values()
            sheet.append([xlsx_value(sheet, values[c] or "") for c in columns])
            written += 1
    ensure_dir(path.parent)
    with open_private(path, "wb") as out:
        workbook.save(out)
    return written


def import_book(book: EnterpriseBook, path: Path) -> BookImport:
    """Read `path` into the book; see the module's docstring. Raises `BookSheetError`."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as error:
        raise BookSheetError(f"找不到文件：{path}") from error
    except PermissionError as error:
        raise BookSheetError(f"没有读取权限：{path}") from error
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise BookSheetError(f"不是可读取的 XLSX 文件：{path.name}") from error
    result = BookImport()
    try:
        found = False
        for kind in (PRODUCER, CONTACT):
            if KINDS[kind] not in workbook.sheetnames:
                continue
            found = True
            _read_sheet(book, kind, workbook[KINDS[kind]], result)
        if not found:
            names = "、".join(KINDS.values())
            raise BookSheetError(f"文件中没有名为“{names}”的工作表")
    finally:
        workbook.close()
    return result


def _read_sheet(book: EnterpriseBook, kind: str, sheet, result: BookImport) -> None:  # type: ignore[no-untyped-def]
    labels = {label(kind, c): c for c in fields_of(kind)}
    rows = sheet.iter_rows(values_only=True)
    positions: dict[str, int] = {}
    header = 0
    for header, row in enumerate(rows, start=1):
        cells = [_cell(v) for v in row]
        positions = {labels[c]: i for i, c in enumerate(cells) if c in labels}
        if positions or header >= HEADER_ROWS:
            break
    if not positions:
        result.refused.append(RowRefusal(KINDS[kind], 1, "表头", "找不到表头（请使用导出的格式）"))
        return
    for number, row in enumerate(rows, start=header + 1):
        values = {c: _cell(row[i]) if i < len(row) else None for c, i in positions.items()}
        if not any(values.values()):
            continue  # a blank row between the data
        try:
            book.put(kind, values)
        except BookRefused as refused:
            for column, message in refused.refusals:
                result.refused.append(RowRefusal(KINDS[kind], number, label(kind, column), message))
            continue
        except StoreError as error:
            result.refused.append(RowRefusal(KINDS[kind], number, "", error.message))
            continue
        result.saved += 1


def _cell(value: object) -> str | None:
    """A cell as text: a whole float (3205960001.0) as its digits, blanks as None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
