"""The App: login first, then the main screen; the session's parts are built after the first frame.

Heavy imports (the store, the gateway client, the sandbox server) and opening the database happen in
a thread once the login screen is drawn, so the first interactive frame comes as fast as a bare
Textual app's. That is why the methods below import inside themselves: deferred for the first frame,
never to dodge a cycle (no floor below `tui` imports it; `lint-imports` checks the floors).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.binding import Binding
from textual.content import Content
from textual.driver import Driver
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from screens.login import LoginScreen, login_note
from screens.too_small import fit
from tui.early import EarlyOptions
from tui.output import DiffOutput
from widgets.actions import bindings
from widgets.hint_bar import HintBar
from widgets.ordering import SettlingApp, registry_keys

if TYPE_CHECKING:
    from rich.console import RenderableType

    from declarant.runtime import Runtime
    from tui.settings import Settings

SIXTEEN_COLOUR_THEME = "ansi-dark"
FORM_WAIT = 10.0  # seconds the keys typed during the login wait for the entry form at most


class Notice(Message):
    """A notification on its way to where it is said (TuihuoApp.notify)."""

    def __init__(
        self,
        message: str,
        title: str,
        severity: SeverityLevel,
        timeout: float | None,
        markup: bool,
    ) -> None:
        super().__init__()
        self.message, self.title, self.severity = message, title, severity
        self.timeout, self.markup = timeout, markup


class TuihuoApp(SettlingApp):
    # SettlingApp: an action's key waits for the keys typed before it (tui/ordering.py)
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[Binding]] = bindings("shell")
    TITLE = "tuihuo 出口退货信息管理"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        early: EarlyOptions | None = None,
        runtime_factory: Callable[[Settings], Runtime] | None = None,
    ) -> None:
        # NO_COLOR (no-color.org): Textual strips colours with its NoColor filter only for a native
        # ANSI theme; otherwise it turns them to greys, which 16 colours paint black on black. With
        # ansi_color every colour becomes the terminal's default and app.tcss's :nocolor rules put
        # the emphasis in reverse, bold and underline.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        if early is None:
            assert settings is not None, "either the settings or the early options"
            early = EarlyOptions(
                sandbox=settings.sandbox,
                theme=settings.theme,
                mouse=settings.mouse,
                cursor_blink=settings.cursor_blink,
                diff_output=settings.diff_output,
            )
        self.early = early
        # only what changed goes to the terminal, scrolls by its scroll region (tui/output.py)
        self._output = DiffOutput() if early.diff_output else None
        self._settings = settings

        self._runtime_factory = runtime_factory
        self.runtime: Runtime | None = None
        self.runtime_error: str | None = None
        self._runtime_done = asyncio.Event()
        # the loop thread's busy timeout before _runtime_built set it (False: not set)
        self._db_wait: int | bool | None = False
        self._keymap_set = False

    def get_driver_class(self) -> type[Driver]:
        from tui.keyparser import install

        install()  # Alt+letter then another key in one read (tui/keyparser.py)
        return super().get_driver_class()

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("the settings load after the first frame")
        return self._settings

    def get_default_screen(self) -> LoginScreen:
        # the login screen is the first screen, not pushed over a blank one: one frame, not two
        return LoginScreen(sandbox=self.early.sandbox)

    def on_mount(self) -> None:
        # one first frame, not two: Textual paints the login screen at its first layout, then
        # again in full at its ScreenResume and once more for the PIN field's focus (12 KB where
        # one frame is 5 KB over SSH). Nothing is sent until the screen has settled.
        self._begin_batch()
        self.screen.call_after_refresh(self._first_frame)
        theme = self.early.theme or self._default_theme()
        if theme != self.theme:  # a theme change restyles everything: only when it is one
            self.theme = theme
        # below 80x24 a notice instead of a cut form (screens/too_small.py), on whatever is shown
        self.screen_change_signal.subscribe(self, lambda screen: fit(screen, self.size))
        fit(self.screen, self.size)
        if self._output is not None:  # back from a suspension the terminal shows anything
            forget = self._output.invalidate
            self.app_suspend_signal.subscribe(self, lambda _app: forget())
            self.app_resume_signal.subscribe(self, lambda _app: forget())

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        # Textual 8.2.8's App._display writes an update only under these conditions (it drops
        # one during a batch): the layer takes an update as shown only when it will be
        if (
            self._output is not None
            and renderable is not None
            and not self._batch_count
            and self._running
            and not self._closed
            and not self.is_headless
            and self._driver is not None
        ):
            if self._driver.is_inline:
                self._output.invalidate()
            else:
                renderable = self._output.translate(screen, renderable, self.console)
        super()._display(screen, renderable)

    def _first_frame(self) -> None:
        self.screen._repaint_required = True  # the whole screen in one update, once
        self._end_batch()
        # the first frame first: the store, the gateway and the settings' validation after it (a
        # thread importing them would hold the GIL while the frame is being drawn)
        self.set_timer(0.1, self._build_runtime)

    def on_resize(self, event: events.Resize) -> None:
        if self._output is not None:  # a terminal may keep, crop or rewrap what it showed
            self._output.invalidate()
        fit(self.screen, event.size)

    def _default_theme(self) -> str:
        # 16-colour terminals (TERM=xterm, screen, tmux without -256color) make the default theme
        # unreadable (terminal.md); the ansi theme uses the terminal's own palette
        return SIXTEEN_COLOUR_THEME if self.console.color_system == "standard" else "textual-dark"

    @work(thread=True, exclusive=True, group="runtime")
    def _build_runtime(self) -> None:
        try:
            if self._settings is None:
                from tui.settings import describe_settings_refusal, load_settings

                try:
                    self._settings = load_settings()
                except ValueError as error:  # the file or an option: said, never a traceback
                    self.runtime_error = (
                        "设置有误，请检查配置文件或 TUIHUO_ 环境变量："
                        + describe_settings_refusal(error)
                    )
                    return
            self._start_log()
            factory = self._runtime_factory
            if factory is None:
                from declarant.runtime import build_runtime

                factory = build_runtime
            self.runtime = factory(self.settings)
        except Exception as error:  # shown on the login screen, never a traceback
            self.runtime_error = f"启动失败：{getattr(error, 'message', None) or error}"
        finally:
            self.call_from_thread(self._runtime_built)

    def _runtime_built(self) -> None:
        if self.runtime is not None and self._db_wait is False:
            from store.engine import UI_BUSY_TIMEOUT_MS, thread_busy_timeout

            # the event loop's store calls give up on a held lock within a few frames: the draft
            # becomes an owed write (store.pending) instead of a frozen screen
            self._db_wait = thread_busy_timeout(self.runtime.engine, UI_BUSY_TIMEOUT_MS)
        self._runtime_done.set()

    def _start_log(self) -> None:
        from tui.logs import database_password, setup_logging

        try:
            setup_logging(secrets=[database_password(self.settings.resolved_database_url())])
        except OSError as error:  # no log is no reason to refuse work: said once, on the login
            self.call_from_thread(
                self.notify, f"无法写入日志：{error.filename or ''}（{error.strerror}）", timeout=10
            )

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: drafts and the log first, then one Chinese line, never a traceback.

        Textual's own path renders a traceback with local variables (the settings, the database
        password); it gets a `Crashed` carrying the line instead (tui/crash.py).
        """
        from tui.crash import Crashed, handle

        if isinstance(error, Crashed):
            super()._handle_exception(error)
            return
        crashed = Crashed(handle(self, error))
        crashed.__cause__ = error
        super()._handle_exception(crashed)

    async def runtime_ready(self) -> Runtime | None:
        await self._runtime_done.wait()
        if self._settings is not None and self._settings.keymap and not self._keymap_set:
            self._keymap_set = True
            self.set_keymap(self._settings.keymap)
            self.action_keys = registry_keys(self._settings.keymap)
        if self.runtime is None:
            self.notify(
                self.runtime_error or "启动失败", severity="error", timeout=30, markup=False
            )
        return self.runtime

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Over the form, a notification is said on the hint bar, never in a toast: a toast that
        went left fragments of itself over the fields and erased the wide character at its left
        edge (产品外壳 became " 品外壳") on real terminals, and several stacked into residue. Over
        a dialog (print preview, attachments …) it is Textual's toast, on the dialog. Thread-safe,
        as Textual's own: it posts a message to the App."""
        self.post_message(Notice(message, title, severity, timeout, markup))

    def on_notice(self, notice: Notice) -> None:
        bars = self.screen.query(HintBar)
        if not bars:
            super().notify(
                notice.message,
                title=notice.title,
                severity=notice.severity,
                timeout=notice.timeout,
                markup=notice.markup,
            )
            return
        text = Content.from_markup(notice.message).plain if notice.markup else notice.message
        bars.first().notice(text, notice.severity, notice.title)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # inputs do not blink by default (widgets.ordered_input); the settings may want them to
        if self.early.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = True  # type: ignore[attr-defined]

    async def on_login_screen_logged_in(self, _message: LoginScreen.LoggedIn) -> None:
        from declarant.session import Session
        from screens.main import MainScreen

        runtime = self.runtime
        assert runtime is not None
        context = Session(
            self.settings, runtime.engine, runtime.worker, runtime.sandbox, runtime.gateway_url
        )
        # the keys typed after the PIN's Enter, and any read until the form has the cursor, go
        # to the form's first field as if typed after it appeared (tui/ordering.py)
        login = self.screen
        self.hold_keys(await login.take_type_ahead() if isinstance(login, LoginScreen) else [])
        main = MainScreen(context)
        self.push_screen(main)
        self.run_worker(self._release_when_shown(main), group="type-ahead")
        self.run_worker(
            runtime.worker.run(interval=2.0),
            exclusive=True,
            group="background",
            exit_on_error=False,
        )
        from store.pending import health

        # not in "background": a logout keeps retrying what the database still owes
        self.run_worker(health(runtime.engine).keep_retrying(), group="database", exclusive=True)
        self.call_after_refresh(self._offer_drafts, context)

    async def _release_when_shown(self, main) -> None:  # type: ignore[no-untyped-def]
        # past the wait the keys go wherever the cursor is rather than nowhere
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(main.form_shown.wait(), FORM_WAIT)
        self.release_keys()

    def _offer_drafts(self, context) -> None:  # type: ignore[no-untyped-def]
        from screens.db_state import fault_text, tell
        from screens.drafts import DraftsScreen
        from screens.main import MainScreen
        from store.errors import DatabaseFault

        try:
            drafts = context.store.drafts()
        except DatabaseFault as fault:  # offered again at the next login
            tell(self.screen, fault_text("读取未保存的草稿", fault))
            return
        if not drafts:
            return

        def restore(chosen) -> None:  # type: ignore[no-untyped-def]
            # open again (or discarded): a later crash makes them news, not kept on purpose
            context.kept_drafts.forget(draft.key for draft in chosen or [])
            screen = self.screen
            if not isinstance(screen, MainScreen):
                return
            screen.restore_drafts(list(chosen or []))

        def discard(key: str) -> None:
            context.discard_draft(key)
            context.kept_drafts.forget([key])

        kept = context.kept_drafts.keys()
        crashed = any(draft.key not in kept for draft in drafts)
        self.push_screen(DraftsScreen(drafts, discard, crashed=crashed), restore)

    def action_retry_database(self) -> None:
        from screens.db_state import retry_now

        retry_now(self)

    def locked(self, message: str | None = None) -> None:
        """The card was pulled or its control went (`message`: the worker's lock message, e.g.
        客户端控件无响应，会话已锁定): back to the login screen saying which; drafts are already
        in the store."""
        self.workers.cancel_group(self, "background")
        self._back_to_login(login_note(message))

    @work(exclusive=True, group="logout")
    async def logout(self, kept: str | None = None) -> None:
        """End the session; `kept` names the drafts kept of the open forms (screens/kept.py)."""
        self.workers.cancel_group(self, "background")
        if self.runtime is not None:
            await self.runtime.worker.logout()
        self._back_to_login(f"已安全退出。{kept}" if kept else "已安全退出")

    def action_logout_or_quit(self) -> None:
        if isinstance(self.screen, LoginScreen):
            from screens.db_state import may_quit

            if may_quit(self):  # not while typed content is owed to the database
                self.exit()
            return
        from screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.action_logout()  # keeps every open form's draft first
                return
        self.logout()

    def _back_to_login(self, note: str) -> None:
        """Close the session's screens down to the login screen, which is always the first."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        login = self.screen_stack[0]
        if isinstance(login, LoginScreen):
            login.again(note)

    async def on_unmount(self) -> None:
        if self._db_wait is not False and self.runtime is not None:
            from store.engine import thread_busy_timeout

            thread_busy_timeout(self.runtime.engine, self._db_wait)
            self._db_wait = False
        if self.runtime is not None:
            await self.runtime.worker.client.logout()  # leaving ends the gateway session too
            await self.runtime.worker.client.aclose()
            self.runtime.close()
