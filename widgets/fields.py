"""The entry form's field widgets, one per catalogue type, all keyboard-first.

Every field knows its `FieldSpec`, gives its typed content (`raw()`), takes a stored value
(`show()`), and shows a refusal on itself (`mark()`): the form decides, the field displays. Space
(or F4) on a parameter or date field asks the form for the popup; the popup itself lives in
`screens/popups.py`, so a field never blocks on a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from store import params
from store.catalogue import FieldSpec
from store.text import code_text, inert
from widgets.ordered_input import OrderedInput
from widgets.values import param_text


class PopupRequested(Message):
    """A field asks for its popup (parameter list or calendar), with the text typed so far."""

    def __init__(self, field: Widget, text: str) -> None:
        super().__init__()
        self.field = field
        self.text = text


# A placeholder in （）: at 16 colours or on a terminal without dim it would read as a value.
UNAVAILABLE = "（不可填）"


def placeholder_text(hint: str) -> str:
    """The grey text of an empty field, marked in words as well as by dim: "（按回车获取数据）"."""
    return f"（{hint}）" if hint else ""


class FieldInput(OrderedInput):
    """A typed field: text, numbers, phones, declaration numbers, USCCs."""

    DEFAULT_CSS = """
    FieldInput {
        height: 1;
        border: none;
        padding: 0;  /* each padding cell is a styled segment more in every keystroke's repaint */
        width: 1fr;
    }
    FieldInput:focus {
        border: none;
        background: $boost;
    }
    FieldInput.-refused {
        text-style: underline;
        color: $text-error;
    }
    """

    def __init__(self, spec: FieldSpec, *, id: str | None = None) -> None:
        super().__init__(
            placeholder=self.placeholder_for(spec),
            id=id or f"f-{spec.key}",
            # no max_length: an Input refusing the 201st character loses it without a word; the
            # validator says "不能超过200个字符" instead and the text stays to be shortened
            select_on_focus=False,  # a burst typed into a filled field appends, never wipes it
        )
        self.spec = spec
        self.list_separator = spec.separator or None

    @classmethod
    def placeholder_for(cls, spec: FieldSpec) -> str:
        """The empty field's text: the catalogue's hint in （）; a narrow field says less."""
        return placeholder_text(spec.hint)

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and not self.screen.can_view_entire(self):
            # PgUp/PgDn scrolled the form away from the cursor: what is typed is seen where it goes
            self.scroll_visible(animate=False, immediate=True)
        await super()._on_key(event)

    def watch_disabled(self, disabled: bool) -> None:
        super().watch_disabled(disabled)
        # dim alone is the mark of a closed field; a terminal without dim needs the words
        self.placeholder = UNAVAILABLE if disabled else self.placeholder_for(self.spec)

    def raw(self) -> object:
        return self.value

    def show(self, value: object) -> None:
        self.value = "" if value is None else str(value)
        self.cursor_position = len(self.value)

    def mark(self, error: str | None) -> None:
        self.set_class(error is not None, "-refused")
        self.tooltip = error


class ParamInput(FieldInput):
    """A code of a parameter table, shown as "code name"; Space or F4 lists the table.

    A code typed straight and Enter resolves without the popup; anything else typed becomes the
    popup's filter (code prefix, pinyin initials or Chinese). What the field adds to the code for
    display (the name, "（不在参数表中）") is never edited: a key typed over "Y 是" replaces it
    (N gives N), and an editing key starts from the code (Backspace on "4201（不在参数表中）" gives
    420).
    """

    def __init__(self, spec: FieldSpec, *, id: str | None = None) -> None:
        super().__init__(spec, id=id)
        assert spec.table
        self.table_name = spec.table
        self.code: str | None = None

    @property
    def table(self) -> params.Table:
        """The table as it is now: a site's import while the form is open is seen at once."""
        return params.table(self.table_name)

    def raw(self) -> object:
        text = self.value.strip()
        if self.code is not None and text == param_text(self.table, self.code):
            return self.code
        return text

    def show(self, value: object) -> None:
        self.code = None if value in (None, "") else str(value)
        super().show(param_text(self.table, self.code) if self.code else "")

    def resolve(self) -> str | None:
        """The code the text names without asking: an exact code, or the one search result."""
        text = self.raw()
        if not isinstance(text, str) or not text:
            return None
        first = code_text(text).split()[0]  # ０１０１ typed in full-width mode is 0101
        if self.table.get(first) is not None:
            return first
        if self.table.get(first.upper()) is not None:
            return first.upper()
        found = self.table.search(text, limit=2)
        return found[0].code if len(found) == 1 else None

    def ambiguity(self) -> str | None:
        """Why the typed text names no code when several entries match it; None when none does
        (then the rules decide: not in the table, or a 隶属海关 the table does not hold yet)."""
        text = self.raw()
        if not isinstance(text, str) or len(self.table.search(text, limit=2)) < 2:
            return None
        return f"{self.spec.title}：“{inert(text)}”不是唯一的参数代码，请按空格键检索选择"

    def shows_code(self) -> bool:
        """The text is the display of the code, untouched: "Y 是", "4201（不在参数表中）"."""
        return self.code is not None and self.value == param_text(self.table, self.code)

    def _edit_code(self) -> None:
        """The shown name or note is never edited: editing starts from the code itself."""
        if self.code is not None:
            self.value = self.code
            self.cursor_position = len(self.code)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("space", "f4"):
            event.stop()
            event.prevent_default()
            text = self.value.strip()
            self.post_message(PopupRequested(self, "" if self.raw() == self.code else text))
            return
        if self.shows_code():
            if event.is_printable:
                # a key typed over "Y 是" means a new code (N), never "Y 是N"
                self._clear()
            elif event.key != "enter" and event.key in self._own_keys():
                self._edit_code()  # Backspace on "4201（不在参数表中）" gives 420
        await super()._on_key(event)

    def paste(self, text: str) -> None:
        if self.shows_code():
            self._clear()  # pasted over the shown code: the pasted text is the new one
        super().paste(text)

    def _clear(self) -> None:
        self.value = ""
        self.cursor_position = 0


