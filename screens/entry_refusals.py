"""Refused fields of the entry form: marked until fixed, named in the message, one key back to them.

After a refused value and Enter the cursor moves on (type-ahead stays aligned), so the message must
not read as if the cursor were still there: it names its field and the key back to the last refused
one (F12, `entry.refused`), first on the bar. The field stays marked until its value passes; then,
or when a tick makes a group's refusal moot (拟处理方式为必填项 after ticking 内销), the message goes
from the bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from screens.entry_messages import Hint
from widgets.actions import BY_ID, key_text

if TYPE_CHECKING:
    from screens.entry import EntryPane
    from store.rules import Violation


def back_key() -> str:
    return key_text(BY_ID["entry.refused"].keys.split(",")[0])


class Refusals:
    """The last refused field of one form, and the words of a refusal."""

    def __init__(self, pane: EntryPane) -> None:
        self.pane = pane
        self.last: Widget | None = None

    def words(self, widget: Widget, message: str) -> tuple[str, str]:
        """(the field's mark: `message` naming its field, the bar's: the key back added when the
        cursor is elsewhere)."""
        spec = getattr(widget, "spec", None)
        title = getattr(spec, "title", "")
        named = message if not title or message.startswith(title) else f"{title}：{message}"
        self.last = widget
        if widget is self.pane.app.focused:
            return named, named
        # the key first: a long message is cut at the bar's end (80 columns), the key must stay
        return named, f"{back_key()}回到出错项·{named}"

    def fixed(self, widget: Widget) -> None:
        """`widget`'s value passes now: its refusal leaves the bar if the bar still says it."""
        said = widget.tooltip
        if widget is self.last:
            self.last = None
        if not said:
            return
        bar = self.pane.screen.query("#hint")
        text = str(getattr(bar.first(), "text", "")) if bar else ""
        if text.startswith("✗") and str(said).split("（")[0] in text:
            bar.first().hint("")  # type: ignore[attr-defined]

    def back(self) -> None:
        """Put the cursor on the last refused field still marked (F12)."""
        target = self.last
        if target is None or not target.is_attached or not target.has_class("-refused"):
            marked = [w for w in self.pane.fields.values() if w.has_class("-refused")]
            target = marked[0] if marked else None
        if target is not None and target.focusable:
            self.pane.screen.set_focus(target, scroll_visible=True)

    def violations(self, violations: list[Violation], *, before: str = "") -> None:
        """The store refused the record (暂存/提交): mark every field, go to the first, say why
        (after `before`, news of the same moment: a restored draft's values left out)."""
        for violation in violations:
            widget = self._widget_for(violation)
            if widget is not None:
                widget.mark(violation.message)  # type: ignore[attr-defined]
        first = violations[0]
        target = self._widget_for(first)
        more = f"（共{len(violations)}处）" if len(violations) > 1 else ""
        message = f"{before}{first.message}{more}"
        if target is not None:
            self.last = target
            self.pane._focus_and_say(target, Hint(message, kind="error"))
        else:
            self.pane.post_message(Hint(message, kind="error"))

    def _widget_for(self, violation: Violation) -> Widget | None:
        if violation.goods_seq is not None:
            prefix = "g-weight" if violation.field == "weight" else "g-industrial"
            found = self.pane.query(f"#{prefix}-{violation.goods_seq}")
            return found.first() if found else None
        if violation.field == "goods":
            return self.pane.fields["import_decl_no"]
        return self.pane.fields.get(violation.field)
