"""The batch 提交 and 复制 from 查询 in the app (raw terminal bytes, the sandbox gateway as a real
server): tick three drafts, F2, one confirmation naming the count, each record in order with its
result in the grid and in the summary; a broken record is named by its first rule and the rest go
on. Alt+C on a row opens its copy in a new form."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import TabbedContent

from screens.confirm import ConfirmScreen
from screens.query import QueryPane
from screens.query_submit import BatchResultScreen
from store.status import Status
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.factories import record_from_declaration
from tests.fixtures_gateway import RunningGateway, declarations

SIZE = (80, 24)
SPACE, F2, F5, ALT_C, CTRL_F = " ", "\x1bOQ", "\x1b[15~", "\x1bc", "\x06"


async def _drafts(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Three saved drafts; the second lacks its producer's name."""
    worker = app.runtime.worker
    keys = []
    for index, number in enumerate(sorted(declarations())[:3]):
        declaration = await worker.fetch_declaration(number)
        broken = {"producer_name": None} if index == 1 else {}
        record = record_from_declaration(worker.store, declaration, **broken)
        saved = await asyncio.to_thread(worker.store.save, record)
        keys.append(saved.key)
    return keys


async def _query(app, pilot) -> QueryPane:  # type: ignore[no-untyped-def]
    await feed(app, pilot, CTRL_F)
    await wait_for(pilot, lambda: bool(app.screen.query(QueryPane)))
    pane = app.screen.query_one(QueryPane)
    await feed(app, pilot, F5)
    await wait_for(pilot, lambda: pane.grid.row_count >= 3)
    app.screen.set_focus(pane.grid)
    await pilot.pause()
    return pane


async def test_tick_three_f2_confirm_each_in_order_and_a_summary(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        keys = await _drafts(app)
        pane = await _query(app, pilot)
        store = app.runtime.worker.store  # type: ignore[union-attr]
        # a row is named by the gateway's number, or its draft number while that is on its way
        shown = [k for k in pane.grid.rows_shown if store.load(k).draft_no in keys]
        drafts = {store.load(k).draft_no: k for k in shown}
        await feed(app, pilot, SPACE * 3 + F2)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "确定提交选中的 3 条数据" in str(app.screen.query_one("#confirm-text").render())
        await feed(app, pilot, "y")
        await wait_for(pilot, lambda: isinstance(app.screen, BatchResultScreen), timeout=30)
        report = pane.batch.last
        assert report is not None
        assert [r.key for r in report.rows] == shown  # in the grid's order
        outcomes = {r.key: r.outcome.value for r in report.rows}
        assert sorted(outcomes.values()) == ["accepted", "accepted", "broken"]
        broken = next(r for r in report.rows if r.outcome.value == "broken")
        assert broken.message == "原生产企业名称为必填项"
        lines = [str(w.render()) for w in app.screen.query("#batch-rows Static")]
        assert len(lines) == 3 and any("原生产企业名称为必填项" in line for line in lines)
        summary = str(app.screen.query_one("#batch-summary").render())
        assert "共3条：已提交2条，校验未通过1条" in summary
        cell = pane.grid.get_cell(broken.key, "status")
        assert "校验未通过" in str(cell)
        await feed(app, pilot, "\x1b")
        await wait_for(pilot, lambda: not isinstance(app.screen, BatchResultScreen))
        assert "批量提交完成" in str(pane.query_one("#message").render())
        statuses = {d: Status(store.load(k).status) for d, k in drafts.items()}
        assert statuses[keys[1]] == Status.DRAFT
        assert all(statuses[d] != Status.DRAFT for d in (keys[0], keys[2]))
        assert pane.ticked == {broken.key}  # what did not go stays ticked


async def test_nothing_ticked_says_so_and_alt_c_copies_the_row(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        keys = await _drafts(app)
        pane = await _query(app, pilot)
        await feed(app, pilot, F2)
        assert "请先用空格勾选要提交的暂存数据" in str(pane.query_one("#message").render())
        row = pane.grid.current
        store = app.runtime.worker.store  # type: ignore[union-attr]
        assert row is not None and store.load(row.key).draft_no in keys
        tabs = app.screen.query_one(TabbedContent)
        await feed(app, pilot, ALT_C)
        await wait_for(pilot, lambda: tabs.active not in ("tab-query", None))
        copy = entry(app)
        source = store.load(row.key)
        assert copy.record.key is None
        assert copy.fields["import_decl_no"].raw() == source.import_decl_no
        assert copy.fields["producer_code"].raw() == source.producer_code
        assert app.focused is copy.fields["import_decl_no"]
        await wait_for(pilot, lambda: "已复制" in hint(app))
