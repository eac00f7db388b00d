"""提交 of the ticked records from 查询: one confirmation, then each in order, said as it goes.

`SubmitActions` is a mixin of `QueryPane` (提交 of the ticked rows, 复制 of the row under the
cursor); `BatchSubmit(pane, submit)` runs the batch: `start()` asks once ("确定提交选中的 N 条
数据？"), then runs `submit(keys, progress)` (declarant.batch.submit_batch bound to the session's
worker) in the pane's own worker. Each record's result shows at once in its row's 状态 cell and on
the progress line ("正在提交 2/5：…"); at the end the pane says the summary and
`BatchResultScreen` lists every record with its result (accepted, or why not: customs' reason or
the first broken rule). A record that fails never stops the rest (declarant/batch.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from declarant.batch import BatchReport, BatchRow, Progress, RowOutcome
from screens.confirm import ConfirmScreen
from screens.db_state import fault_text
from screens.entry_copy import CopyRecord
from store.copying import copy_of
from store.errors import DatabaseFault, StoreError
from widgets.actions import bindings
from widgets.grid import plain

if TYPE_CHECKING:
    from screens.query import QueryPane

Submit = Callable[[Sequence[str], Progress], Awaitable[BatchReport]]
SHORT = {  # the 状态 cell while the page is not read again
    RowOutcome.ACCEPTED: "已提交",
    RowOutcome.PENDING: "已提交(待应答)",
    RowOutcome.REFUSED: "提交失败",
    RowOutcome.BROKEN: "✗校验未通过",
    RowOutcome.NOT_SENT: "✗未提交",
}


class BatchResultScreen(ModalScreen[None]):
    """The batch's summary and every record's result, one a line; Esc or Enter closes."""

    DEFAULT_CSS = """
    BatchResultScreen { align: center middle; }
    BatchResultScreen > Vertical {
        width: 100%; max-width: 90; height: auto; max-height: 20;
        border: round $primary; background: $surface; padding: 0 1;
    }
    BatchResultScreen #batch-summary { text-style: bold; }
    BatchResultScreen VerticalScroll { height: auto; max-height: 15; }
    BatchResultScreen #batch-keys { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        *bindings("popup"),
        Binding("down", "scroll(1)", show=False, priority=True),
        Binding("up", "scroll(-1)", show=False, priority=True),
    ]

    def __init__(self, report: BatchReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"批量提交结果：{self.report.summary}", id="batch-summary", markup=False)
            with VerticalScroll(id="batch-rows"):
                for index, row in enumerate(self.report.rows, start=1):
                    mark = "✓" if row.outcome == RowOutcome.ACCEPTED else "✗"
                    yield Static(f"{index}. {mark} {row.text}", markup=False)
            yield Static("Enter/Esc 关闭  ↑↓ 滚动", id="batch-keys", markup=False)

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)

    def action_confirm(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SubmitActions:
    """提交 and 复制 from the grid (a mixin of QueryPane)."""

    def action_submit_ticked(self: QueryPane) -> None:
        self.batch.start()

    def action_copy_record(self: QueryPane) -> None:
        """复制 of the row under the cursor: the main screen opens the copy in a new form."""
        row = self.grid.current
        if row is None:
            self._say("请先查询并选择一条记录", error=True)
            return
        try:
            source = self.store.load(row.key)
        except DatabaseFault as fault:
            self._say(fault_text("复制", fault), error=True)
            return
        except StoreError as error:
            self._say(f"复制失败：{error.message}", error=True)
            return
        self.post_message(CopyRecord(copy_of(source, self.store.new_record())))


class BatchSubmit:
    def __init__(self, pane: QueryPane, submit: Submit | None) -> None:
        self.pane = pane
        self.submit = submit
        self.running = False
        self.last: BatchReport | None = None

    def chosen(self) -> list[str]:
        """The ticked records in the order the grid shows them, then any ticked on other pages
        (in number order)."""
        ticked = self.pane.ticked
        shown = [key for key in self.pane.grid.rows_shown if key in ticked]
        return shown + sorted(ticked - set(shown))

    def start(self) -> None:
        pane = self.pane
        if self.submit is None:
            pane._say("此处不能提交", error=True)
            return
        if self.running:
            pane._say("正在批量提交，请等待完成", error=True)
            return
        keys = self.chosen()
        if not keys:
            pane._say("请先用空格勾选要提交的暂存数据", error=True)
            return
        text = (
            f"确定提交选中的 {len(keys)} 条数据？\n"
            "将逐条校验、电子口岸卡签名并发送海关；未通过校验的数据不发送，其余继续提交。"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.running = True
                pane.run_worker(self._run(keys), group="batch-submit", exit_on_error=False)
            else:
                pane.grid.focus()

        pane.app.push_screen(ConfirmScreen("提交", text), answered)

    async def _run(self, keys: list[str]) -> None:
        pane = self.pane
        assert self.submit is not None
        pane._say(f"正在提交 0/{len(keys)}…")

        def progress(done: int, total: int, row: BatchRow) -> None:
            self._show_row(row)
            pane._say(f"正在提交 {done}/{total}：{row.text}", error=False)

        try:
            report = await self.submit(keys, progress)
        finally:
            self.running = False
        self.last = report
        pane.ticked.difference_update(
            r.key for r in report.rows if r.outcome in (RowOutcome.ACCEPTED, RowOutcome.PENDING)
        )
        failed = len(report.rows) - report.count(RowOutcome.ACCEPTED)
        pane._say(f"批量提交完成，{report.summary}", error=failed > 0)
        pane.app.push_screen(BatchResultScreen(report), lambda _none: pane.grid.focus())

    def _show_row(self, row: BatchRow) -> None:
        grid = self.pane.grid
        if row.key in grid.rows_shown and "status" in grid.column_keys:
            grid.update_cell(row.key, "status", plain(SHORT[row.outcome]))
