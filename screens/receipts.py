"""回执: the panel under the query grid listing one record's receipts, newest first.

As the manual's example: a title `统一编号[…]的回执信息`, then 序号, 审核状态, 回执内容, 回执时间.
刷新 asks the app's worker for new receipts now (the `refresh` callable) and then reads the store
again; 关闭 hides the panel and tells the pane, which puts the focus back on the grid.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from declarant.export import local_time, status_text
from screens.db_state import fault_text, tell
from store.errors import DatabaseFault, RecordNotFound
from store.records import RecordStore
from store.text import inert
from widgets.actions import bindings
from widgets.grid import plain

Refresh = Callable[[], Awaitable[object]]


class ReceiptsPanel(Vertical):
    """Hidden until `show(unified_no)`; its keys are the registry's "receipts" scope."""

    DEFAULT_CSS = """
    ReceiptsPanel {
        height: 9;
        display: none;
        border-top: solid $primary;
    }
    ReceiptsPanel.-open {
        display: block;
    }
    ReceiptsPanel > Horizontal {
        height: 1;
    }
    ReceiptsPanel #receipts-title {
        width: 1fr;
        text-style: bold;
    }
    ReceiptsPanel Button {
        width: auto;
        min-width: 0;
        margin-left: 1;
    }
    ReceiptsPanel #receipt-detail {
        height: 1;
        color: $text-muted;
    }
    ReceiptsPanel:ansi #receipt-detail {
        color: ansi_default;
    }
    ReceiptsPanel DataTable {
        height: 1fr;
    }
    ReceiptsPanel:ansi {
        border-top: solid ansi_bright_blue;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("receipts")  # type: ignore[assignment]

    class Closed(Message):
        """The panel was closed (关闭 or Escape)."""

    def __init__(
        self, store: RecordStore, refresh: Refresh | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self._refresh = refresh
        self.unified_no: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("", id="receipts-title", markup=False)
            yield Button("刷新F5", id="receipts-refresh", compact=True)
            yield Button("关闭Esc", id="receipts-close", compact=True)
        table: DataTable[Text] = DataTable(cursor_type="row", id="receipts-table")
        table.add_column("序号", key="seq", width=4)
        table.add_column("审核状态", key="status", width=24)
        # narrow, so 回执时间 stays whole at 80 columns; the line below shows the whole content
        table.add_column("回执内容", key="content", width=14)
        table.add_column("回执时间", key="issued_at", width=19)
        yield table
        yield Static("", id="receipt-detail", markup=False)

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # keys do it; fewer Tab stops
            button.styles.line_pad = 0
            button.styles.width = cell_len(str(button.label))  # no padding: columns are few

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def show(self, unified_no: str) -> None:
        """Open the panel on one record and focus its list."""
        self.unified_no = unified_no
        self.query_one("#receipts-title", Static).update(f"统一编号[{unified_no}]的回执信息")
        self.add_class("-open")
        self.reload()
        self.query_one("#receipts-table", DataTable).focus()

    def reload(self) -> None:
        if self.unified_no is None:
            return
        table = self.query_one("#receipts-table", DataTable)
        table.clear()
        try:
            receipts = self.store.receipts(self.unified_no)
        except RecordNotFound:
            receipts = []
        except DatabaseFault as fault:
            receipts = []
            tell(self, fault_text("读取回执", fault))
        for seq, receipt in enumerate(receipts, start=1):
            table.add_row(
                plain(str(seq)),
                plain(status_text(receipt.status)),
                plain(receipt.content or "-"),
                plain(local_time(receipt.issued_at)),
                key=str(receipt.id),
            )
        if not receipts:
            table.add_row(plain(""), plain("暂无回执"), plain(""), plain(""), key="none")

    @on(DataTable.RowHighlighted, "#receipts-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole 回执内容 of the receipt under the cursor: the column is narrower than some."""
        event.stop()
        text = ""
        if event.cursor_row >= 0 and event.data_table.row_count:
            content = str(event.data_table.get_row_at(event.cursor_row)[2])
            if content and content != "-":
                text = f"回执内容：{inert(content)}"
        self.query_one("#receipt-detail", Static).update(text)

    @work(exclusive=True, group="receipts-refresh")
    async def action_refresh(self) -> None:
        """刷新: the worker fetches customs' new receipts, then the list is read again."""
        if self._refresh is not None:
            try:
                await self._refresh()
            except Exception as error:  # the gateway's own errors carry the operator's message
                message = getattr(error, "message", None) or "获取回执失败，请稍后再试"
                self.notify(str(message), severity="error", markup=False)
        self.reload()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.unified_no = None
        self.post_message(self.Closed())

    @on(Button.Pressed, "#receipts-refresh")
    def _refresh_pressed(self) -> None:
        self.action_refresh()

    @on(Button.Pressed, "#receipts-close")
    def _close_pressed(self) -> None:
        self.action_close()
