"""The sandbox customs gateway: a FastAPI application speaking the `/v1` protocol of customs.wire.

`create_app(config)` builds it; nothing happens at import time. Every error answer is
`application/problem+json` (customs.wire.Problem), including request validation errors (422), unknown
routes and methods, and anything unexpected: a client never sees a bare 500 page.
"""

import base64
import binascii
import hashlib
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from customs import crypto
from customs.wire import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    PROBLEM_MEDIA_TYPE,
    Challenge,
    ImportDeclaration,
    LoginRequest,
    Problem,
    ReceiptPage,
    Session,
    Submission,
    SubmissionAccepted,
    UnifiedNumber,
    canonical_json,
    signed_payload,
)
from sandbox.gateway import review
from sandbox.gateway.config import GatewayConfig
from sandbox.gateway.data import generate_declarations
from sandbox.gateway.faults import FaultMiddleware, FaultState
from sandbox.gateway.state import ChallengeState, Outcome, SessionRow, State

log = logging.getLogger("sandbox.gateway")

_UNIFIED_NO_RE = re.compile(r"\d{18}")
_DECL_RE = re.compile(r"\d{18}")
CURSOR_DIGITS = 18  # a feed position fits SQLite's 64-bit integer with room to spare


class ProblemError(Exception):
    """Raised anywhere in a handler; answered as a problem document."""

    def __init__(self, status: int, title: str, detail: str, message: str | None = None) -> None:
        super().__init__(detail)
        self.problem = Problem(title=title, status=status, detail=detail, message=message)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for problem answers."""
    return {
        code: {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": "problem"}
        for code in codes
    }


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, "Unauthorized", detail, "登录已失效，请重新插卡登录。")


def create_app(config: GatewayConfig | None = None) -> FastAPI:
    """The gateway application over the state file of `config`."""
    config = config or GatewayConfig()
    state = State(config.state_path, config.clock)
    # A state file keeps the seed it was made with, so its records keep meaning the same declarations.
    seed = int(state.meta("seed", str(config.seed)))
    count = int(state.meta("declaration_count", str(config.declaration_count)))
    declarations = generate_declarations(seed, count)
    fault_state = FaultState(config.faults, seed)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="tuihuo customs gateway",
        version="1.0.0",
        summary="出口退货信息管理: card login, import declaration backfill, submission, receipts.",
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.gateway_state = state
    app.state.declarations = declarations
    app.state.faults = fault_state
    app.state.config = config
    bearer = HTTPBearer(auto_error=False, description="the token of POST /v1/session")

    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.problem.status == 401 else None
        return problem_response(exc.problem, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        problem = Problem(
            title="Unprocessable Content",
            status=422,
            detail=f"{where}: {first['msg']}"
            + (f" (+{len(errors) - 1} more)" if errors[1:] else ""),
            message="请求内容不符合接口规范。",
            errors=jsonable_encoder(errors),
        )
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, "Error")
        problem = Problem(title=title, status=exc.status_code, detail=str(exc.detail))
        return problem_response(problem, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        problem = Problem(
            title="Internal Server Error",
            status=500,
            detail=f"{type(exc).__name__}",
            message="海关网关内部错误，请稍后重试。",
        )
        return problem_response(problem)

    async def current_session(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> SessionRow:
        if credentials is None:
            raise _unauthorized("missing bearer token")
        row = state.session(credentials.credentials)
        if row is None:
            raise _unauthorized("unknown token")
        if row.expires_at <= config.clock():
            raise _unauthorized("token expired")
        return row

    SessionDep = Annotated[SessionRow, Depends(current_session)]

    @app.post(
        f"{API_PREFIX}/session/challenge",
        response_model=Challenge,
        responses=_problems(422),
        tags=["session"],
    )
    async def new_challenge() -> Challenge:
        """A one-time nonce for the card to sign."""
        challenge, expires_at = state.new_challenge(config.challenge_ttl)
        return Challenge(challenge=challenge, expires_at=expires_at)

    @app.post(
        f"{API_PREFIX}/session",
        response_model=Session,
        responses=_problems(401, 422),
        tags=["session"],
    )
    async def login(body: LoginRequest) -> Session:
        """Card login: the certificate issued by the CA, the signature of the challenge bytes."""
        taken = state.take_challenge(body.challenge)
        if taken is not ChallengeState.OK:
            raise ProblemError(
                401,
                "Unauthorized",
                f"challenge {taken.value}",
                "登录挑战已失效，请重新登录。",
            )
        certificate = body.certificate
        if not certificate.issued_by(config.ca_public_key):
            raise ProblemError(
                401, "Unauthorized", "certificate not issued by the CA", "电子口岸卡证书不受信任。"
            )
        if _expired(certificate.not_after, config.clock()):
            raise ProblemError(401, "Unauthorized", "certificate expired", "电子口岸卡证书已过期。")
        if not _verifies(certificate.public_key, bytes.fromhex(body.challenge), body.signature):
            raise ProblemError(
                401, "Unauthorized", "signature does not verify", "电子口岸卡签名验证失败。"
            )
        row = state.new_session(certificate, config.token_ttl)
        return Session(
            token=row.token,
            expires_at=datetime.fromtimestamp(row.expires_at, UTC),
            operator_name=row.operator_name,
            enterprise_uscc=row.enterprise_uscc,
            customs_code=row.customs_code,
            enterprise_name=row.enterprise_name,
        )

    @app.delete(
        f"{API_PREFIX}/session",
        status_code=204,
        responses=_problems(401),
        tags=["session"],
    )
    async def logout(session: SessionDep) -> Response:
        """Logout (退出, or the card pulled): the bearer token stops working at once."""
        state.end_session(session.token)
        return Response(status_code=204)

    @app.get(
        f"{API_PREFIX}/import-declarations/{{number}}",
        response_model=ImportDeclaration,
        responses=_problems(401, 404, 422),
        tags=["backfill"],
    )
    async def fetch_declaration(
        _: SessionDep, number: Annotated[str, Path(max_length=64)]
    ) -> ImportDeclaration:
        """The import declaration whose fields the record copies (进口报关单号 + Enter)."""
        if not _DECL_RE.fullmatch(number):
            raise ProblemError(
                422,
                "Unprocessable Content",
                "a declaration number is 18 digits",
                "进口报关单号应为18位数字。",
            )
        if number[8] != "1":
            raise ProblemError(
                422,
                "Unprocessable Content",
                "not an import declaration: digit 9 (direction) must be 1",
                "该报关单号不是进口报关单（第9位应为1）。",
            )
        found = declarations.get(number)
        if found is None:
            raise ProblemError(
                404, "Not Found", f"no import declaration {number}", "未找到该进口报关单。"
            )
        return found

    @app.post(
        f"{API_PREFIX}/unified-numbers",
        response_model=UnifiedNumber,
        status_code=201,
        responses=_problems(401, 422),
        tags=["submission"],
    )
    async def issue_unified_no(
        session: SessionDep,
        idempotency_key: Annotated[
            str, Header(alias=IDEMPOTENCY_HEADER, min_length=1, max_length=200)
        ],
    ) -> UnifiedNumber:
        """Issues a record's 统一编号, bound to the caller's enterprise; the same key, the same one."""
        number, issued_at = state.issue(session.enterprise_uscc, idempotency_key)
        return UnifiedNumber(unified_no=number, issued_at=issued_at)

    @app.put(
        f"{API_PREFIX}/returns/{{unified_no}}",
        response_model=SubmissionAccepted,
        responses=_problems(401, 403, 409, 422),
        tags=["submission"],
    )
    async def submit(
        session: SessionDep,
        unified_no: Annotated[str, Path(max_length=64)],
        body: Submission,
        idempotency_key: Annotated[
            str, Header(alias=IDEMPOTENCY_HEADER, min_length=1, max_length=200)
        ],
    ) -> JSONResponse:
        """Submits one round of a record; the same request again answers the same."""
        if not _UNIFIED_NO_RE.fullmatch(unified_no):
            raise ProblemError(
                422, "Unprocessable Content", "unified_no is 18 digits", "统一编号应为18位数字。"
            )
        certificate = body.certificate
        if not certificate.issued_by(config.ca_public_key):
            raise ProblemError(
                403, "Forbidden", "certificate not issued by the CA", "电子口岸卡证书不受信任。"
            )
        if _expired(certificate.not_after, config.clock()):
            raise ProblemError(403, "Forbidden", "certificate expired", "电子口岸卡证书已过期。")
        if certificate.enterprise_uscc != session.enterprise_uscc:
            raise ProblemError(
                403,
                "Forbidden",
                "the certificate's enterprise is not the session's",
                "签名证书与登录企业不一致。",
            )
        digests = [
            _check_attachment(a.filename, a.content_b64, a.size, a.sha256) for a in body.attachments
        ]
        payload = signed_payload(unified_no, body.round, body.record, digests)
        if not _verifies(certificate.public_key, payload, body.signature):
            raise ProblemError(
                422,
                "Unprocessable Content",
                "signature does not verify over the canonical payload",
                "电子口岸卡签名验证失败，数据可能被篡改。",
            )
        if state.issued_to(unified_no) != session.enterprise_uscc:
            raise ProblemError(
                403,
                "Forbidden",
                "unified_no was not issued to this enterprise by this gateway",
                "该统一编号不是海关网关为当前企业分配的。",
            )
        attachments_meta = [(a.doc_type, a.filename, a.sha256, a.size) for a in body.attachments]
        fingerprint = hashlib.sha256(
            payload + canonical_json([list(m) for m in attachments_meta])
        ).hexdigest()
        stored_body = {
            "record": body.record.model_dump(mode="json"),
            "attachments": [
                {"doc_type": d, "filename": f, "sha256": s, "size": n}
                for d, f, s, n in attachments_meta
            ],
            "operator": certificate.operator_name,
        }
        result = state.accept(
            unified_no=unified_no,
            round=body.round,
            uscc=session.enterprise_uscc,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            body=stored_body,
            planner=lambda: review.plan(
                body.record,
                declarations,
                unified_no=unified_no,
                round=body.round,
                seed=seed,
                reject_share=config.reject_share,
            ),
            step_seconds=config.step_seconds,
            customs=_customs_of(body.record.import_decl_no),
        )
        if result.outcome is Outcome.FOREIGN:
            raise ProblemError(403, "Forbidden", result.detail, "该统一编号不属于当前企业。")
        if result.outcome is Outcome.KEY_REUSED:
            raise ProblemError(409, "Conflict", result.detail, "幂等键已用于另一次提交。")
        if result.outcome is Outcome.ROUND_DIFFERS:
            raise ProblemError(
                409, "Conflict", result.detail, "该统一编号本轮已提交，且内容与本次不同。"
            )
        if result.outcome is Outcome.OUT_OF_ORDER:
            raise ProblemError(409, "Conflict", result.detail, "提交轮次有误。")
        if result.outcome is Outcome.PREVIOUS_OPEN:
            raise ProblemError(409, "Conflict", result.detail, "上一次申报尚未退单，不能重新提交。")
        assert result.answer is not None
        headers = {"Idempotent-Replayed": "true"} if result.outcome is Outcome.REPLAYED else {}
        return JSONResponse(result.answer.model_dump(mode="json"), headers=headers)

    @app.get(
        f"{API_PREFIX}/receipts",
        response_model=ReceiptPage,
        responses=_problems(401, 422),
        tags=["receipts"],
    )
    async def receipts(
        session: SessionDep,
        since: Annotated[
            str | None,
            Query(
                max_length=CURSOR_DIGITS,
                pattern=r"^[0-9]*$",
                description="next_cursor of a page (at most 18 digits)",
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> ReceiptPage:
        """The enterprise's receipts after `since` (at least once: the store de-duplicates)."""
        if since in (None, ""):
            cursor = 0
        elif since.isascii() and since.isdigit():
            cursor = int(since)
        else:
            raise ProblemError(
                422, "Unprocessable Content", "since is a cursor from next_cursor", "回执游标有误。"
            )
        page, next_cursor = state.receipts(session.enterprise_uscc, cursor, limit)
        if page and fault_state.fires("receipts", "duplicate", _share(fault_state, "duplicate")):
            # A redelivery: what came just before this page, and a repeat inside it.
            page = [*state.receipts_before(session.enterprise_uscc, cursor, 2), *page, page[0]]
        if page and fault_state.fires("receipts", "reorder", _share(fault_state, "reorder")):
            page = list(reversed(page))
        return ReceiptPage(receipts=page, next_cursor=str(next_cursor))

    # The fault layer goes outside everything Starlette adds, so it holds uvicorn's own `send`
    # (the only way to reach the transport and drop a connection without answering).
    build_stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: FaultMiddleware(build_stack(), fault_state)  # type: ignore[method-assign]
    return app


