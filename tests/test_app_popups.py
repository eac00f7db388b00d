"""The parameter popup as an operator sees it at 80x24 (issue 12): the typed filter shows, the title
is whole, districts of one name are told apart by their province and city, a query may run across
levels (福州鼓楼), and an empty result says 无匹配项."""

from __future__ import annotations

from pathlib import Path

from screens.popups import ParamPopup
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tests.screen_text import screen_lines

SIZE = (80, 24)


def popup_rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The text inside the popup's frame, one string per row, stripped."""
    rows = []
    for line in screen_lines(app):
        if line.strip().startswith("│"):
            rows.append(line.strip().strip("│").strip())
    return rows


async def open_popup(app, pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    pane = entry(app)
    pane.screen.set_focus(pane.fields[key])
    await pilot.pause()
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, ParamPopup))
    await pilot.pause()


async def test_the_typed_filter_and_the_whole_title_show_at_80x24(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await open_popup(app, pilot, "producer_division")
        await feed(app, pilot, "fzgl")  # raw bytes, as a terminal types them
        rows = popup_rows(app)
        assert rows[0] == "选择原生产企业行政区划"
        assert rows[1] == "输入代码、拼音首字母或汉字筛选  回车确认  Esc取消"
        assert rows[2] == "fzgl"  # the filter row holds what was typed, not a border
        assert rows[3] == "350102  鼓楼区  福建省福州市"


async def test_districts_show_their_parents_and_match_across_levels(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await open_popup(app, pilot, "producer_division")
        await feed(app, pilot, "鼓楼")
        rows = popup_rows(app)
        assert rows[3:7] == [
            "320106  鼓楼区  江苏省南京市",
            "320302  鼓楼区  江苏省徐州市",
            "350102  鼓楼区  福建省福州市",
            "410204  鼓楼区  河南省开封市",
        ]
        await pilot.press("backspace", "backspace")
        await feed(app, pilot, "福州鼓楼")
        assert popup_rows(app)[3] == "350102  鼓楼区  福建省福州市"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ParamPopup))
        assert entry(app).fields["producer_division"].raw() == "350102"


async def test_nothing_found_says_so(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await open_popup(app, pilot, "producer_division")
        await feed(app, pilot, "福州鼓楼x")
        assert "无匹配项：“福州鼓楼x”" in popup_rows(app)


async def test_a_refused_choice_is_marked_in_words(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await open_popup(app, pilot, "producer_customs")
        await feed(app, pilot, "22")
        rows = popup_rows(app)
        assert "2200  上海海关（不可选）" in rows  # not only dim and struck through
        assert "2201  浦江海关  上海海关" in rows


async def test_a_backfilled_code_the_table_lacks_says_so(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await pilot.press(
            *"010120241000007062", "enter"
        )  # 消费使用单位所在地关区 4201, 目的地海关 4201
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        field = pane.fields["consumer_district"]
        assert field.value == "4201（不在参数表中）" and field.raw() == "4201"
        assert str(pane.greys["destination_customs"].render()) == "4201（不在参数表中）"
        await pilot.press("f2")  # the code itself is kept
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        assert pane.record.consumer_district == "4201"


async def test_a_code_not_in_the_table_is_told_from_one_that_is_not_unique(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        customs = pane.fields["producer_customs"]
        pane.screen.set_focus(customs)
        await feed(app, pilot, "3501\r")  # a 隶属海关 of 福州海关 the table does not hold yet
        assert customs.raw() == "3501" and customs.value == "3501（不在参数表中）"
        assert "不是唯一" not in hint(app)
        pane.screen.set_focus(customs)
        await feed(app, pilot, "\x15" + "1234\r")  # Ctrl+U, then a code under no 直属海关
        assert "代码“1234”不在参数表中" in hint(app)
        pane.screen.set_focus(customs)  # a refused field is left for later (F12 comes back)
        await feed(app, pilot, "\x15" + "浦江\r")  # a name: one match, taken
        assert customs.raw() == "2201"
        pane.screen.set_focus(customs)
        await feed(app, pilot, "\x15" + "22\r")  # several codes begin with 22
        assert "“22”不是唯一的参数代码" in hint(app)
