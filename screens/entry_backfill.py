"""The entry form's backfill: 进口报关单号 fetched from the gateway fills the form (F5 retries); a
number the gateway does not know comes from the watched folders' file, Ctrl+O picks a file
(screens/entry_declfile.py), and the hint names the file.

Leaving 进口报关单号 with Enter asks the worker for the import declaration; its header and goods
rows fill the form (customs/mapping.py), a value with controls is not taken, and whatever the
operator typed while the answer was on its way wins over the answer. A refusal (offline, unknown
number, card) is said on the bar with F5 to retry; nothing typed is lost.

When the answer comes and the operator has pressed no key since that Enter (the App's key count
is the same, `widgets/ordering.SettlingApp.keys_read`, and the cursor is still on the field the
Enter moved to), the cursor goes where that Enter would have gone had the answer come at once:
past the fields the backfill (or the book, the consignee's contact) has just filled and that are
valid, each showing its value (screens/entry_skip.py). Any key meanwhile, anywhere: nothing moves.

`DeclarationBackfill` is a mixin of `EntryPane` (screens/entry.py): its methods act on the pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.widget import Widget
from textual.widgets import Label

from customs.card import CardError
from customs.declfiles import DeclarationFileError, FileDeclaration
from customs.errors import GatewayError
from customs.mapping import BACKFILLED, backfill, weights_dropped
from declarant.worker import NotConnected
from screens import entry_declfile as declfile
from screens.entry_messages import Hint, error_text
from store.catalogue import BY_KEY
from store.record import RecordData
from store.validators import FieldError
from widgets.ordering import SettlingApp
from widgets.values import mark_backfill

if TYPE_CHECKING:
    from screens.entry import EntryPane


@dataclass(frozen=True)
class Untouched:
    """The App's key count and the focused field right after the Enter that asked."""

    keys: int
    focused: Widget | None

    @classmethod
    def now(cls, app: App[object]) -> Untouched | None:
        """None when the App does not count its keys: then the cursor never moves on its own."""
        return cls(app.keys_read, app.focused) if isinstance(app, SettlingApp) else None

    def holds(self, app: App[object]) -> bool:
        """No key read since, and the cursor where it was."""
        return Untouched.now(app) == self


