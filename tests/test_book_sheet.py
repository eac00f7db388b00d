"""常用企业 to XLSX and back (declarant/book_sheet.py): the round trip, a sheet made by hand the way
clients make them (a merged title row, numbers stored as numbers, a blank row, a bad row), a file
that is no workbook."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from declarant.book_sheet import BookSheetError, export_book, import_book
from store.book import CONTACT, PRODUCER, EnterpriseBook
from tests.factories import _uscc
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR

SUZHOU = _uscc("91320500MA1MXXXX0")


def _fill(book: EnterpriseBook) -> None:
    book.put(
        PRODUCER,
        {
            "uscc": SUZHOU,
            "code": "3205960001",
            "name": "=苏州原生产制造有限公司",
            "contact": "钱七",
            "phone": "0512-66881234",
            "division": "320505",
            "customs": "2201",
        },
    )
    book.put(CONTACT, {"contact": "赵六", "phone": "13812345678"})


def test_export_then_import_gives_the_same_book(engine: Engine, tmp_path: Path) -> None:
    mine = EnterpriseBook(engine, OPERATOR)
    _fill(mine)
    path = tmp_path / "out" / "常用企业.xlsx"
    assert export_book(mine, path) == 2
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    sheet = load_workbook(path)["原生产企业"]
    assert sheet["C1"].value == "原生产企业名称"
    assert sheet["C2"].value == "=苏州原生产制造有限公司" and sheet["C2"].data_type == "s"
    theirs = EnterpriseBook(engine, OTHER_OPERATOR)
    result = import_book(theirs, path)
    assert result.saved == 2 and result.refused == []
    assert [e.values() for e in theirs.entries(PRODUCER).find("")] == [
        e.values() for e in mine.entries(PRODUCER).find("")
    ]
    assert theirs.entries(CONTACT).find("")[0].label() == "赵六  13812345678"
    again = import_book(theirs, path)  # merged by USCC and by name+phone: no duplicates
    assert again.saved == 2 and len(theirs.entries(PRODUCER)) == 1


def test_a_hand_made_sheet_reads_and_a_bad_row_is_named(engine: Engine, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "原生产企业"
    sheet["A1"] = "客户常用生产企业（2026年）"
    sheet.merge_cells("A1:E1")
    sheet.append(["原生产企业名称", "原生产企业海关编码", "原生产企业联系电话", "备注"])
    sheet.append(["无锡精工电子有限公司", 3202960002, 13900001111, "老客户"])
    sheet.append([None, None, None, None])
    sheet.append(["坏企业", "12345", None, None])
    sheet.column_dimensions["D"].hidden = True
    path = tmp_path / "客户.xlsx"
    workbook.save(path)
    book = EnterpriseBook(engine, OPERATOR)
    result = import_book(book, path)
    assert result.saved == 1
    [refusal] = result.refused
    assert (refusal.sheet, refusal.row, refusal.column) == ("原生产企业", 5, "原生产企业海关编码")
    assert refusal.message and "第5行" in result.summary
    known = book.producer(code="3202960002")
    assert known is not None and known.phone == "13900001111"


def test_not_a_workbook_is_said_in_chinese(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_text("not a zip")
    book = EnterpriseBook(engine, OPERATOR)
    with pytest.raises(BookSheetError, match="不是可读取的 XLSX 文件"):
        import_book(book, path)
    with pytest.raises(BookSheetError, match="找不到文件"):
        import_book(book, tmp_path / "missing.xlsx")
