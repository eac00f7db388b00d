"""快捷键 (Alt+K / F1): every action of the registry with the keys in force (keymap applied)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store.text import inert
from widgets.actions import ACTIONS, key_text

SCOPES = {
    "shell": "全局",
    "app": "全局",
    "entry": "出口退货信息录入",
    "query": "出口退货信息查询",
    "receipts": "回执",
    "attachments": "随附单据",
    "print": "打印",
    "popup": "参数/日历",
}

# PuTTY and the Linux console send Shift+F1/F2 as F11/F12 (docs/notes.md)
PUTTY_NOTE = "PuTTY、Linux 控制台上 Shift+F2 即 F12：折叠菜单请按 Ctrl+G，页签可用 Ctrl+P/T/L/O/Y。"


class KeysScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysScreen {
        align: center middle;
    }
    KeysScreen > VerticalScroll {
        width: 78;  /* the longest key list (Shift+Enter/Shift+Tab/Up) whole at 80 columns */
        max-width: 100%;
        height: 90%;
        border: round $primary;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,alt+k,f1,q", "dismiss_keys", "关闭", priority=True),
    ]

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap or {}
        self.rows = [
            (
                SCOPES.get(action.scope, action.scope),
                action.label,
                key_text(self.keymap.get(action.id, action.keys)),
            )
            for action in ACTIONS
        ]

    def compose(self) -> ComposeResult:
        table = Table(
            title="快捷键（Esc 关闭）",
            caption=PUTTY_NOTE,
            caption_justify="left",
            expand=True,
            show_edge=False,
        )
        table.add_column("范围", no_wrap=True)
        table.add_column("操作", no_wrap=True)
        table.add_column("按键", overflow="fold")  # folded onto a second line, never "…"
        for row in self.rows:
            # Text, not str: a keymap from the settings file is neither markup nor controls
            table.add_row(*(Text(inert(cell)) for cell in row))
        with VerticalScroll():
            yield Static(table)

    def action_dismiss_keys(self) -> None:
        self.dismiss(None)
