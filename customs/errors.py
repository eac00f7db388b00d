"""What can go wrong between tuihuo and the customs gateway, as named errors.

Each error carries `message`, the Chinese text an operator reads, and `detail`, the English text for
the log; `status` is the HTTP status when there was an answer, and `problem` the gateway's problem
document when it sent one. The worker decides by class, never by parsing text:

- `GatewayUnavailable`: nothing reached the gateway or it never answered (safe to try again later);
  `CertificateInvalid`, one of them, when the gateway's TLS certificate failed the check (nothing
  was sent: its message names the host).
- `OutcomeUnknown`: a submission may or may not have been taken; submit again later with the same
  Idempotency-Key and round, and the gateway answers as it did the first time.
- `SessionExpired` (401): log in with the card again.
- `NotFound` (404), `Rejected` (other 4xx: `BadRequest` 400/422, `Forbidden` 403, `LoginFailed`
  401 on the login itself), `Conflict` (409).
- `ServerError` (5xx on a request that is not a submission).
"""

from __future__ import annotations

from customs.wire import Problem


class GatewayError(Exception):
    """Base of every gateway failure."""

    default_message = "海关网关请求失败。"

    def __init__(
        self,
        detail: str,
        *,
        message: str | None = None,
        status: int | None = None,
        problem: Problem | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.message = message or self.default_message
        self.status = status
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})"


class GatewayUnavailable(GatewayError):
    default_message = "无法连接海关网关，请检查网络后重试。"


class CertificateInvalid(GatewayUnavailable):
    """The gateway's TLS certificate failed verification: nothing was sent to it."""

    def __init__(self, detail: str, *, host: str) -> None:
        super().__init__(
            detail, message=f"证书校验失败：{host}（海关网关的证书不受信任或与地址不符）"
        )
        self.host = host


class OutcomeUnknown(GatewayError):
    default_message = (
        "提交结果未知：海关网关未应答。请稍后重新提交，系统会使用同一编号，不会重复申报。"
    )


class SessionExpired(GatewayError):
    default_message = "登录已失效，请重新插卡登录。"


class NotFound(GatewayError):
    default_message = "未找到请求的数据。"


class Rejected(GatewayError):
    default_message = "海关网关拒绝了请求。"


class BadRequest(Rejected):
    default_message = "请求内容有误，海关网关未受理。"


class LoginFailed(Rejected):
    """The gateway refused the card login (bad signature, untrusted certificate, used challenge)."""

    default_message = "电子口岸卡登录失败。"


class Forbidden(Rejected):
    default_message = "无权进行此操作：该数据不属于当前插卡企业。"


class Conflict(GatewayError):
    default_message = "该统一编号本轮已提交过不同的内容，或上一轮审核尚未结束。"


class ServerError(GatewayError):
    default_message = "海关网关内部错误，请稍后重试。"
