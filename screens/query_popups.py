"""Small pick-one popups of the query screen: the 状态 parameter list and the export format.

Arrows move, Enter chooses, Escape cancels, and each option's own key (its digit) chooses at once,
so an operator who knows the codes never reads the list.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.status import Status
from widgets.actions import bindings


class _Choices(OptionList):
    """The list itself takes the hotkeys, so a digit is handled in its place among the keys queued
    for the list (an Enter right behind it then reads the chosen option, not the first)."""

    def __init__(self, *options: Option, hotkeys: dict[str, str], choose: Callable[[str], None]):
        super().__init__(*options)
        self._hotkeys = hotkeys
        self._choose = choose

    def on_key(self, event: events.Key) -> None:
        value = self._hotkeys.get(event.character or "")
        if value is not None:
            event.stop()
            self._choose(value)


class ChoicePopup(ModalScreen[str | None]):
    """Dismisses with the chosen option's value, or None."""

    DEFAULT_CSS = """
    ChoicePopup {
        align: center middle;
    }
    ChoicePopup > Vertical {
        width: auto;
        min-width: 24;
        height: auto;
        border: round $primary;
        background: $surface;
    }
    ChoicePopup OptionList, ChoicePopup OptionList:focus {
        width: auto;
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
    }
    ChoicePopup:ansi > Vertical {
        border: round ansi_bright_blue;
        background: ansi_default;
    }
    """

    BINDINGS = bindings("popup")

    def __init__(
        self, title: str, options: list[tuple[str, str, str]], *, current: str = ""
    ) -> None:
        """`options`: (value, hotkey, text) triples."""
        super().__init__()
        self._title = title
        self._options = options
        self._current = current
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield _Choices(
                *[Option(text, id=value) for value, _key, text in self._options],
                hotkeys={key: value for value, key, _text in self._options},
                choose=self._answer,
            )

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        values = [value for value, _key, _text in self._options]
        option_list.highlighted = values.index(self._current) if self._current in values else 0
        option_list.focus()

    def _answer(self, value: str | None) -> None:
        # a burst like "2⏎" reaches the popup twice before it is gone: the first answer counts
        if not self._answered:
            self._answered = True
            self.dismiss(value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._answer(event.option.id)

    def action_confirm(self) -> None:
        # Enter is a priority key, run at once; a digit just before it in the same burst is still
        # queued on the list, so the answer is read after it (type-ahead, terminal.md)
        self.query_one(OptionList).call_later(self._confirm_highlighted)

    def _confirm_highlighted(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            self._answer(option_list.get_option_at_index(option_list.highlighted).id)

    def action_cancel(self) -> None:
        self._answer(None)


def status_popup(current: str = "") -> ChoicePopup:
    """状态: 0-8 as the manual lists them."""
    options = [(str(int(s)), str(int(s)), f"{int(s)}-{s.label}") for s in Status]
    return ChoicePopup("状态", options, current=current)


def export_popup() -> ChoicePopup:
    return ChoicePopup(
        "导出格式", [("csv", "1", "1 CSV（Excel可打开）"), ("xlsx", "2", "2 XLSX（Excel工作簿）")]
    )
