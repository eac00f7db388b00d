"""Real terminal bytes through Textual's own parser: bursts of typed-ahead keys, Alt, F-keys, Chinese.

Pilot's `press("alt+s")` sends no character and so hides what a terminal does (terminal.md); these
tests feed the bytes a terminal sends, one burst at a time, as one SSH packet would bring them.
"""

from __future__ import annotations

from pathlib import Path

from screens.drafts import DraftsScreen
from screens.main import MainScreen
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from widgets.fields import CheckGroup

SIZE = (80, 24)
ENTER, SHIFT_TAB, ALT_S, F2 = "\r", "\x1b[Z", "\x1bs", "\x1bOQ"


async def test_burst_lands_every_character_in_its_own_field(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "赵六" + ENTER + "13812345678" + ENTER + "20251103" + ENTER)
        assert pane.fields["contact_person"].raw() == "赵六"
        assert pane.fields["contact_phone"].raw() == "13812345678"
        assert pane.fields["return_date"].raw() == "2025-11-03"
        assert app.focused is pane.fields["consumer_district"]


async def test_burst_through_parameters_and_check_groups(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["producer_division"])
        await pilot.pause()
        # 行政区划, 所属机构, 法检, 一般贸易 (Space), 类别: → Space (贸易原因), 具体原因 → → Space
        await feed(app, pilot, "320505\r2201\rn\r \r\x1b[C \r\x1b[C\x1b[C \r客户更改需求\r")
        assert pane.fields["producer_division"].value == "320505 虎丘区"
        assert pane.fields["producer_customs"].value == "2201 浦江海关"
        assert pane.fields["export_inspected"].value == "N 否"
        for key, codes in (
            ("export_trade_modes", ["0110"]),
            ("reason_categories", ["2"]),
            ("specific_reasons", ["23"]),
        ):
            group = pane.fields[key]
            assert isinstance(group, CheckGroup) and group.raw() == codes
        assert pane.fields["reason_detail"].raw() == "客户更改需求"


async def test_alt_s_in_a_focused_field_saves_and_types_nothing(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "赵六")
        await feed(app, pilot, ALT_S)
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        assert pane.fields["contact_person"].raw() == "赵六"  # no "s" typed
        assert pane.record.key
        stored = app.runtime.worker.store.load(pane.record.key)  # type: ignore[union-attr]
        assert stored.contact_person == "赵六"


async def test_f2_saves_and_shift_tab_goes_back(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "钱七" + ENTER + SHIFT_TAB + "八")
        assert pane.fields["contact_person"].raw() == "钱七八"
        await feed(app, pilot, F2)
        await wait_for(pilot, lambda: "暂存成功" in hint(app))


async def test_drafts_survive_a_lost_session_and_come_back(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "赵六" + ENTER + "13812345678" + ENTER + "上海")
        await pilot.pause()
    # the session ends without 暂存 (a dropped SSH connection ends the process the same way)
    again = make_app(tmp_path, gateway.url)
    async with again.run_test(size=SIZE) as pilot:
        await again.runtime_ready()
        await pilot.press(*"88888888", "enter")
        await wait_for(pilot, lambda: isinstance(again.screen, DraftsScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(again.screen, MainScreen))
        await wait_for(pilot, lambda: len(again.screen.query("EntryPane")) == 2)
        await pilot.pause(0.3)
        restored = entry(again)
        assert restored.fields["contact_person"].raw() == "赵六"
        assert restored.fields["contact_phone"].raw() == "13812345678"
        assert restored.dirty


async def test_a_correction_typed_in_the_burst_is_applied_where_it_was_typed(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        # a slip, Backspace, the right character; Ctrl+U and a fresh number in the next field
        await feed(app, pilot, "赵七\x7f六" + ENTER + "1234\x1513812345678" + ENTER)
        assert pane.fields["contact_person"].raw() == "赵六"
        assert pane.fields["contact_phone"].raw() == "13812345678"
