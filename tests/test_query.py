"""The query pane as an operator drives it: filters, pages, columns, receipts, delete, export."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine, func, select
from sqlmodel import Session
from textual.widgets import DataTable, Input, Static

from declarant.worker.events import StatusChanged
from screens.confirm import ConfirmScreen
from screens.query import QueryPane
from store.models import ReturnRecord
from store.records import RecordStore
from store.status import Status
from tests.fixtures_db import OPERATOR
from tests.test_query_support import (
    CONSIGNEE_CODE,
    PRODUCER_CODE,
    TODAY_COUNT,
    Host,
    db_fixture,  # noqa: F401  (the `db` fixture)
    fill,
    fixed_today_fixture,  # noqa: F401  (autouse: the operator's today is fixed)
    manual_receipts,
    unified,
)
from widgets.column_chooser import ColumnChooser
from widgets.grid import TICKED, RecordGrid


def message(pane: QueryPane) -> str:
    return str(pane.query_one("#message", Static).render())


def pager(pane: QueryPane) -> str:
    return str(pane.query_one("#pager", Static).render())


def shown(pane: QueryPane) -> list[str]:
    return list(pane.query_one(RecordGrid).rows_shown)


async def type_into(pilot, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.pane.query_one(f"#{field}", Input).focus()
    await pilot.pause()
    await pilot.press(*list(text))


# ---- filters ------------------------------------------------------------------------------------
async def test_enter_in_a_filter_runs_the_default_query_of_today(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        assert pager(pane) == "暂无数据"
        assert pane.query_one("#op_from", Input).value == "2025-11-20"
        await pilot.press("enter")  # focus starts in 进口报关单号
        assert pager(pane) == f"共 {TODAY_COUNT} 条  第 1/2 页  每页 20 条(F4)"
        assert shown(pane)[0] == unified(1)  # newest first
        assert app.focused is pane.grid


async def test_status_by_digit_and_by_the_space_popup(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await type_into(pilot, "status", "7")
        assert str(pane.query_one("#status-label", Static).render()) == "人工审核通过"
        await pilot.press("f5")
        assert pager(pane).startswith("共 3 条")
        assert {pane.grid.rows_shown[n].status for n in shown(pane)} == {7}
        # Space on 状态 opens the list; a digit there chooses at once
        pane.query_one("#status", Input).focus()
        await pilot.press("space")
        assert app.screen.query_one("OptionList")  # the popup is up
        await pilot.press("5")
        await pilot.pause()
        assert pane.query_one("#status", Input).value == "5"
        assert str(pane.query_one("#status-label", Static).render()) == "电子审核完成，待人工审核"
        # ... and arrows + Enter choose too
        await pilot.press("space", "down", "enter")
        await pilot.pause()
        assert pane.query_one("#status", Input).value == "6"


async def test_consignee_and_producer_are_checked_as_typed(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        field = pane.query_one("#consignee", Input)
        await type_into(pilot, "consignee", "3101A")
        assert message(pane) == "" and not field.has_class("-refused")  # still typing
        await pilot.press(*"BCDEF")  # 10 characters: a customs code, wrong shape
        assert field.has_class("-refused")
        assert message(pane) == "收货人格式不正确：前5位为数字，后5位为数字或字母"
        field.value = ""
        await pilot.pause()
        await pilot.press(*CONSIGNEE_CODE)
        assert not field.has_class("-refused") and message(pane) == ""
        # 18 characters: a USCC with a wrong check character
        await type_into(pilot, "producer", "91320500MA1MXXXX0A")
        assert pane.query_one("#producer", Input).has_class("-refused")
        assert message(pane).startswith("原生产企业")
        # 12 characters then leaving the field: refused there
        pane.query_one("#producer", Input).value = ""
        await type_into(pilot, "producer", "320596000112")
        await pilot.press("tab")
        assert message(pane) == "原生产企业应为18位社会信用代码或10位海关编码"
        pane.query_one("#producer", Input).value = PRODUCER_CODE
        await pilot.press("f5")
        assert message(pane) == ""
        rows = [pane.grid.rows_shown[n] for n in shown(pane)]
        assert rows and all(r.producer_code == PRODUCER_CODE for r in rows)
        assert all(r.consignee_code == CONSIGNEE_CODE for r in rows)
        assert pager(pane).startswith("共 4 条")  # n even and a multiple of 3 among 1..27


async def test_each_field_refusal_shows_at_its_field_and_runs_nothing(db: Engine) -> None:
    cases = {
        "import_decl_no": ("220120251", "进口报关单号应为18位数字，当前9位"),
        "unified_no": ("2025", "统一编号应为18位数字"),
        "op_from": ("2025-13-01", "最近操作时间（起）不存在：2025-13-01"),
    }
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        for name, (value, expected) in cases.items():
            await pilot.press("f3")  # 重置
            pane.query_one(f"#{name}", Input).value = value
            await pilot.press("f5")
            assert message(pane) == expected, name
            assert pane.query_one(f"#{name}", Input).has_class("-refused")
            assert app.focused is pane.query_one(f"#{name}", Input)
            assert pager(pane) == "暂无数据"


async def test_range_beyond_30_days_is_refused_at_the_dates(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        pane.query_one("#op_from", Input).value = "2025-10-01"
        await pilot.press("f5")
        assert message(pane) == "最近操作时间范围不能超过30天"
        assert pane.query_one("#op_from", Input).has_class("-refused")
        assert pane.query_one("#op_to", Input).has_class("-refused")
        assert pager(pane) == "暂无数据"
        await pilot.press("f12")  # 本月: 2025-11-01 .. today
        assert pane.query_one("#op_from", Input).value == "2025-11-01"
        assert not pane.query_one("#op_from", Input).has_class("-refused")
        assert pager(pane).startswith(f"共 {TODAY_COUNT + 3} 条")  # ten days ago counts too
        await pilot.press("f10")  # 当天
        assert pager(pane).startswith(f"共 {TODAY_COUNT} 条")
        await pilot.press("f11")  # 本周: Monday 2025-11-17 .. today
        assert pane.query_one("#op_from", Input).value == "2025-11-17"


async def test_a_date_is_checked_on_leaving_it(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        field = pane.query_one("#op_to", Input)
        field.value = ""
        await type_into(pilot, "op_to", "20251")
        await pilot.press("tab")
        assert (
            message(pane)
            == "最近操作时间（止）格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03"
        )
        assert field.has_class("-refused")
        field.value = "20251120"  # fixed: the mark and the message go
        await pilot.pause()
        assert not field.has_class("-refused") and message(pane) == ""


async def test_reset_clears_the_filters_back_to_today(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await type_into(pilot, "unified_no", unified(3))
        pane.query_one("#op_from", Input).value = "2025-11-10"
        await pilot.press("enter")
        assert shown(pane) == [unified(3)]
        await pilot.press("f3")
        assert pane.query_one("#unified_no", Input).value == ""
        assert pane.query_one("#op_from", Input).value == "2025-11-20"
        await pilot.press("f5")
        assert pager(pane).startswith(f"共 {TODAY_COUNT} 条")


# ---- both databases -------------------------------------------------------------------------------
async def test_query_pages_delete_and_export_on_sqlite_and_postgres(
    engine: Engine, tmp_path: Path
) -> None:
    """The same walk over the real PostgreSQL (timezone-aware times come back) and SQLite."""
    fill(engine)
    app = Host(engine, page_size=10, export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await pilot.press("f5", "ctrl+end")
        assert shown(pane) == [unified(n) for n in range(21, 28)]
        # to the minute in the grid
        assert str(pane.grid.get_cell(unified(21), "updated_at")) == "2025-11-20 11:39"
        await pilot.press("ctrl+home", "space", "space", "f8", "y")  # rows 1 (暂存), 2 (已提交)
        await pilot.pause()
        assert message(pane).startswith("已删除1条。以下1条不允许删除：")
        path = await _export(app, pilot, "1")
        assert len(read_csv_rows(path)) == TODAY_COUNT - 1 + 1


def read_csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


# ---- pages ----------------------------------------------------------------------------------------
async def test_pages_next_prev_first_last_and_size(db: Engine) -> None:
    app = Host(db, page_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await pilot.press("f5")
        assert pager(pane) == f"共 {TODAY_COUNT} 条  第 1/3 页  每页 10 条(F4)"
        assert shown(pane) == [unified(n) for n in range(1, 11)]
        assert pane.grid.row_count == 10  # never more than a page in the widget
        await pilot.press("pagedown")
        assert pager(pane).startswith("共 27 条  第 2/3 页")
        assert shown(pane) == [unified(n) for n in range(11, 21)]
        await pilot.press("ctrl+end")
        assert pager(pane).startswith("共 27 条  第 3/3 页")
        assert shown(pane) == [unified(n) for n in range(21, 28)]
        await pilot.press("pagedown")  # nothing after the last page
        assert pager(pane).startswith("共 27 条  第 3/3 页")
        await pilot.press("pageup")
        assert shown(pane) == [unified(n) for n in range(11, 21)]
        await pilot.press("ctrl+home")
        assert shown(pane)[0] == unified(1) and pager(pane).startswith("共 27 条  第 1/3 页")
        await pilot.press("f4")  # 10 -> 20
        assert pager(pane) == "共 27 条  第 1/2 页  每页 20 条(F4)"
        assert pane.grid.row_count == 20
        await pilot.press("f4")  # 50
        assert pager(pane) == "共 27 条  第 1/1 页  每页 50 条(F4)"
        assert pane.grid.row_count == TODAY_COUNT
        # paging keys work from inside a filter too
        pane.query_one("#unified_no", Input).focus()
        await pilot.press("f4", "f4", "pagedown")  # 100 -> 10, then the second page
        assert pager(pane) == "共 27 条  第 2/3 页  每页 10 条(F4)"


async def test_enter_on_a_row_opens_the_record(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5", "down", "enter")
        assert app.opened == [unified(2)]


# ---- columns --------------------------------------------------------------------------------------
async def test_column_chooser_hides_a_column_and_remembers_it(db: Engine, tmp_path: Path) -> None:
    prefs = tmp_path / "conf" / "prefs.json"
    app = Host(db, prefs_path=prefs)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5", "f7")
        assert isinstance(app.screen, ColumnChooser)
        await pilot.press("down", "down", "down", "down", "space", "enter")  # untick 退货编号
        labels = [str(c.label) for c in app.pane.grid.columns.values()]
        assert "退货编号" not in labels and labels[:3] == ["选", "统一编号", "进口报关单号"]
        assert app.pane.grid.row_count == 20  # same page, fewer columns
    assert "return_no" not in json.loads(prefs.read_text(encoding="utf-8"))["query"]["columns"]
    again = Host(db, prefs_path=prefs)
    async with again.run_test(size=(80, 24)) as pilot:
        labels = [str(c.label) for c in again.pane.grid.columns.values()]
        assert "退货编号" not in labels and "统一编号" in labels
        await pilot.press("f7", "escape")  # cancel changes nothing
        assert [str(c.label) for c in again.pane.grid.columns.values()] == labels


async def test_column_chooser_keeps_at_least_one_column(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        for _ in range(10):
            await pilot.press("space", "down")
        await pilot.press("enter")
        assert isinstance(app.screen, ColumnChooser)
        assert str(app.screen.query_one("#chooser-error", Static).render()) == "至少选择一列"


# ---- receipts -------------------------------------------------------------------------------------
async def test_receipts_panel_newest_first_refresh_and_close(db: Engine) -> None:
    manual_receipts(db, unified(8))  # status 7
    calls: list[str] = []
    store = RecordStore(db, OPERATOR)

    async def refresh() -> None:
        calls.append("refresh")
        store.apply_receipt(
            unified(8),
            receipt_id="R6",
            round_no=1,
            status=7,
            content="复核通过。",
            issued_at=datetime(2024, 6, 3, 9, 0, tzinfo=UTC),
        )

    app = Host(db, refresh=refresh)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await pilot.press("f5", *["down"] * 7, "f9")
        panel = pane.receipts
        assert panel.is_open
        title = str(panel.query_one("#receipts-title", Static).render())
        assert title == f"统一编号[{unified(8)}]的回执信息"
        table = panel.query_one("#receipts-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["1", "人工审核通过", "接收申报、出口退货登记办理成功。", "2024-06-03 16:12:00"],
            [
                "2",
                "电子审核完成，待人工审核",
                "电子审核成功, 进入人工审核环节。",
                "2024-06-03 15:26:40",
            ],
            [
                "3",
                "电子审核完成，待人工审核",
                "电子审核成功, 进入人工审核环节。",
                "2024-06-03 15:13:20",
            ],
            ["4", "海关接收成功", "海关接收成功", "2024-06-03 15:13:00"],
            ["5", "已提交", "-", "2024-06-03 15:11:09"],
        ]
        assert app.focused is table
        await pilot.press("f5")  # 刷新, not 查询, inside the panel
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["refresh"]
        assert table.row_count == 6
        assert [str(c) for c in table.get_row_at(0)] == [
            "1",
            "人工审核通过",
            "复核通过。",
            "2024-06-03 17:00:00",
        ]
        await pilot.press("escape")  # 关闭
        assert not panel.is_open and app.focused is pane.grid


# ---- ticks and delete -----------------------------------------------------------------------------
def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(ReturnRecord)).scalar_one())


async def test_batch_delete_refuses_locked_and_deletes_the_others(db: Engine) -> None:
    before = _count(db)
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await pilot.press("f5")
        # rows 1..4: statuses 0 暂存, 1 已提交 (locked), 2 提交失败, 3 海关接收成功 (locked)
        await pilot.press("space", "space", "space", "space")
        assert pane.ticked == {unified(n) for n in range(1, 5)}
        assert str(pane.grid.get_cell(unified(1), "tick")) == TICKED
        assert "已勾选 4 条" in pager(pane)
        await pilot.press("f8")
        assert isinstance(app.screen, ConfirmScreen)
        text = str(app.screen.query_one("#confirm-text", Static).render())
        assert text.startswith("是否确认删除选中数据？共 4 条。")
        await pilot.press("n")  # 取消: nothing happens
        assert _count(db) == before and pane.ticked
        await pilot.press("f8", "y")
        await pilot.pause()
        assert _count(db) == before - 2
        said = message(pane)
        assert said.startswith("已删除2条。以下2条不允许删除：")
        assert f"{unified(2)}（状态为“已提交”的数据已被海关接收，不允许删除）" in said
        assert f"{unified(4)}（状态为“海关接收成功”" in said
        assert unified(1) not in said and unified(3) not in said
        assert shown(pane)[:2] == [unified(2), unified(4)]
        assert pager(pane).startswith(f"共 {TODAY_COUNT - 2} 条")


async def test_delete_with_nothing_ticked_says_so(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5", "f8")
        assert not isinstance(app.screen, ConfirmScreen)
        assert message(app.pane) == "请先用空格勾选要删除的记录"


# ---- the worker's status changes ------------------------------------------------------------------
async def test_status_changed_updates_the_visible_row_and_notifies(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await pilot.press("f5")
        store = RecordStore(db, OPERATOR)
        store.apply_receipt(
            unified(6),  # status 5 电子审核完成
            receipt_id="R1",
            round_no=1,
            status=7,
            content="接收申报、出口退货登记办理成功。",
            issued_at=datetime(2025, 11, 20, 5, 0, tzinfo=UTC),
            return_no="220125999999",
        )
        pane.status_changed(
            StatusChanged(unified(6), Status.E_REVIEWED, Status.APPROVED, "接收申报")
        )
        await pilot.pause()
        assert str(pane.grid.get_cell(unified(6), "status")) == "人工审核通过"
        assert str(pane.grid.get_cell(unified(6), "return_no")) == "220125999999"
        assert [n.message for n in app._notifications] == [f"{unified(6)} 人工审核通过"]


# ---- export ---------------------------------------------------------------------------------------
async def _export(app: Host, pilot, key: str) -> Path:  # type: ignore[no-untyped-def]
    await pilot.press("f6", key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.pane.last_export is not None
    return app.pane.last_export


async def test_export_failure_is_said_and_nothing_is_left(db: Engine, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the export directory should be")
    app = Host(db, export_dir=blocker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5", "f6", "1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert message(app.pane).startswith("导出失败：")
        assert not app.pane.exporting and app.pane.last_export is None


async def test_export_writes_the_whole_result_with_the_visible_columns(
    db: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    app = Host(db, export_dir=out, page_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.pane
        await pilot.press("f5", "f7", *["down"] * 4, "space", "enter")  # hide 退货编号
        csv_path = await _export(app, pilot, "1")
        assert csv_path.parent == out and csv_path.suffix == ".csv"
        assert f"已导出{TODAY_COUNT}条到 {csv_path}" == message(pane)
        raw = csv_path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese right
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
        header = [str(c.label) for c in pane.grid.columns.values()][1:]
        assert rows[0] == header and "退货编号" not in header
        assert len(rows) == TODAY_COUNT + 1  # all pages, not the 10 shown
        assert [r[0] for r in rows[1:]] == [unified(n) for n in range(1, 28)]
        assert rows[8][header.index("状态")] == "人工审核通过"
        assert rows[1][header.index("最近操作时间")] == "2025-11-20 11:59:00"

        xlsx_path = await _export(app, pilot, "2")
        assert not pane.exporting
        assert xlsx_path.suffix == ".xlsx"
        sheet = load_workbook(xlsx_path, read_only=True).active
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0] == header
        assert len(values) == TODAY_COUNT + 1
        assert [r[0] for r in values[1:]] == [r[0] for r in rows[1:]]
