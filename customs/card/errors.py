"""The e-port card's failures, each with a Chinese `message` for the operator and an English detail.

`str(error)` gives both; `repr` never carries a PIN or an APDU (a VERIFY APDU holds the PIN), only
the class, the detail the code wrote and, for `WrongPin`, the tries left.
"""

from __future__ import annotations


class CardError(Exception):
    """Base of every e-port card failure. `message` is for the operator, `detail` for the log."""

    default_message = "电子口岸卡操作失败"

    def __init__(self, detail: str = "", *, message: str | None = None) -> None:
        self.detail = detail
        self.message = message if message is not None else self.default_message
        super().__init__(detail)

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})" if self.detail else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.detail!r})"


class PcscUnavailable(CardError):
    """pcscd is not running (or the PC/SC library is missing)."""

    default_message = "读卡服务未启动"


class NoReader(CardError):
    default_message = "未找到读卡器"


class NoCard(CardError):
    default_message = "请插入电子口岸卡"


class CardRemoved(CardError):
    default_message = "电子口岸卡已拔出"


class WrongPin(CardError):
    """The PIN was refused; `tries_left` more attempts before the card locks."""

    def __init__(self, tries_left: int, detail: str = "") -> None:
        self.tries_left = tries_left
        super().__init__(
            detail or f"PIN refused, {tries_left} tries left",
            message=f"口令错误，还可尝试{tries_left}次",
        )

    def __reduce__(self) -> tuple[type[WrongPin], tuple[int, str]]:
        return (WrongPin, (self.tries_left, self.detail))

    def __repr__(self) -> str:
        return f"WrongPin(tries_left={self.tries_left})"


class BadPinFormat(CardError):
    """The PIN as typed cannot be one (4 to 16 printable ASCII characters): never sent to the
    card, so it costs no try; the operator's mistake, not a fault of the card."""

    default_message = "口令格式不正确"


class CardBlocked(CardError):
    default_message = "电子口岸卡已锁定"


class PinRequired(CardError):
    """The card refused to sign because no PIN was verified since it was powered up or reset."""

    default_message = "请先输入电子口岸卡口令"


class CardTimeout(CardError):
    """The card (or the reader) did not answer in time; the connection is given up."""

    default_message = "电子口岸卡无响应"


class CardProtocolError(CardError):
    """The card answered something the profile does not allow, or PC/SC failed otherwise."""

    default_message = "电子口岸卡通讯错误"
