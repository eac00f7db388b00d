"""选择显示列: a small dialog that ticks the grid's columns on and off.

Space ticks (SelectionList's own key), Enter keeps the choice, Escape leaves it as it was. At least
one column stays: an empty grid would hide the rows the operator is working on.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import SelectionList, Static

from declarant.export import COLUMNS
from widgets.actions import bindings


class TickList(SelectionList[str]):
    """A SelectionList whose box reads [x] or [ ] (as the form's check groups do).

    Textual draws every box as ▐X▌ and tells a ticked one only by its colour: without colour
    (NO_COLOR, a monochrome terminal, a screen reader) ticked and unticked rows read the same.
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        index = self.scroll_offset.y + y
        if len(segments) < 4 or index >= self.option_count:
            return line
        value = self.get_option_at_index(index).value
        box = "[x]" if value in self._selected else "[ ]"
        style = segments[3].style  # the prompt's, so the box follows the highlight
        return Strip([Segment(box, style), *segments[3:]], line.cell_length)


class ColumnChooser(ModalScreen[list[str] | None]):
    """Dismisses with the visible column keys in grid order, or None when cancelled."""

    DEFAULT_CSS = """
    ColumnChooser {
        align: center middle;
    }
    ColumnChooser > Vertical {
        width: 34;
        height: auto;
        border: round $primary;
        background: $surface;
    }
    ColumnChooser SelectionList, ColumnChooser SelectionList:focus {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
    }
    ColumnChooser .hint {
        color: $text-muted;
        height: 1;
    }
    ColumnChooser #chooser-error {
        color: $error;
        height: auto;
    }
    ColumnChooser:ansi > Vertical {
        border: round ansi_bright_blue;
        background: ansi_default;
    }
    ColumnChooser:ansi #chooser-error {
        color: ansi_red;
    }
    """

    BINDINGS = bindings("popup")

    def __init__(self, visible: list[str]) -> None:
        super().__init__()
        self._visible = set(visible)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "选择显示列"
            yield TickList(
                *[(c.label, c.key, c.key in self._visible) for c in COLUMNS], id="chooser-list"
            )
            yield Static("", id="chooser-error")
            yield Static("空格 勾选  Enter 确认  Esc 取消", classes="hint")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_confirm(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        if not chosen:
            self.query_one("#chooser-error", Static).update("至少选择一列")
            return
        self.dismiss([c.key for c in COLUMNS if c.key in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)
