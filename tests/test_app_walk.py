"""Every screen and popup at 80x24, read as an operator reads it (issue 12: nothing cut).

The app is walked by keys through login, the form (top to bottom, backfilled), its popups, the key
list (every page), 暂存, print preview and its saved-PDF message, the attachments, the delete
confirmation, the query with a status filter, its receipts, the column chooser and the page size
and export lists. At each stop `cut_short` lists every label, message, button or placeholder the
frame does not show whole (and every …); the test fails naming them all.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session
from textual.containers import VerticalScroll

from screens.keys import KeysScreen
from screens.main import MainScreen
from store.engine import open_engine
from store.models import ReturnRecord
from store.records import RecordStore
from tests.app_harness import entry, hint, login, make_app, wait_for
from tests.factories import record_from_declaration, save_issued
from tests.fixtures_gateway import RunningGateway, declarations
from tests.screen_text import cut_short, screen_lines
from tests.seed import sandbox_operator
from tests.test_query_support import add_receipt

SIZE = (80, 24)


def seed_with_receipts(db: Path) -> str:
    """A record customs answered four times (人工审核通过), touched today (the default range)."""
    engine = open_engine(f"sqlite:///{db}")
    store = RecordStore(engine, sandbox_operator())
    declaration = declarations()[sorted(declarations())[1]]
    saved = save_issued(store, record_from_declaration(store, declaration))
    assert saved.unified_no is not None
    now = datetime.now(UTC)
    for seq, (status, content) in enumerate(
        [
            (1, ""),
            (3, "海关接收成功"),
            (5, "电子审核成功，进入人工审核环节。"),
            (7, "接收申报、出口退货登记办理成功。"),
        ],
        start=1,
    ):
        add_receipt(
            engine, saved.unified_no, seq, status, content, now - timedelta(minutes=9 - seq)
        )
    with Session(engine) as session, session.begin():
        session.execute(
            update(ReturnRecord)
            .where(ReturnRecord.unified_no == saved.unified_no)  # type: ignore[arg-type]
            .values(status=7)
        )
    engine.dispose()
    return saved.unified_no


async def test_nothing_is_cut_on_any_screen_at_80x24(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    seed_with_receipts(tmp_path / "tuihuo.db")
    app = make_app(tmp_path, gateway.url)
    cuts: dict[str, list[str]] = {}

    def look(stop: str) -> None:
        found = cut_short(app)
        if found:
            cuts[stop] = found

    async with app.run_test(size=SIZE) as pilot:
        await app.runtime_ready()
        await wait_for(pilot, lambda: "持卡人" in str(app.screen.query_one("#card-state").render()))
        look("login")
        await login(app, pilot)
        look("empty form")
        assert "Alt+K/F1 快捷键" in screen_lines(app)[-1]  # the way to every other key
        pane = entry(app)
        await pilot.press(*sorted(declarations())[0], "enter")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        look("backfilled form")
        for page in range(8):
            await pilot.press("pagedown")
            await pilot.pause()
            look(f"form, page {page + 2}")
        pane.screen.set_focus(pane.fields["return_date"])
        await pilot.press("space")
        await pilot.pause()
        look("calendar")
        await pilot.press("escape")
        pane.screen.set_focus(pane.fields["producer_division"])
        await pilot.press("space")
        await pilot.pause()
        look("parameter popup")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, KeysScreen))
        scroll = app.screen.query_one(VerticalScroll)
        while True:
            look(f"key list at row {scroll.scroll_y:.0f}")
            if scroll.scroll_y >= scroll.max_scroll_y:
                break
            scroll.scroll_to(y=scroll.scroll_y + scroll.size.height - 1, animate=False)
            await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: "暂存" in hint(app))
        look("saved")
        await pilot.press("f9")
        await wait_for(pilot, lambda: bool(app.screen.query("#pp-message")))
        await pilot.press("f2")
        await wait_for(pilot, lambda: "已保存PDF" in "".join(screen_lines(app)), timeout=20)
        look("print preview, PDF saved")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f7")
        await pilot.pause(0.3)
        look("attachments")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f8")
        await pilot.pause()
        look("delete confirmation")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+f")
        await pilot.pause(0.3)
        app.screen.query_one("#status").focus()
        await pilot.press("7", "f5")
        await pilot.pause(0.3)
        look("query, status 7")
        app.screen.query_one("#grid").focus()
        await pilot.press("f9")
        await wait_for(pilot, lambda: "接收申报" in "".join(screen_lines(app)))
        look("receipts")
        times = [line for line in screen_lines(app) if re.search(r"\d\d:\d\d:\d\d", line)]
        assert len(times) == 4, times  # 回执时间 whole, to the second
        await pilot.press("escape")
        app.screen.query_one("#status").focus()
        await pilot.press("backspace", "f5")
        await pilot.pause(0.3)
        look("query, all")
        await pilot.press("f7")
        await pilot.pause()
        look("column chooser")
        await pilot.press("escape", "f4")
        await pilot.pause()
        look("page size")
        await pilot.press("escape", "f6")
        await pilot.pause()
        look("export")
        await pilot.press("escape")
    assert cuts == {}


async def test_the_grid_shows_number_declaration_status_and_time_at_80_columns(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    seed_with_receipts(tmp_path / "tuihuo.db")
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause(0.3)
        await pilot.press("f5")
        await pilot.pause(0.3)
        (header,) = [line for line in screen_lines(app) if "选" in line and "统一编号" in line]
        for label in ("统一编号", "进口报关单号", "状态", "最近操作时间"):
            assert f" {label} " in header, (label, header)
        (row,) = [line for line in screen_lines(app) if "人工审核通过" in line]
        assert re.search(r" 20\d\d-\d\d-\d\d \d\d:\d\d $", row), row  # the time whole
