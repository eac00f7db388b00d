"""What the screen shows at 80x24: the login and the entry form, in 256 colours and in 16."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_harness import entry, hint, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway, declarations

SIZE = (80, 24)
THEMES = ["textual-dark", "ansi-dark"]  # ansi-dark: what a 16-colour terminal gets


@pytest.mark.parametrize("theme", THEMES)
def test_login_screen(snap_compare, tmp_path: Path, gateway: RunningGateway, theme: str) -> None:
    app = make_app(tmp_path, gateway.url, theme=theme)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await app.runtime_ready()
        await wait_for(pilot, lambda: "持卡人" in str(app.screen.query_one("#card-state").render()))

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_empty_entry_form(
    snap_compare, tmp_path: Path, gateway: RunningGateway, theme: str
) -> None:
    app = make_app(tmp_path, gateway.url, theme=theme)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await login(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_form_after_backfill_with_a_refusal(
    snap_compare, tmp_path: Path, gateway: RunningGateway, theme: str
) -> None:
    app = make_app(tmp_path, gateway.url, theme=theme)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await login(app, pilot)
        await pilot.press(*sorted(declarations())[0], "enter")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        await pilot.press(*"赵六", "enter", *"12345", "enter")  # the cursor moved on to 联系人
        await wait_for(pilot, lambda: "联系电话格式不正确" in hint(app))
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_phone"])
        await pilot.pause(0.2)
        app.screen.query_one("Toast").remove() if app.screen.query("Toast") else None

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