class DateInput(FieldInput):
    """A date typed as 20251103, 2025-11-03, 2025/11/03 or 2025.11.03; Space or F4: the calendar."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("space", "f4"):
            event.stop()
            event.prevent_default()
            self.post_message(PopupRequested(self, self.value.strip()))
            return
        await super()._on_key(event)


class CheckGroup(Widget, can_focus=True):
    """A row of check boxes (拟处理方式, 退货原因类别 …): Left/Right move, Space toggles, and a
    digit ticks (or unticks) the option of that number, counted from 1 as shown (1 内销 … 5 其他),
    without moving: "1 5 Enter" ticks two and goes on. The App settles the group's queue before
    Enter (widgets/ordering.py), so the digits of a burst are ticked before it moves on."""

    DEFAULT_CSS = """
    CheckGroup {
        height: auto;
        width: 1fr;
    }
    CheckGroup:focus {
        background: $boost;
    }
    """

    # priority: handled when read, like Enter, so a burst "Space Enter Right Space" ticks the
    # boxes of the group that was focused when each key arrived
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("left", "move(-1)", "左移", show=False, priority=True),
        Binding("right", "move(1)", "右移", show=False, priority=True),
        Binding("space", "toggle", "勾选", show=False, priority=True),
    ]

    class Changed(Message):
        def __init__(self, group: CheckGroup) -> None:
            super().__init__()
            self.group = group

        @property
        def control(self) -> CheckGroup:
            return self.group

    def __init__(
        self, spec: FieldSpec, options: list[tuple[str, str]], *, id: str | None = None
    ) -> None:
        super().__init__(id=id or f"f-{spec.key}")
        self.spec = spec
        self.options = options
        self.selected: list[str] = []
        self.cursor = 0
        # called at once on every toggle (a message would arrive after the rest of a typed burst)
        self.on_toggle: Callable[[CheckGroup], None] | None = None

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """New choices (具体退运原因 follow the categories); ticks that are gone are dropped."""
        self.options = options
        codes = {code for code, _ in options}
        self.selected = [code for code in self.selected if code in codes]
        self.cursor = min(self.cursor, max(len(options) - 1, 0))
        self.refresh(layout=True)

    def raw(self) -> object:
        order = {code: i for i, (code, _) in enumerate(self.options)}
        return sorted(self.selected, key=lambda code: order.get(code, 0))

    def show(self, value: object) -> None:
        self.selected = [str(code) for code in (value or [])]  # type: ignore[union-attr]
        self.refresh(layout=True)

    def mark(self, error: str | None) -> None:
        self.set_class(error is not None, "-refused")
        self.tooltip = error

    def action_move(self, step: int) -> None:
        if self.options:
            self.cursor = (self.cursor + step) % len(self.options)
            self.refresh()

    async def _on_key(self, event: events.Key) -> None:
        character = event.character or ""
        if len(character) == 1 and character in "123456789":
            event.stop()
            event.prevent_default()
            number = int(character)
            if number <= len(self.options):
                self.cursor = number - 1
                self.action_toggle()
            return
        await super()._on_key(event)

    def action_toggle(self) -> None:
        if not self.options:
            return
        code = self.options[self.cursor][0]
        if code in self.selected:
            self.selected.remove(code)
        else:
            self.selected.append(code)
        self.refresh(layout=True)
        if self.on_toggle is not None:
            self.on_toggle(self)
        self.post_message(self.Changed(self))

    def render(self) -> Text:
        text = Text()
        if not self.options:
            text.append("（请先勾选退货原因类别）", style="dim")
            return text
        width = max(self.size.width - 2, 10)
        used = 0
        for index, (code, name) in enumerate(self.options):
            mark = "[x]" if code in self.selected else "[ ]"
            style = "reverse" if self.has_focus and index == self.cursor else ""
            option = Text(f"{mark}{name}", style=style)
            if used and used + 1 + option.cell_len > width:
                text.append("\n")  # a box never splits from its label
                used = 0
            elif used:
                text.append(" ")
                used += 1
            text.append_text(option)
            used += option.cell_len
        return text
