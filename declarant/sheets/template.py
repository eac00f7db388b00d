"""The import template (`tuihuo template FILE.xlsx`): the sheets a client fills in.

- 出口退货记录: one row a record, the manual's labels as headers ("*" marks a required one), code
  columns with a drop-down list of the parameter table (Excel warns on a value outside it but
  still takes a bare code), code and number columns formatted as text so Excel keeps leading zeros;
- 商品重量: 进口报关单号, 序号, 退货重量, 是否属于工业品, one row a goods item;
- 填写说明: each column's label, whether required, its rule and an example;
- 代码 (hidden): the parameter tables' entries ("5301 皇岗海关"), which the drop-down lists name by
  range (a list typed into the validation itself is limited to 255 characters).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from declarant.sheets.columns import (
    CODES_SHEET,
    GOODS_COLUMNS,
    GOODS_SHEET,
    GUIDE_SHEET,
    RECORD_COLUMNS,
    RECORDS_SHEET,
    Column,
)
from store import params
from store.catalogue import BY_KEY, Type
from store.private import open_private

LAST_ROW = 5000  # rows that carry the lists and the text format
_BOLD = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")  # the manual's yellow for R fields
_TEXT_TYPES = frozenset(
    {Type.IMPORT_DECL, Type.EXPORT_DECLS, Type.USCC, Type.CUSTOMS_CODE, Type.PHONE, Type.TEXT}
)


def template(path: Path) -> Path:
    """Write the template to `path` (0600: it may be filled with business data in place).

    Returns `path`. OSError (a folder that does not exist, no permission, a full disk) is the
    caller's to say.
    """
    book = Workbook()
    records = book.active
    assert records is not None
    records.title = RECORDS_SHEET
    goods = book.create_sheet(GOODS_SHEET)
    guide = book.create_sheet(GUIDE_SHEET)
    codes = book.create_sheet(CODES_SHEET)
    codes.sheet_state = "hidden"
    ranges = _write_codes(codes)
    _write_data_sheet(records, RECORD_COLUMNS, ranges)
    _write_data_sheet(goods, GOODS_COLUMNS, ranges)
    _write_guide(guide)
    with open_private(path, "wb") as handle:
        book.save(handle)
    return path


_LISTS = {  # a list that is not a whole parameter table: name → the field it serves
    "producer_customs": BY_KEY["producer_customs"],
    "export_trade_modes": BY_KEY["export_trade_modes"],
}


def _list_name(column: Column) -> str | None:
    """The codes sheet's list a column draws from (None: no drop-down)."""
    spec = column.spec
    if spec is None or spec.type not in (Type.PARAM, Type.MULTI) or spec.table is None:
        return None
    if spec.choices:  # 关联报关单原出口监管方式: the codes the form offers, not the whole table
        return spec.key
    return "producer_customs" if spec.key == "producer_customs" else spec.table


def _write_codes(sheet: Worksheet) -> dict[str, str]:
    """One column a list; returns list name → absolute range ('代码'!$A$2:$A$183)."""
    names = sorted({n for c in (*RECORD_COLUMNS, *GOODS_COLUMNS) if (n := _list_name(c))})
    ranges = {}
    for index, name in enumerate(names, start=1):
        spec = _LISTS.get(name)
        table = params.table(spec.table if spec and spec.table else name)
        entries = [
            e
            for e in table
            if (spec is None or not spec.choices or e.code in spec.choices)
            and (name != "producer_customs" or not e.code.endswith("00"))
        ]
        letter = get_column_letter(index)
        sheet.cell(1, index, spec.title if spec else table.title)
        for row, entry in enumerate(entries, start=2):
            sheet.cell(row, index, f"{entry.code} {entry.name}")
        ranges[name] = f"'{CODES_SHEET}'!${letter}$2:${letter}${len(entries) + 1}"
    return ranges


def _write_data_sheet(
    sheet: Worksheet, columns: tuple[Column, ...], ranges: dict[str, str]
) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(1, index, column.marked)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.required:
            cell.fill = _REQUIRED_FILL
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.header) * 2 + 2))
        spec = column.spec
        if spec is None or spec.type in _TEXT_TYPES or spec.type == Type.MULTI:
            sheet.column_dimensions[letter].number_format = "@"
        name = _list_name(column)
        if name is not None:
            several = spec is not None and spec.type == Type.MULTI
            validation = DataValidation(
                type="list",
                formula1=ranges[name],
                allow_blank=True,
                showErrorMessage=True,
                # a check group's "1/5" is never one list entry: Excel only informs there
                errorStyle="information" if several else "warning",
                errorTitle=column.header,
                error="可多选，用“/”分隔，如 1/5"
                if several
                else "不在参数表中：请从下拉列表选择，或填写正确的代码",
                promptTitle=column.header,
                prompt="从下拉列表选择；可多选，用“/”分隔" if several else "从下拉列表选择",
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"


def _write_guide(sheet: Worksheet) -> None:
    sheet.append(["工作表", "列名", "必填", "填写规则", "示例"])
    for cell in sheet[1]:
        cell.font = _BOLD
    for title, columns in ((RECORDS_SHEET, RECORD_COLUMNS), (GOODS_SHEET, GOODS_COLUMNS)):
        for column in columns:
            sheet.append(
                [title, column.header, "是" if column.required else "", column.rule, column.example]
            )
    sheet.append([])
    sheet.append(
        [
            "说明",
            "",
            "",
            "每行一条出口退货记录；导入时按进口报关单号获取报关单数据（收货人、商品等），"
            "检查后存为暂存。表头行可以不在第一行，列的顺序可以调整。",
            "",
        ]
    )
    for cell in sheet["B"] + sheet["D"] + sheet["E"]:
        cell.number_format = "@"  # the examples are text: 010120251000000892 keeps its 0
    widths = {"A": 14, "B": 30, "C": 6, "D": 70, "E": 40}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