class DeclarationBackfill:
    """The fetch of the import declaration into the form (a mixin of EntryPane)."""

    _asked = 0  # bumped when the form turns to another record: an older answer is dropped
    _opened: dict[str, object] = {}  # noqa: RUF012  (replaced, never mutated) field -> value

    def note_opened(self: EntryPane) -> None:
        """The backfilled fields as the record came (opened, copied, restored): not typed in
        this form, so a fetch of another number replaces them as it replaces its own."""
        self._opened = {k: self.fields[k].raw() for k in BACKFILLED if self.fields[k].raw()}

    def _typed(self: EntryPane) -> dict[str, object]:
        return {key: widget.raw() for key, widget in self.fields.items()}

    def drop_backfill(self: EntryPane) -> None:
        """The form turns to another record (新增, 删除): an answer on its way is not shown."""
        self._asked += 1
        self._opened = {}
        self.workers.cancel_group(self, "backfill")
        self.query_one("#backfill-state", Label).update("")

    def _filled_by_us(self: EntryPane, key: str, value: object) -> bool:
        """`value` of field `key` is what a previous backfill or the book put there."""
        if self.backfilled.get(key) == value or self._opened.get(key) == value:
            return True
        return self.book.is_filled(key)

    @work(exclusive=True, group="backfill")
    async def fetch_declaration(
        self: EntryPane,
        number: str,
        before: dict[str, object],
        chosen: FileDeclaration | None = None,
        *,
        untouched: Untouched | None = None,
    ) -> None:
        """Fill the form from the gateway (or the watched files), or from the file `chosen`;
        `before`: the fields when asked (typed then or since: kept); `untouched`: asked by an
        Enter, the form as it left it (the cursor goes on if it still holds when the answer
        comes). An answer for a form since turned to another record is dropped."""
        asked = self._asked
        state = self.query_one("#backfill-state", Label)
        state.update("获取中…")
        self.post_message(Hint(declfile.asking(number, chosen)))
        try:
            found = await declfile.obtain(self.ctx.worker, number, chosen)
        except (NotConnected, GatewayError, FieldError, CardError, DeclarationFileError) as error:
            if asked == self._asked:
                state.update("F5 重试")
                self.post_message(Hint(declfile.failed(error_text(error), error), kind="error"))
            return
        if asked != self._asked or not self.is_attached:
            return  # the form shows another record now
        declaration = found.declaration
        goes_on = untouched is not None and untouched.holds(self.app)
        current = self.collect()
        filled, rejected = backfill(current, declaration)  # a control is not taken
        kept = self._keep_typed(filled, before)
        cleared = weights_dropped(current, declaration)
        self._fetched_no = number
        focused = self.app.focused
        await self.load(filled, dirty=True)
        goes_on = goes_on and untouched is not None and untouched.holds(self.app)  # none in load
        if focused is not None and focused.is_attached and not goes_on:
            focused.focus(scroll_visible=False)
        state.update("")
        self.backfilled = {
            k: w.raw()
            for k, w in self.fields.items()
            if k in BACKFILLED and w.raw() and k not in kept
        }
        contact = self.book.after_backfill()  # the consignee's contact from the book
        self.save_draft()
        text, kind = mark_backfill(self.fields, len(filled.goods), rejected)
        if goes_on:  # after the marks: a refused value is not passed over
            self.move_as_if_entered("import_decl_no")
        text += "；收货联系人取自常用企业" if contact else ""
        text += kept_words(kept)
        if cleared:  # name the rows: a copy may keep the weights of the goods that stayed
            rows = "、".join(str(seq) for seq in cleared)
            text += f"；商品已变更，第{rows}项原填的退货重量已清空"
        self.post_message(Hint(declfile.with_source(self, text, found), kind=kind))
        self.call_after_refresh(self.reveal_focused)  # the load may have scrolled it away

    def _keep_typed(self: EntryPane, filled: RecordData, before: dict[str, object]) -> list[str]:
        """Put back into `filled` every value the operator typed (before the ask or since):
        a fetch replaces only empty fields and those still as a backfill or the book left
        them. The titles of the fields kept whose value the declaration gives otherwise."""
        differ = []
        for key, widget in self.fields.items():
            now = widget.raw()
            if not now or (now == before.get(key) and self._filled_by_us(key, now)):
                continue  # empty, or still as filled: the declaration's value comes in
            theirs = getattr(filled, key)
            setattr(filled, key, now)
            if key in BACKFILLED and theirs not in (None, "", now):
                differ.append(key)
        return differ

    def reveal_focused(self: EntryPane) -> None:
        """After a load: the focused field scrolled into sight (the cursor never hides)."""
        focused = self.app.focused
        if focused is not None and focused.is_attached and self in focused.ancestors:
            self._reveal(focused, downwards=True)

    def fetch_on_enter(self: EntryPane, number: str) -> None:
        """Enter left 进口报关单号 holding `number` (the cursor has already moved on)."""
        self.fetch_declaration(number, self._typed(), untouched=Untouched.now(self.app))

    def action_declaration_file(self: EntryPane) -> None:
        declfile.open_picker(self)

    def action_retry_backfill(self: EntryPane) -> None:
        number = self.fields["import_decl_no"].raw()
        if number:
            self._fetched_no = None
            self.fetch_declaration(str(number), self._typed())


def kept_words(kept: list[str]) -> str:
    """The hint's words for the fields kept as typed although the declaration differs."""
    if not kept:
        return ""
    return "；与报关单不同，保留已填的" + "、".join(BY_KEY[key].title for key in kept)
