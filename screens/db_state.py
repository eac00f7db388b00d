"""Database faults as the operator meets them: the failed action's own message on the hint bar, the
state (【数据库忙】 …) on the status line, the form kept, and Ctrl+R to retry at once.

The store names the fault (`store.errors.DatabaseFault`) and keeps what is owed (`store.pending`);
this module only says it. `guarded(action)` wraps a screen's handler so a fault in it is said, never
raised into Textual (which would end the app).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.dom import DOMNode

from store.errors import DatabaseFault, StoreError
from store.pending import health
from widgets.actions import BY_ID, key_text
from widgets.hint_bar import HintBar

F = TypeVar("F", bound=Callable[..., Any])


def retry_keys() -> str:
    return key_text(BY_ID["app.retry_db"].keys)


def fault_text(action: str, fault: DatabaseFault, *, kept: bool = False) -> str:
    """`查询失败：数据库忙：…`; when the form's content is kept in memory, how it will land instead
    (`暂存失败：数据库忙。录入内容已保留，恢复后请再暂存（Ctrl+R重试）`: the form's draft is
    written by itself once the database answers, the action is the operator's to repeat). Short enough for one
    line of an 80-column hint bar."""
    if kept:
        return (
            f"{action}失败：{fault.state}。录入内容已保留，恢复后请再{action}（{retry_keys()}重试）"
        )
    return f"{action}失败：{fault.message}"


def refusal(action: str, error: StoreError) -> str:
    """A store refusal as said: a database fault names the failed action; others say themselves."""
    return fault_text(action, error) if isinstance(error, DatabaseFault) else error.message


def tell(node: DOMNode, text: str) -> None:
    """On the screen's hint bar as a refusal; a notification where the screen has none."""
    bars = node.screen.query(HintBar) if node.is_attached else []
    if bars:
        bars.first().error(text)
    else:
        node.app.notify(text, severity="error", timeout=10, markup=False)


def guarded(action: str) -> Callable[[F], F]:
    """Say a `DatabaseFault` raised by the wrapped handler as `<action>失败：…` (sync or async)."""

    def wrap(method: F) -> F:
        if _is_async(method):

            @functools.wraps(method)
            async def run_async(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
                try:
                    return await method(self, *args, **kwargs)
                except DatabaseFault as fault:
                    tell(self, fault_text(action, fault))
                    return None

            return run_async  # type: ignore[return-value]

        @functools.wraps(method)
        def run(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except DatabaseFault as fault:
                tell(self, fault_text(action, fault))
                return None

        return run  # type: ignore[return-value]

    return wrap


def _is_async(method: Callable[..., Any]) -> bool:
    import inspect

    return inspect.iscoroutinefunction(method)


def may_quit(app: App[Any]) -> bool:
    """Leaving the program: refused once while typed content is still owed to the database (it
    lives only in memory); asked again, the operator leaves knowing it."""
    runtime = getattr(app, "runtime", None)
    owed = health(runtime.engine).pending if runtime is not None else []
    if not owed or getattr(app, "_quit_warned", False):
        return True
    app._quit_warned = True  # type: ignore[attr-defined]
    app.notify(
        f"有{len(owed)}份录入内容尚未写入数据库（{health(runtime.engine).state or '待写入'}）。"
        f"请按 {retry_keys()} 重试或稍候；再按 Ctrl+Q 将放弃这些内容并退出",
        severity="error",
        timeout=15,
    )
    return False


def retry_now(app: App[Any]) -> None:
    """The retry key: write what is owed now (the retry runs off the UI thread)."""
    runtime = getattr(app, "runtime", None)
    if runtime is None:
        return
    watched = health(runtime.engine)
    if watched.fault is None and not watched.pending:
        app.notify("数据库正常，没有待写入的内容")
        return
    watched.retry_now()
    app.notify("正在重试写入数据库…")


def guard_methods(action: str, names: str) -> Callable[[type], type]:
    """Class decorator: `guarded(action)` on each method named in `names` (space separated), so
    a big screen does not grow a try/except per handler."""

    def wrap(cls: type) -> type:
        for name in names.split():
            setattr(cls, name, guarded(action)(getattr(cls, name)))
        return cls

    return wrap
