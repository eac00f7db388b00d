"""Enter passes over what the backfill or the book filled; the backfill's answer moves the cursor
on when no key came meanwhile (screens/entry_skip.py, screens/entry_backfill.py).

The keys go as raw terminal bytes through Textual's own parser (tests/app_harness.feed); each
burst is one read, typed by the habit these rules make: the number and Enter, a look at the
answer, then the rest of the record in one go.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.gateway.config import Fault
from screens.entry import EntryPane
from store.book import CONTACT
from tests.app_harness import entry, feed, focus_field, hint, login, make_app, wait_for
from tests.book_harness import SUZHOU, book_knows_producer, fetched
from tests.factories import _uscc
from tests.fixtures_gateway import GatewayFactory, RunningGateway, declarations, with_faults
from tui.app import TuihuoApp

SIZE = (80, 24)
ENTER, SHIFT_TAB, RIGHT = "\r", "\x1b[Z", "\x1b[C"
EXPORT_NOS = "220120240000001234/220120240000001235"


def _number() -> str:
    return sorted(declarations())[0]


async def _backfilled(app: TuihuoApp, pilot) -> EntryPane:  # type: ignore[no-untyped-def]
    """The number and Enter from the login's form; returns once the answer is shown."""
    return await fetched(app, pilot, _number())


def _the_rest(rows: int, producer: str) -> str:
    """From 退货日期 (left empty) to 具体说明: the record's keys as one burst."""
    weights = "".join(f"{i}.25" + ENTER for i in range(1, rows + 1))  # 工业品 keeps Y
    return (
        ENTER  # 退货日期, optional, left empty: on past the backfilled 关区
        + "15"  # 拟处理方式: 内销, 其他
        + ENTER
        + "退回后部分改作样品"
        + ENTER
        + weights
        + EXPORT_NOS
        + ENTER
        + producer
        + "N"  # 出口是否法检
        + ENTER
        + "1"  # 一般贸易
        + ENTER
        + "1"  # 质量原因
        + ENTER
        + "12"
        + ENTER
        + "外壳开裂"
    )


def _assert_record(pane: EntryPane, rows: int, address: object, district: object) -> None:
    fields = pane.fields
    assert fields["consignee_address"].raw() == address  # as backfilled, untouched
    assert fields["consumer_district"].raw() == district
    assert fields["return_date"].raw() in (None, "")
    assert fields["disposal_methods"].raw() == ["1", "5"]
    assert fields["disposal_other_text"].raw() == "退回后部分改作样品"
    for i in range(1, rows + 1):
        assert pane.query_one(f"#g-weight-{i}").raw() == f"{i}.25"  # type: ignore[attr-defined]
        assert pane.query_one(f"#g-industrial-{i}").raw() == "Y"  # type: ignore[attr-defined]
    assert fields["export_decl_nos"].raw() == EXPORT_NOS
    assert fields["producer_uscc"].raw() == SUZHOU
    assert fields["producer_code"].raw() == "3205960001"
    assert fields["producer_name"].raw() == "苏州原生产制造有限公司"
    assert fields["producer_phone"].raw() == "0512-66881234"
    assert fields["producer_division"].raw() == "320505"
    assert fields["producer_customs"].raw() == "2201"
    assert fields["export_inspected"].raw() == "N"
    assert fields["export_trade_modes"].raw() == ["0110"]
    assert fields["reason_categories"].raw() == ["1"]
    assert fields["specific_reasons"].raw() == ["11", "12"]
    assert fields["reason_detail"].raw() == "外壳开裂"


