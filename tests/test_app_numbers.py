"""The 统一编号 on screen (Pilot, keys as raw terminal bytes): the gateway's, or a draft number said so.

Online, the first 暂存 shows the number the gateway issued; offline, the form, the query grid and
the print say the record has none yet and show its local draft number, and the number appears in
the open form at the next contact with the gateway.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.widgets import TabbedContent

from declarant.runtime import free_port
from declarant.worker import SessionState
from screens.entry import EntryPane
from screens.print_preview import PrintPreviewScreen
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import GatewayFactory, RunningGateway
from widgets.grid import RecordGrid

SIZE = (80, 24)
ALT_S, F5, ALT_P, ESC = "\x1bs", "\x1b[15~", "\x1bp", "\x1b"


def grey_number(pane: EntryPane) -> str:
    return str(pane.greys["unified_no"].render())


async def test_the_first_save_online_shows_the_gateways_number(
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
        await wait_for(pilot, lambda: pane.record.unified_no is not None)
        number = pane.record.unified_no
        assert number and len(number) == 18 and gateway.submission_count() == 0
        await wait_for(pilot, lambda: number in grey_number(pane) and number in hint(app))
        assert not pane.dirty  # the number is the system's: nothing unsaved
        tabs = app.screen.query_one(TabbedContent)
        assert str(tabs.get_tab(tabs.active_pane).label) == number  # type: ignore[arg-type]


async def test_offline_the_draft_number_is_shown_as_such_until_the_next_contact(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    port = free_port()  # the gateway is not there yet
    app = make_app(tmp_path, f"http://127.0.0.1:{port}")
    draft = f"{datetime.now().year}00000001"
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        worker = app.runtime.worker  # type: ignore[union-attr]
        assert worker.state == SessionState.OFFLINE
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "赵六")
        await feed(app, pilot, ALT_S)
        said = f"暂无（本地草稿号{draft}）"
        await wait_for(pilot, lambda: said in hint(app) and said in grey_number(pane))
        assert pane.record.unified_no is None

        await feed(app, pilot, ALT_P)  # 打印: the preview says there is no 统一编号 yet
        await wait_for(pilot, lambda: isinstance(app.screen, PrintPreviewScreen))
        assert f"统一编号：{said}" in app.screen.text  # type: ignore[attr-defined]
        await feed(app, pilot, ESC)
        await wait_for(pilot, lambda: not isinstance(app.screen, PrintPreviewScreen))

        await pilot.press("ctrl+f")  # 查询: the grid says 草稿 before the number
        await wait_for(pilot, lambda: bool(app.screen.query(RecordGrid)))
        await feed(app, pilot, F5)
        grid = app.screen.query_one(RecordGrid)
        await wait_for(pilot, lambda: grid.row_count == 1)
        assert str(grid.get_cell_at((0, 1))) == f"草稿{draft}"

        gateway_factory(port=port, step_seconds=0)  # the gateway comes up
        await worker.tick()  # the next contact
        assert worker.state == SessionState.ACTIVE
        number = worker.store.load(draft).unified_no  # type: ignore[union-attr]
        assert number and len(number) == 18
        await wait_for(pilot, lambda: pane.record.unified_no == number)
        await wait_for(pilot, lambda: number in grey_number(pane))
