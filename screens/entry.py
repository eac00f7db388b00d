"""出口退货信息录入: the entry form, rendered from the store's field catalogue.

The pane owns the record being edited. Each field checks itself on exit (Enter, Shift+Tab, Up, a
click elsewhere) with the store's own validator, shows a refusal on the hint bar, and the whole form
is written to the draft row at every field exit and within a second of the last keystroke
(screens/entry_draft.py): a killed process or a dropped SSH session loses at most that second.
Enter and the previous-field keys are priority bindings that move the focus inside the binding
itself: a burst of typed-ahead keys lands every character in its own field.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from customs.card import CardError
from customs.errors import GatewayError
from customs.mapping import backfill
from declarant.session import Session
from declarant.worker import NotConnected, SubmitOutcome
from screens.entry_draft import DraftWriter
from screens.entry_goods import GoodsList
from screens.entry_numbers import announce_saved, grey_value
from screens.entry_persist import discard_draft, guarded, refused
from screens.entry_refusals import Refusals
from screens.entry_view import FIELD_MOVES, follow_lock, in_active_tab, status_words
from screens.popups import CalendarPopup, ParamPopup
from store import params
from store.catalogue import (
    BY_KEY,
    HEADER_FIELDS,
    OTHER_FIELDS,
    FieldSpec,
    Kind,
    Type,
)
from store.errors import StoreError
from store.record import RecordData
from store.rules import RuleError, validate_field
from store.status import Status
from store.validators import FieldError, parse_date
from widgets.actions import bindings
from widgets.fields import CheckGroup, DateInput, FieldInput, ParamInput, PopupRequested
from widgets.values import grey_text, mark_backfill

# 拟处理方式 / 退货原因类别 codes whose free text goes with them
DISPOSAL_OTHER, REASON_OTHER = "5", "4"
BUTTONS = (
    ("new_record", "新增", "entry.new"),
    ("save", "暂存", "entry.save"),
    ("delete", "删除", "entry.delete"),
    ("submit", "提交", "entry.submit"),
    ("print", "打印", "entry.print"),
    ("attachments", "随附单据", "entry.attachments"),
)
Field = FieldInput | CheckGroup


class Hint(Message):
    """For the hint bar: a field's input hint, a refusal (error) or a success."""

    def __init__(self, text: str, *, kind: str = "hint") -> None:
        super().__init__()
        self.text = text
        self.kind = kind


class RecordSaved(Message):
    """The pane's record has a number now (统一编号 or a local draft number), or none after 新增/删除."""

    def __init__(self, pane: EntryPane, unified_no: str) -> None:
        super().__init__()
        self.pane = pane
        self.unified_no = unified_no


def _widget_for(spec: FieldSpec) -> Field:
    if spec.type == Type.MULTI:
        assert spec.table
        table = params.table(spec.table)
        codes = spec.choices or tuple(e.code for e in table)
        options = [(code, table.get(code).name) for code in codes]  # type: ignore[union-attr]
        return CheckGroup(spec, options)
    if spec.type == Type.PARAM:
        return ParamInput(spec)
    if spec.type == Type.DATE:
        return DateInput(spec)
    return FieldInput(spec)


