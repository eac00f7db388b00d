"""Tabs and locked records, by raw bytes: a locked record's tab is read-only, not unreachable; a tab
comes back with the cursor where it was left; the title and the hint bar follow the tab's record."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import TabbedContent

from screens.attachments import AttachmentsScreen
from screens.entry import EntryPane
from screens.entry_messages import Hint
from screens.main import MainScreen
from screens.print_preview import PrintPreviewScreen
from store.status import Status
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.factories import complete_record, save_issued
from tests.fixtures_gateway import RunningGateway

SIZE = (80, 24)
F3, F7, F9, ESC, PGDN = "\x1bOR", "\x1b[18~", "\x1b[20~", "\x1b", "\x1b[6~"
CTRL_E, SHIFT_F5, SHIFT_F6 = "\x05", "\x1b[15;2~", "\x1b[17;2~"


async def open_locked(app, pilot) -> EntryPane:  # type: ignore[no-untyped-def]
    """A record customs holds (已提交), opened in its own tab as the query would open it."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    store = app.runtime.worker.store
    saved = save_issued(store, complete_record(store))
    store.begin_submission(store.prepare_submission(saved.unified_no, version=saved.version))
    record = store.load(saved.unified_no)
    assert record.status == Status.SUBMITTED
    screen.open_record(record)
    tabs = screen.query_one(TabbedContent)
    await wait_for(pilot, lambda: tabs.get_tab(tabs.active).label.plain == saved.unified_no)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: entry(app).status.locked)
    await pilot.pause()
    return entry(app)


def title(app) -> str:  # type: ignore[no-untyped-def]
    tabs = app.screen.query_one(TabbedContent)
    return tabs.get_tab(tabs.active).label.plain  # type: ignore[no-any-return]


async def test_a_locked_record_can_be_scrolled_printed_attached_and_left_by_f3(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await open_locked(app, pilot)
        form = pane.query_one("#form", VerticalScroll)
        assert app.focused is form  # something in the tab has the focus
        assert "状态为“已提交”" in hint(app)
        await feed(app, pilot, PGDN)
        assert form.scroll_y > 0
        await feed(app, pilot, F9)
        await wait_for(pilot, lambda: isinstance(app.screen, PrintPreviewScreen))
        await feed(app, pilot, ESC)
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await feed(app, pilot, F7)
        await wait_for(pilot, lambda: isinstance(app.screen, AttachmentsScreen))
        await feed(app, pilot, ESC)
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await feed(app, pilot, F3)  # 新增: the tab holds a new record, its title follows
        assert not pane.status.locked and not pane.record.unified_no
        assert app.focused is pane.fields["import_decl_no"]
        await wait_for(pilot, lambda: title(app) == "录入")


async def test_a_tab_comes_back_as_it_was_left_and_the_bar_speaks_of_it(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        first = entry(app)
        phone = first.fields["contact_phone"]
        first.screen.set_focus(phone)
        await pilot.pause()
        await feed(app, pilot, "138" + CTRL_E)  # a second form
        second = entry(app)
        assert second is not first
        await feed(app, pilot, SHIFT_F5)
        assert entry(app) is first and app.focused is phone and phone.value == "138"
        await feed(app, pilot, SHIFT_F6)
        assert app.focused is second.fields["import_decl_no"]
        locked = await open_locked(app, pilot)
        assert "状态为“已提交”" in hint(app)
        await feed(app, pilot, SHIFT_F5)  # the second form: not the locked record's status
        assert entry(app) is second and "状态为" not in hint(app)
        locked.post_message(
            Hint("状态为“已提交”，数据已被海关接收，不允许修改")
        )  # a receipt's reload
        await pilot.pause()
        assert "状态为" not in hint(app)
        await feed(app, pilot, SHIFT_F6)
        assert entry(app) is locked and "状态为“已提交”" in hint(app)
