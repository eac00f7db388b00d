"""The async client of the customs gateway (`/v1`, customs.wire), with retries only where safe.

    client = GatewayClient("http://127.0.0.1:8765", timeout=10, retries=3, backoff=0.5)
    challenge = await client.challenge()
    session = await client.login(challenge.challenge, certificate, card_signature_hex)
    declaration = await client.fetch_declaration("010120251000000892")
    number = await client.issue_unified_no(key)          # the record's 统一编号
    accepted = await client.submit(unified_no, 1, record, refs, signature, certificate, key, read=read)
    page = await client.receipts(since=cursor, limit=100)
    await client.logout()          # DELETE /v1/session: the token is dead at the gateway too
    await client.aclose()

Retries (exponential backoff with jitter, honouring a short Retry-After) happen on connect errors,
timeouts, dropped connections and 502/503/504, and only for requests that may be repeated: GETs,
the challenge, and the submission, whose Idempotency-Key makes a repeat harmless. A login is retried
only when it never left (connect errors): its challenge is single-use. Every failure ends as a
customs.errors class (a TLS certificate that fails the check: `CertificateInvalid`, at once, never
retried); a submission whose fate cannot be known ends as `OutcomeUnknown`, and the caller
submits again later with the same key and round.
"""

from __future__ import annotations

import asyncio
import random
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from customs.certificate import Certificate
from customs.errors import (
    BadRequest,
    CertificateInvalid,
    Conflict,
    Forbidden,
    GatewayError,
    GatewayUnavailable,
    LoginFailed,
    NotFound,
    OutcomeUnknown,
    Rejected,
    ServerError,
    SessionExpired,
)
from customs.stream import DocumentReader, submission_chunks
from customs.wire import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    AttachmentRef,
    Challenge,
    ImportDeclaration,
    LoginRequest,
    Problem,
    ReceiptPage,
    ReturnRecord,
    Session,
    SignedSubmission,
    SubmissionAccepted,
    UnifiedNumber,
)

T = TypeVar("T", bound=BaseModel)

RETRY_STATUSES = frozenset({502, 503, 504})
MAX_BACKOFF = 8.0

# The request never reached the server: repeating it is safe whatever it was.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached the server, and no answer came back.
_NO_ANSWER = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


class _Policy:
    """How one kind of request may be repeated."""

    def __init__(self, *, retry_unsent: bool, retry_unanswered: bool, is_submission: bool) -> None:
        self.retry_unsent = retry_unsent
        self.retry_unanswered = retry_unanswered
        self.is_submission = is_submission


_SAFE = _Policy(retry_unsent=True, retry_unanswered=True, is_submission=False)
_LOGIN = _Policy(retry_unsent=True, retry_unanswered=False, is_submission=False)
_SUBMIT = _Policy(retry_unsent=True, retry_unanswered=True, is_submission=True)