class EntryPane(Vertical):
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
        self._pending: Hint | None = None
        self._loading = asyncio.Lock()  # said when the cursor lands, over the field's hint
        self.drafts = DraftWriter(self)
        self.refusals = Refusals(self)

    # ---- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="toolbar"):
            for action, label, action_id in BUTTONS:
                from widgets.actions import BY_ID, key_text

                keys = BY_ID[action_id].keys.split(",")
                fkey = next((k for k in keys if k.startswith("f")), keys[0])
                button = Button(f"{label}{key_text(fkey)}", id=f"btn-{action}", compact=True)
                button.can_focus = False  # keys, not Tab stops: Tab walks the fields only
                yield button
        with VerticalScroll(id="form", can_focus=False):
            yield Static("◆ 表头", classes="section")
            yield from self._rows(HEADER_FIELDS)
            yield Static("◆ 商品信息", classes="section")
            yield GoodsList()
            yield Static("◆ 其他", classes="section")
            yield from self._rows(OTHER_FIELDS)

    def _rows(self, specs: tuple[FieldSpec, ...]) -> ComposeResult:
        previous_label = ""
        grey_group: list[FieldSpec] = []

        def grey_row(group: list[FieldSpec]) -> Horizontal:
            first = group[0]
            static = Static("", classes="grey", id=f"grey-{first.key}", markup=False)
            for spec in group:
                self.greys[spec.key] = static
            # 〔〕 marks a field the system fills, so it reads apart from an optional one
            # without colour (the brackets are wide, never ambiguous-width, characters)
            return Horizontal(
                Label(f"〔{first.label}〕", classes="label -grey"), static, classes="row"
            )

        for spec in specs:
            if spec.kind == Kind.GREY:
                if grey_group and grey_group[0].label != spec.label:
                    yield grey_row(grey_group)
                    grey_group = []
                grey_group.append(spec)
                continue
            if grey_group:
                yield grey_row(grey_group)
                grey_group = []
            widget = _widget_for(spec)
            self.fields[spec.key] = widget
            same_group = spec.label == previous_label
            text = f"  {spec.sub}" if same_group and spec.sub else spec.label
            marker = "*" if spec.kind == Kind.REQUIRED else " "
            kind = "-required" if spec.kind == Kind.REQUIRED else "-optional"
            previous_label = spec.label
            children: list[Widget] = [Label(f"{marker}{text}", classes=f"label {kind}"), widget]
            if spec.key == "import_decl_no":
                children.append(Label("", id="backfill-state", classes="busy"))
            yield Horizontal(*children, classes="row")
        if grey_group:
            yield grey_row(grey_group)

    async def on_mount(self) -> None:
        for key in ("disposal_methods", "reason_categories"):
            group = self.fields[key]
            assert isinstance(group, CheckGroup)
            group.on_toggle = lambda _group: self._follow_dependencies()
        await self.load(self.record, dirty=self._unsaved_origin)

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
        await goods.show_rows(record.goods)
        self._follow_dependencies()
        self._apply_status()
        self._clean = self._snapshot()
        self._unsaved_origin = dirty

    def _show_greys(self) -> None:
        parts: dict[Static, list[str]] = {}  # a composite field's parts share one line
        for key, static in self.greys.items():
            value = grey_value(self.record, key)
            if key == "status" and not self.record.key:
                value = None  # a record never saved has no status yet
            parts.setdefault(static, []).append(grey_text(BY_KEY[key], value))
        for static, texts in parts.items():
            static.update("  ".join(t for t in texts if t))

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

    # ---- moving between fields -------------------------------------------------------------------
    def _focusables(self) -> list[Widget]:
        return [w for w in self.query("FieldInput, CheckGroup") if w.focusable]

    def _move(self, step: int) -> None:
        chain = self._focusables()
        current = self.app.focused
        if current not in chain:
            if chain:
                chain[0].focus(scroll_visible=True)
            return
        index = chain.index(current) + step
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

    def _reveal(self, target: Widget, *, downwards: bool) -> None:
        """Scroll only when the field is out of sight, and then by most of a screen.

        Scrolling repaints the whole form (~7 KB at 80x24); a line at a time would do that on
        every Enter, a page at a time once in a dozen fields.
        """
        form = self.query_one("#form", VerticalScroll)
        shown = target.region
        if shown.height == target.outer_size.height and form.region.contains_region(shown):
            return
        if downwards:
            form.scroll_to_widget(target, animate=False, top=True)
        else:
            form.scroll_to_center(target, animate=False)

    def _leave(self, step: int, *, fetch: bool) -> None:
        """Move now, then check the field left behind.

        The App let the field handle every key typed before this one (tui/ordering.py), so the
        check reads them all. `fetch`: leaving 进口报关单号 this way fetches the declaration
        (Enter does, Tab and going back do not).
        """
        focused = self.app.focused
        self._move(step)
        if isinstance(focused, (FieldInput, CheckGroup)):
            self.commit(focused, moving=fetch)

    def action_next_field(self) -> None:
        self._leave(1, fetch=True)

    def action_tab_field(self) -> None:
        self._leave(1, fetch=False)

    def action_prev_field(self) -> None:
        self._leave(-1, fetch=False)

    def on_descendant_focus(self, event: object) -> None:
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

    def say(self, hint: Hint) -> None:
        """Show a hint now when the screen has a hint bar (same frame as the focus move)."""
        show = getattr(self.screen, "show_hint", None)
        if show is not None:
            show(hint)
        else:
            self.post_message(hint)

    def _field_hint(self, widget: Widget) -> Hint | None:
        spec = getattr(widget, "spec", None)
        refusal = getattr(widget, "tooltip", None)
        if refusal:
            return Hint(str(refusal), kind="error")
        if spec is None:
            return None
        hint = spec.hint or ("必填项" if spec.kind == Kind.REQUIRED else "选填项")
        return Hint(f"{spec.title}：{hint}")

    def _refuse(self, widget: Field, message: str) -> None:
        """Mark the field; say why now, or right after the next field's focus hint."""
        named, message = self.refusals.words(widget, message)  # the field named, the key back
        widget.mark(named)
        if self._hinted is self.app.focused or widget is self.app.focused:
            self.post_message(Hint(message, kind="error"))
        else:
            self._pending = Hint(message, kind="error")

    def _focus_and_say(self, target: Widget, hint: Hint) -> None:
        """Put the cursor on `target` now and show `hint` once it is there."""
        if target is self.app.focused or not target.focusable:
            self.post_message(hint)
        else:
            self._pending = hint
            self.screen.set_focus(target, scroll_visible=True)

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
            if code is None:
                self._refuse(widget, f"{spec.title}：“{raw}”不是唯一的参数代码，请按空格键检索选择")
                return False
            raw = code
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
            self.fetch_declaration(str(value), self._typed())
        return True

    # ---- popups --------------------------------------------------------------------------------
    def action_popup(self) -> None:
        focused = self.app.focused
        if isinstance(focused, ParamInput):
            self._open_param_popup(focused, "")
        elif isinstance(focused, DateInput):
            self._open_calendar(focused)

    @on(PopupRequested)
    def _popup_requested(self, event: PopupRequested) -> None:
        if isinstance(event.field, ParamInput):
            self._open_param_popup(event.field, event.text)
        elif isinstance(event.field, DateInput):
            self._open_calendar(event.field)

    def _open_param_popup(self, widget: ParamInput, text: str) -> None:
        refuse: dict[str, str] = {}
        if widget.spec.key == "producer_customs":
            message = "原生产企业所属机构不能选择直属海关"
            refuse = {e.code: message for e in widget.table if params.is_direct_customs(e.code)}

        def chosen(code: str | None) -> None:
            if code is None:
                widget.focus()
                return
            widget.show(code)
            self.screen.set_focus(widget)
            if self.commit(widget, moving=True):
                self.save_draft()
                self._move(1)

        self.app.push_screen(
            ParamPopup(widget.table, title=widget.spec.title, text=text, refuse=refuse), chosen
        )

    def _open_calendar(self, widget: DateInput) -> None:
        from datetime import date

        try:
            start = date.fromisoformat(parse_date(widget.value))
        except (FieldError, ValueError):
            start = date.today()

        def chosen(iso: str | None) -> None:
            self.screen.set_focus(widget)
            if iso is not None:
                widget.show(iso)
                if self.commit(widget, moving=True):
                    self.save_draft()
                    self._move(1)

        self.app.push_screen(CalendarPopup(start, title=widget.spec.title), chosen)

    # ---- backfill --------------------------------------------------------------------------------
    def _typed(self) -> dict[str, object]:
        return {key: widget.raw() for key, widget in self.fields.items()}

    @work(exclusive=True, group="backfill")
    async def fetch_declaration(self, number: str, before: dict[str, object]) -> None:
        """Fill the form from the gateway; `before`: the fields when asked (typed since: kept)."""
        state = self.query_one("#backfill-state", Label)
        state.update("获取中…")
        self.post_message(Hint(f"正在获取进口报关单 {number} 的数据…"))
        try:
            declaration = await self.ctx.worker.fetch_declaration(number)
        except (NotConnected, GatewayError, FieldError, CardError) as error:
            state.update("F5 重试")
            self.post_message(Hint(f"{_message(error)}（按F5重试）", kind="error"))
            return
        filled, rejected = backfill(self.collect(), declaration)  # a control is not taken
        for key, typed in before.items():
            now = self.fields[key].raw()
            if now != typed and now:  # typed ahead while the answer was on its way: theirs wins
                setattr(filled, key, now)
        self._fetched_no = number
        focused = self.app.focused
        await self.load(filled, dirty=True)
        if focused is not None and focused.is_attached:
            focused.focus(scroll_visible=False)
        state.update("")
        self.save_draft()
        text, kind = mark_backfill(self.fields, len(filled.goods), rejected)
        self.post_message(Hint(text, kind=kind))

    def action_back_to_refused(self) -> None:
        self.refusals.back()

    def action_retry_backfill(self) -> None:
        number = self.fields["import_decl_no"].raw()
        if number:
            self._fetched_no = None
            self.fetch_declaration(str(number), self._typed())

    # ---- drafts ------------------------------------------------------------------------------------
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

    async def action_new_record(self) -> None:
        if not self.dirty:
            await self._clear()
            return
        from screens.confirm import ConfirmScreen

        async def answered(yes: bool | None) -> None:
            if yes:
                await self._clear()

        self.app.push_screen(
            ConfirmScreen("新增", "当前录入的内容尚未暂存，新增将清空且不可恢复。确定新增？"),
            answered,
        )

    async def _clear(
        self, said: str = "已清空，请录入新的出口退货信息", kind: str = "hint"
    ) -> None:
        discard_draft(self)  # now, or once the database answers again
        self.draft_key = str(uuid.uuid4())
        self._fetched_no = None
        await self.load(self.ctx.store.new_record())  # awaited: keys typed after wait for it
        self.post_message(RecordSaved(self, ""))  # the tab's title follows: 录入
        self._focus_and_say(self.fields["import_decl_no"], Hint(said, kind=kind))

    async def action_save(self) -> bool:
        if self.status.locked:
            self.post_message(Hint(f"状态为“{self.status.label}”的数据不允许暂存", kind="error"))
            return False
        focused = self.app.focused
        if isinstance(focused, (FieldInput, CheckGroup)):
            self.commit(focused, moving=False)
        record = self.collect()
        try:
            saved = self.ctx.store.save(record)
        except RuleError as error:
            self.refusals.violations(error.violations)
            return False
        except StoreError as error:
            refused(self, "暂存", error)
            return False
        discard_draft(self)
        first_save = record.key is None
        await self.load(saved)  # awaited, not a worker: a key typed after F2 comes after it
        self.dirty = False
        announce_saved(self, saved)  # and, online, the gateway's 统一编号 for a first save
        if first_save and saved.key:
            self.post_message(RecordSaved(self, saved.key))
        return True

    def action_delete(self) -> None:
        if not self.record.key:
            self.post_message(Hint("尚未暂存的数据无需删除，可按F3新增清空", kind="error"))
            return
        if self.status.locked:
            self.post_message(Hint(f"状态为“{self.status.label}”的数据不允许删除", kind="error"))
            return
        from screens.confirm import ConfirmScreen

        unified_no, label = self.record.key, self.record.number_label

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.ctx.store.delete(unified_no, version=self.record.version)
            except StoreError as error:
                refused(self, "删除", error)
                return
            await self._clear(f"已删除 {label}", kind="ok")

        self.app.push_screen(
            ConfirmScreen("删除", f"确定删除统一编号 {label} 的数据？删除后不可恢复。"),
            answered,
        )

    async def action_submit(self) -> None:
        if self.status.locked:
            self.post_message(Hint(f"状态为“{self.status.label}”的数据不能提交", kind="error"))
            return
        if (self.dirty or not self.record.key) and not await self.action_save():
            return
        self.submit_record()

    @work(exclusive=True, group="submit")
    async def submit_record(self) -> None:
        unified_no, version = self.record.key, self.record.version
        assert unified_no and version
        self.post_message(Hint("正在提交：校验、电子口岸卡签名、发送海关…"))
        self.query_one("#btn-submit", Button).disabled = True
        try:
            result = await self.ctx.worker.submit(unified_no, version=version)
        except RuleError as error:
            self.refusals.violations(error.violations)
            self._apply_status()
            return
        except (NotConnected, StoreError, CardError, GatewayError) as error:
            self.post_message(Hint(_message(error), kind="error"))
            self._apply_status()
            return
        await self._load_stored()
        if result.outcome == SubmitOutcome.ACCEPTED:
            self.post_message(Hint(f"提交成功，状态：{self.status.label}", kind="ok"))
        elif result.outcome == SubmitOutcome.PENDING:
            self.post_message(Hint(f"{result.message}（状态：已提交，等待海关应答）", kind="error"))
        else:
            self.post_message(Hint(f"提交失败：{result.message}", kind="error"))

    async def reload(self) -> None:
        """Show the stored record again (its status moved by a receipt).

        A locked record has no edits to keep (its fields are closed); an editable one is reloaded
        only when the form holds nothing unsaved.
        """
        if self.record.key and (self.status.locked or not self.dirty):
            await self._load_stored()

    @guarded("读取记录")
    async def _load_stored(self) -> None:
        """The record as the store holds it now (read under the lock: never an older copy)."""
        unified_no = self.record.key
        assert unified_no
        async with self._loading:
            await self._load(self.ctx.store.load(unified_no), dirty=False)

    @guarded("打印")
    def action_print(self) -> None:
        from screens.print_preview import PrintPreviewScreen

        record = self.collect()
        receipts = self.ctx.store.receipts(record.key) if record.key else []
        self.app.push_screen(
            PrintPreviewScreen(
                record,
                receipts,
                operator_name=self.ctx.operator.name,
                out_dir=self.ctx.settings.data_dir / "exports",
                printer=self.ctx.settings.printer,
            )
        )

    def action_attachments(self) -> None:
        if not self.record.key:
            self.post_message(Hint("请先暂存（Alt+S），再添加随附单据", kind="error"))
            return
        from pathlib import Path

        from screens.attachments import AttachmentsScreen
        from store.attachments import AttachmentStore

        store = AttachmentStore(
            self.ctx.engine, self.ctx.operator, max_bytes=self.ctx.settings.attachment_max_bytes
        )
        self.app.push_screen(
            AttachmentsScreen(
                store, self.record.key, locked=self.status.locked, start_dir=Path.cwd()
            )
        )


def _message(error: Exception) -> str:
    return str(getattr(error, "message", "") or error)
