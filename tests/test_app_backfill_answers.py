"""The backfill's answer lands only where it belongs (screens/entry_backfill.py, entry_book.py):
in the form it was asked for, never over what the operator typed, with the cursor in sight; the
book fills the producer group only from an entry that fits it; 复制 with a new number.

The keys go as raw terminal bytes through Textual's own parser (tests/app_harness.feed).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from sandbox.gateway.config import Fault
from screens.entry import EntryPane
from screens.entry_book import MARK
from store.book import CONTACT, EnterpriseBook
from tests.app_harness import entry, feed, focus_field, hint, login, make_app, wait_for
from tests.book_harness import SUZHOU, book_knows_producer, fetched
from tests.fixtures_gateway import GatewayFactory, RunningGateway, declarations, with_faults

SIZE = (80, 24)
ENTER, SHIFT_TAB, CTRL_U = "\r", "\x1b[Z", "\x15"
F3, F5, ALT_C = "\x1bOR", "\x1b[15~", "\x1bc"
QINGDAO_NO = "010220251000009136"  # 青岛远洋照明进出口有限公司, 3 goods
SHANGHAI_NO = "010120241000004881"  # 上海新亚纺织进出口有限公司: 棉制针织套头衫, 电源适配器
SHENZHEN_NO = "010120241000005434"  # 深圳瑞丰纺织…: 6 other goods


def _state(pane: EntryPane) -> str:
    return str(pane.query_one("#backfill-state").render())


async def test_new_record_while_the_answer_is_on_its_way_drops_it(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    slow = gateway_factory(step_seconds=0, faults=with_faults(declaration=Fault(delay=1.5)))
    app = make_app(tmp_path, slow.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, QINGDAO_NO + ENTER)
        assert "获取中" in _state(pane)
        await feed(app, pilot, F3)  # the number makes the form unsaved: 新增 asks first
        await feed(app, pilot, "y")
        await wait_for(pilot, lambda: "已清空" in hint(app))
        assert "获取中" not in _state(pane)  # nothing is on its way for this form any more
        await pilot.pause(2.5)  # the answer for the cleared record would have come by now
        assert pane.fields["import_decl_no"].raw() == ""
        assert pane.fields["consignee_address"].raw() == ""
        assert pane.fields["consumer_district"].raw() in ("", None)
        assert not pane.record.consignee_name
        assert "已获取" not in hint(app)
        assert "获取中" not in _state(pane)


async def test_f5_keeps_what_the_operator_typed_and_says_so(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await fetched(app, pilot, QINGDAO_NO)
        backfilled = pane.fields["consignee_address"].raw()
        assert backfilled and app.focused is pane.fields["contact_person"]
        await feed(app, pilot, SHIFT_TAB + CTRL_U + "自填地址" + SHIFT_TAB)
        await feed(app, pilot, F5)
        await wait_for(pilot, lambda: pane._fetched_no == QINGDAO_NO and "已获取" in hint(app))
        await pilot.pause()
        assert pane.fields["consignee_address"].raw() == "自填地址"
        assert "保留已填的收货人所在地" in hint(app)
        assert pane.fields["consumer_district"].raw()  # as the declaration fills it


async def test_the_focused_field_is_in_sight_after_the_answer(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    slow = gateway_factory(step_seconds=0, faults=with_faults(declaration=Fault(delay=1.5)))
    app = make_app(tmp_path, slow.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, QINGDAO_NO + ENTER)
        await feed(app, pilot, ENTER + "孙八" + ENTER)  # before the answer: on 联系电话
        assert app.focused is pane.fields["contact_phone"]
        await wait_for(pilot, lambda: pane._fetched_no == QINGDAO_NO and "已获取" in hint(app))
        await pilot.pause()
        await pilot.pause()
        phone = pane.fields["contact_phone"]
        assert app.focused is phone
        assert pane.query_one("#form").region.contains_region(phone.region)
        await feed(app, pilot, "139")
        assert phone.raw() == "139"


async def test_the_books_contact_goes_with_its_consignee(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        qingdao = declarations()[QINGDAO_NO].consignee
        book = EnterpriseBook(screen.ctx.engine, screen.ctx.operator)
        book.put(CONTACT, {"contact": "赵六", "phone": "13812345678", "uscc": qingdao.uscc})
        pane = await fetched(app, pilot, QINGDAO_NO)
        assert pane.fields["contact_person"].raw() == "赵六"
        assert len(pane.query(".from-book")) == 2
        pane.screen.set_focus(pane.fields["import_decl_no"])
        await pilot.pause()
        await feed(app, pilot, CTRL_U + SHANGHAI_NO + ENTER)
        await wait_for(pilot, lambda: pane._fetched_no == SHANGHAI_NO and "已获取" in hint(app))
        await pilot.pause()
        assert pane.record.consignee_name == "上海新亚纺织进出口有限公司"
        assert pane.fields["contact_person"].raw() == ""
        assert pane.fields["contact_phone"].raw() == ""
        assert not pane.query(".from-book")  # no 〔常用〕 left
        assert app.focused is pane.fields["contact_person"]  # on, as after the first fetch


async def test_a_code_of_another_producer_does_not_fill_beside_a_typed_uscc(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book_knows_producer(screen)
        pane = await focus_field(app, pilot, "producer_uscc")
        await feed(app, pilot, "91110000MA0000000H" + ENTER + "3205960001" + ENTER)
        assert pane.fields["producer_name"].raw() == ""  # not the book's 苏州… entry
        assert not pane.query(".from-book")
        assert "不一致" in hint(app)
        assert app.focused is pane.fields["producer_name"]


async def test_after_a_fill_enter_visits_the_typed_fields_of_the_group(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book_knows_producer(screen)
        pane = await focus_field(app, pilot, "producer_code")
        await feed(app, pilot, "3205960001" + ENTER)  # the book fills the group
        assert app.focused is pane.fields["export_inspected"]
        pane.screen.set_focus(pane.fields["producer_code"])
        await pilot.pause()
        await feed(app, pilot, CTRL_U + "3205960099" + ENTER + CTRL_U + "孙八" + ENTER)
        pane.screen.set_focus(pane.fields["producer_uscc"])
        await pilot.pause()
        await feed(app, pilot, CTRL_U + SUZHOU + ENTER)
        assert app.focused is pane.fields["producer_code"]  # not passed: typed, no mark
        assert pane.fields["producer_code"].raw() == "3205960099"
        assert pane.fields["producer_name"].raw() == "孙八"
        assert "不一致" in hint(app)
        # the known USCC alone fills the group, and Enter passes only what it filled
        await feed(app, pilot, CTRL_U + ENTER)
        pane.screen.set_focus(pane.fields["producer_uscc"])
        await pilot.pause()
        await feed(app, pilot, ENTER)
        assert pane.fields["producer_code"].raw() == "3205960001"
        assert app.focused is pane.fields["producer_name"]  # 孙八, typed: visited


async def test_copy_then_a_new_number_clears_the_weights_of_other_goods(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        source = await fetched(app, pilot, SHANGHAI_NO)
        for i, weight in ((1, "12.5"), (2, "8")):
            source.query_one(f"#g-weight-{i}").value = weight  # type: ignore[attr-defined]
        tabs = app.screen.query_one(TabbedContent)
        before = tabs.active
        await feed(app, pilot, ALT_C)
        await wait_for(pilot, lambda: tabs.active != before)
        copy = entry(app)
        assert copy is not source
        assert app.focused is copy.fields["import_decl_no"]
        assert copy.query_one("#g-weight-1").raw() == "12.5"  # type: ignore[attr-defined]
        await feed(app, pilot, SHENZHEN_NO + ENTER)  # typed over the source's number
        assert copy.fields["import_decl_no"].raw() == SHENZHEN_NO
        await wait_for(pilot, lambda: copy._fetched_no == SHENZHEN_NO and "已获取" in hint(app))
        await pilot.pause()
        weights = [copy.query_one(f"#g-weight-{i}").raw() for i in range(1, 7)]  # type: ignore[attr-defined]
        assert all(weight in ("", None) for weight in weights)
        assert "商品已变更，第1、2项原填的退货重量已清空" in hint(app)
        assert MARK not in hint(app)


async def test_f5_from_a_goods_row_keeps_the_cursor_on_that_field(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    """The answer makes the goods rows anew: the cursor was on row 1's weight and went to
    拟处理方式, so `12.5` typed after F5 ticked 内销 and 拆解他用 and the weight stayed empty."""
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await fetched(app, pilot, SHANGHAI_NO)
        pane.query_one("#g-weight-1").focus()
        await pilot.pause()
        await feed(app, pilot, F5)
        await wait_for(pilot, lambda: pane._fetched_no == SHANGHAI_NO and _state(pane) == "")
        await pilot.pause(0.2)
        await feed(app, pilot, "12.5")
        assert app.focused is pane.query_one("#g-weight-1")
        assert pane.collect().goods[0].weight == "12.5"
        assert pane.fields["disposal_methods"].raw() == []
