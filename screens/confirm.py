"""A reusable confirmation: a title, a text, 确定 / 取消, answered by keys.

Enter or Y confirms, Escape or N cancels (priority bindings, so they work whatever is focused in the
dialog); the buttons are there for the eye and the mouse. Focus starts on 取消: a stray Enter in a
burst of type-ahead should not confirm a deletion, so Enter is bound to the focused button.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True on 确定, False on 取消."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: auto;
        min-width: 30;
        max-width: 70;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    ConfirmScreen #confirm-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-text {
        width: auto;
        max-width: 66;
        margin-bottom: 1;
    }
    ConfirmScreen Horizontal {
        height: 1;
        width: auto;
        align-horizontal: right;
    }
    ConfirmScreen Button {
        margin-left: 2;
    }
    ConfirmScreen:ansi > Vertical {
        border: round ansi_bright_blue;
        background: ansi_default;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "确定", show=False, priority=True),
        Binding("n,escape", "answer(False)", "取消", show=False, priority=True),
        Binding("left,right,tab,shift+tab", "switch", show=False, priority=True),
    ]

    def __init__(self, title: str, text: str, *, ok: str = "确定", cancel: str = "取消") -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._ok = ok
        self._cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, id="confirm-title", markup=False)
            yield Static(self._text, id="confirm-text", markup=False)
            with Horizontal():
                yield Button(f"{self._ok}(Y)", id="ok", compact=True)
                yield Button(f"{self._cancel}(N)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_switch(self) -> None:
        target = "#cancel" if self.focused is self.query_one("#ok") else "#ok"
        self.query_one(target, Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(False)