def _share(fault_state: FaultState, kind: str) -> float:
    fault = fault_state.fault("receipts")
    if fault is None:
        return 0.0
    return fault.duplicate_share if kind == "duplicate" else fault.reorder_share


def _customs_of(import_decl_no: str | None) -> str:
    number = import_decl_no or ""
    return number[:4] if re.fullmatch(r"\d{4}", number[:4]) else "0000"


def _expired(not_after: str, now: float) -> bool:
    try:
        return date.fromisoformat(not_after) < datetime.fromtimestamp(now, UTC).date()
    except ValueError:
        return True


def _verifies(public_key: str, data: bytes, signature_hex: str) -> bool:
    try:
        signature = bytes.fromhex(signature_hex)
    except ValueError:
        return False
    return crypto.verify(public_key, data, signature)


def _check_attachment(filename: str, content_b64: str, size: int, sha256: str) -> str:
    """The attachment's digest, once its bytes match what the submission says of them."""
    try:
        content = base64.b64decode(content_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProblemError(
            422,
            "Unprocessable Content",
            f"attachment {filename}: content_b64 is not base64",
            f"随附单据{filename}内容有误。",
        ) from exc
    if len(content) != size or hashlib.sha256(content).hexdigest() != sha256:
        raise ProblemError(
            422,
            "Unprocessable Content",
            f"attachment {filename}: size or sha256 does not match its content",
            f"随附单据{filename}校验失败，请重新上传。",
        )
    return sha256