class GatewayClient:
    """One gateway, one card session: `login` keeps the token for the calls that follow."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        verify: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = max(0, retries)
        self.backoff = backoff
        self.token: str | None = None
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            verify=verify,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    async def __aenter__(self) -> GatewayClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- the protocol --------------------------------------------------------------------------

    async def challenge(self) -> Challenge:
        """A one-time nonce; the card signs `bytes.fromhex(challenge.challenge)`."""
        response = await self._request("POST", "/session/challenge", _SAFE, auth=False)
        return self._parse(response, Challenge)

    async def login(self, challenge: str, certificate: Certificate, signature: str) -> Session:
        """Card login; keeps the session's token for the requests that follow."""
        body = LoginRequest(challenge=challenge, certificate=certificate, signature=signature)
        response = await self._request(
            "POST", "/session", _LOGIN, json=body.model_dump(mode="json"), auth=False
        )
        if response.status_code == 401:
            problem = _problem(response)
            raise LoginFailed(
                problem.detail if problem else "login refused",
                message=(problem.message if problem else None) or LoginFailed.default_message,
                status=401,
                problem=problem,
            )
        session = self._parse(response, Session)
        self.token = session.token
        return session

    async def logout(self, token: str | None = None, *, timeout: float = 3.0) -> bool:
        """Ends the session of `token` (default: this client's) at the gateway; forgets it here.

        One attempt, no retries (it runs on the way out): True when the gateway confirmed (204) or
        no longer knew the token (401); False when it could not be reached, and the token then
        lapses at its expiry.
        """
        if token is None or token == self.token:
            token, self.token = self.token, None
        if not token:
            return True
        try:
            response = await self._http.request(
                "DELETE",
                API_PREFIX + "/session",
                headers={"Authorization": f"Bearer {token}"},
                timeout=timeout,
            )
        except httpx.HTTPError:
            return False
        return response.status_code in (204, 401)

    async def fetch_declaration(self, number: str) -> ImportDeclaration:
        """The import declaration `number` (NotFound when customs has none, BadRequest if invalid)."""
        path = f"/import-declarations/{quote(number, safe='')}"
        response = await self._request("GET", path, _SAFE)
        if response.status_code == 404:
            problem = _problem(response)
            raise NotFound(
                problem.detail if problem else f"no import declaration {number}",
                message=f"未找到该进口报关单：{number}",
                status=404,
                problem=problem,
            )
        return self._parse(response, ImportDeclaration)

    async def issue_unified_no(self, idempotency_key: str) -> UnifiedNumber:
        """A new 统一编号 for the session's enterprise; the same key again answers the same number,
        so a lost answer is asked again (retried here) without using up a second number."""
        response = await self._request(
            "POST", "/unified-numbers", _SAFE, headers={IDEMPOTENCY_HEADER: idempotency_key}
        )
        return self._parse(response, UnifiedNumber)

    async def submit(
        self,
        unified_no: str,
        round: int,
        record: ReturnRecord,
        attachments: Sequence[AttachmentRef],
        signature: str,
        certificate: Certificate,
        idempotency_key: str,
        *,
        read: DocumentReader | None = None,
    ) -> SubmissionAccepted:
        """Submits one round; repeating it with the same key and body is always safe.

        The body is streamed (customs.stream): each document's bytes come from `read(sha256)` when
        its turn comes, unless it is a `wire.Attachment` carrying its own base64. Each attempt
        reads them again. Whatever `read` raises ends the call as it is.
        """
        head = SignedSubmission(
            round=round,
            record=record,
            attachments=[],
            signature=signature,
            certificate=certificate,
        )
        response = await self._request(
            "PUT",
            f"/returns/{quote(unified_no, safe='')}",
            _SUBMIT,
            content=lambda: submission_chunks(head, attachments, read),
            headers={IDEMPOTENCY_HEADER: idempotency_key, "Content-Type": "application/json"},
        )
        if response.status_code >= 500:  # it may have been committed before the server failed
            problem = _problem(response)
            raise OutcomeUnknown(
                f"PUT /returns/{unified_no}: HTTP {response.status_code}",
                status=response.status_code,
                problem=problem,
            )
        return self._parse(response, SubmissionAccepted)

    async def receipts(self, since: str | None = None, limit: int = 100) -> ReceiptPage:
        """Receipts after cursor `since` (None: from the start). May repeat or reorder receipts."""
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        response = await self._request("GET", "/receipts", _SAFE, params=params)
        return self._parse(response, ReceiptPage)

    # --- transport -----------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        policy: _Policy,
        *,
        auth: bool = True,
        json: Any = None,
        content: Callable[[], AsyncIterator[bytes]] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """The answer (any status), after retrying what is safe to retry. `content` makes a fresh
        body stream for each attempt (a stream cannot be read twice)."""
        all_headers = dict(headers or {})
        if auth and self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        reached = False  # whether any attempt may have reached the server
        last: Exception | httpx.Response | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                await asyncio.sleep(self._delay(attempt, last))
            try:
                response = await self._http.request(
                    method,
                    API_PREFIX + path,
                    json=json,
                    content=content() if content is not None else None,
                    params=params,
                    headers=all_headers,
                )
            except _NOT_SENT as exc:
                if _certificate_failed(exc):  # trying again cannot help, and it is not "offline"
                    host = self._http.base_url.host
                    raise CertificateInvalid(f"{method} {path}: {exc}", host=host) from exc
                last = exc
                if policy.retry_unsent:
                    continue
                break
            except (*_NO_ANSWER, httpx.TimeoutException) as exc:
                last, reached = exc, True
                if policy.retry_unanswered:
                    continue
                break
            except httpx.HTTPError as exc:  # anything else from httpx (e.g. TLS): give up at once
                last, reached = exc, True
                break
            if response.status_code in RETRY_STATUSES and policy.retry_unanswered:
                last, reached = response, True
                continue
            return response
        raise self._give_up(method, path, policy, last, reached)

    def _delay(self, attempt: int, last: Exception | httpx.Response | None) -> float:
        delay = min(MAX_BACKOFF, self.backoff * 2 ** (attempt - 1)) * (0.5 + random.random())
        if isinstance(last, httpx.Response):
            retry_after = last.headers.get("Retry-After", "")
            if retry_after.isdigit():
                delay = max(delay, min(MAX_BACKOFF, float(retry_after)))
        return delay

    def _give_up(
        self,
        method: str,
        path: str,
        policy: _Policy,
        last: Exception | httpx.Response | None,
        reached: bool,
    ) -> GatewayError:
        what = f"{method} {path}"
        if isinstance(last, httpx.Response):
            detail = f"{what}: HTTP {last.status_code} after {self.retries + 1} attempts"
            problem = _problem(last)
            if policy.is_submission:
                return OutcomeUnknown(detail, status=last.status_code, problem=problem)
            return GatewayUnavailable(detail, status=last.status_code, problem=problem)
        detail = f"{what}: {type(last).__name__}: {last}"
        if policy.is_submission and reached:
            return OutcomeUnknown(detail)
        return GatewayUnavailable(detail)

    def _parse(self, response: httpx.Response, model: type[T]) -> T:
        if response.is_success:
            try:
                return model.model_validate_json(response.content)
            except ValidationError as exc:
                raise ServerError(
                    f"{response.request.url.path}: answer does not match {model.__name__}: {exc}",
                    status=response.status_code,
                ) from exc
        raise _error_for(response)


def _certificate_failed(error: BaseException) -> bool:
    """True when `error` comes from a TLS certificate check (httpx keeps the ssl error as a cause)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(error)


def _problem(response: httpx.Response) -> Problem | None:
    try:
        return Problem.model_validate_json(response.content)
    except ValidationError:
        return None


def _error_for(response: httpx.Response) -> GatewayError:
    """The named error of a non-2xx answer, with the gateway's own words when it sent a problem."""
    status = response.status_code
    problem = _problem(response)
    detail = f"{response.request.method} {response.request.url.path}: HTTP {status}"
    if problem is not None and problem.detail:
        detail += f": {problem.detail}"
    message = problem.message if problem is not None else None
    kind: type[GatewayError]
    if status == 401:
        kind, message = SessionExpired, None  # the operator's action is the same: log in again
    elif status == 403:
        kind = Forbidden
    elif status == 404:
        kind = NotFound
    elif status == 409:
        kind = Conflict
    elif status in (400, 422):
        kind = BadRequest
    elif 400 <= status < 500:
        kind = Rejected
    else:
        kind = ServerError
    return kind(detail, message=message, status=status, problem=problem)
