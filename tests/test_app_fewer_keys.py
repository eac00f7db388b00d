"""Fewer keys per record, in the app with raw terminal bytes (tests/app_harness.feed): a known
producer fills its group on Enter and the cursor goes on to what still needs the operator, Space
lists the book, the consignee's contact comes from the book after the backfill, digits tick a check
group without moving, Enter on a weight passes over its 工业品, 复制 opens a copy."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from screens.entry_book import MARK
from screens.popups import ParamPopup
from store.book import CONTACT, PRODUCER, EnterpriseBook
from tests.app_harness import entry, feed, focus_field, hint, hints_seen, login, make_app, wait_for
from tests.book_harness import SUZHOU, book_knows_producer
from tests.fixtures_gateway import RunningGateway, declarations
from widgets.fields import CheckGroup

SIZE = (80, 24)
ENTER, SPACE, SHIFT_TAB, ALT_C = "\r", " ", "\x1b[Z", "\x1bc"


def _number() -> str:
    return sorted(declarations())[0]


async def test_a_known_uscc_fills_the_group_marked_and_enter_goes_on(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book_knows_producer(screen)
        pane = await focus_field(app, pilot, "producer_uscc")
        await feed(app, pilot, SUZHOU + ENTER + "n" + ENTER)
        assert pane.fields["producer_name"].raw() == "苏州原生产制造有限公司"
        assert pane.fields["producer_division"].value == "320505 虎丘区"
        assert pane.fields["producer_customs"].raw() == "2201"
        assert pane.fields["export_inspected"].value == "N 否"  # the cursor went past the group
        assert app.focused is pane.fields["export_trade_modes"]
        row = pane.fields["producer_name"].parent
        assert row is not None and MARK in str(row.query_one(".from-book").render())
        assert "已从常用企业填入" in hint(app) or pane.book.filled
        # still editable: an edit takes the mark away, the value is the operator's
        pane.screen.set_focus(pane.fields["producer_contact"])
        await pilot.pause()
        await feed(app, pilot, "八")
        assert pane.fields["producer_contact"].raw() == "钱七八"
        row = pane.fields["producer_contact"].parent
        assert row is not None
        await wait_for(pilot, lambda: not row.query(".from-book"))
        assert "producer_contact" not in pane.book.filled


async def test_a_typed_value_stays_and_an_unknown_code_moves_one_field(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book_knows_producer(screen)
        pane = await focus_field(app, pilot, "producer_phone")
        await feed(app, pilot, "13900001111")
        pane.screen.set_focus(pane.fields["producer_code"])
        await pilot.pause()
        await feed(app, pilot, "3205960001" + ENTER)
        assert pane.fields["producer_phone"].raw() == "13900001111"  # theirs
        assert pane.fields["producer_uscc"].raw() == SUZHOU
        # past what the book filled (〔常用〕) to the typed 电话, which the operator sees again
        assert app.focused is pane.fields["producer_phone"]
        await feed(app, pilot, SHIFT_TAB * 3)  # back to 海关编码: every field within reach
        assert app.focused is pane.fields["producer_code"]
        await feed(app, pilot, "\x15" + "3202960002" + ENTER)  # Ctrl+U, a code the book lacks
        assert app.focused is pane.fields["producer_name"]  # the plain next field


async def test_space_lists_the_book_and_the_choice_fills_the_group(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book = book_knows_producer(screen)
        book.put(PRODUCER, {"code": "3202960002", "name": "无锡精工电子有限公司"})
        pane = await focus_field(app, pilot, "producer_name")
        await feed(app, pilot, SPACE)
        await wait_for(pilot, lambda: isinstance(app.screen, ParamPopup))
        await feed(app, pilot, "szy")  # pinyin initials of 苏州原…
        await feed(app, pilot, ENTER)
        await wait_for(pilot, lambda: not isinstance(app.screen, ParamPopup))
        assert pane.fields["producer_uscc"].raw() == SUZHOU
        assert pane.fields["producer_phone"].raw() == "0512-66881234"
        assert app.focused is pane.fields["export_inspected"]


async def test_the_consignee_contact_comes_from_the_book_after_the_backfill(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    consignee = declarations()[_number()].consignee
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book = EnterpriseBook(screen.ctx.engine, screen.ctx.operator)
        book.put(CONTACT, {"contact": "赵六", "phone": "13812345678", "uscc": consignee.uscc})
        pane = entry(app)
        await feed(app, pilot, _number() + ENTER)
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        assert "收货联系人取自常用企业" in hint(app)
        assert pane.fields["contact_person"].raw() == "赵六"
        assert pane.fields["contact_phone"].raw() == "13812345678"
        # the answer moved the cursor past 收货人所在地 (backfilled) and the filled contact
        assert app.focused is pane.fields["return_date"]


async def test_digits_tick_a_check_group_without_moving(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await focus_field(app, pilot, "disposal_methods")
        await feed(app, pilot, "15" + ENTER + "改作样品" + ENTER)
        disposal = pane.fields["disposal_methods"]
        assert isinstance(disposal, CheckGroup) and disposal.raw() == ["1", "5"]
        assert pane.fields["disposal_other_text"].raw() == "改作样品"
        pane.screen.set_focus(pane.fields["reason_categories"])
        await pilot.pause()
        await feed(app, pilot, "1" + ENTER + "129" + ENTER)  # 9: no such option, nothing
        reasons = pane.fields["specific_reasons"]
        assert isinstance(reasons, CheckGroup) and reasons.raw() == ["11", "12"]
        assert app.focused is pane.fields["reason_detail"]  # 其他原因 closed: passed over
        pane.screen.set_focus(reasons)
        await pilot.pause()
        await feed(app, pilot, "1")  # again: unticks
        assert reasons.raw() == ["12"]


async def test_enter_on_a_weight_passes_over_its_industrial_flag(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, _number() + ENTER)
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        rows = len(pane.record.goods)
        pane.screen.set_focus(pane.query_one("#g-weight-1"))
        await pilot.pause()
        await feed(app, pilot, "".join(f"{i}.5" + ENTER for i in range(1, rows + 1)))
        weights = [pane.query_one(f"#g-weight-{i}").raw() for i in range(1, rows + 1)]  # type: ignore[attr-defined]
        assert weights == [f"{i}.5" for i in range(1, rows + 1)]
        assert app.focused is pane.fields["export_decl_nos"]
        assert pane.query_one("#g-industrial-1").raw() == "Y"  # type: ignore[attr-defined]


async def test_copy_opens_a_new_form_with_the_typed_fields_on_the_number(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        source = entry(app)
        await feed(app, pilot, _number() + ENTER)
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        await feed(app, pilot, "赵六" + ENTER + "13812345678" + ENTER)  # the cursor moved on
        await feed(app, pilot, "\x1bOQ")  # F2 暂存
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        tabs = app.screen.query_one(TabbedContent)
        before = tabs.active
        seen = hints_seen(app)
        await feed(app, pilot, ALT_C)
        await wait_for(pilot, lambda: tabs.active != before)
        copy = entry(app)
        assert copy is not source and copy.record.key is None
        assert copy.fields["contact_phone"].raw() == "13812345678"
        assert copy.fields["import_decl_no"].raw() == _number()
        assert copy.record.consignee_name == source.record.consignee_name
        assert len(copy.record.goods) == len(source.record.goods)
        assert app.focused is copy.fields["import_decl_no"]
        await wait_for(pilot, lambda: any("已复制" in text for text in seen), timeout=3)
        await pilot.pause()
        assert "已复制" in hint(app)  # and it stays
        assert source.record.key and source.fields["contact_person"].raw() == "赵六"
