"""The enterprise book in the entry form: a known producer fills its group, Space lists the book.

Enter on 原生产企业社会信用代码 or 海关编码 holding a code the book knows (store/book.py) fills the
rest of the group at once: every field still empty, or still as the book last filled it (a value
the operator typed stays theirs), and only from an entry that fits the group: a code whose entry
holds another USCC than the one typed (or the other way round) fills nothing and says so. When
the key a fill came from changes (another producer's code, another consignee backfilled), what
the book filled from it is emptied and its mark goes. Each field so filled shows 〔常用〕 beside it
until it is edited, and stays editable. Space on those two fields, or on an empty 名称, lists the
book in the parameter popup (code, pinyin initials, Chinese); the chosen producer fills the group.

`BookFill.filled` names the fields the book filled and what it put there; the form's Enter uses
`standing()` (screens/entry_skip.py) to move past what is filled to the next field that needs the
operator: only the fills of an entry whose keys the form still holds (the producer's USCC and code
fields, the consignee the backfill named); Enter right after a fill passes only what it filled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Label

from screens.entry_messages import Hint
from screens.popups import ParamPopup
from store.book import CONTACT, PRODUCER, PRODUCER_FIELDS, EnterpriseBook, Known
from store.errors import StoreError
from store.rules import validate_field
from store.validators import FieldError
from widgets.fields import FieldInput, PopupRequested
from widgets.hint_bar import HintBar

if TYPE_CHECKING:
    from screens.entry import EntryPane

log = logging.getLogger(__name__)

LOOKUP_KEYS = {"producer_uscc": "uscc", "producer_code": "code"}
GROUP = tuple(PRODUCER_FIELDS.values())
CONTACT_GROUP = ("contact_person", "contact_phone")
MARK = "〔常用〕"  # readable without colour; brackets as the form's grey fields use


class BookInput(FieldInput):
    """原生产企业's USCC, customs code or name: Space lists the book (on 名称 only while it is
    empty or as the book filled it: a name may hold a space)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "space" and self._lists_on_space():
            event.stop()
            event.prevent_default()
            self.post_message(PopupRequested(self, self.value.strip()))
            return
        await super()._on_key(event)

    def _lists_on_space(self) -> bool:
        if self.spec.key in LOOKUP_KEYS:
            return True
        return not self.value.strip() or self.has_class("-from-book")


