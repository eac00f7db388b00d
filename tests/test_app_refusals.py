"""A refused field after Enter: the message names it and the key back (F12), the mark stays until
the value passes, and the message goes when it no longer applies. Raw bytes, one burst at a time."""

from __future__ import annotations

from pathlib import Path

from store.rules import Violation
from tests.app_harness import entry, feed, hint, login, make_app
from tests.fixtures_gateway import RunningGateway

SIZE = (80, 24)
ENTER, F12, SPACE = "\r", "\x1b[24~", " "


async def test_refused_phone_named_marked_and_reachable_by_f12(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        phone = pane.fields["contact_phone"]
        pane.screen.set_focus(phone)
        await pilot.pause()
        await feed(app, pilot, "12" + ENTER)
        assert app.focused is not phone  # type-ahead stays aligned
        said = hint(app)
        assert said.startswith("✗") and "联系电话" in said and "F12回到出错项" in said
        assert phone.has_class("-refused")
        await feed(app, pilot, F12)
        assert app.focused is phone and phone.has_class("-refused")
        await feed(app, pilot, "\x15" + "13812345678" + ENTER)
        assert not phone.has_class("-refused")
        assert not hint(app).startswith("✗")


async def test_a_tick_takes_away_the_required_message(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        group = pane.fields["disposal_methods"]
        # what 暂存 of a form without 拟处理方式 says (the store's rule), the cursor put there
        pane.refusals.violations([Violation("disposal_methods", "拟处理方式为必填项")])
        await pilot.pause()
        assert app.focused is group and hint(app) == "✗ 拟处理方式为必填项"
        await feed(app, pilot, SPACE)  # tick 内销
        assert group.raw()
        assert not group.has_class("-refused")
        assert not hint(app).startswith("✗")
