"""Spreadsheets in: the import template and the import of a client's workbook as 暂存 records.

    template(Path("模板.xlsx"))
    result = await import_sheet(Path("客户.xlsx"), store=..., fetch=..., confirm=..., progress=...)

Headless (no Textual): the CLI (`tuihuo template`, `tuihuo import`) and the app's import screen
both call these.
"""

from declarant.sheets.existing import Existing
from declarant.sheets.importer import import_sheet
from declarant.sheets.reader import SheetError
from declarant.sheets.result import ImportResult, Outcome, Problem, RowResult, Severity
from declarant.sheets.template import template

__all__ = [
    "Existing",
    "ImportResult",
    "Outcome",
    "Problem",
    "RowResult",
    "Severity",
    "SheetError",
    "import_sheet",
    "template",
]
