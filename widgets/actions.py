"""The one registry of actions: it feeds the key bindings, the key list (Alt+K) and the hint bar.

Every action has an id (remappable through the settings' keymap, e.g. `"entry.save" = "f2,ctrl+s"`),
default keys, the label the operator reads, and the scope where it applies. The manual's Alt
shortcuts are priority bindings with an F-key twin, because many SSH clients send no Alt at all
(terminal.md) and a focused input would otherwise type the letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    action: str  # the Textual action name on the scope's widget/screen/app
    keys: str  # default keys, comma separated, Textual key names
    label: str  # the operator's word
    scope: str  # app, entry, goods, query, receipts, attachments, print, popup
    priority: bool = False
    show: bool = True  # listed in the hint bar


ACTIONS: tuple[Action, ...] = (
    # --- everywhere -------------------------------------------------------------------------
    Action("app.keys", "show_keys", "alt+k,f1", "快捷键", "app", priority=True),
    # PuTTY's default keys and the Linux console send Shift+F3 … Shift+F10 as F13 … F20 (the
    # second name of each tab key); their Shift+F1/F2 are F11/F12 themselves, so the menu's
    # Shift+F2 cannot be told from F12 (本月, 回到出错项) there. Every tab and menu action also has
    # a Ctrl key that no Input uses and that tmux (prefix Ctrl+B) and SSH pass on.
    Action("app.menu", "toggle_menu", "shift+f2,ctrl+g", "折叠/展开菜单", "app", priority=True),
    Action(
        "app.tab_prev",
        "tab_prev",
        "shift+f5,f15,ctrl+p",
        "上一页签",
        "app",
        priority=True,
        show=False,
    ),
    Action(
        "app.tab_next",
        "tab_next",
        "shift+f6,f16,ctrl+t",
        "下一页签",
        "app",
        priority=True,
        show=False,
    ),
    Action(
        "app.tab_close",
        "tab_close",
        "shift+f8,f18,ctrl+l",
        "关闭页签",
        "app",
        priority=True,
        show=False,
    ),
    Action(
        "app.tab_close_others",
        "tab_close_others",
        "shift+f9,f19,ctrl+w",
        "关闭其他选项卡",
        "app",
        priority=True,
        show=False,
    ),
    Action(
        "app.tab_close_all",
        "tab_close_all",
        "shift+f10,f20,ctrl+y",
        "关闭全部选项卡",
        "app",
        priority=True,
        show=False,
    ),
    # priority: an Input's own Ctrl+E (end) and Ctrl+F (word right) must never take them
    Action(
        "app.entry", "open_entry", "ctrl+e", "出口退货信息录入", "app", priority=True, show=False
    ),
    Action(
        "app.query", "open_query", "ctrl+f", "出口退货信息查询", "app", priority=True, show=False
    ),
    # from the menu only by default (every Ctrl key left is a tab key or an Input's own); the
    # settings' keymap may give it one, e.g. "app.import_sheet" = "f13"
    Action(
        "app.import_sheet",
        "import_sheet",
        "",
        "导入电子表格",
        "app",
        priority=True,
        show=False,
    ),
    # on the App itself, so it overrides Textual's own Ctrl+Q (quit): 退出 logs out, and on the
    # login screen it leaves the program
    Action("app.logout", "logout_or_quit", "ctrl+q", "退出", "shell", priority=True),
    # on the App too, so it works over every screen; no Alt key: no F-key twin needed
    Action(
        "app.retry_db", "retry_database", "ctrl+r", "立即重试写入数据库", "shell", priority=True
    ),
    # --- the entry form ---------------------------------------------------------------------
    Action("entry.new", "new_record", "f3,ctrl+n", "新增", "entry", priority=True),
    Action("entry.save", "save", "alt+s,f2", "暂存", "entry", priority=True),
    Action("entry.delete", "delete", "alt+r,f8", "删除", "entry", priority=True),
    Action("entry.submit", "submit", "f6", "提交", "entry", priority=True),
    Action("entry.print", "print", "alt+p,f9", "打印", "entry", priority=True),
    Action("entry.attachments", "attachments", "alt+u,f7", "随附单据", "entry", priority=True),
    Action("entry.copy", "copy_record", "alt+c,f11", "复制", "entry", priority=True),
    # Enter and the previous-field keys move focus inside the binding itself (priority), so a
    # burst of typed-ahead keys lands every character in its own field (terminal.md).
    Action("entry.next_field", "next_field", "enter", "下一项", "entry", priority=True, show=False),
    Action(
        "entry.prev_field",
        "prev_field",
        "shift+enter,shift+tab,up",
        "上一项",
        "entry",
        priority=True,
        show=False,
    ),
    Action(
        "entry.tab",
        "tab_field",
        "tab,down",  # ↓ as ↑ goes back: the next field, as a form in a browser
        "下一项（不获取数据）",
        "entry",
        priority=True,
        show=False,
    ),
    Action("entry.popup", "popup", "space,f4", "参数", "entry", show=False),
    Action("entry.refused", "back_to_refused", "f12", "回到出错项", "entry", priority=True),
    Action("entry.retry", "retry_backfill", "f5", "重新获取", "entry", priority=True, show=False),
    # Ctrl+O (open): a file picker on 进口报关单号 to backfill from a declaration file the office has
    Action(
        "entry.declfile",
        "declaration_file",
        "ctrl+o",
        "从报关单文件返填",
        "entry",
        priority=True,
        show=False,
    ),
    # --- the query screen -------------------------------------------------------------------
    Action("query.run", "run_query", "f5", "查询", "query", priority=True),
    Action("query.reset", "reset", "f3", "重置", "query", priority=True),
    Action("query.today", "range_today", "f10", "当天", "query", priority=True, show=False),
    Action("query.week", "range_week", "f11", "本周", "query", priority=True, show=False),
    Action("query.month", "range_month", "f12", "本月", "query", priority=True, show=False),
    Action(
        "query.next_page", "next_page", "pagedown", "下一页", "query", priority=True, show=False
    ),
    Action("query.prev_page", "prev_page", "pageup", "上一页", "query", priority=True, show=False),
    Action(
        "query.first_page", "first_page", "ctrl+home", "首页", "query", priority=True, show=False
    ),
    Action("query.last_page", "last_page", "ctrl+end", "末页", "query", priority=True, show=False),
    Action("query.page_size", "page_size", "f4", "每页条数", "query", priority=True, show=False),
    Action("query.columns", "choose_columns", "f7", "选择显示列", "query", priority=True),
    Action("query.receipts", "receipts", "f9", "回执", "query", priority=True),
    Action("query.tick", "tick", "space", "勾选", "query", priority=True, show=False),
    # focus moves at once (never queued behind typed keys), so the next key of a burst lands there
    Action("query.next", "next_field", "tab", "下一项", "query", priority=True, show=False),
    Action("query.prev", "prev_field", "shift+tab", "上一项", "query", priority=True, show=False),
    Action("query.delete", "delete_ticked", "alt+r,f8", "删除", "query", priority=True),
    Action("query.export", "export", "f6", "导出", "query", priority=True),
    Action("query.submit", "submit_ticked", "f2", "提交", "query", priority=True),
    Action("query.copy", "copy_record", "alt+c,shift+f4", "复制", "query", priority=True),
    # --- the enterprise book (常用企业) -------------------------------------------------------
    Action("book.kind", "toggle_kind", "f4", "企业/联系人", "book", priority=True),
    Action("book.add", "add", "f3", "新增", "book", priority=True),
    Action("book.edit", "edit", "f2", "修改", "book", priority=True),
    Action("book.delete", "delete", "alt+r,f8", "删除", "book", priority=True),
    Action("book.import", "import_sheet", "f5", "导入", "book", priority=True),
    Action("book.export", "export_sheet", "f6", "导出", "book", priority=True),
    Action("book_edit.save", "save", "f2,alt+s", "保存", "book_edit", priority=True),
    Action("book_edit.cancel", "cancel", "escape", "取消", "book_edit", priority=True),
    # --- the receipts panel -----------------------------------------------------------------
    Action("receipts.refresh", "refresh", "f5", "刷新", "receipts", priority=True),
    Action("receipts.close", "close", "escape", "关闭", "receipts", priority=True),
    # --- attachments and print dialogs --------------------------------------------------------
    Action("attachments.add", "add", "insert,f2", "添加", "attachments", priority=True),
    Action("attachments.details", "details", "enter", "详情", "attachments"),
    Action("attachments.remove", "remove", "delete,f8", "移除", "attachments", priority=True),
    Action("attachments.close", "close", "escape", "关闭", "attachments", priority=True),
    Action("print.pdf", "save_pdf", "f2", "保存PDF", "print", priority=True),
    Action("print.text", "save_text", "f3", "保存文本", "print", priority=True),
    Action("print.printer", "send_printer", "f4", "打印机", "print", priority=True),
    Action("print.close", "close", "escape", "关闭", "print", priority=True),
    # --- popups (parameter list, calendar) ----------------------------------------------------
    Action("popup.confirm", "confirm", "enter", "确认", "popup", priority=True),
    Action("popup.cancel", "cancel", "escape", "取消", "popup", priority=True),
)

BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}


# An action with no default key is bound to F24, which no keyboard of the offices sends: Textual
# needs a key for a binding, and the settings' keymap can only remap a binding that exists.
UNBOUND = "f24"


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, each with its id so the keymap can remap it."""
    return [
        Binding(a.keys or UNBOUND, a.action, a.label, show=a.show, priority=a.priority, id=a.id)
        for a in ACTIONS
        if a.scope == scope
    ]


def in_scope(scope: str) -> list[Action]:
    return [a for a in ACTIONS if a.scope == scope]


# Textual's names that read badly capitalised (Pagedown) as keyboards print them
KEY_WORDS = {"pagedown": "PgDn", "pageup": "PgUp"}


def _key_word(word: str) -> str:
    return KEY_WORDS.get(word) or (word.capitalize() if len(word) > 1 else word.upper())


# F13 … F20 as PuTTY and the Linux console send Shift+F3 … Shift+F10: the same key, not shown twice
LEGACY_SHIFTED = {f"f{n + 10}": f"shift+f{n}" for n in range(3, 11)}


def key_text(keys: str) -> str:
    """How keys read in the key list and hint bar: alt+s,f2 -> Alt+S/F2 (f15 beside shift+f5 is
    left out: it is the same key on another terminal)."""
    names = [key.strip() for key in keys.split(",")]
    parts = []
    for key in names:
        if LEGACY_SHIFTED.get(key) in names:
            continue
        words = [_key_word(w) for w in key.split("+")]
        parts.append("+".join(words))
    return "/".join(parts)
