"""The gateway session ends when the operator leaves; TLS failures and refusals are said plainly.

Against the sandbox gateway as a real uvicorn server (and, for the certificate, a real TLS listener
with a self-signed certificate): 退出, a pulled card and leaving the program each make the session's
token worthless at the gateway; a certificate that fails the check is 证书校验失败 with the host,
at once, not 无法连接海关网关 after retries; a refusal reads once, not twice.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from customs.client import GatewayClient
from customs.errors import CertificateInvalid, Forbidden
from declarant.worker import SandboxSlot, SessionState, Worker
from declarant.worker.core import _reason
from sandbox.card import SANDBOX_PIN
from store.engine import open_engine
from tests.fixtures_gateway import (
    RunningGateway,
    declarations,
    issue,
    login,
    make_card,
    submit,
    valid_record,
)
from tests.services import missing_service


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


def token_works(url: str, token: str) -> bool:
    response = httpx.get(
        f"{url}/v1/receipts", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


async def test_client_logout_kills_the_token_at_the_gateway(gateway: RunningGateway) -> None:
    async with GatewayClient(gateway.url, timeout=5, retries=0) as client:
        session = await login(client, make_card(1))
        assert token_works(gateway.url, session.token)
        assert await client.logout() is True
        assert client.token is None
    assert not token_works(gateway.url, session.token)


async def test_worker_logout_ends_the_gateway_session(
    engine: Engine, gateway: RunningGateway
) -> None:
    worker = Worker(engine, GatewayClient(gateway.url, timeout=3), SandboxSlot(), gateway_name="t")
    await worker.login(SANDBOX_PIN)
    token = worker.client.token
    assert token is not None and token_works(gateway.url, token)
    await worker.logout()
    assert worker.state == SessionState.LOGGED_OUT
    assert not token_works(gateway.url, token)
    await worker.client.aclose()


async def test_a_pulled_card_ends_the_gateway_session(
    engine: Engine, gateway: RunningGateway
) -> None:
    slot = SandboxSlot()
    worker = Worker(engine, GatewayClient(gateway.url, timeout=3), slot, gateway_name="t")
    await worker.login(SANDBOX_PIN)
    token = worker.client.token
    assert token is not None
    await asyncio.to_thread(slot.pull)
    deadline = time.monotonic() + 5
    while token_works(gateway.url, token):
        assert time.monotonic() < deadline, "the token still works after the card was pulled"
        await asyncio.sleep(0.05)
    assert worker.state == SessionState.LOCKED
    await worker.client.aclose()


@pytest.fixture
def self_signed_tls(tmp_path: Path) -> Iterator[int]:
    """A TLS listener on a loopback port whose certificate no CA vouches for."""
    openssl = shutil.which("openssl")
    if openssl is None:
        missing_service("openssl not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj"]
    subprocess.run(
        [openssl, *request, "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass  # the client refused our certificate: what this listener is for

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    listener.close()


async def test_a_failed_certificate_check_names_the_host_at_once(self_signed_tls: int) -> None:
    url = f"https://localhost:{self_signed_tls}"
    started = time.monotonic()
    async with GatewayClient(url, timeout=5, retries=3, backoff=0.5) as client:
        with pytest.raises(CertificateInvalid) as caught:
            await client.challenge()
    assert caught.value.message.startswith("证书校验失败：localhost")
    assert "无法连接" not in caught.value.message
    assert time.monotonic() - started < 0.5  # no retries: trying again cannot fix a certificate


async def test_a_refusal_is_said_once(gateway: RunningGateway) -> None:
    declaration = sorted(declarations().values(), key=lambda d: d.number)[0]
    record = valid_record(declaration)
    async with GatewayClient(gateway.url, timeout=5, retries=0) as first:
        await login(first, make_card(1))
        unified_no = await issue(first)  # enterprise 1's: enterprise 2 is refused it
        await submit(first, make_card(1), unified_no, record)
    async with GatewayClient(gateway.url, timeout=5, retries=0) as second:
        await login(second, make_card(2))
        with pytest.raises(Forbidden) as caught:
            await submit(second, make_card(2), unified_no, record)
    reason = _reason(caught.value)
    said = caught.value.problem.message if caught.value.problem else None
    assert said and reason.count(said) == 1, reason
