"""导出: the query result to CSV or XLSX, headless (no Textual), and the grid's column catalogue.

The columns are declared once here, with the operator's label and how a `RecordRow` reads in that
column, so the grid and the exported file always agree. Times are shown in China local time.
CSV is UTF-8 with a BOM (Excel guesses GBK otherwise and the Chinese turns to mojibake); XLSX is
written with openpyxl's write_only mode, which streams rows instead of building a sheet in memory.

Formula injection (OWASP "CSV Injection"): a typed name such as `=HYPERLINK(…)` must reach the
spreadsheet as text. A value starting with `=`, `+`, `-`, `@`, tab or CR is written in CSV with a
leading apostrophe (the spreadsheet's "this is text" mark) and in XLSX as a string cell marked
quotePrefix, with its exact text. Every exported column is text (codes, names, local times,
status labels; no number), so no legitimate number is changed by this.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store import clock
from store.numbering import short_number_text
from store.private import ensure_dir, open_private, private_file
from store.queries import RecordRow
from store.status import Status

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
EXPORT_BATCH = 5000  # rows a keyset batch reads: 100k rows in ~1.7 s, against ~2.7 s by 1000
PROGRESS_EVERY = 1000  # rows between progress calls: often enough for a bar, cheap enough to ignore
# a cell starting with one of these is read as a formula by Excel, LibreOffice Calc and Sheets
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def local_time(moment: datetime | None) -> str:
    """A stored UTC time as the operator reads it (China); SQLite hands back naive UTC values."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return clock.to_local(moment).strftime(TIME_FORMAT)


def status_text(code: int) -> str:
    try:
        return Status(code).label
    except ValueError:
        return str(code)


def csv_text(value: str) -> str:
    """The value as a CSV cell a spreadsheet reads as text: `'` before a formula trigger."""
    return "'" + value if value and value[0] in FORMULA_TRIGGERS else value


def xlsx_value(sheet: WriteOnlyWorksheet, value: str) -> str | WriteOnlyCell:
    """The value as an XLSX cell: a formula-like text becomes an explicit string cell.

    openpyxl turns any string starting with `=` into a formula; a cell whose type is set to string
    after the value is written as text, and quotePrefix keeps Excel from re-reading it when edited.
    """
    if not value or value[0] not in FORMULA_TRIGGERS:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int  # cells in the grid (labels and values are mostly fixed-width codes)
    text: Callable[[RecordRow], str]


# In this order in the grid and the export: the first four (统一编号, 进口报关单号, 状态, 最近操作时间)
# fill exactly the 72 cells an 80-column terminal leaves the grid (widgets/grid.py shows 状态 and the
# times compactly there); the others follow to the right.
COLUMNS: tuple[Column, ...] = (
    Column("unified_no", "统一编号", 18, lambda r: short_number_text(r.unified_no, r.draft_no)),
    Column("import_decl_no", "进口报关单号", 18, lambda r: r.import_decl_no or ""),
    Column("status", "状态", 12, lambda r: status_text(r.status)),
    Column("updated_at", "最近操作时间", 16, lambda r: local_time(r.updated_at)),
    Column("return_no", "退货编号", 12, lambda r: r.return_no or ""),
    Column(
        "consignee_code", "收发货人代码", 18, lambda r: r.consignee_code or r.consignee_uscc or ""
    ),
    Column("consignee_name", "收发货人名称", 24, lambda r: r.consignee_name or ""),
    Column(
        "producer_code", "原生产企业代码", 18, lambda r: r.producer_code or r.producer_uscc or ""
    ),
    Column("producer_name", "原生产企业名称", 24, lambda r: r.producer_name or ""),
    Column("collected_at", "采集时间", 16, lambda r: local_time(r.collected_at)),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
_BY_LABEL: dict[str, Column] = {c.label: c for c in COLUMNS}


def resolve(columns: Iterable[str]) -> list[Column]:
    """Columns named by key (`unified_no`) or by the operator's label (`统一编号`), in that order."""
    resolved = []
    for name in columns:
        column = BY_KEY.get(name) or _BY_LABEL.get(name)
        if column is None:
            raise KeyError(f"unknown column {name!r}")
        resolved.append(column)
    return resolved


def export_rows(
    rows: Iterable[RecordRow],
    columns: list[str],
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write `rows` with `columns` to `path` (.csv or .xlsx by suffix); returns the rows written.

    The file is written beside its final name and renamed at the end, so a failed or interrupted
    export never leaves a half file under the name the operator was told.
    """
    chosen = resolve(columns)
    if not chosen:
        raise ValueError("no columns to export")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"export format must be .csv or .xlsx, not {path.suffix!r}")
    ensure_dir(path.parent)  # created 0700: exports hold the enterprise's records
    partial = path.with_name(path.name + ".part")
    header = [c.label for c in chosen]
    readers = [c.text for c in chosen]
    count = 0
    try:
        if suffix == ".csv":
            with open_private(partial, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                for row in rows:
                    writer.writerow([csv_text(read(row)) for read in readers])
                    count += 1
                    if progress is not None and count % PROGRESS_EVERY == 0:
                        progress(count)
        else:
            from openpyxl import Workbook  # imported here: ~0.2 s that a CSV export never pays

            book = Workbook(write_only=True)
            sheet = book.create_sheet("出口退货信息")
            sheet.append(header)
            for row in rows:
                sheet.append([xlsx_value(sheet, read(row)) for read in readers])
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
            private_file(partial)  # openpyxl rewrites it in place: it stays 0600
            book.save(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    if progress is not None:
        progress(count)
    return count


def export_name(suffix: str, *, now: datetime | None = None) -> str:
    """出口退货信息_20251120_153000.csv: sortable, and never clashes within a second."""
    moment = clock.to_local(now or clock.now())
    return f"出口退货信息_{moment:%Y%m%d_%H%M%S}.{suffix.lstrip('.')}"
