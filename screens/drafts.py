"""未保存的草稿: after a crash or a dropped SSH session, the drafts are offered back at start.

Drafts of forms closed on purpose (关闭页签, 退出: declarant/kept_drafts.py) are offered too, under a
title that does not speak of a crash; one draft of unknown origin makes it the crash title.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.clock import to_local
from store.models import Draft

CRASHED = "发现未保存的录入内容（上次异常退出或连接中断）"
KEPT = "上次关闭页签或退出时保留的草稿"


class DraftsScreen(ModalScreen[list[Draft]]):
    """Enter restores the highlighted draft, A restores all, Delete discards one, Esc later."""

    DEFAULT_CSS = """
    DraftsScreen {
        align: center middle;
    }
    DraftsScreen > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 20;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    DraftsScreen OptionList {
        height: auto;
        max-height: 12;
        border: none;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter", "restore", "恢复", priority=True),
        Binding("a", "restore_all", "全部恢复", priority=True),
        Binding("delete", "discard", "丢弃", priority=True),
        Binding("escape", "later", "稍后", priority=True),
    ]

    def __init__(self, drafts: list[Draft], discard, *, crashed: bool = True) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.crashed = crashed
        self.drafts = list(drafts)
        self._discard = discard

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(CRASHED if self.crashed else KEPT, classes="title")
            yield OptionList(*self._options(), id="drafts")
            yield Static("Enter 恢复   A 全部恢复   Delete 丢弃   Esc 稍后")

    def _options(self) -> list[Option]:
        options = []
        for draft in self.drafts:
            payload = draft.payload or {}
            what = draft.unified_no or "新记录"
            decl = payload.get("import_decl_no") or "（未录入进口报关单号）"
            when = to_local(draft.updated_at).strftime("%m-%d %H:%M")
            options.append(Option(f"{when}  {what}  {decl}", id=draft.key))
        return options

    def _highlighted(self) -> Draft | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return self.drafts[options.highlighted]

    def action_restore(self) -> None:
        draft = self._highlighted()
        self.dismiss([draft] if draft else [])

    def action_restore_all(self) -> None:
        self.dismiss(self.drafts)

    def action_discard(self) -> None:
        draft = self._highlighted()
        if draft is None:
            return
        self._discard(draft.key)
        self.drafts.remove(draft)
        if not self.drafts:
            self.dismiss([])
            return
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = 0

    def action_later(self) -> None:
        self.dismiss([])
