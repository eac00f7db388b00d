"""The main screen: status line, the left menu, the tabs of the content area, the hint bar.

The menu mirrors the module (出口退货信息录入, 出口退货信息查询) and folds to a narrow strip. A menu
entry or a record opened from the query opens a tab, or shows the one already open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from declarant.batch import submit_batch
from declarant.session import Session
from declarant.worker import Event, NumberIssued, SessionState, StateChanged, StatusChanged
from screens.book import BookHint, BookPane
from screens.draft_restore import restore_drafts
from screens.entry import EntryPane
from screens.entry_copy import CopyRecord, select_whole
from screens.entry_messages import Hint, RecordSaved
from screens.entry_numbers import numbered
from screens.entry_view import status_words
from screens.kept import keep_drafts
from screens.sheet_import import SheetImportScreen
from store.book import EnterpriseBook
from store.errors import DatabaseFault
from store.models import Draft
from store.pending import health
from store.record import RecordData
from store.text import inert
from widgets.actions import BY_ID, bindings, in_scope, key_text
from widgets.hint_bar import KEY_GAP, HintBar

MENU = (
    ("entry", "出口退货信息录入", "录入"),
    ("query", "出口退货信息查询", "查询"),
    ("sheet_import", "导入电子表格", "导入"),
    ("book", "常用企业", "常用"),
)
SCOPES = {"tab-query": "query", "tab-book": "book"}  # a tab's keys on the hint bar; else entry
COPIED = "已复制为新的录入（未暂存），请输入进口报关单号"


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $primary-muted;
        color: $text;
        padding: 0 1;
    }
    """


