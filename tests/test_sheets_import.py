"""Spreadsheets in: a client's workbook imported through the worker and the sandbox gateway server.

The workbooks are built here with openpyxl the way clients make them: a merged title row above the
headers, headers in their own order, a hidden column, numbers stored as text, full-width digits,
trailing spaces, an Excel serial date, blank rows between the records.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from customs.client import GatewayClient
from declarant.sheets import Outcome, Severity, SheetError, import_sheet, template
from declarant.sheets.columns import CODES_SHEET, GOODS_SHEET, GUIDE_SHEET, RECORDS_SHEET
from declarant.worker import SandboxSlot, Worker
from sandbox.card import SANDBOX_PIN
from store.ids import uscc_check_char
from store.models import GoodsRow, ReturnRecord
from store.status import Status
from tests.fixtures_gateway import RunningGateway, declarations

PRODUCER_USCC = "91440300MA5F0K8J1" + uscc_check_char("91440300MA5F0K8J1")
NUMBERS = sorted(declarations())[:4]
HEADERS = [  # a client's own order, not the template's
    "进口报关单号",
    "备注",  # a column of the client's own: ignored
    "原出口报关单号",
    "收货联系人及联系电话（联系人）",
    "收货联系人及联系电话(联系电话)",
    "退货日期",
    "拟处理方式",
    "原生产企业社会信用代码",
    "原生产企业（海关编码）",
    "原生产企业（名称）",
    "原生产企业联系人",
    "原生产企业联系电话",
    "原生产企业行政区划",
    "原生产企业所属机构",
    "出口是否法检",
    "关联报关单原出口监管方式",
    "退货原因类别",
    "具体退运原因",
    "退货原因具体说明",
]


def client_row(number: object, **changes: object) -> list[object]:
    values: dict[str, object] = {
        "进口报关单号": number,
        "备注": "客户自用",
        "原出口报关单号": "５３０１２０２５０００００１２３４５",  # full-width digits
        "收货联系人及联系电话（联系人）": "赵六  ",  # trailing spaces
        "收货联系人及联系电话(联系电话)": 13812345678,  # a number cell
        "退货日期": 45964,  # an Excel serial: 2025-11-03
        "拟处理方式": "内销",
        "原生产企业社会信用代码": PRODUCER_USCC + " ",
        "原生产企业（海关编码）": "4403960123",
        "原生产企业（名称）": "深圳示例电子有限公司",
        "原生产企业联系人": "钱七",
        "原生产企业联系电话": "0755-88888888",
        "原生产企业行政区划": "440304 福田区",
        "原生产企业所属机构": "5301",
        "出口是否法检": "否",
        "关联报关单原出口监管方式": "0110 一般贸易",
        "退货原因类别": "1",
        "具体退运原因": "11/12",
        "退货原因具体说明": "质量问题",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


def client_workbook(
    path: Path, rows: list[list[object]], weights: list[list[object]] | None = None
) -> Path:
    """A workbook the way a client makes one (see the module doc)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "11月退货"
    sheet.append(["深圳示例电子有限公司 2025年11月 出口退货清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append([])
    sheet.append(HEADERS)
    for index, row in enumerate(rows):
        if index == 1:
            sheet.append([])  # a blank row between the records
        sheet.append(row)
    for row in sheet.iter_rows(min_row=4, min_col=1, max_col=1):
        row[0].number_format = "@"  # the 进口报关单号 column is text, as it must be
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text typed as '=…, not a formula
    sheet.column_dimensions["B"].hidden = True  # 备注: hidden
    if weights is not None:
        goods = book.create_sheet("重量")
        goods.append(["进口报关单号", "序号", "退货重量", "是否属于工业品"])
        for line in weights:
            goods.append(line)
    book.save(path)
    return path


@pytest.fixture
async def worker(engine: Engine, gateway: RunningGateway) -> AsyncIterator[Worker]:
    client = GatewayClient(gateway.url, timeout=3.0, retries=1, backoff=0.01)
    w = Worker(engine, client, SandboxSlot(), gateway_name=gateway.url)
    await w.login(SANDBOX_PIN)
    yield w
    await w.client.aclose()


def stored(engine: Engine) -> list[ReturnRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(ReturnRecord).order_by(ReturnRecord.id)).all())  # type: ignore[arg-type]


def goods_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(GoodsRow)) or 0)


