"""An Input that acts on its editing keys in the order they were typed.

Textual 8.2.8 inserts a printable key in the Input's own key handler but runs the Input's editing
bindings (Backspace, Delete, Ctrl+U, arrows …) only when the key has bubbled back up to the App, so
in one burst "abc⌫d" the ⌫ deletes the d (measured: the Input ends as "abc"). Over a slow SSH link
a correction typed quickly arrives in one packet. Here the Input's own bindings run in its key
handler, in the order the keys came, and nothing typed is reordered.

Two more things every input of the app needs:
- A paste (bracketed paste, or Ctrl+V of the app's clipboard) never loses a line without a word.
  Textual's Input keeps the first line and drops the rest silently. Here the paste is cut at line
  breaks (CRLF, LF, CR) and tabs (a spreadsheet row): a list input (`list_separator` set, e.g.
  原出口报关单号 "/") takes every non-empty piece joined by the separator; any other input takes
  the first piece and the hint bar says what it did not take ("已粘贴第一行，未粘贴：…"; for a
  password only how many). Pasted one-line text goes in as Textual would.
- The value is drawn inert (`store.text.inert`): a control character or bidi override in a value
  read back from the database shows as one visible mark and never reaches the terminal.
"""

from __future__ import annotations

from functools import cache

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input

from store.text import has_breaks, inert, paste_pieces


class OrderedInput(Input):
    # A blinking cursor costs 150-200 B/s over SSH while idle (terminal.md): off unless the
    # settings turn it on (the app sets this class default once, before any input exists).
    cursor_blink = reactive(False, init=False)
    # a list input joins pasted lines with this ("/" for 原出口报关单号); None: one value only
    list_separator: str | None = None

    @classmethod
    @cache
    def _own_keys(cls) -> dict[str, str]:
        """Key -> action of the Input's own bindings (not the app's, not the screen's)."""
        table: dict[str, str] = {}
        for base in reversed(cls.__mro__):
            if not issubclass(base, Input):
                continue
            for binding in base.__dict__.get("BINDINGS", []):
                key, action = (
                    (binding.key, binding.action)
                    if isinstance(binding, Binding)
                    else (
                        binding[0],
                        binding[1],
                    )
                )
                for name in key.split(","):
                    table[name.strip()] = action
        return table

    async def _on_key(self, event: events.Key) -> None:
        action = None if event.is_printable else self._own_keys().get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
            return
        await super()._on_key(event)

    @property
    def _value(self) -> Text:
        """The value as drawn: one visible mark per control character (same length, so the
        cursor and the selection stay where the operator reads them)."""
        if self.password:
            return super()._value
        return Text(inert(self.value), no_wrap=True, overflow="ignore", end="")

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler would keep the first line only
        self.paste(event.text)

    def action_paste(self) -> None:
        self.paste(self.app.clipboard)

    def paste(self, text: str) -> None:
        """Insert `text` at the cursor (over the selection) as the module docstring says."""
        if not has_breaks(text):
            self._insert(text)  # one line: as typed (a space in it stays)
            return
        pieces, by_tab = paste_pieces(text)
        if not pieces:
            return
        if self.list_separator is not None:
            self._insert(self._joined(pieces, self.list_separator))
            return
        self._insert(pieces[0])
        if len(pieces) > 1:
            self._say_not_pasted(pieces[1:], by_tab)

    def _insert(self, text: str) -> None:
        start, end = sorted(self.selection)
        self.replace(text, start, end)

    def _joined(self, pieces: list[str], separator: str) -> str:
        """The pieces joined, with a separator where they meet text already in the input."""
        start, end = sorted(self.selection)
        before, after = self.value[:start].rstrip(), self.value[end:].lstrip()
        joined = separator.join(pieces)
        if before and not before.endswith(separator):
            joined = separator + joined
        if after and not after.startswith(separator):
            joined += separator
        return joined

    def _say_not_pasted(self, rest: list[str], by_tab: bool) -> None:
        what = "格" if by_tab else "行"
        shown = f"其余{len(rest)}{what}" if self.password else "  ".join(rest)
        message = f"已粘贴第一{what}，未粘贴：{shown}"
        from widgets.hint_bar import HintBar

        bars = self.screen.query(HintBar)
        if bars:
            bars.first().error(message)
        else:
            self.notify(inert(message), severity="warning", markup=False)
