"""The form follows the cursor (issue 12): ↓ goes to the next field as ↑ goes back, typing after
PgUp lands where it is seen, a goods row's weight comes with its item line, and a field required
only in some cases shows its * while the case holds. Keys as a terminal sends them (raw bytes)."""

from __future__ import annotations

from pathlib import Path

from screens.entry_goods import GoodsRowView
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway, declarations
from tests.screen_text import screen_lines

SIZE = (80, 24)
DOWN, PAGE_UP = "\x1b[B", "\x1b[5~"


def label(app, key: str) -> str:  # type: ignore[no-untyped-def]
    return str(entry(app).query_one(f"#label-{key}").render())


async def test_down_moves_to_the_next_field(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["consignee_address"])
        await pilot.pause()
        await feed(app, pilot, "青岛" + DOWN + "赵六")  # one burst
        assert pane.fields["consignee_address"].raw() == "青岛"
        assert pane.fields["contact_person"].raw() == "赵六"
        assert app.focused is pane.fields["contact_person"]


async def test_typing_after_page_up_is_seen_where_it_lands(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["producer_contact"]
        pane.screen.set_focus(field, scroll_visible=True)
        await pilot.pause()
        await feed(app, pilot, PAGE_UP, PAGE_UP)
        assert not pane.screen.can_view_entire(field)  # the form scrolled away from the cursor
        await feed(app, pilot, "钱七")
        assert field.raw() == "钱七"
        assert any("原生产企业联系人" in line and "钱七" in line for line in screen_lines(app))


async def test_a_goods_weight_comes_with_its_item_line(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    number = next(n for n, d in sorted(declarations().items()) if len(d.goods) >= 2)
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await pilot.press(*number, "enter")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        pane.screen.set_focus(pane.query_one("#g-weight-1"), scroll_visible=True)
        await pilot.pause()
        await feed(app, pilot, "\t\t")  # 退货重量 1, 是否属于工业品 1, then 退货重量 2
        assert app.focused is pane.query_one("#g-weight-2")
        form = pane.query_one("#form")
        row = pane.query_one("#goods-2", GoodsRowView)
        item = str(row.query_one(".goods-line").render())
        assert form.can_view_entire(row)
        assert any(item[:20] in line for line in screen_lines(app))


async def test_reason_detail_is_starred_while_quality_is_ticked(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        assert label(app, "reason_detail") == " 退货原因具体说明"
        assert label(app, "disposal_other_text") == "   其他具体内容"
        pane.screen.set_focus(pane.fields["reason_categories"])
        await pilot.pause()
        await feed(app, pilot, " ")  # 质量原因 ticked
        assert label(app, "reason_detail") == "*退货原因具体说明"
        await feed(app, pilot, " ")  # and unticked
        assert label(app, "reason_detail") == " 退货原因具体说明"
        pane.screen.set_focus(pane.fields["disposal_methods"])
        await pilot.pause()
        await feed(app, pilot, "\x1b[C" * 4 + " ")  # 其他
        assert label(app, "disposal_other_text") == "*  其他具体内容"
