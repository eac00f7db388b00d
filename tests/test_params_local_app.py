"""The entry form's parameter popup with a site's own rows: a site code is found and says whence
it comes; a withdrawn code is gone from the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList

from screens.main import MainScreen
from screens.popups import NO_MATCH, ParamPopup
from store import params
from store.engine import open_engine
from store.params.local import import_file
from tests.app_harness import entry, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from widgets.fields import ParamInput

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_site_rows_after() -> Iterator[None]:
    yield
    params.set_local({})


def note(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#popup-note").render())


async def test_popup_finds_a_site_code_with_its_source_and_hides_a_withdrawn_one(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    site = tmp_path / "offices.csv"
    site.write_text("代码,名称,停用\n3501,马尾海关,否\n5301,皇岗海关,是\n", encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")  # the app's database
    import_file(engine, "customs_districts", site)
    engine.dispose()
    params.set_local({})  # the app's own engine must load them, not this test's import

    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["producer_customs"])
        await pilot.pause()
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ParamPopup))
        await pilot.press(*"mwhg")
        await wait_for(pilot, lambda: "导入自 offices.csv" in note(app))
        options = app.screen.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert first.id == "3501"
        assert "马尾海关" in str(first.prompt) and "本站" in str(first.prompt)
        assert note(app).startswith("本站参数，") and "导入自 offices.csv" in note(app)
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"5301")
        await wait_for(pilot, lambda: NO_MATCH in note(app))
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"3501", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        field = pane.fields["producer_customs"]
        assert isinstance(field, ParamInput) and field.code == "3501"
        assert field.value == "3501 马尾海关"