async def run(worker: Worker, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    assert worker.store is not None
    return await import_sheet(
        path,
        store=worker.store,
        fetch=worker.fetch_declaration,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_a_clients_workbook_is_read_backfilled_and_saved_as_drafts(
    worker: Worker, engine: Engine, tmp_path: Path
) -> None:
    path = client_workbook(
        tmp_path / "客户.xlsx",
        [client_row(NUMBERS[0]), client_row(f"{NUMBERS[1]} "), client_row(NUMBERS[2])],
        weights=[[NUMBERS[0], "1", "１２．５", "N"], [NUMBERS[0], 2, 3, None]],
    )
    seen: list[tuple[int, int]] = []
    result = await run(worker, path, progress=lambda done, total: seen.append((done, total)))
    assert [r.outcome for r in result.rows] == [Outcome.CREATED] * 3, result.problems
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert [r.row for r in result.rows] == [4, 6, 7]  # Excel's row numbers, the blank one skipped
    assert any("备注" in note for note in result.notes)
    records = stored(engine)
    assert [r.import_decl_no for r in records] == NUMBERS[:3]
    first = worker.store.load(records[0].draft_no)  # type: ignore[union-attr, arg-type]
    assert first.status == Status.DRAFT
    assert first.export_decl_nos == "530120250000012345"
    assert first.contact_person == "赵六" and first.contact_phone == "13812345678"
    assert first.return_date == "2025-11-03"
    assert first.disposal_methods == ["1"] and first.specific_reasons == ["11", "12"]
    assert first.producer_uscc == PRODUCER_USCC and first.producer_division == "440304"
    assert first.export_inspected == "N" and first.export_trade_modes == ["0110"]
    declaration = declarations()[NUMBERS[0]]
    assert first.consignee_name == declaration.consignee.name  # backfilled
    assert [(g.seq, g.weight, g.industrial) for g in first.goods][:2] == [
        (1, "12.5", "N"),
        (2, "3", "Y"),
    ]
    assert len(first.goods) == len(declaration.goods)
    assert result.result_path == tmp_path / "客户.结果.xlsx" and result.result_path.exists()


async def test_refused_cells_are_named_in_the_result_sheet_and_nothing_of_the_row_is_saved(
    worker: Worker, engine: Engine, tmp_path: Path
) -> None:
    path = client_workbook(
        tmp_path / "客户.xlsx",
        [
            client_row(NUMBERS[0], 原生产企业联系电话="=2+3", 原生产企业行政区划="999999"),
            client_row(10120241000004881),  # the number stored as a number: its 0 is gone
            client_row(NUMBERS[1]),
            client_row("010120241999999999"),  # customs has no such declaration
        ],
        # a rule failure on the goods sheet: the record of NUMBERS[1] must not be saved either
        weights=[[NUMBERS[1], 1, "-3", "Y"]],
    )
    result = await run(worker, path)
    assert [r.outcome for r in result.rows] == [Outcome.REFUSED] * 4
    assert stored(engine) == [] and goods_count(engine) == 0  # no half-saved row
    book = openpyxl.load_workbook(tmp_path / "客户.结果.xlsx")
    details = [list(r) for r in book["问题明细"].iter_rows(min_row=2, values_only=True)]
    by_place = {(r[0], r[1], r[3]): r[6] for r in details}
    assert "原生产企业联系电话" in by_place[("11月退货", 4, "原生产企业联系电话")]
    formula_like = next(r for r in book["问题明细"].iter_rows(min_row=2) if r[4].value == "=2+3")
    assert formula_like[4].data_type == "s"  # the client's "=…" stays text in the result
    assert "不在参数表中" in by_place[("11月退货", 4, "原生产企业行政区划")]
    assert "被存为数字" in by_place[("11月退货", 6, "进口报关单号")]
    assert "应大于0" in by_place[("重量", 2, "退货重量")]
    assert "未找到该进口报关单" in by_place[("11月退货", 8, "进口报关单号")]
    assert {r[5] for r in details} == {str(Severity.REFUSED)}
    summary = [list(r) for r in book["导入结果"].iter_rows(min_row=2, values_only=True)]
    assert summary[0][:4] == ["11月退货", 4, NUMBERS[0], str(Outcome.REFUSED)]


async def test_a_reimport_updates_the_drafts_after_a_confirmation_never_duplicates(
    worker: Worker, engine: Engine, tmp_path: Path
) -> None:
    path = client_workbook(tmp_path / "客户.xlsx", [client_row(n) for n in NUMBERS[:2]])
    await run(worker, path)
    first = stored(engine)
    asked: list[list[str]] = []

    async def no(existing):  # type: ignore[no-untyped-def]
        asked.append([e.import_decl_no for e in existing])
        return False

    result = await run(worker, path, confirm=no)
    assert asked == [NUMBERS[:2]]
    assert [r.outcome for r in result.rows] == [Outcome.SKIPPED] * 2
    assert [(r.id, r.version) for r in stored(engine)] == [(r.id, r.version) for r in first]
    changed = client_workbook(
        tmp_path / "客户.xlsx", [client_row(n, 原生产企业联系人="孙八") for n in NUMBERS[:2]]
    )
    result = await run(worker, changed, confirm=lambda existing: True)
    assert [r.outcome for r in result.rows] == [Outcome.UPDATED] * 2
    after = stored(engine)
    assert [r.id for r in after] == [r.id for r in first]  # the same records, none added
    assert {r.producer_contact for r in after} == {"孙八"}
    assert all(r.version == 2 for r in after)


async def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(
    worker: Worker, tmp_path: Path
) -> None:
    broken = tmp_path / "客户.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(SheetError, match="无法读取该文件"):
        await run(worker, broken)
    with pytest.raises(SheetError, match=r"\.xlsx"):
        await run(worker, tmp_path / "客户.xls")
    other = openpyxl.Workbook()
    other.active.append(["名称", "数量"])  # type: ignore[union-attr]
    other.save(tmp_path / "其他.xlsx")
    with pytest.raises(SheetError, match="进口报关单号"):
        await run(worker, tmp_path / "其他.xlsx")


def test_the_template_has_its_sheets_headers_and_lists(tmp_path: Path) -> None:
    path = template(tmp_path / "模板.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [RECORDS_SHEET, GOODS_SHEET, GUIDE_SHEET, CODES_SHEET]
    assert book[CODES_SHEET].sheet_state == "hidden"
    records = book[RECORDS_SHEET]
    headers = [c.value for c in records[1]]
    assert headers[0] == "*进口报关单号" and "*原生产企业（社会信用代码）" in headers
    assert records.column_dimensions["A"].number_format == "@"  # Excel keeps the leading 0
    lists = {
        headers[openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0][:-1]) - 1]: (
            v.formula1
        )
        for v in records.data_validations.dataValidation
    }
    assert lists["*具体退运原因"].startswith(f"'{CODES_SHEET}'!$")  # a check group has its list too
    division = lists["*原生产企业行政区划"]
    assert division.startswith(f"'{CODES_SHEET}'!$")
    column = division.split("!")[1].split(":")[0].replace("$", "")[0]
    codes = [c.value for c in book[CODES_SHEET][column][1:]]
    assert "440304 福田区" in codes and len(codes) > 3000
    customs = lists["*原生产企业所属机构"]
    column = customs.split("!")[1].split(":")[0].replace("$", "")[0]
    assert not any(str(c.value).split()[0].endswith("00") for c in book[CODES_SHEET][column][1:])
    assert [c.value for c in book[GOODS_SHEET][1]] == [
        "*进口报关单号",
        "*序号",
        "退货重量",
        "是否属于工业品",
    ]
    guide = [r for r in book[GUIDE_SHEET].iter_rows(min_row=2, values_only=True) if r[1]]
    assert guide[0][:3] == ("出口退货记录", "进口报关单号", "是") and guide[0][4]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


async def test_a_filled_template_imports(worker: Worker, engine: Engine, tmp_path: Path) -> None:
    path = template(tmp_path / "模板.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[RECORDS_SHEET]
    headers = [str(c.value).lstrip("*") for c in sheet[1]]
    row = dict(zip(HEADERS, client_row(NUMBERS[3]), strict=True))
    row["原生产企业（社会信用代码）"] = row.pop("原生产企业社会信用代码")
    row["收货联系人及联系电话（联系电话）"] = row.pop("收货联系人及联系电话(联系电话)")
    row["具体退运原因"] = "11 健康、安全、卫生、环保不符合要求"  # as the template's list writes it
    row["拟处理方式"] = "1 内销"
    sheet.append([row.get(h) for h in headers])
    book.save(path)
    result = await run(worker, path)
    assert [r.outcome for r in result.rows] == [Outcome.CREATED], result.problems
    assert [r.import_decl_no for r in stored(engine)] == [NUMBERS[3]]
    assert stored(engine)[0].specific_reasons == ["11"]


async def test_the_gateway_gone_stops_the_import_and_keeps_what_was_saved(
    worker: Worker, engine: Engine, gateway: RunningGateway, tmp_path: Path
) -> None:
    path = client_workbook(tmp_path / "客户.xlsx", [client_row(n) for n in NUMBERS[:2]])
    gateway.stop()
    result = await run(worker, path)
    assert "海关网关不可用" in result.stopped
    assert [r.outcome for r in result.rows] == [Outcome.NOT_DONE] * 2
    assert stored(engine) == []
    await asyncio.sleep(0)


async def test_a_result_file_that_cannot_be_written_is_said_and_the_import_stands(
    worker: Worker, engine: Engine, tmp_path: Path
) -> None:
    path = client_workbook(tmp_path / "客户.xlsx", [client_row(NUMBERS[0])])
    (tmp_path / "客户.结果.xlsx").mkdir()  # a folder where the result file would go
    result = await run(worker, path)
    assert result.result_path is None and "结果文件未能写入" in result.result_error
    assert [r.import_decl_no for r in stored(engine)] == [NUMBERS[0]]


async def test_one_number_twice_in_a_file_makes_one_record_and_refuses_the_second_row(
    worker: Worker, engine: Engine, tmp_path: Path
) -> None:
    path = client_workbook(tmp_path / "客户.xlsx", [client_row(NUMBERS[0]), client_row(NUMBERS[0])])
    result = await run(worker, path)
    assert [r.outcome for r in result.rows] == [Outcome.CREATED, Outcome.REFUSED]
    assert "与第4行的进口报关单号重复" in result.rows[1].problems[0].message
    assert [r.import_decl_no for r in stored(engine)] == [NUMBERS[0]]


async def test_junk_in_every_cell_is_refused_cell_by_cell_never_a_crash(
    worker: Worker, engine: Engine, tmp_path: Path
) -> None:
    rng = random.Random(13)
    junk: list[object] = [
        None,
        "",
        "   ",
        0,
        -1,
        1.5e300,
        True,
        datetime(2025, 11, 3, 10, 30),
        time(12, 0),
        "#N/A",
        "=SUM(A1:A2)",
        "\t红\r\n",  # the controls a workbook can hold
        "\u202e反向",
        "字" * 600,
        "１２３",
        "1/2/3/4/5/5",
        NUMBERS[0],
        45964,
    ]
    rows = [[rng.choice(junk) for _ in HEADERS] for _ in range(40)]
    weights = [[rng.choice(junk), rng.choice(junk), rng.choice(junk), rng.choice(junk)]] * 5
    path = client_workbook(tmp_path / "乱.xlsx", rows, weights=weights)
    result = await run(worker, path)
    assert result.total > 0 and not result.stopped
    for row in result.rows:
        assert row.outcome in (Outcome.CREATED, Outcome.REFUSED)
        if row.outcome == Outcome.REFUSED:
            assert row.problems and all(p.message for p in row.problems)
    assert len(stored(engine)) == result.count(Outcome.CREATED)