class Menu(OptionList):
    DEFAULT_CSS = """
    Menu {
        width: 20;
        height: 1fr;
        border: none;
        border-right: vkey $primary;
    }
    Menu.-folded {
        width: 8;
    }
    """


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[Binding]] = bindings("app")

    # Textual's Screen.focused repaints the whole screen at every focus change (4-8 KB at 80x24,
    # measured); the fields that gain and lose focus repaint themselves, which is all that changes.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, ctx: Session) -> None:
        super().__init__()
        self.ctx = ctx
        self._entry_count = 0
        self._left_at: dict[str, Widget] = {}  # tab id -> where the cursor was in it
        self._unsubscribe: Callable[[], None] = lambda: None
        # set once the first entry form has the cursor: the keys typed during the login go there
        self.form_shown = asyncio.Event()
        self._activation_words = ""  # said instead when the next tab is shown (复制)

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status-line")
        with Horizontal(id="body"):
            yield Menu(*self._menu_options(folded=False), id="menu")
            yield TabbedContent(id="tabs")
        yield HintBar(id="hint")

    def _menu_options(self, *, folded: bool) -> list[Option]:
        options = [Option(short if folded else name, id=key) for key, name, short in MENU]
        options.append(Option("退出", id="logout"))
        return options

    def on_mount(self) -> None:
        if self.app.size.width < 100:  # 80 columns: the form needs the room more than the menu
            self.action_toggle_menu()
        self._unsubscribe = self.ctx.worker.subscribe(self._worker_event)
        health(self.ctx.engine).subscribe(self._database_event)
        self._show_status()
        self._show_keys("entry")
        self.open_record(None)

    def _show_keys(self, scope: str) -> None:
        """The hint bar lists the keys of what the active tab holds."""
        hint = self.query_one(HintBar)
        # the key list first: at 80 columns the bar has room for a few keys, and Alt+K/F1 leads
        # to all the others
        keys = BY_ID["app.keys"]
        listed = [keys, *in_scope(scope), *(a for a in in_scope("app") if a is not keys)]
        hint.keys = KEY_GAP.join(f"{key_text(a.keys)} {a.label}" for a in listed if a.show)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        scope = SCOPES.get(pane.id or "", "entry") if pane is not None else "entry"
        self._show_keys(scope)
        forms = pane.query(EntryPane) if pane is not None else None
        words, self._activation_words = self._activation_words, ""
        if words:
            self.query_one(HintBar).success(words)
            return
        self.query_one(HintBar).hint(status_words(forms.first()) if forms else "")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        tab = next((a for a in event.widget.ancestors if isinstance(a, TabPane)), None)
        if tab is not None and tab.id:
            self._left_at[tab.id] = event.widget

    # ---- the status line -------------------------------------------------------------------
    def _show_status(self) -> None:
        op = self.ctx.worker.operator
        state = self.ctx.worker.state
        parts = []
        if self.ctx.sandbox:
            parts.append("【沙箱】")
        database = health(self.ctx.engine).state
        if database:  # before the operator: at 80 columns the line's end may be cut
            parts.append(f"【{database}】")
        if op is not None:
            parts.append(f"{op.name}  {op.enterprise_name}  卡{op.card_no}")
        parts.append(f"网关：{state.label}")
        lines = self.query(StatusLine)  # none while the screen is being taken down (退出)
        if lines:
            lines.first().update(inert("  ".join(parts)))  # names from the card

    def on_unmount(self) -> None:
        health(self.ctx.engine).unsubscribe(self._database_event)
        self._unsubscribe()  # the worker outlives this screen (退出, a pulled card)

    def _database_event(self, fault: DatabaseFault | None) -> None:
        """The database's state changed: the status line says it; its return is said once."""
        if not self.is_attached:
            return
        self._show_status()
        if fault is None:
            self.query_one(HintBar).success("数据库已恢复，未写入的录入内容已存为草稿")

    def _worker_event(self, event: Event) -> None:
        if isinstance(event, StateChanged):
            self._show_status()
            if event.state in (SessionState.OFFLINE, SessionState.LOCKED) and event.message:
                self.query_one(HintBar).error(event.message)
                self.notify(inert(event.message), severity="warning", markup=False)
            if event.state == SessionState.LOCKED:
                self.app.call_later(self.app.locked, event.message)  # type: ignore[attr-defined]
        elif isinstance(event, StatusChanged):
            query_panes = self.query("QueryPane")
            if not query_panes:  # an open query tab says it itself, with its row updated
                self.notify(f"{event.unified_no} {event.new.label}", title="回执", markup=False)
            for pane in self.query(EntryPane):
                if pane.record.unified_no == event.unified_no:
                    self.run_worker(pane.reload(), group="reload", exit_on_error=False)
            for pane in query_panes:
                pane.status_changed(event)  # type: ignore[attr-defined]
        elif isinstance(event, NumberIssued):
            for pane in self.query(EntryPane):
                numbered(pane, event.draft_no, event.unified_no)

    # ---- hints -------------------------------------------------------------------------------
    @on(Hint)
    def _hint(self, message: Hint) -> None:
        self.show_hint(message)

    def show_hint(self, message: Hint) -> None:
        bar = self.query_one(HintBar)
        {"error": bar.error, "ok": bar.success}.get(message.kind, bar.hint)(message.text)

    @on(RecordSaved)
    def _record_saved(self, message: RecordSaved) -> None:
        for pane in self.query(TabPane):
            if message.pane in pane.children:
                title = message.unified_no or "录入"
                self.query_one(TabbedContent).get_tab(pane).label = title  # type: ignore[arg-type]

    # ---- the menu ----------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#menu")
    async def _menu(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice == "entry":
            await self.action_open_entry()
        elif choice == "query":
            await self.action_open_query()
        elif choice == "sheet_import":
            self.action_import_sheet()
        elif choice == "book":
            await self.action_open_book()
        elif choice == "logout":
            self.action_logout()

    def action_toggle_menu(self) -> None:
        menu = self.query_one(Menu)
        folded = not menu.has_class("-folded")
        menu.set_class(folded, "-folded")
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(self._menu_options(folded=folded))
        menu.highlighted = highlighted

    # ---- tabs --------------------------------------------------------------------------------
    def _tabs(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    async def _add_tab(self, title: str, pane_id: str, content) -> None:  # type: ignore[no-untyped-def]
        tabs = self._tabs()
        await tabs.add_pane(TabPane(title, content, id=pane_id))
        tabs.active = pane_id
        self._focus_active()

    def _focus_active(self) -> None:
        pane = self._tabs().active_pane
        if pane is None:
            return
        left = self._left_at.get(pane.id or "")
        if left is not None and left.is_attached and left.focusable:
            self.set_focus(left, scroll_visible=False)  # where the operator left it, scroll too
            return
        for child in pane.query("FieldInput, CheckGroup, Input, DataTable, #form"):
            if child.focusable:
                self.set_focus(child)  # now: the next key of a burst must find it focused
                return

    def open_record(
        self, record: RecordData | None, *, draft_key: str | None = None, dirty: bool = False
    ) -> None:
        """A record (or a new one) in an entry tab; a record already open is shown instead."""
        self.run_worker(self._open_record(record, draft_key=draft_key, dirty=dirty), group="tabs")

    def restore_drafts(self, drafts: list[Draft]) -> None:
        """Drafts chosen at login back in entry tabs; a value the model refuses is never a crash
        (screens/draft_restore.py)."""
        self.run_worker(restore_drafts(self, drafts, self._open_record), group="tabs")

    async def _open_record(
        self, record: RecordData | None, *, draft_key: str | None = None, dirty: bool = False
    ) -> None:
        tabs = self._tabs()
        if record is not None and record.key:
            for pane in self.query(EntryPane):
                if pane.record.is_same_record(record):
                    parent = pane.parent
                    if isinstance(parent, TabPane) and parent.id:
                        tabs.active = parent.id
                        return
        self._entry_count += 1
        pane = EntryPane(self.ctx, record, draft_key=draft_key)
        pane.dirty = dirty
        title = record.key if record and record.key else "录入"
        await self._add_tab(title or "录入", f"entry-{self._entry_count}", pane)
        self.form_shown.set()

    async def action_open_entry(self) -> None:
        # awaited: the keys typed after Ctrl+E land in the new tab's first field
        await self._open_record(None)

    async def action_open_query(self) -> None:
        tabs = self._tabs()
        if self.query("#tab-query"):
            tabs.active = "tab-query"
            self._focus_active()
            return
        from screens.query import QueryPane

        prefs = self.ctx.settings.data_dir / "query-columns.json"
        pane = QueryPane(
            self.ctx.engine,
            self.ctx.operator,
            page_size=self.ctx.settings.page_size,
            refresh=self.ctx.worker.refresh_receipts,
            prefs_path=prefs,
            show_hint=False,  # the hint bar lists the query's keys instead
            submit=lambda keys, progress: submit_batch(self.ctx.worker, keys, progress=progress),
        )
        await self._add_tab("查询", "tab-query", pane)

    def action_import_sheet(self) -> None:
        """导入电子表格 (screens/sheet_import.py), from the folder the app was started in."""
        self.app.push_screen(SheetImportScreen(self.ctx, Path.cwd()))

    @on(CopyRecord)
    async def _copy(self, message: CopyRecord) -> None:
        """复制 (from a form or a row of 查询): the copy in a new tab, its draft written now."""
        await self._open_record(message.record, dirty=True)
        active = self._tabs().active_pane
        forms = active.query(EntryPane) if active is not None else None
        if forms:
            forms.first().save_draft()
            select_whole(forms.first().fields["import_decl_no"])  # type: ignore[arg-type]
        # said now, and again by the new tab's activation (which sets the bar to its state)
        self._activation_words = COPIED
        self.query_one(HintBar).success(COPIED)

    async def action_open_book(self) -> None:
        tabs = self._tabs()
        if self.query("#tab-book"):
            tabs.active = "tab-book"
            self._focus_active()
            return
        pane = BookPane(
            EnterpriseBook(self.ctx.engine, self.ctx.operator),
            export_dir=self.ctx.settings.data_dir / "exports",
            start_dir=Path.cwd(),
        )
        await self._add_tab("常用企业", "tab-book", pane)

    @on(BookHint)
    def _book_hint(self, message: BookHint) -> None:
        bar = self.query_one(HintBar)
        {"error": bar.error, "ok": bar.success}.get(message.kind, bar.hint)(message.text)

    def on_query_pane_open_record(self, message) -> None:  # type: ignore[no-untyped-def]
        try:
            record = self.ctx.store.load(message.unified_no)
        except Exception as error:
            self.query_one(HintBar).error(getattr(error, "message", str(error)))
            return
        self.open_record(record)

    def _cycle(self, step: int) -> None:
        tabs = self._tabs()
        ids = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if not ids or tabs.active not in ids:
            return
        tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)]
        self._focus_active()

    def action_tab_prev(self) -> None:
        self._cycle(-1)

    def action_tab_next(self) -> None:
        self._cycle(1)

    def _close(self, ids: list[str]) -> None:
        tabs = self._tabs()

        async def close() -> None:
            forms = [pane for pane_id in ids for pane in tabs.query(f"#{pane_id} EntryPane")]
            note = keep_drafts(self.ctx, forms)  # type: ignore[arg-type]
            for pane_id in ids:
                self._left_at.pop(pane_id, None)
                await tabs.remove_pane(pane_id)
            self._focus_active()
            if note:
                self.notify(note, timeout=8, markup=False)

        self.run_worker(close(), group="tabs")

    def action_tab_close(self) -> None:
        active = self._tabs().active
        if active:
            self._close([active])

    def action_tab_close_others(self) -> None:
        active = self._tabs().active
        self._close([p.id for p in self._tabs().query(TabPane) if p.id and p.id != active])

    def action_tab_close_all(self) -> None:
        self._close([p.id for p in self._tabs().query(TabPane) if p.id])

    # ---- session -----------------------------------------------------------------------------
    def action_logout(self) -> None:
        note = keep_drafts(self.ctx, self.query(EntryPane))
        self.app.logout(note)  # type: ignore[attr-defined]

    def action_show_keys(self) -> None:
        from screens.keys import KeysScreen

        self.app.push_screen(KeysScreen(self.ctx.settings.keymap))
