"""Card login (卡介质登录): find the reader and the card, show the holder, ask the PIN.

Every failure is answered in Chinese: no pcscd, no reader, no card, wrong PIN with tries left, a
blocked card, an unreachable gateway (then the session goes on offline, for drafts).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from customs.card.control import CONTROL_CLOSED, CONTROL_MUTE, PULLED
from widgets.ordering import settle
from widgets.pin_input import PinInput

READING = "正在读卡…"
# after a lock, by its reason: what happened and what to do (issue 14)
_AFTER_LOCK = {
    PULLED: "电子口岸卡已拔出，请重新插卡登录",
    CONTROL_CLOSED: "客户端控件已断开（控件关闭或 SSH 转发中断），请恢复后重新登录",
    CONTROL_MUTE: "客户端控件无响应，请检查控件后重新登录",
}


def login_note(lock_message: str | None) -> str:
    """The login screen's line after a lock, from the worker's lock message
    (``"<reason>，会话已锁定"``, the reason one of `PULLED`, `CONTROL_CLOSED`, `CONTROL_MUTE`)."""
    reason = (lock_message or "").removesuffix("，会话已锁定") or PULLED
    return _AFTER_LOCK.get(reason, f"{reason}，请重新登录")


class LoginScreen(Screen[None]):
    DEFAULT_CSS = """
    LoginScreen {
        align: center middle;
    }
    LoginScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $primary;
        padding: 0 2;
    }
    LoginScreen #login-title {
        text-style: bold;
        width: 100%;
        content-align: center middle;
    }
    LoginScreen #login-mode {
        color: $warning;
    }
    LoginScreen #pin-row {
        height: 1;
        margin: 1 0;
    }
    LoginScreen #pin {
        height: 1;
        border: none;
        width: 24;
        background: $boost;
    }
    LoginScreen #card-state {
        min-height: 4;  /* the holder, as wrapped at 58 columns: the box does not grow (and repaint twice) */
    }
    LoginScreen #login-message {
        color: $text-error;
        height: auto;
    }
    LoginScreen .muted {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("f5", "probe", "重新读卡", priority=True),
    ]

    class LoggedIn(Message):
        pass

    def __init__(self, *, sandbox: bool, note: str = "") -> None:
        super().__init__()
        self.sandbox = sandbox
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("中国国际贸易单一窗口 · 出口退货信息管理", id="login-title")
            yield Static("电子口岸卡登录（卡介质）", classes="muted")
            if self.sandbox:
                yield Static(
                    "沙箱模式：海关网关与电子口岸卡均为沙箱，数据不会发送海关", id="login-mode"
                )
            yield Static(READING, id="card-state", markup=False)
            with Horizontal(id="pin-row"):
                yield Label("卡口令：")
                yield PinInput(placeholder="（输入后回车）", password=True, id="pin", max_length=16)
            yield Static(self.note, id="login-message", markup=False)
            yield Static("F5 重新读卡   Ctrl+Q 退出", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()
        self.probe()

    def action_probe(self) -> None:
        """F5 重新读卡: on success the message of what went before (a pull, a control fault, a
        failed login) goes, as that is over."""
        self.probe(fresh=True)

    @work(exclusive=True, group="probe")
    async def probe(self, *, fresh: bool = False) -> None:
        """Read the card's holder into the card-state line; `fresh` (F5) also clears the message
        line when the card reads (not the automatic read after a logout or a lock, whose message
        says why the operator is here)."""
        state = self.query_one("#card-state", Static)
        runtime = await self.app.runtime_ready()  # type: ignore[attr-defined]
        if runtime is None:  # e.g. a damaged database: its path and what to do, on the screen
            state.update(self.app.runtime_error or "启动失败")  # type: ignore[attr-defined]
            return
        if state.content != READING:  # the same text again would repaint it (bytes over SSH)
            state.update(READING)
        slot = runtime.worker.slot
        try:
            info = await runtime.worker.probe()
        except Exception as error:  # every card fault has its Chinese message
            # which card path was tried and why it was the one: what to fix when none works
            # each on its own line: the socket path in them is never wrapped mid-word at 80x24
            state.update(
                f"读卡失败：{getattr(error, 'message', error)}\n"
                f"卡路径：{slot.description}\n{getattr(slot, 'why', '')}".rstrip()
            )
            return
        state.update(
            f"持卡人：{info.operator_name}    卡号：{info.card_no}\n"
            f"企业：{info.enterprise_name}\n"
            f"      {info.enterprise_uscc} / {info.customs_code}    （{slot.description}）"
        )
        if fresh:
            self._say("")

    @on(Input.Submitted, "#pin")
    def _pin_entered(self, event: Input.Submitted) -> None:
        pin = event.value
        event.input.value = ""  # the PIN never stays on screen or in a widget
        if not pin:
            self._say("请输入电子口岸卡口令")
            return
        self.login(pin)

    # not exclusive: nothing typed cancels a login once started (the PIN field holds the keys
    # meanwhile, widgets/pin_input.py); a second one would cost the card a try for a wrong PIN
    @work(group="login")
    async def login(self, pin: str) -> None:
        field = self.query_one("#pin", PinInput)
        runtime = await self.app.runtime_ready()  # type: ignore[attr-defined]
        if runtime is None:
            field.release()
            return
        self._say("正在登录：校验口令、卡签名…")
        try:
            await runtime.worker.login(pin)
        except Exception as error:
            # the keys typed after the Enter are no PIN: never sent to the card, dropped
            await settle(field)
            field.release()
            message = getattr(error, "message", None) or "登录失败"
            self._say(message)
            return
        finally:
            del pin
        self._say("")
        self.post_message(self.LoggedIn())

    async def take_type_ahead(self) -> list[events.Key | events.Paste]:
        """The keys typed after the PIN's Enter, in order (the field has handled all it was
        given); the field is live and empty again for the next login."""
        field = self.query_one("#pin", PinInput)
        await settle(field)
        return field.release()

    def again(self, note: str) -> None:
        """Back after a logout or a pulled card: say why, read the card again, ask the PIN."""
        self._say(note)
        self.query_one("#pin", Input).value = ""
        self.query_one("#pin", Input).focus()
        self.probe()

    def _say(self, text: str) -> None:
        line = self.query_one("#login-message", Static)
        if str(line.content) != text:  # the same text again would repaint it (bytes over SSH)
            line.update(text)