async def test_the_answer_moves_the_cursor_past_what_it_filled(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await _backfilled(app, pilot)
        # 收货人所在地 shows the backfilled address: the cursor is on what needs the operator
        assert pane.fields["consignee_address"].raw()
        assert "consignee_address" in pane.backfilled
        assert app.focused is pane.fields["contact_person"]
        assert "已获取进口报关单数据" in hint(app)  # the bar ends on what was filled
        await feed(app, pilot, SHIFT_TAB)  # still within reach
        assert app.focused is pane.fields["consignee_address"]


async def test_enter_on_the_empty_date_passes_the_backfilled_district_only(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await _backfilled(app, pilot)
        district = pane.fields["consumer_district"].raw()
        assert district and "consumer_district" in pane.backfilled
        await feed(app, pilot, "赵六" + ENTER + "13812345678" + ENTER)
        assert app.focused is pane.fields["return_date"]  # empty, optional: never passed over
        await feed(app, pilot, ENTER)
        assert app.focused is pane.fields["disposal_methods"]
        assert pane.fields["return_date"].raw() in (None, "")
        assert pane.fields["consumer_district"].raw() == district
        await feed(app, pilot, SHIFT_TAB)  # Shift+Tab visits it
        assert app.focused is pane.fields["consumer_district"]
        # edited, it is the operator's: Enter from the date stops there
        await feed(app, pilot, "\x15" + "0101" + SHIFT_TAB + ENTER)
        assert app.focused is pane.fields["consumer_district"]


async def test_a_known_producer_record_typed_as_one_burst(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    consignee = declarations()[_number()].consignee
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book = book_knows_producer(screen)
        book.put(CONTACT, {"contact": "赵六", "phone": "13812345678", "uscc": consignee.uscc})
        pane = await _backfilled(app, pilot)
        assert app.focused is pane.fields["return_date"]  # past the address and the contact
        address = pane.fields["consignee_address"].raw()
        district = pane.fields["consumer_district"].raw()
        rows = len(pane.record.goods)
        await feed(app, pilot, _the_rest(rows, SUZHOU + ENTER))  # the group fills on Enter
        _assert_record(pane, rows, address, district)
        assert pane.fields["contact_person"].raw() == "赵六"
        assert pane.fields["contact_phone"].raw() == "13812345678"
        assert pane.fields["producer_contact"].raw() == "钱七"
        assert app.focused is pane.fields["reason_detail"]


async def test_a_new_producer_record_typed_as_one_burst(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await _backfilled(app, pilot)
        address = pane.fields["consignee_address"].raw()
        district = pane.fields["consumer_district"].raw()
        rows = len(pane.record.goods)
        producer = "".join(
            value + ENTER
            for value in (
                SUZHOU,
                "3205960001",
                "苏州原生产制造有限公司",
                "孙八",
                "0512-66881234",
                "320505",
                "2201",
            )
        )
        await feed(app, pilot, "赵六" + ENTER + "13812345678" + ENTER + _the_rest(rows, producer))
        _assert_record(pane, rows, address, district)
        assert pane.fields["contact_person"].raw() == "赵六"
        assert pane.fields["contact_phone"].raw() == "13812345678"
        assert pane.fields["producer_contact"].raw() == "孙八"
        assert app.focused is pane.fields["reason_detail"]


async def test_a_key_while_the_answer_is_on_its_way_keeps_the_cursor(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    slow = gateway_factory(step_seconds=0, faults=with_faults(declaration=Fault(delay=0.8)))
    app = make_app(tmp_path, slow.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, _number() + ENTER)
        assert "获取中" in str(pane.query_one("#backfill-state").render())
        await feed(app, pilot, "上海市自填地址")  # typed while the answer is on its way
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        await pilot.pause()
        assert app.focused is pane.fields["consignee_address"]
        assert pane.fields["consignee_address"].raw() == "上海市自填地址"
        # a key that types nothing counts too: Enter then → on the next field, as the key said
        pane.fields["consignee_address"].clear()  # type: ignore[attr-defined]
        pane.screen.set_focus(pane.fields["import_decl_no"])
        await pilot.pause()
        await feed(app, pilot, "\x15" + sorted(declarations())[1] + ENTER)
        await feed(app, pilot, RIGHT)
        await wait_for(pilot, lambda: pane._fetched_no == sorted(declarations())[1])
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        await pilot.pause()
        assert app.focused is pane.fields["consignee_address"]


async def test_a_group_left_from_another_producer_is_visited_field_by_field(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        book_knows_producer(screen)
        pane = await focus_field(app, pilot, "producer_code")
        await feed(app, pilot, "3205960001" + ENTER)  # the book's producer fills the group
        assert app.focused is pane.fields["export_inspected"]
        pane.screen.set_focus(pane.fields["producer_uscc"])
        await pilot.pause()
        # another producer, unknown to the book: the name, contact … shown are the first one's
        await feed(app, pilot, "\x15" + _uscc("91320200MA1MYYYY0") + ENTER)
        assert app.focused is pane.fields["producer_code"]
        await feed(
            app, pilot, "\x15" + "3202960002" + ENTER + "\x15" + "无锡精工电子有限公司" + ENTER
        )
        assert app.focused is pane.fields["producer_contact"]  # the first one's: emptied
        assert pane.fields["producer_contact"].raw() == ""
        assert not pane.query(".from-book")
