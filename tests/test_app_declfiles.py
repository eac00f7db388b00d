"""The form backfills from the office's declaration files: Enter on a number the gateway does not
know finds it in the watched folders, Ctrl+O picks a file (a bad one refused in the picker, the path
kept), and the hint names the file. Pilot, and Ctrl+O as the raw byte a terminal sends."""

from __future__ import annotations

from pathlib import Path

from screens.entry_declfile import DeclarationFileScreen
from screens.main import MainScreen
from tests import declfiles_samples as s
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway, declarations
from widgets.file_picker import FilePicker

SIZE = (80, 24)
CTRL_O = "\x0f"


def _imp_path(root: Path) -> Path:
    imp = root / "ImpPath"
    s.write(imp, "InBox/Receipt_0001.xml", b"<DecImportResponse/>")
    s.write(imp, "InBox/dec_2233.xml", s.xml_message(version="3.1"))
    return imp


def _assert_filled(app) -> None:  # type: ignore[no-untyped-def]
    pane = entry(app)
    for key, value in s.EXPECTED_HEADER.items():
        assert getattr(pane.record, key) == value, key
    assert [row.currency for row in pane.record.goods] == ["USD", "USD"]
    assert len(pane.query("GoodsRowView")) == 2
    assert s.CONSIGNEE[2] in str(pane.greys["consignee_name"].render())


async def test_enter_on_a_number_the_gateway_does_not_know_backfills_from_the_watched_folder(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    assert s.NUMBER not in declarations()
    imp = _imp_path(tmp_path)
    app = make_app(tmp_path, gateway.url, declaration_folders=[imp])
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press(*s.NUMBER, "enter")
        await wait_for(pilot, lambda: "已从文件 dec_2233.xml 返填：2项商品" in hint(app))
        assert hint(app).startswith("✓ 已从文件 dec_2233.xml 返填：2项商品（报关单报文XML 3.1；")
        assert "旧币制代码502已换为USD" in hint(app)
        # said on the bar, never in a toast over the form (issue 12)
        assert "第1项退货金额单位：旧币制代码502已换为USD" in hint(app)
        _assert_filled(app)


async def test_a_number_in_no_file_offers_the_picker(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url, declaration_folders=[_imp_path(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press(*"010120251999999999", "enter")
        await wait_for(pilot, lambda: "未找到该进口报关单" in hint(app))
        assert "按F5重试，或按Ctrl+O从报关单文件返填" in hint(app)


async def test_ctrl_o_picks_a_file_a_bad_one_is_refused_in_the_picker(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    folder = tmp_path / "files"
    s.write(folder, "export.xml", s.xml_message(ie_flag="E"))
    s.write(folder, "dec.xlsx", s.printed_xlsx())
    app = make_app(tmp_path, gateway.url, declaration_folders=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclarationFileScreen))
        picker = app.screen.query_one(FilePicker)
        assert picker.input.value == f"{folder}/"  # starts in the first watched folder
        await pilot.press(*"export.xml", "enter")
        error = app.screen.query_one("#fp-error")
        await wait_for(pilot, lambda: "是出口报关单" in str(error.render()))
        assert "文件“export.xml”" in str(error.render())
        assert isinstance(app.screen, DeclarationFileScreen)  # still picking, the path kept
        assert picker.input.value == f"{folder}/export.xml"
        await pilot.press(*["backspace"] * len("export.xml"), *"dec.xlsx", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: "已从文件 dec.xlsx 返填：2项商品（报关单表格）" in hint(app))
        _assert_filled(app)
        assert app.focused is not None


async def test_ctrl_o_as_the_raw_byte_opens_the_picker_and_a_typed_path_fills_the_form(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    path = s.write(tmp_path / "files", "web.json", s.web_json())
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, CTRL_O)
        await wait_for(pilot, lambda: isinstance(app.screen, DeclarationFileScreen))
        picker = app.screen.query_one(FilePicker)
        picker.input.value = ""
        await feed(app, pilot, f"{path}\r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: "已从文件 web.json 返填" in hint(app))
        assert entry(app).record.import_decl_no == s.NUMBER
        assert entry(app).record.consumer_name == s.CONSUMER[2]


async def test_a_gb_encoded_file_in_the_watched_folder_backfills_the_form(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    folder = tmp_path / "InBox"
    s.write(folder, "gb.xml", s.xml_message(encoding="GBK"))
    app = make_app(tmp_path, gateway.url, declaration_folders=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press(*s.NUMBER, "enter")
        await wait_for(pilot, lambda: "已从文件 gb.xml 返填：2项商品" in hint(app))
        _assert_filled(app)


async def test_a_number_only_an_unusable_file_holds_says_that_files_problem(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    folder = tmp_path / "InBox"
    number = "223320251000000077"
    s.write(folder, "exp.xml", s.xml_message(number=number, ie_flag="E"))
    app = make_app(tmp_path, gateway.url, declaration_folders=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press(*number, "enter")
        await wait_for(pilot, lambda: "exp.xml" in hint(app))
        assert "文件“exp.xml”：是出口报关单" in hint(app)
        assert "未找到该进口报关单" not in hint(app)


async def test_a_declaration_with_the_most_goods_fills_and_one_with_more_is_refused(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    folder = tmp_path / "files"
    s.write(folder, "many.xml", s.xml_message(items=51))
    s.write(folder, "full.xml", s.xml_message(items=50))
    app = make_app(tmp_path, gateway.url, declaration_folders=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclarationFileScreen))
        picker = app.screen.query_one(FilePicker)
        await pilot.press(*"many.xml", "enter")
        error = app.screen.query_one("#fp-error")
        await wait_for(pilot, lambda: "文件“many.xml”：有51项商品" in str(error.render()))
        assert isinstance(app.screen, DeclarationFileScreen)
        await pilot.press(*["backspace"] * len("many.xml"), *"full.xml", "enter")
        await wait_for(pilot, lambda: "已从文件 full.xml 返填：50项商品" in hint(app))
        assert len(entry(app).query("GoodsRowView")) == 50
        assert [row.seq for row in entry(app).record.goods] == list(range(1, 51))
        assert picker is not None
