"""Moving between the entry form's fields, and what the hint bar says as the cursor goes.

Enter, Tab and the previous-field keys move the focus inside the binding itself (`set_focus`, not
the deferred `focus()`): the next key of a typed-ahead burst finds its field already focused. The
field left behind is checked after the move (`EntryPane.commit`); a refusal is said right after the
next field's own hint, so the bar ends on the refusal.

`FieldMoves` is a mixin of `EntryPane` (screens/entry.py): its methods act on the pane. Message
handlers decorated with `@on` stay on the pane itself (Textual collects them per widget class).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widget import Widget

from screens.entry_fields import Field
from screens.entry_goods import GoodsRowView
from screens.entry_messages import Hint
from screens.entry_skip import enter_target, needs_operator
from store.catalogue import Kind
from widgets.fields import CheckGroup, FieldInput

if TYPE_CHECKING:
    from screens.entry import EntryPane


class FieldMoves:
    """The pane's field moves (Enter, Tab, Shift+Tab, ↑) and its hints (a mixin of EntryPane)."""

    def _focusables(self: EntryPane) -> list[Widget]:
        return [w for w in self.query("FieldInput, CheckGroup") if w.focusable]

    def _move(self: EntryPane, step: int, target: Widget | None = None) -> None:
        """`step` fields on, or to `target` (a field of the chain) when given."""
        chain = self._focusables()
        current = self.app.focused
        if current not in chain:
            if chain:
                chain[0].focus(scroll_visible=True)
            return
        moving_to = target if target is not None and target in chain else None
        index = chain.index(moving_to) if moving_to else chain.index(current) + step
        if 0 <= index < len(chain):
            # set_focus now, not Widget.focus() (deferred by call_later): the next key of a
            # typed-ahead burst must find the new field focused
            target = chain[index]
            hint = self._field_hint(target)
            if hint is not None and self._pending is None:
                self.say(hint)  # before the focus moves: both repaint in one frame
                self._hinted = target
            self.screen.set_focus(target, scroll_visible=False)
            self._reveal(target, downwards=step > 0)
        elif step > 0:
            self.post_message(Hint("已是最后一项：Alt+S/F2 暂存，F6 提交"))

    def _reveal(self: EntryPane, target: Widget, *, downwards: bool) -> None:
        """Scroll only when the field is out of sight, and then by most of a screen.

        With Textual's own output (TUIHUO_DIFF_OUTPUT=0) scrolling repaints the whole form (~7 KB
        at 80x24); a line at a time would do that on every Enter, a page at a time once in a dozen
        fields. The output layer (tui/output.py) sends only the rows that come in.
        """
        form = self.query_one("#form", VerticalScroll)
        # a goods row's weight or 工业品 comes with its item line above it (HS code, name …)
        whole = next((a for a in target.ancestors if isinstance(a, GoodsRowView)), target)
        shown = whole.region
        if shown.height == whole.outer_size.height and form.region.contains_region(shown):
            return
        if downwards:
            form.scroll_to_widget(whole, animate=False, top=True)
        else:
            form.scroll_to_center(whole, animate=False)

    def _leave(self: EntryPane, step: int, *, fetch: bool) -> None:
        """Move now, then check the field left behind.

        The App let the field handle every key typed before this one (widgets/ordering.py), so the
        check reads them all. `fetch`: leaving 进口报关单号 this way fetches the declaration
        (Enter does, Tab and going back do not).
        """
        focused = self.app.focused
        target = None
        if fetch and focused is not None:  # Enter: past what the book or the backfill filled
            filled_now = self.book.lookup(focused)
            target = enter_target(
                self._focusables(), focused, self._filled(), filled_now=filled_now
            )
        self._move(step, target)
        if isinstance(focused, (FieldInput, CheckGroup)):
            self.commit(focused, moving=fetch)

    def _filled(self: EntryPane) -> dict[str, object]:
        """Field key -> the value the backfill or the book put there, while it stands."""
        return {**self.backfilled, **self.book.standing()}

    def move_as_if_entered(self: EntryPane, key: str) -> None:
        """The cursor to where Enter on field `key` would take it now (past what is filled)."""
        chain = self._focusables()
        field = self.fields[key]
        if field not in chain:
            return
        after = chain[chain.index(field) + 1 :]
        target = enter_target(chain, field, self._filled()) or (after[0] if after else None)
        if target is not None and target is not self.app.focused:
            self._move(1, target)

    def to_next_needed(self: EntryPane, *, after: str) -> None:
        """The cursor to the first field after `after` that still needs the operator."""
        chain = self._focusables()
        start = chain.index(self.fields[after]) if self.fields[after] in chain else -1
        target = next((w for w in chain[start + 1 :] if needs_operator(w)), None)
        if target is not None:
            self._move(1, target)

    def action_next_field(self: EntryPane) -> None:
        self._leave(1, fetch=True)

    def action_tab_field(self: EntryPane) -> None:
        self._leave(1, fetch=False)

    def action_prev_field(self: EntryPane) -> None:
        self._leave(-1, fetch=False)

    def on_descendant_focus(self: EntryPane, event: object) -> None:
        focused = self.app.focused
        if self._pending is not None:
            # e.g. the field just left was refused: its message stays on the bar over this hint
            self.say(self._pending)
            self._pending = None
        elif focused is not self._hinted and focused is not None:
            hint = self._field_hint(focused)  # focus came by mouse or a popup, not by a key
            if hint is not None:
                self.say(hint)
        self._hinted = focused

    def say(self: EntryPane, hint: Hint) -> None:
        """Show a hint now when the screen has a hint bar (same frame as the focus move)."""
        show = getattr(self.screen, "show_hint", None)
        if show is not None:
            show(hint)
        else:
            self.post_message(hint)

    def _field_hint(self: EntryPane, widget: Widget) -> Hint | None:
        spec = getattr(widget, "spec", None)
        refusal = getattr(widget, "tooltip", None)
        if refusal:
            return Hint(str(refusal), kind="error")
        if spec is None:
            return None
        hint = spec.hint or ("必填项" if spec.kind == Kind.REQUIRED else "选填项")
        return Hint(f"{spec.title}：{hint}")

    def _refuse(self: EntryPane, widget: Field, message: str) -> None:
        """Mark the field; say why now, or right after the next field's focus hint."""
        named, message = self.refusals.words(widget, message)  # the field named, the key back
        widget.mark(named)
        if self._hinted is self.app.focused or widget is self.app.focused:
            self.post_message(Hint(message, kind="error"))
        else:
            self._pending = Hint(message, kind="error")

    def _focus_and_say(self: EntryPane, target: Widget, hint: Hint) -> None:
        """Put the cursor on `target` now and show `hint` once it is there."""
        if target is self.app.focused or not target.focusable:
            self.post_message(hint)
        else:
            self._pending = hint
            self.screen.set_focus(target, scroll_visible=True)
