"""What an import did, row by row and cell by cell, and the result workbook written beside the input.

The result file (`客户.xlsx` → `客户.结果.xlsx`, 0600) has two sheets: 导入结果, one line a data row
(its outcome and the record's number), and 问题明细, one line a refused or incomplete cell (sheet,
row, column, header, content, Chinese reason). Text from the client's file is written as text,
never as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from store.private import open_private
from store.text import inert

FORMULA_TRIGGERS = ("=", "+", "-", "@")


class Outcome(StrEnum):
    CREATED = "已导入（暂存）"
    UPDATED = "已更新（暂存）"
    REFUSED = "未导入"
    SKIPPED = "未更新（保留原暂存记录）"
    NOT_DONE = "未处理"


class Severity(StrEnum):
    REFUSED = "拒绝"
    TO_COMPLETE = "提交前需补充"
    NOTE = "提示"


@dataclass(frozen=True, slots=True)
class Problem:
    """One cell (or one row, when `column` is empty) and what is wrong with it."""

    sheet: str
    row: int
    column: str  # Excel letter, "" when the sheet has no such column
    header: str  # the column's label
    content: str  # what the cell held
    message: str
    severity: Severity = Severity.REFUSED


@dataclass(slots=True)
class RowResult:
    sheet: str
    row: int
    import_decl_no: str
    outcome: Outcome
    number: str = ""  # the record's 统一编号 or local draft number
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class ImportResult:
    """The import's outcome: every data row, the file-wide notes, where the result was written."""

    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stopped: str = ""  # why the import stopped early (the gateway or the database went away)
    result_path: Path | None = None
    result_error: str = ""  # why the result file could not be written

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]

    def summary(self) -> str:
        """One line for the operator: 共N行：导入a，更新b，未导入c …"""
        parts = [f"共{self.total}行", f"新建{self.count(Outcome.CREATED)}"]
        parts.append(f"更新{self.count(Outcome.UPDATED)}")
        parts.append(f"未导入{self.count(Outcome.REFUSED)}")
        if self.count(Outcome.SKIPPED):
            parts.append(f"保留原记录{self.count(Outcome.SKIPPED)}")
        if self.count(Outcome.NOT_DONE):
            parts.append(f"未处理{self.count(Outcome.NOT_DONE)}")
        return "，".join(parts)


DONE, REFUSED, USAGE, UNAVAILABLE = 0, 1, 2, 3  # the command line's exit codes


def exit_code(result: ImportResult) -> int:
    """0 every row done (imported, updated, or kept at the operator's word); 1 rows refused or
    left undone; 3 the import stopped (the gateway or the database unavailable)."""
    if result.stopped:
        return UNAVAILABLE
    if result.count(Outcome.REFUSED) or result.count(Outcome.NOT_DONE):
        return REFUSED
    return DONE


def result_path_for(source: Path) -> Path:
    """`客户.xlsx` → `客户.结果.xlsx`, beside it."""
    return source.with_name(f"{source.stem}.结果.xlsx")


def _append(sheet: Worksheet, values: list[object]) -> None:
    # a control character (an ESC read back from the client's _x001B_) is refused by openpyxl and
    # acted on by a terminal showing the file: each is written as its visible mark
    sheet.append([inert(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"  # the client's "=…" stays text: a result file runs nothing
            cell.quotePrefix = True


def write_result(result: ImportResult, path: Path) -> Path:
    """Write the result workbook to `path` (0600); OSError is the caller's to report."""
    book = Workbook()
    rows = book.active
    assert rows is not None
    rows.title = "导入结果"
    _append(rows, ["工作表", "行号", "进口报关单号", "结果", "统一编号/草稿号", "说明"])
    for row in result.rows:
        first = next((p.message for p in row.problems if p.severity == Severity.REFUSED), "")
        more = len(row.problems)
        note = first or (f"{more}项提交前需补充" if more else "")
        _append(rows, [row.sheet, row.row, row.import_decl_no, str(row.outcome), row.number, note])
    _append(rows, [])
    _append(rows, ["合计", result.summary()])
    if result.stopped:
        _append(rows, ["中止", result.stopped])
    for note in result.notes:
        _append(rows, ["提示", note])
    details = book.create_sheet("问题明细")
    _append(details, ["工作表", "行号", "列", "列名", "单元格内容", "类别", "原因"])
    for problem in result.problems:
        _append(
            details,
            [
                problem.sheet,
                problem.row,
                problem.column,
                problem.header,
                problem.content,
                str(problem.severity),
                problem.message,
            ],
        )
    for sheet in (rows, details):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (14, 6, 20, 30, 24, 12, 60), strict=True):
        details.column_dimensions[letter].width = width
    for letter, width in zip("ABCDEF", (14, 6, 20, 24, 20, 60), strict=True):
        rows.column_dimensions[letter].width = width
    with open_private(path, "wb") as handle:
        book.save(handle)
    return path
