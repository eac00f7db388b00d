"""The App: login first, then the main screen; the session's parts are built after the first frame.

Heavy imports (the store, the gateway client, the sandbox server) and opening the database happen in
a thread once the login screen is drawn, so the first interactive frame comes as fast as a bare
Textual app's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App

from screens.login import LoginScreen
from tui.settings import Settings

if TYPE_CHECKING:
    from tui.bootstrap import Runtime

SIXTEEN_COLOUR_THEME = "ansi-dark"


class TuihuoApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "tuihuo 出口退货信息管理"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        settings: Settings,
        *,
        runtime_factory: Callable[[Settings], Runtime] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._runtime_factory = runtime_factory
        self.runtime: Runtime | None = None
        self.runtime_error: str | None = None
        self._runtime_done = asyncio.Event()

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.theme = self.settings.theme or self._default_theme()
        self.push_screen(LoginScreen(sandbox=self.settings.sandbox))
        self._build_runtime()

    def _default_theme(self) -> str:
        # 16-colour terminals (TERM=xterm, screen, tmux without -256color) make the default theme
        # unreadable (terminal.md); the ansi theme uses the terminal's own palette
        return SIXTEEN_COLOUR_THEME if self.console.color_system == "standard" else "textual-dark"

    @work(thread=True, exclusive=True, group="runtime")
    def _build_runtime(self) -> None:
        try:
            factory = self._runtime_factory
            if factory is None:
                from tui.bootstrap import build_runtime

                factory = build_runtime
            self.runtime = factory(self.settings)
        except Exception as error:  # shown on the login screen, never a traceback
            self.runtime_error = f"启动失败：{getattr(error, 'message', None) or error}"
        finally:
            self.call_from_thread(self._runtime_done.set)

    async def runtime_ready(self) -> Runtime | None:
        await self._runtime_done.wait()
        if self.runtime is None:
            self.notify(self.runtime_error or "启动失败", severity="error", timeout=30)
        return self.runtime

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # a blinking cursor costs 150-200 B/s over SSH while idle: off unless the settings say so
        widget = event.widget
        if hasattr(widget, "cursor_blink"):
            widget.cursor_blink = self.settings.cursor_blink  # type: ignore[attr-defined]

    def on_login_screen_logged_in(self, _message: LoginScreen.LoggedIn) -> None:
        from screens.main import MainScreen
        from tui.context import AppContext

        runtime = self.runtime
        assert runtime is not None
        context = AppContext(
            self.settings, runtime.engine, runtime.worker, runtime.sandbox, runtime.gateway_url
        )
        self.switch_screen(MainScreen(context))
        self.run_worker(runtime.worker.run(interval=2.0), exclusive=True, group="background")
        self.call_after_refresh(self._offer_drafts, context)

    def _offer_drafts(self, context) -> None:  # type: ignore[no-untyped-def]
        from screens.drafts import DraftsScreen
        from screens.main import MainScreen
        from store.record import RecordData

        drafts = context.store.drafts()
        if not drafts:
            return

        def restore(chosen) -> None:  # type: ignore[no-untyped-def]
            screen = self.screen
            if not isinstance(screen, MainScreen):
                return
            for draft in chosen or []:
                record = RecordData.model_validate(draft.payload)
                screen.open_record(record, draft_key=draft.key, dirty=True)

        self.push_screen(DraftsScreen(drafts, context.store.discard_draft), restore)

    def locked(self) -> None:
        """The card was pulled: back to the login screen; drafts are already in the store."""
        self.workers.cancel_group(self, "background")
        self.switch_screen(
            LoginScreen(sandbox=self.settings.sandbox, note="电子口岸卡已拔出，请重新插卡登录")
        )

    @work(exclusive=True, group="logout")
    async def logout(self) -> None:
        self.workers.cancel_group(self, "background")
        if self.runtime is not None:
            await self.runtime.worker.logout()
        self.switch_screen(LoginScreen(sandbox=self.settings.sandbox, note="已安全退出"))

    async def on_unmount(self) -> None:
        if self.runtime is not None:
            await self.runtime.worker.client.aclose()
            self.runtime.close()
