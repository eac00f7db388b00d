"""Popups of the entry form: the parameter list and the calendar, both driven by keys alone.

Each is a ModalScreen that dismisses with the chosen value (a code, an ISO date) or None on Esc.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import ClassVar, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.params import Entry
from store.text import inert
from widgets.actions import bindings
from widgets.ordered_input import OrderedInput

HELP = "输入代码、拼音首字母或汉字筛选  回车确认  Esc取消"
NO_MATCH = "无匹配项"
REFUSED_MARK = "（不可选）"  # words, not only dim/strike: those vanish on a terminal without them
POPUP_ROWS = 200  # a filter narrows the table; never hand the widget thousands of options


class Searchable(Protocol):
    """What the popup lists: a parameter table (`store.params.Table`) or the enterprise book's
    entries (`store.book.BookEntries`), searched by code, pinyin initials or Chinese."""

    def search(self, query: str, limit: int = ...) -> list[Entry]: ...

    def place(self, code: str) -> str: ...  # the parents' names of a row, "" when it has none


class ParamPopup(ModalScreen[str | None]):
    """The parameter list of one table (or the enterprise book), filtered as the operator types
    (code, pinyin, Chinese)."""

    DEFAULT_CSS = """
    ParamPopup {
        align: center middle;
    }
    ParamPopup > Vertical {
        width: 76;
        max-width: 100%;
        height: 20;
        border: round $primary;
        background: $surface;
    }
    /* :focus too: Textual's own `Input:focus` rule (a tall border) outranks a plain
       `ParamPopup Input`, and a 1-row Input with a 2-row border shows no text at all */
    ParamPopup Input, ParamPopup Input:focus {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    ParamPopup #popup-help {
        color: $text-muted;
    }
    ParamPopup OptionList {
        height: 1fr;
        border: none;
    }
    ParamPopup #popup-note {
        height: 1;
        color: $text-error;
    }
    ParamPopup #popup-note.source {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        *bindings("popup"),
        Binding("down", "cursor(1)", show=False, priority=True),
        Binding("up", "cursor(-1)", show=False, priority=True),
        Binding("pagedown", "cursor(10)", show=False, priority=True),
        Binding("pageup", "cursor(-10)", show=False, priority=True),
    ]

    def __init__(
        self,
        table: Searchable,
        *,
        title: str,
        text: str = "",
        allowed: frozenset[str] | None = None,
        refuse: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.table = table
        self.title_text = title
        self.initial = text
        self.allowed = allowed
        self.refuse = refuse or {}
        self._sources: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"选择{self.title_text}")
            yield Label(HELP, id="popup-help")
            yield OrderedInput(self.initial, id="popup-filter", select_on_focus=False)
            yield OptionList(id="popup-options")
            yield Static("", id="popup-note")

    def on_mount(self) -> None:
        self._fill(self.initial)
        self.query_one(Input).focus()

    @on(Input.Changed, "#popup-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        entries = self.table.search(text.strip(), limit=POPUP_ROWS)
        if self.allowed is not None:
            entries = [e for e in entries if e.code in self.allowed]
        options = self.query_one(OptionList)
        options.clear_options()
        self._sources = {e.code: e.source for e in entries if e.source}
        for entry in entries:
            options.add_option(Option(self._row(entry), id=entry.code))
        if entries:
            options.highlighted = 0
            self._note_source(entries[0].code)
            return
        typed = text.strip()
        note = f"{NO_MATCH}：“{inert(typed)}”" if typed else NO_MATCH
        self.query_one("#popup-note", Static).remove_class("source").update(Text(note))

    def _row(self, entry: Entry) -> Text:
        """``350102  鼓楼区  福建省福州市``: the parents' names tell four 鼓楼区 apart; a site's
        own row is marked 本站 (the note line says whence in full)."""
        label = Text(f"{entry.code}  {entry.name}")
        place = self.table.place(entry.code)
        if place:
            label.append(f"  {place}", style="italic")
        if entry.source:
            label.append("  本站", style="italic")
        if entry.code in self.refuse:
            label.stylize("dim strike")
            label.append(REFUSED_MARK)
        return label

    @on(OptionList.OptionHighlighted, "#popup-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # the message arrives after the next keystroke's `_fill` may have emptied the list: a stale
        # one must not wipe that fill's 无匹配项 note
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return
        if options.get_option_at_index(options.highlighted).id != event.option.id:
            return
        self._note_source(event.option.id)

    def _note_source(self, code: str | None) -> None:
        """The note line says whence a site's row comes (its list, the day, the file)."""
        source = self._sources.get(code or "", "")
        note = self.query_one("#popup-note", Static)
        note.set_class(bool(source), "source")
        note.update(Text(source))

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_confirm(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            self.query_one("#popup-note", Static).remove_class("source").update("没有可选的参数")
            return
        code = options.get_option_at_index(options.highlighted).id
        if code in self.refuse:
            note = self.query_one("#popup-note", Static)
            note.remove_class("source")
            note.update(f"✗ {self.refuse[code]}")
            return
        self.dismiss(code)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CalendarPopup(ModalScreen[str | None]):
    """A month grid: arrows move a day/week, PgUp/PgDn a month, Enter picks, Esc cancels."""

    DEFAULT_CSS = """
    CalendarPopup {
        align: center middle;
    }
    CalendarPopup > Vertical {
        width: 42;  /* the key line whole at 80 columns (it ended in "Ent" at 32) */
        height: 13;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        *bindings("popup"),
        Binding("left", "move(-1)", show=False, priority=True),
        Binding("right", "move(1)", show=False, priority=True),
        Binding("up", "move(-7)", show=False, priority=True),
        Binding("down", "move(7)", show=False, priority=True),
        Binding("pageup", "month(-1)", show=False, priority=True),
        Binding("pagedown", "month(1)", show=False, priority=True),
        Binding("home", "today", show=False, priority=True),
    ]

    def __init__(self, start: date, *, title: str) -> None:
        super().__init__()
        self.day = start
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Static(id="calendar-grid")
            yield Label("←→↑↓ 移动  PgUp/PgDn 换月  Enter 确认", classes="muted")

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        grid = Text(f"{self.day.year}年{self.day.month}月\n一 二 三 四 五 六 日\n")
        for week in calendar.Calendar().monthdatescalendar(self.day.year, self.day.month):
            for cell in week:
                style = "reverse" if cell == self.day else ""
                if cell.month != self.day.month:
                    style += " dim"
                grid.append(f"{cell.day:2d}", style=style.strip())
                grid.append(" ")
            grid.append("\n")
        self.query_one("#calendar-grid", Static).update(grid)

    def action_move(self, days: int) -> None:
        self.day += timedelta(days=days)
        self._draw()

    def action_month(self, step: int) -> None:
        month = self.day.month - 1 + step
        year = self.day.year + month // 12
        month = month % 12 + 1
        last = calendar.monthrange(year, month)[1]
        self.day = self.day.replace(year=year, month=month, day=min(self.day.day, last))
        self._draw()

    def action_today(self) -> None:
        self.day = date.today()
        self._draw()

    def action_confirm(self) -> None:
        self.dismiss(self.day.isoformat())

    def action_cancel(self) -> None:
        self.dismiss(None)
