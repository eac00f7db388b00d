"""The one-line hint bar at the bottom: the focused field's input hint, or a refusal in red.

It stands in for the web UI's red hint line (and for Textual's Footer, whose rebuild on every focus
change costs ~130 ms per Enter over SSH, terminal.md). A refusal carries a marker (✗) so it reads
without colour too.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from store.text import inert


class HintBar(Widget):
    DEFAULT_CSS = """
    HintBar {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;  /* a long message is cut with …, never wrapped out of its one line */
        text-overflow: ellipsis;
    }
    HintBar.-error {
        color: $foreground;
        background: $error;
        text-style: bold;
    }
    HintBar.-ok {
        color: $text-success;
    }
    """

    text: reactive[str] = reactive("", layout=False)
    keys: reactive[str] = reactive("", layout=False)

    def hint(self, text: str) -> None:
        self.set_class(False, "-error", "-ok")
        self.text = text

    def error(self, text: str) -> None:
        self.set_class(False, "-ok")
        self.set_class(True, "-error")
        self.text = f"✗ {text}"

    def success(self, text: str) -> None:
        self.set_class(False, "-error")
        self.set_class(True, "-ok")
        self.text = f"✓ {text}"

    def render(self) -> Text:
        # inert: a refusal may quote what was typed or pasted, controls included
        line = Text(inert(self.text), no_wrap=True, overflow="ellipsis")
        # one line whatever the length: Textual wraps a Text at its first space even with no_wrap
        # (a long refusal showed as a bare "✗" at 80 columns)
        line.truncate(max(self.size.width, 1), overflow="ellipsis")
        if self.keys and not self.has_class("-error"):
            room = self.size.width - line.cell_len - 2
            keys = Text(self.keys, style="dim", no_wrap=True)
            if room > 10:
                keys.truncate(room, overflow="ellipsis")
                line.append("  ")
                line.append_text(keys)
        return line