class BookFill:
    """The book's part in one entry form."""

    def __init__(self, pane: EntryPane) -> None:
        self.pane = pane
        self.filled: dict[str, object] = {}  # field key -> the value the book put there
        self.sources: dict[str, Known] = {}  # field key -> the entry that filled it

    @property
    def book(self) -> EnterpriseBook:
        return EnterpriseBook(self.pane.ctx.engine, self.pane.ctx.operator)

    def watch(self) -> None:
        """Follow the group's fields: an edit drops the field's mark (call once, at mount)."""
        for key in GROUP + CONTACT_GROUP:
            self.pane.watch(self.pane.fields[key], "value", self._watcher(key), init=False)

    def _watcher(self, key: str) -> Callable[[], None]:
        # no parameter: Textual passes a watcher as many values as it takes, (old, new) for two
        return lambda: self._edited(key)

    def is_filled(self, key: str) -> bool:
        """The field shows what the book put there (not edited since)."""
        widget = self.pane.fields.get(key)
        return key in self.filled and widget is not None and widget.raw() == self.filled[key]

    def standing(self) -> dict[str, object]:
        """`filled`, less the fills of an entry whose keys the form no longer holds."""
        return {k: v for k, v in self.filled.items() if self._holds_keys(self.sources.get(k))}

    def _holds_keys(self, known: Known | None) -> bool:
        if known is None:
            return False
        if known.kind == CONTACT:  # the consignee's codes come with the backfill
            record = self.pane.record
            held = {"uscc": record.consignee_uscc, "code": record.consignee_code}
        else:
            fields = self.pane.fields
            held = {c: fields[PRODUCER_FIELDS[c]].raw() for c in LOOKUP_KEYS.values()}
        return all(
            str(held[column] or "").strip().upper() == wanted.upper()
            for column, wanted in (("uscc", known.uscc), ("code", known.code))
            if wanted
        )

    # ---- filling ---------------------------------------------------------------------------
    def lookup(self, widget: object) -> bool:
        """Before Enter leaves `widget`: when it is a code the book knows, fill the group. True
        when something was filled."""
        if not isinstance(widget, FieldInput) or widget.spec.key not in LOOKUP_KEYS:
            return False
        self._drop_stale(GROUP)  # another producer's fills go with the key they came from
        try:
            value = validate_field(widget.spec, widget.raw())
        except FieldError:
            return False  # the field's own check says why
        if not value:
            return False
        try:
            known = self.book.producer(**{LOOKUP_KEYS[widget.spec.key]: str(value)})
        except StoreError as error:  # the book is a help: without it the operator types on
            log.warning("book lookup: %s", error)
            return False
        if known is None:
            return False
        clash = self._clash(known)
        if clash:
            words = f"常用企业“{known.name or known.label()}”与已填{clash}不一致，未填入"
            self.pane._pending = Hint(words, kind="error")  # said once the cursor has moved on
            return False
        return self.fill(known, keep_typed=True, skip=widget.spec.key)

    def _clash(self, known: Known) -> str:
        """The title of a key field of the group the operator typed (not as the book filled
        it) that `known` holds otherwise; "" when the entry fits what the group holds."""
        fields = self.pane.fields
        for column, key in (("uscc", "producer_uscc"), ("code", "producer_code")):
            typed = str(fields[key].raw() or "").strip().upper()
            wanted = str(getattr(known, column) or "").upper()
            if typed and wanted and typed != wanted and not self.is_filled(key):
                return fields[key].spec.title
        return ""

    def after_backfill(self) -> bool:
        """The backfill named the consignee: its newest contact from the book, when the form's
        收货联系人 and 联系电话 are both still empty. True when filled."""
        record = self.pane.record
        self._drop_stale(CONTACT_GROUP)  # another consignee's contact goes
        if any(self.pane.fields[key].raw() for key in CONTACT_GROUP):
            return False
        if not (record.consignee_uscc or record.consignee_code):
            return False
        try:
            known = self.book.contact(uscc=record.consignee_uscc, code=record.consignee_code)
        except StoreError as error:
            log.warning("book contact lookup: %s", error)
            return False
        return known is not None and self.fill(known, keep_typed=True)

    def _drop_stale(self, keys: tuple[str, ...]) -> None:
        """What the book filled in `keys` from an entry whose key (the producer's USCC or code,
        the consignee's) the form no longer holds goes: field emptied, mark gone. A value the
        operator typed stays."""
        for key in keys:
            known = self.sources.get(key)
            if self.is_filled(key) and known is not None and not self._holds_keys(known):
                self.filled.pop(key, None)  # before the edit: its watcher finds it gone
                self.sources.pop(key, None)
                self.pane.fields[key].show(None)
                self._show_mark(key, False)

    def fill(self, known: Known, *, keep_typed: bool, skip: str = "") -> bool:
        """Put `known` into the group; `keep_typed`: a value the operator typed stays."""
        changed = False
        for key, value in known.record_values().items():
            widget = self.pane.fields.get(key)  # a consignee's codes are the backfill's
            if widget is None or key == skip or value is None:
                continue
            current = widget.raw()
            if keep_typed and current and not self.is_filled(key):
                continue
            widget.show(value)
            widget.mark(None)
            self.filled[key] = widget.raw()
            self.sources[key] = known
            self._show_mark(key, True)
            changed = True
        if changed:
            self._say(f"已从常用企业填入：{known.name or known.label()}（可修改）", ok=True)
            self.pane.save_draft()
        return changed

    def forget(self) -> None:
        """The form shows another record: nothing in it came from the book."""
        for key in list(self.filled):
            self._show_mark(key, False)
        self.filled.clear()
        self.sources.clear()

    def _edited(self, key: str) -> None:
        if key in self.filled and not self.is_filled(key):
            del self.filled[key]
            self._show_mark(key, False)

    def _show_mark(self, key: str, shown: bool) -> None:
        widget = self.pane.fields[key]
        widget.set_class(shown, "-from-book")
        row = widget.parent
        if row is None:
            return
        marks = row.query(".from-book")
        if shown and not marks:
            row.mount(Label(MARK, classes="from-book"), after=widget)
        elif not shown:
            marks.remove()

    def _say(self, text: str, *, ok: bool) -> None:
        bars = self.pane.screen.query(HintBar) if self.pane.is_attached else []
        if bars:
            (bars.first().success if ok else bars.first().error)(text)

    # ---- the popup -------------------------------------------------------------------------
    def open(self, widget: FieldInput, text: str) -> None:
        """Space: the book's producers in the parameter popup, filtered by `text`."""
        try:
            entries = self.book.entries(PRODUCER)
        except StoreError as error:
            self._say(f"常用企业读取失败：{error.message}", ok=False)
            return
        if not len(entries):
            self._say("常用企业中还没有原生产企业（暂存后自动加入）", ok=False)
            return

        def chosen(entry_id: str | None) -> None:
            known = entries.get(entry_id) if entry_id else None
            self.pane.screen.set_focus(widget)
            if known is not None:
                self.fill(known, keep_typed=False)
                self.pane.to_next_needed(after=GROUP[-1])

        self.pane.app.push_screen(
            ParamPopup(entries, title="常用企业：原生产企业", text=text), chosen
        )
