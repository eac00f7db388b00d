"""A parameter field shows "code name" (or "4201（不在参数表中）"): what it adds for display is never
edited, a value the record model refuses is never a crash (backfill, F5, a draft's restore), and
Enter stops on a backfilled code the table does not hold.

The keys go as raw terminal bytes through Textual's own parser (tests/app_harness.feed), as the
tester typed them at 80x24; one test per kind also goes through Pilot's keys.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from screens.drafts import DraftsScreen
from screens.entry import EntryPane
from screens.entry_goods import GoodsIndustrial
from screens.login import LoginScreen
from screens.main import MainScreen
from store.engine import open_engine
from store.models import Draft
from tests.app_harness import entry, feed, hint, hints_seen, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tui.app import TuihuoApp
from widgets.fields import ParamInput

SIZE = (80, 24)
ENTER, TAB, BACKSPACE, F5, CTRL_Q = "\r", "\t", "\x7f", "\x1b[15~", "\x11"
NUMBER = "010220251000009136"  # its 消费使用单位所在地关区 4201 is not in the shipped table
PIN = "88888888"


async def _backfilled(app: TuihuoApp, pilot) -> EntryPane:  # type: ignore[no-untyped-def]
    await login(app, pilot)
    pane = entry(app)
    await feed(app, pilot, NUMBER + ENTER)
    await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
    await pilot.pause()
    return pane


def _industrial(pane: EntryPane, seq: int = 1) -> GoodsIndustrial:
    return pane.query_one(f"#g-industrial-{seq}", GoodsIndustrial)


async def _on_flag(app: TuihuoApp, pilot, pane: EntryPane) -> GoodsIndustrial:  # type: ignore[no-untyped-def]
    """The cursor on goods row 1's 是否属于工业品, by Tab from its 退货重量."""
    pane.query_one("#g-weight-1").focus()
    await pilot.pause()
    await feed(app, pilot, TAB)
    flag = _industrial(pane)
    assert app.focused is flag and flag.value == "Y 是"
    return flag


async def _refetched(app: TuihuoApp, pilot) -> None:  # type: ignore[no-untyped-def]
    seen = hints_seen(app)
    await feed(app, pilot, F5)
    await wait_for(pilot, lambda: any("已获取进口报关单数据" in t for t in seen[1:]))
    await pilot.pause()


async def test_n_typed_over_y_is_n_and_f5_keeps_it(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        flag = await _on_flag(app, pilot, pane)
        await feed(app, pilot, "N")
        assert flag.value == "N"  # not "Y 是N"
        await _refetched(app, pilot)  # F5 once exited the app (WorkerFailed … industrial)
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert _industrial(pane).raw() == "N"


async def test_n_then_tab_is_n_not_y_again(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        await _on_flag(app, pilot, pane)
        await feed(app, pilot, "N" + TAB)
        assert _industrial(pane).value == "N 否"
        assert _industrial(pane).raw() == "N"


async def test_pilot_keys_n_over_y(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        pane.query_one("#g-weight-1").focus()
        await pilot.pause()
        await pilot.press("tab", "N", "tab")
        await pilot.pause()
        assert _industrial(pane).value == "N 否"


async def test_a_refused_value_is_said_at_the_field_and_f5_does_not_crash(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        flag = await _on_flag(app, pilot, pane)
        await feed(app, pilot, "9.9" + TAB)
        assert flag.has_class("-refused")
        assert "是否属于工业品" in str(flag.tooltip) and "不在参数表中" in str(flag.tooltip)
        await _refetched(app, pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert _industrial(pane).raw() == "9.9"  # the typed value stays, to be corrected


async def test_backspace_edits_the_code_not_the_note(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        district = pane.fields["consumer_district"]
        assert isinstance(district, ParamInput)
        assert district.value == "4201（不在参数表中）"
        district.focus()
        await pilot.pause()
        await feed(app, pilot, BACKSPACE)
        assert district.value == "420"
        await feed(app, pilot, BACKSPACE + "18")  # in one burst
        assert district.value == "4218"
        district.show("2201")
        assert district.value.startswith("2201 ")
        await feed(app, pilot, BACKSPACE)
        assert district.value == "220"


async def test_pilot_backspace_on_the_not_in_table_note(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        district = pane.fields["consumer_district"]
        district.focus()
        await pilot.press("backspace", "8")
        await pilot.pause()
        assert district.value == "4208"


async def test_enter_passes_a_backfilled_code_not_in_the_table_shown_with_its_note(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    """4201 is a 隶属海关 that customs takes and the shipped table lacks (it is partial): the screen
    shows it filled, with its note, so Enter passes it like any backfilled value (stopping there
    cost the broker's record a key and, typed by habit, put 拟处理方式's digits into it)."""
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _backfilled(app, pilot)
        assert "4201（不在参数表中）" in pane.fields["consumer_district"].value
        pane.fields["return_date"].focus()  # optional, left empty
        await pilot.pause()
        await feed(app, pilot, ENTER + "15")
        assert app.focused is pane.fields["disposal_methods"]
        assert pane.fields["consumer_district"].raw() == "4201"
        assert pane.fields["disposal_methods"].raw() == ["1", "5"]


async def test_a_draft_the_model_refuses_is_restored_not_a_crash(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await _backfilled(app, pilot)
        await feed(app, pilot, CTRL_Q)
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    with Session(engine) as session:
        (draft,) = session.query(Draft).all()
        payload = dict(draft.payload)
        payload["goods"] = [{**payload["goods"][0], "industrial": "Y 是N"}, *payload["goods"][1:]]
        payload["contact_person"] = {"a": 1}  # a shape no version of the model takes
        draft.payload = payload
        key = draft.key
        session.add(draft)
        session.commit()
    engine.dispose()
    again = make_app(tmp_path, gateway.url)
    async with again.run_test(size=SIZE) as pilot:
        await again.runtime_ready()
        await wait_for(pilot, lambda: again.screen.query("#pin"))
        await feed(again, pilot, PIN + ENTER)
        await wait_for(pilot, lambda: isinstance(again.screen, DraftsScreen))
        await feed(again, pilot, ENTER)  # 恢复: crashed at tui/app.py restore before
        await wait_for(pilot, lambda: isinstance(again.screen, MainScreen))
        await wait_for(pilot, lambda: len(again.screen.query(EntryPane)) == 2)
        await wait_for(pilot, lambda: _industrial(entry(again)).has_class("-refused"))
        await pilot.pause(0.3)
        assert again.is_running
        pane = entry(again)
        assert pane.fields["import_decl_no"].raw() == NUMBER
        flag = _industrial(pane)
        assert flag.raw() == "Y 是N"  # as typed, to be corrected
        assert again.focused is flag  # the first refusal, said on the bar
        await wait_for(pilot, lambda: "无法恢复" in hint(again))
        said = hint(again)
        assert "第1项：是否属于工业品" in said and "不在参数表中" in said
        assert "1处内容无法恢复" in said and "收货联系人" in said and "原草稿已保留" in said
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    with Session(engine) as session:
        kept = session.get(Draft, key)
        assert kept is not None and kept.payload["contact_person"] == {"a": 1}  # never lost
    engine.dispose()
