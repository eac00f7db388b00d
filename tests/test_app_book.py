"""常用企业 in the app (Pilot, the sandbox gateway, SQLite): from the menu, the list newest first,
search, add with a refusal said at its field, change, delete after a confirmation, export and
import through the file dialog; the keys also as raw terminal bytes."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import DataTable, OptionList

from screens.book import BookPane
from screens.book_edit import BookEditScreen, BookFileScreen
from screens.confirm import ConfirmScreen
from store.book import CONTACT, PRODUCER, EnterpriseBook
from tests.app_harness import feed, hint, login, make_app, wait_for
from tests.factories import _uscc
from tests.fixtures_gateway import RunningGateway

SIZE = (80, 24)
SUZHOU = _uscc("91320500MA1MXXXX0")


async def _open_book(app, pilot) -> BookPane:  # type: ignore[no-untyped-def]
    screen = app.screen
    menu = screen.query_one("#menu", OptionList)
    menu.focus()
    menu.highlighted = [o.id for o in menu._options].index("book")
    await pilot.press("enter")
    await wait_for(pilot, lambda: bool(screen.query(BookPane)))
    pane = screen.query_one(BookPane)
    await wait_for(pilot, lambda: app.focused is pane.search)
    return pane


async def test_the_book_from_the_menu_add_search_change_delete(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book = EnterpriseBook(screen.ctx.engine, screen.ctx.operator)  # type: ignore[attr-defined]
        book.put(CONTACT, {"contact": "赵六", "phone": "13812345678"})
        book.put(PRODUCER, {"code": "3202960002", "name": "无锡精工电子有限公司"})
        pane = await _open_book(app, pilot)
        grid = pane.query_one(DataTable)
        assert grid.row_count == 1
        await pilot.press("f3")  # 新增
        await wait_for(pilot, lambda: isinstance(app.screen, BookEditScreen))
        await pilot.press(*"12345", "enter", "enter", *"suzhou", "f2")
        note = str(app.screen.query_one("#book-edit-note").render())
        assert "原生产企业社会信用代码" in note  # refused at its field, nothing lost
        edit = app.screen
        assert app.focused is edit.inputs["uscc"]  # type: ignore[attr-defined]
        edit.inputs["uscc"].value = ""  # type: ignore[attr-defined]
        await pilot.press(*SUZHOU, "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, type(screen)))
        assert "已保存" in hint(app)
        assert grid.row_count == 2 and pane.shown[0].uscc == SUZHOU  # newest first
        await pilot.press(*"wxjg")
        await wait_for(pilot, lambda: grid.row_count == 1)
        assert pane.shown[0].name == "无锡精工电子有限公司"
        await pilot.press("enter", "enter")  # to the list, then change the row
        await wait_for(pilot, lambda: isinstance(app.screen, BookEditScreen))
        assert app.screen.inputs["name"].value == "无锡精工电子有限公司"  # type: ignore[attr-defined]
        await pilot.press("enter", "enter", "ctrl+u", *"无锡精工", "f2")
        await wait_for(pilot, lambda: not isinstance(app.screen, BookEditScreen))
        found = book.producer(code="3202960002")
        assert found is not None and found.name == "无锡精工"
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: book.producer(code="3202960002") is None)
        await pilot.press("f4")  # the contacts
        pane.search.value = ""
        await wait_for(pilot, lambda: grid.row_count == 1 and pane.kind == CONTACT)
        assert "收货联系人" in str(pane.query_one("#book-kind").render())


async def test_export_and_import_by_raw_keys(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book = EnterpriseBook(screen.ctx.engine, screen.ctx.operator)  # type: ignore[attr-defined]
        book.put(PRODUCER, {"uscc": SUZHOU, "name": "苏州原生产制造有限公司"})
        pane = await _open_book(app, pilot)
        await feed(app, pilot, "\x1b[17~")  # F6 导出
        await wait_for(pilot, lambda: pane.last_export is not None)
        exported = pane.last_export
        assert exported is not None and exported.parent.name == "exports"
        sheet = load_workbook(exported)["原生产企业"]
        sheet.append([_uscc("91320200MA1NYYYY1"), "3202960002", "无锡精工电子有限公司"])
        sheet.append(["bad", None, "坏企业"])
        mine = tmp_path / "mine.xlsx"
        sheet.parent.save(mine)
        await feed(app, pilot, "\x1b[15~")  # F5 导入
        await wait_for(pilot, lambda: isinstance(app.screen, BookFileScreen))
        field = app.screen.query_one("#fp-path")
        field.value = ""  # type: ignore[attr-defined]
        await feed(app, pilot, str(mine) + "\r")
        await wait_for(pilot, lambda: "已导入" in hint(app))
        assert "已导入2条，1行未导入：原生产企业 第4行 原生产企业社会信用代码" in hint(app)
        assert pane.query_one(DataTable).row_count == 2
        await feed(app, pilot, "\x1bOR")  # F3 新增, then the fields and F2 in one read
        await wait_for(pilot, lambda: isinstance(app.screen, BookEditScreen))
        await feed(app, pilot, "\r3202960003\r常州新厂\x1bOQ")
        await wait_for(pilot, lambda: not isinstance(app.screen, BookEditScreen))
        added = book.producer(code="3202960003")
        assert added is not None and added.name == "常州新厂"
