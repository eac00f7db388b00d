"""Notifications never cover the form (issue 12): toasts left fragments of themselves over the fields
after they went and erased the wide character at their left edge on real terminals; several
receipts stacked into residue. Over the main screen a notification is said on the hint bar; over a
dialog it is a toast on the dialog, which goes with it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from screens.main import MainScreen
from screens.print_preview import PrintPreviewScreen
from tests.app_harness import feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tests.screen_text import screen_lines

SIZE = (80, 24)


async def test_receipts_arriving_over_the_form_leave_it_as_it_was(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await login(app, pilot)
        await feed(
            app, pilot, "\t产品外壳产品外壳产品外壳产品外壳\r"
        )  # wide characters under a toast
        before = screen_lines(app)
        for status in ("海关接收成功", "电子审核完成，待人工审核", "人工审核通过"):
            app.notify(f"202600000000000001 {status}", title="回执", timeout=0.5, markup=False)
        await pilot.pause(0.2)
        during = screen_lines(app)
        assert during[:-1] == before[:-1]  # nothing over the form, not for a moment
        assert hint(app) == "回执：202600000000000001 人工审核通过"
        await asyncio.sleep(0.8)  # past the notifications' time
        await pilot.pause()
        assert screen_lines(app) == during
        assert not app.screen.query("Toast")


async def test_a_dialogs_toast_goes_with_the_dialog(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await login(app, pilot)
        before = screen_lines(app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, PrintPreviewScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")), timeout=20)
        assert any("已保存PDF" in line for line in screen_lines(app))  # on the dialog
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause(0.2)
        assert screen_lines(app)[:-1] == before[:-1]  # the toast did not follow onto the form
