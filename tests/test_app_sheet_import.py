"""导入电子表格 in the app: the menu's screen with the file picker, the progress, the re-import
confirmation and the summary, against the sandbox gateway server; its key as raw terminal bytes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from screens.confirm import ConfirmScreen
from screens.sheet_import import SheetImportScreen
from store.engine import open_engine
from store.models import ReturnRecord
from tests.app_harness import feed, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tests.test_sheets_import import NUMBERS, client_row, client_workbook

F13 = "\x1b[25~"  # PuTTY's F13 (its Shift+F3)


def stored_numbers(tmp_path: Path) -> list[str | None]:
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    try:
        with Session(engine) as session:
            return list(
                session.scalars(select(ReturnRecord.import_decl_no).order_by(ReturnRecord.id))  # type: ignore[arg-type]
            )
    finally:
        engine.dispose()


def status(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#si-status").render())


async def test_import_from_the_menu_then_again_with_the_confirmation(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    path = client_workbook(
        tmp_path / "客户.xlsx",
        [client_row(NUMBERS[0]), client_row(NUMBERS[1], 原生产企业行政区划="999999")],
    )
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await login(app, pilot)
        menu = main.query_one("#menu")
        menu.focus()
        await pilot.pause()
        menu.highlighted = [o.id for o in menu.options].index("sheet_import")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SheetImportScreen))
        screen = app.screen
        picker_input = screen.query_one("#fp-path")
        picker_input.value = ""  # type: ignore[attr-defined]
        await pilot.press(*str(path), "enter")
        await wait_for(pilot, lambda: screen.result is not None, timeout=30)  # type: ignore[attr-defined]
        text = status(app)
        assert "共2行" in text and "新建1" in text and "未导入1" in text
        assert f"\n结果文件：{tmp_path / '客户.结果.xlsx'}" in text  # lines, never a ␊ mark
        assert stored_numbers(tmp_path) == [NUMBERS[0]]
        # the same file again: one confirmation, 更新 (Y), the record updated, not duplicated
        picker_input.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), timeout=30)
        assert NUMBERS[0] in str(app.screen.query_one("#confirm-text").render())
        await pilot.press("y")
        await wait_for(pilot, lambda: "更新1" in status(app), timeout=30)
        assert stored_numbers(tmp_path) == [NUMBERS[0]]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SheetImportScreen))


async def test_a_keymap_key_as_raw_bytes_opens_the_import_and_a_bad_file_is_said_under_the_path(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    """No key by default (every Ctrl key left is a tab key or an Input's); a site gives it one."""
    bad = tmp_path / "客户.xls"
    bad.write_bytes(b"old excel")
    app = make_app(tmp_path, gateway.url, keymap={"app.import_sheet": "f13"})
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot)
        await feed(app, pilot, F13)
        await wait_for(pilot, lambda: isinstance(app.screen, SheetImportScreen))
        picker_input = app.screen.query_one("#fp-path")
        picker_input.value = ""  # type: ignore[attr-defined]
        await feed(app, pilot, f"{bad}\r")
        error = app.screen.query_one("#fp-error")
        await wait_for(pilot, lambda: ".xlsx" in str(error.render()))
        assert str(picker_input.value) == str(bad)  # type: ignore[attr-defined]
        assert stored_numbers(tmp_path) == []
