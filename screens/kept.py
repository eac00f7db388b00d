"""Forms closed on purpose (关闭页签, 关闭其他/全部选项卡, 退出) keep their drafts, and say so.

`keep_drafts(session, panes)` writes each form's draft, lists the edited ones as kept
(declarant/kept_drafts.py: the next login offers them as kept, not as after a crash) and returns the
sentence naming them, e.g. "已保留2份草稿（新记录 010120251000000892、新记录），下次登录时可恢复", or
None when no form had unsaved content.
"""

from __future__ import annotations

from collections.abc import Iterable

from declarant.session import Session
from screens.entry import EntryPane

NEW = "新记录"


def draft_name(pane: EntryPane) -> str:
    """How the drafts list names the form: its 统一编号, else 新记录, and its 进口报关单号."""
    number = str(pane.fields["import_decl_no"].raw() or "")
    return " ".join(part for part in (pane.record.key or NEW, number) if part)


def keep_drafts(session: Session, panes: Iterable[EntryPane]) -> str | None:
    kept = []
    for pane in panes:
        pane.save_draft()
        if pane.is_attached and pane.dirty and not pane.status.locked:
            kept.append(pane)
    if not kept:
        return None
    session.kept_drafts.keep(pane.draft_key for pane in kept)
    names = "、".join(draft_name(pane) for pane in kept)
    return f"已保留{len(kept)}份草稿（{names}），下次登录时可恢复"
