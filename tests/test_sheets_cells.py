"""Cells and headers as clients write them, read as the form would hold them (declarant/sheets)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from declarant.sheets import template
from declarant.sheets.cells import CellError, field_value
from declarant.sheets.reader import SheetError, read_workbook
from declarant.sheets.result import ImportResult, Outcome, Problem, RowResult, write_result
from store.catalogue import BY_KEY, GOODS_BY_KEY


@pytest.mark.parametrize(
    ("key", "cell", "value"),
    [
        ("return_date", 45964, "2025-11-03"),  # an Excel serial in a number cell
        ("return_date", "45964", "2025-11-03"),  # ... or stored as text
        ("return_date", datetime(2025, 11, 3), "2025-11-03"),  # an Excel date
        ("return_date", "2025年11月3日", "2025-11-3"),  # the form's rule reads 2025-11-3
        ("return_date", " 2025/11/03 ", "2025/11/03"),
        ("contact_phone", 13812345678, "13812345678"),
        ("contact_phone", 13812345678.0, "13812345678"),
        ("producer_division", "440304 福田区", "440304"),
        ("producer_division", "福田区", "440304"),  # the name alone, when only one has it
        ("producer_customs", "５３０１－皇岗海关", "5301"),  # full-width, a dash
        ("export_inspected", "否", "N"),
        ("disposal_methods", "内销、5 其他", ["1", "5"]),
        ("specific_reasons", "11/12；13", ["11", "12", "13"]),
        ("reason_detail", "包装破损\n需退回  ", "包装破损 需退回  "),  # Alt+Enter in a cell
        ("contact_person", None, None),
        ("disposal_methods", "  ", []),
    ],
)
def test_a_cell_as_the_form_holds_it(key: str, cell: object, value: object) -> None:
    assert field_value(BY_KEY[key], cell) == value


def test_a_formula_weight_is_read_as_excel_shows_it() -> None:
    assert field_value(GOODS_BY_KEY["weight"], 0.1 * 3) == "0.3"


@pytest.mark.parametrize(
    ("key", "cell", "words"),
    [
        ("import_decl_no", 10120251000000892, "末几位已丢失"),
        ("export_decl_nos", 5.301202500000123e17, "设为文本"),
        ("return_date", 123, "不是日期"),
    ],
)
def test_a_cell_that_cannot_be_read_says_why(key: str, cell: object, words: str) -> None:
    with pytest.raises(CellError, match=words):
        field_value(BY_KEY[key], cell)


def test_a_two_row_header_with_merged_parents_is_read(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["进口报关单号", "原生产企业", None, None, "拟处理方式"])
    sheet.append([None, "社会信用代码", "海关编码", "名称", None])
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("E1:E2")
    sheet.append(["010120251000000892", "X", "4403960123", "深圳示例", "内销"])
    sheet.append(["010120251000000888", "Y", None, "深圳示例二", "销毁"])
    sheet.merge_cells("C3:C4")  # one customs code for both rows, merged
    book.save(tmp_path / "两行表头.xlsx")
    records = read_workbook(tmp_path / "两行表头.xlsx").records
    assert records.header_row == 2
    assert set(records.columns) == {
        "import_decl_no",
        "producer_uscc",
        "producer_code",
        "producer_name",
        "disposal_methods",
    }
    assert [r.value("producer_code") for r in records.rows] == ["4403960123", "4403960123"]
    assert [r.value("disposal_methods") for r in records.rows] == ["内销", "销毁"]


def test_two_columns_with_one_header_are_refused_by_name(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["进口报关单号", "退货日期", "拟处理方式", "退货日期"])
    book.save(tmp_path / "重复.xlsx")
    with pytest.raises(SheetError, match="B列和D列"):
        read_workbook(tmp_path / "重复.xlsx")


def test_a_template_with_no_rows_filled_is_refused_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="没有数据行"):
        read_workbook(template(tmp_path / "模板.xlsx"))


def test_a_reason_whose_name_holds_the_separator_is_one_reason() -> None:
    spec = BY_KEY["specific_reasons"]
    assert field_value(spec, "11 健康、安全、卫生、环保不符合要求/12") == ["11", "12"]
    assert field_value(spec, "健康、安全、卫生、环保不符合要求") == ["11"]
    assert field_value(spec, "包装不符合要求、运输中受损") == ["14", "31"]


def test_the_result_workbook_takes_a_control_character_read_from_a_client(tmp_path: Path) -> None:
    result = ImportResult(
        rows=[
            RowResult(
                "表",
                4,
                "010120251000000892",
                Outcome.REFUSED,
                problems=[Problem("表", 4, "B", "联系人", "\x1b[31m红", "含不可见的控制字符")],
            )
        ]
    )
    write_result(result, tmp_path / "结果.xlsx")
    details = openpyxl.load_workbook(tmp_path / "结果.xlsx")["问题明细"]
    assert details["E2"].value == "␛[31m红"


def test_a_damaged_workbook_is_refused_with_a_message(tmp_path: Path) -> None:
    damaged = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:  # a zip, but its XML is cut off
        archive.writestr("[Content_Types].xml", "<Types><Default Extension=")
        archive.writestr("xl/workbook.xml", "<workbook")
    with pytest.raises(SheetError, match="无法读取该文件"):
        read_workbook(damaged)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (310 * 1024 * 1024))
    with pytest.raises(SheetError, match="解压后超过"):
        read_workbook(bomb)
