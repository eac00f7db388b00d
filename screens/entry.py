"""出口退货信息录入: the entry form, rendered from the store's field catalogue.

The pane owns the record being edited. Each field checks itself on exit (Enter, Shift+Tab, Up, a
click elsewhere) with the store's own validator, shows a refusal on the hint bar, and the whole form
is written to the draft row at every field exit and within a second of the last keystroke
(screens/entry_draft.py): a killed process or a dropped SSH session loses at most that second.
Enter and the previous-field keys are priority bindings that move the focus inside the binding
itself: a burst of typed-ahead keys lands every character in its own field.

The pane is made of parts, one job each: the rows of fields (entry_fields.py), the moves between
them and their hints (entry_moves.py), the record actions 新增/暂存/删除/提交/打印/随附单据
(entry_actions.py), the backfill of 进口报关单号 (entry_backfill.py), the pickers (entry_popups.py),
the goods rows (entry_goods.py), the draft (entry_draft.py, entry_persist.py), the 统一编号
(entry_numbers.py), the refusals (entry_refusals.py) and the tab's behaviour (entry_view.py).
This module holds the record in and out of the fields, which fields are open, and the pane's
message handlers (Textual collects `@on` handlers per widget class, so they stay here).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from declarant.session import Session
from screens.entry_actions import RecordActions
from screens.entry_backfill import DeclarationBackfill
from screens.entry_book import BookFill, BookInput
from screens.entry_draft import DraftWriter
from screens.entry_fields import Field, field_rows, mark_required, show_greys, toolbar_buttons
from screens.entry_goods import GoodsList
from screens.entry_messages import Hint
from screens.entry_moves import FieldMoves
from screens.entry_popups import FieldPopups
from screens.entry_refusals import Refusals
from screens.entry_view import FIELD_MOVES, follow_lock, in_active_tab, status_words
from store import params
from store.catalogue import HEADER_FIELDS, OTHER_FIELDS
from store.record import RecordData
from store.rules import QUALITY_REASON, validate_field
from store.status import Status
from store.validators import FieldError
from widgets.actions import bindings
from widgets.fields import CheckGroup, DateInput, ParamInput, PopupRequested

# 拟处理方式 / 退货原因类别 codes whose free text goes with them
DISPOSAL_OTHER, REASON_OTHER = "5", "4"


class EntryPane(FieldMoves, RecordActions, DeclarationBackfill, FieldPopups, Vertical):
    """One record in the form. Lives in a tab of the main screen."""

    BINDINGS: ClassVar[list[Binding]] = bindings("entry")

    DEFAULT_CSS = """
    EntryPane #toolbar {
        height: 1;
        margin-bottom: 0;
    }
    EntryPane #toolbar Button {
        height: 1;
        min-width: 6;
        border: none;
        margin-right: 1;
    }
    EntryPane #toolbar Button:disabled, EntryPane #toolbar Button:ansi {
        border: none !important;  /* Textual's ansi style borders a disabled button */
    }
    EntryPane #toolbar Button:disabled {
        text-style: strike;
    }
    EntryPane #form {
        height: 1fr;
    }
    EntryPane .section {
        height: 1;
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    EntryPane .row {
        height: auto;
    }
    EntryPane .label {
        width: 26;
        height: 1;
    }
    EntryPane .label.-grey {
        color: $text-muted;
    }
    EntryPane .label.-required {
        text-style: bold;
    }
    EntryPane .grey {
        width: 1fr;
        height: auto;
        color: $text-muted;
    }
    EntryPane .busy {
        width: auto;
        color: $warning;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        ctx: Session,
        record: RecordData | None = None,
        *,
        draft_key: str | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.record = record or ctx.store.new_record()
        self.draft_key = draft_key or str(uuid.uuid4())
        self._unsaved_origin = False
        self._clean: dict[str, object] = {}
        self.fields: dict[str, Field] = {}
        self.greys: dict[str, Static] = {}
        self._fetched_no: str | None = self.record.import_decl_no if record else None
        self._hinted: Widget | None = None  # the field whose focus hint the bar shows
        self._pending: Hint | None = None  # said when the cursor lands, over the field's hint
        self._loading = asyncio.Lock()  # a receipt's reload never interleaves with a save's load
        self.drafts = DraftWriter(self)
        self.refusals = Refusals(self)
        self.book = BookFill(self)
        self.backfilled: dict[str, object] = {}  # field -> the value the backfill put there

    # ---- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="toolbar"):
            yield from toolbar_buttons()
        with VerticalScroll(id="form", can_focus=False):
            yield Static("◆ 表头", classes="section")
            yield from field_rows(HEADER_FIELDS, self.fields, self.greys)
            yield Static("◆ 商品信息", classes="section")
            yield GoodsList()
            yield Static("◆ 其他", classes="section")
            yield from field_rows(OTHER_FIELDS, self.fields, self.greys)

    async def on_mount(self) -> None:
        for key in ("disposal_methods", "reason_categories"):
            group = self.fields[key]
            assert isinstance(group, CheckGroup)
            group.on_toggle = lambda _group: self._follow_dependencies()
        self.book.watch()
        await self.load(self.record, dirty=self._unsaved_origin)
        self.note_opened()  # what the record came with: a fetch may replace it (not typed here)

    # ---- the record in and out -----------------------------------------------------------------
    async def load(self, record: RecordData, *, dirty: bool = False) -> None:
        """Show `record` in every field; grey fields and goods rows included."""
        async with self._loading:  # a receipt's reload never interleaves with a save's load
            await self._load(record, dirty=dirty)

    async def _load(self, record: RecordData, *, dirty: bool) -> None:
        self.record = record
        if not self.is_attached:
            return
        for key, widget in self.fields.items():
            widget.show(getattr(record, key))
            widget.mark(None)
        self._show_greys()
        try:
            goods = self.query_one(GoodsList)
        except NoMatches:  # the tab is closing
            return
        focused = self.app.focused
        in_goods = focused is not None and focused.id is not None and goods in focused.ancestors
        await goods.show_rows(record.goods)
        if in_goods and focused is not None and not focused.is_attached:
            # the rows were made anew: the cursor stays on the same field of the same row, so
            # keys typed after the load land where the operator was (F5 from a weight lost them)
            again = goods.query(f"#{focused.id}")
            if again:
                again.first().focus(scroll_visible=False)
        self._follow_dependencies()
        self._apply_status()
        self._clean = self._snapshot()
        self._unsaved_origin = dirty

    def _show_greys(self) -> None:
        show_greys(self.record, self.greys)

    def collect(self) -> RecordData:
        """The record as the form holds it now: typed text as typed (checked by the store)."""
        values = {key: widget.raw() for key, widget in self.fields.items()}
        for key, value in values.items():
            if isinstance(value, str) and not value.strip():
                values[key] = None
        goods = self.query_one(GoodsList).collect()
        return self.record.model_copy(update={**values, "goods": goods})

    @property
    def status(self) -> Status:
        return Status(self.record.status)

    def _apply_status(self) -> None:
        try:
            self._enable_by_status()
        except NoMatches:  # the tab is closing while a load finished: nothing left to enable
            return

    def _enable_by_status(self) -> None:
        locked = self.status.locked
        for key, widget in self.fields.items():
            widget.disabled = locked or not self._enabled(key)
        for widget in self.query("GoodsWeight, GoodsIndustrial"):
            widget.disabled = locked
        for action in ("save", "delete", "submit", "attachments"):
            button = self.query_one(f"#btn-{action}", Button)
            button.disabled = locked and action != "attachments"
        self.query_one("#btn-delete", Button).disabled = locked or not self.record.key
        follow_lock(self, locked)
        if locked:
            self.post_message(Hint(status_words(self)))

    def _enabled(self, key: str) -> bool:
        """The free texts of 其他 are open only when their 其他 is ticked."""
        if key == "disposal_other_text":
            return DISPOSAL_OTHER in self._selected("disposal_methods")
        if key == "other_reason_text":
            return REASON_OTHER in self._selected("reason_categories")
        return True

    def _selected(self, key: str) -> list[str]:
        widget = self.fields[key]
        return list(widget.raw()) if isinstance(widget, CheckGroup) else []  # type: ignore[call-overload]

    def _follow_dependencies(self) -> None:
        """具体退运原因 offers only the reasons under the ticked categories."""
        categories = set(self._selected("reason_categories"))
        reasons = params.table("return_reasons")
        group = self.fields["specific_reasons"]
        assert isinstance(group, CheckGroup)
        group.set_options([(e.code, e.name) for e in reasons if e.parent in categories])
        for key in ("disposal_other_text", "other_reason_text"):
            self.fields[key].disabled = self.status.locked or not self._enabled(key)
        # the cases in which store/rules.py requires them at 提交
        required = {
            "reason_detail": QUALITY_REASON in categories,
            "disposal_other_text": self._enabled("disposal_other_text"),
            "other_reason_text": self._enabled("other_reason_text"),
        }
        for key, needed in required.items():
            mark_required(self.query_one(f"#label-{key}", Label), needed)

    @on(CheckGroup.Changed)
    def _check_changed(self, event: CheckGroup.Changed) -> None:
        if event.group.has_class("-refused"):
            self.commit(event.group, moving=False)  # a tick may answer the refusal
        self.save_draft()

    # ---- unsaved work --------------------------------------------------------------------------
    def _snapshot(self) -> dict[str, object]:
        return self.collect().model_dump(mode="json")

    @property
    def dirty(self) -> bool:
        """Whether the form holds work the store does not: compared, not tracked by events
        (an Input's Changed message may arrive after the burst has moved on)."""
        if self._unsaved_origin:
            return True
        try:
            return self._snapshot() != self._clean
        except NoMatches:  # goods rows being rebuilt
            return self._unsaved_origin

    @dirty.setter
    def dirty(self, value: bool) -> None:
        """True: the form's content did not come from the store (a draft, a backfill)."""
        self._unsaved_origin = value
        if not value and self.is_mounted:
            self._clean = self._snapshot()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in FIELD_MOVES and self.status.locked)  # ↑ scrolls a locked form

    @on(Hint)
    def _hint_shown_here(self, message: Hint) -> None:
        if not in_active_tab(self):
            message.stop()  # a background tab's news stays there (entry_view.py)

    def on_descendant_blur(self, event: object) -> None:
        self.save_draft()

    # ---- checking one field ------------------------------------------------------------------------
    def commit(self, widget: Field, *, moving: bool) -> bool:
        """Check the field as it stands; mark it and say why when refused.

        `moving` (Enter) also starts what the field's exit starts: the backfill of 进口报关单号.
        """
        if not widget.is_attached:
            return False
        spec = widget.spec
        raw = widget.raw()
        if isinstance(widget, ParamInput) and isinstance(raw, str) and raw and raw != widget.code:
            code = widget.resolve()
            ambiguity = widget.ambiguity() if code is None else None
            if ambiguity is not None:
                self._refuse(widget, ambiguity)
                return False
            raw = code or raw  # no match: the rules refuse it (不在参数表中) or take an office
        try:
            value = validate_field(spec, raw)
        except FieldError as error:
            self._refuse(widget, error.message)
            return False
        self.refusals.fixed(widget)
        widget.mark(None)
        if not isinstance(widget, CheckGroup) and value != raw:
            widget.show(value)  # canonical form: 2025-11-03, upper-case codes, "code name"
        elif isinstance(widget, ParamInput) and value:
            widget.show(value)
        if spec.key == "import_decl_no" and value and value != self._fetched_no and moving:
            self.fetch_on_enter(str(value))
        return True

    # ---- the pickers, refusals, drafts and buttons ------------------------------------------------
    @on(PopupRequested)
    def _popup_requested(self, event: PopupRequested) -> None:
        if isinstance(event.field, BookInput):
            self.book.open(event.field, event.text)
        elif isinstance(event.field, ParamInput):
            self._open_param_popup(event.field, event.text)
        elif isinstance(event.field, DateInput):
            self._open_calendar(event.field)

    def action_back_to_refused(self) -> None:
        self.refusals.back()

    def save_draft(self) -> None:
        """The form as it stands into the draft row now (screens/entry_draft.py)."""
        self.drafts.write()

    @on(Input.Changed)
    def _input_changed(self, _event: Input.Changed) -> None:
        self.drafts.changed()  # typed text reaches the draft within a second (entry_draft.py)

    # ---- the buttons ---------------------------------------------------------------------------------
    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        await self.run_action((event.button.id or "").removeprefix("btn-"))
