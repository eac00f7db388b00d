"""The one-line hint bar at the bottom: the focused field's input hint, or a refusal in red.

It stands in for the web UI's red hint line (and for Textual's Footer, whose rebuild on every focus
change costs ~130 ms per Enter over SSH, terminal.md). A refusal carries a marker (✗) so it reads
without colour too.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from store.text import inert

KEY_GAP = "  "  # between two keys of `HintBar.keys`, and between the hint and the first key


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
    # "Alt+K/F1 快捷键  F3/Ctrl+N 新增 …": keys joined by KEY_GAP, the most needed first
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

    def notice(self, text: str, severity: str = "information", title: str = "") -> None:
        """A notification said here instead of in a toast over the form (see tui/app.py `notify`):
        an error as a refusal (✗), a warning marked ！, anything else as a hint, after its title
        ("回执：…"). One whose every line the bar already says (暂存成功 …, a declaration file's
        notes) is not said again over itself."""
        shown = "".join(self.text.split())
        if all("".join(line.split()) in shown for line in text.splitlines()):
            return
        line = " ".join(text.split())  # a toast's lines on the bar's one line
        line = f"{title}：{line}" if title else line
        if severity == "error":
            self.error(line)
        else:
            self.hint(f"！{line}" if severity == "warning" else line)

    def render(self) -> Text:
        # inert: a refusal may quote what was typed or pasted, controls included
        line = Text(inert(self.text), no_wrap=True, overflow="ellipsis")
        # one line whatever the length: Textual wraps a Text at its first space even with no_wrap
        # (a long refusal showed as a bare "✗" at 80 columns)
        line.truncate(max(self.size.width, 1), overflow="ellipsis")
        if self.keys and not self.has_class("-error"):
            # whole keys only, as many as fit: half a key ("F…") tells the operator nothing
            room = self.size.width - line.cell_len
            for key in self.keys.split(KEY_GAP):
                if cell_len(KEY_GAP + key) > room:
                    break
                line.append(KEY_GAP)
                line.append(key, style="dim")
                room -= cell_len(KEY_GAP + key)
        return line
