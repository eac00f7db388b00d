"""The gateway client against a real sandbox server that misbehaves: the fault matrix.

What must hold: a submission that customs took is never taken twice, whatever broke and whenever;
safe requests are retried through transient faults; what cannot be known is said so
(`OutcomeUnknown`), and what never left is said so too (`GatewayUnavailable`); the receipt feed may
repeat and reorder receipts, and their ids are stable so the store can de-duplicate.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from customs.client import GatewayClient
from customs.errors import GatewayUnavailable, OutcomeUnknown, ServerError
from customs.wire import Receipt
from sandbox.gateway.config import Fault
from tests.fixtures_gateway import (
    GatewayFactory,
    RunningGateway,
    declarations,
    free_port,
    issue,
    login,
    make_card,
    submit,
    valid_record,
)

NUMBER = "010120251000000892"
UNIFIED_NO = "202500000000035676"


def fast_client(url: str, *, timeout: float = 2.0, retries: int = 3) -> GatewayClient:
    return GatewayClient(url, timeout=timeout, retries=retries, backoff=0.02)


async def logged_in(running: RunningGateway, **kwargs: float) -> GatewayClient:
    client = fast_client(running.url, **kwargs)  # type: ignore[arg-type]
    await login(client, make_card(1))
    return client


@pytest.mark.parametrize(
    ("fault", "kind", "wait"),
    [
        # The answer is late: the client gives up on the first try and tries again, while the
        # server is still busy with the first (which then finds the round already accepted).
        (Fault(delay=1.2, count=1), "delay", 1.3),
        # Committed, then the connection dropped / a 503 / an answer too late to be read.
        (Fault(commit_drop_share=1, count=2), "commit_drop", 0),
        (Fault(commit_error_share=1, count=2), "commit_error", 0),
        (Fault(commit_delay=1.2, count=1), "commit_delay", 1.3),
        # Nothing happened at customs: a drop or a 503 before handling.
        (Fault(drop_share=1, count=2), "drop", 0),
        (Fault(error_share=1, count=2), "error", 0),
    ],
    ids=[
        "timeout-before-commit",
        "drop-after-commit",
        "503-after-commit",
        "timeout-after-commit",
        "drop-before",
        "503-before",
    ],
)
async def test_a_submission_survives_the_fault_and_customs_holds_it_once(
    gateway_factory: GatewayFactory, fault: Fault, kind: str, wait: float
):
    running = gateway_factory(step_seconds=0, faults={"submit": fault})
    card = make_card(1)
    client = await logged_in(running, timeout=0.5)
    try:
        no = await issue(client)
        accepted = await submit(client, card, no, valid_record(declarations()[NUMBER]))
        assert (accepted.unified_no, accepted.round, accepted.status) == (no, 1, 1)
        await asyncio.sleep(wait)  # let a request the client gave up on finish on the server
        assert running.submission_count(no) == 1
        assert running.fired("submit", kind) == (fault.count if kind not in ("delay",) else 1)
        statuses = [r.status for r in (await client.receipts()).receipts]
        assert statuses == [1, 3, 5, 7]
    finally:
        await client.aclose()


async def test_an_unknowable_outcome_is_reported_and_the_same_key_settles_it_later(
    gateway_factory: GatewayFactory,
):
    running = gateway_factory(step_seconds=0, faults={"submit": Fault(commit_drop_share=1)})
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    client = await logged_in(running, retries=2)
    try:
        no = await issue(client)
        with pytest.raises(OutcomeUnknown) as caught:
            await submit(client, card, no, record, key="key-1")
        assert "提交结果未知" in caught.value.message
        assert running.submission_count(no) == 1  # customs did take it
        running.restart(faults={})  # the gateway mends
        accepted = await submit(client, card, no, record, key="key-1")
        assert accepted.round == 1
        assert running.submission_count(no) == 1
    finally:
        await client.aclose()


async def test_safe_requests_ride_through_drops_and_5xx(gateway_factory: GatewayFactory):
    faults = {
        "declaration": Fault(drop_share=1, count=2),
        "receipts": Fault(error_share=1, count=2),
        "challenge": Fault(drop_share=1, count=1),
    }
    running = gateway_factory(step_seconds=0, faults=faults)
    client = await logged_in(running)
    try:
        assert (await client.fetch_declaration(NUMBER)).number == NUMBER
        assert (await client.receipts()).receipts == []
        assert running.fired("declaration", "drop") == 2
        assert running.fired("receipts", "error") == 2
        assert running.fired("challenge", "drop") == 1
    finally:
        await client.aclose()


async def test_persistent_faults_end_as_gateway_unavailable(gateway_factory: GatewayFactory):
    faults = {"declaration": Fault(error_share=1), "receipts": Fault(drop_share=1)}
    running = gateway_factory(step_seconds=0, faults=faults)
    client = await logged_in(running, retries=2)
    try:
        with pytest.raises(GatewayUnavailable) as caught:
            await client.fetch_declaration(NUMBER)
        assert caught.value.status == 503
        assert caught.value.message == "无法连接海关网关，请检查网络后重试。"
        with pytest.raises(GatewayUnavailable, match="RemoteProtocolError"):
            await client.receipts()
    finally:
        await client.aclose()


async def test_a_slow_gateway_times_out_as_unavailable(gateway_factory: GatewayFactory):
    running = gateway_factory(step_seconds=0, faults={"declaration": Fault(delay=1.0)})
    client = await logged_in(running, timeout=0.3, retries=1)
    try:
        with pytest.raises(GatewayUnavailable, match="ReadTimeout"):
            await client.fetch_declaration(NUMBER)
    finally:
        await client.aclose()


async def test_a_login_is_not_repeated_blindly(gateway_factory: GatewayFactory):
    running = gateway_factory(step_seconds=0, faults={"login": Fault(drop_share=1, count=1)})
    card = make_card(1)
    async with fast_client(running.url) as client:
        challenge = await client.challenge()
        signature = card.sign(bytes.fromhex(challenge.challenge))
        with pytest.raises(GatewayUnavailable):
            await client.login(challenge.challenge, card.certificate, signature)
        assert client.token is None
        await login(client, card)  # a new challenge, a new login
        assert client.token is not None


async def test_nothing_listening_is_unavailable_and_a_submission_never_left():
    port = free_port()
    card = make_card(1)
    async with fast_client(f"http://127.0.0.1:{port}", retries=1) as client:
        with pytest.raises(GatewayUnavailable, match="ConnectError"):
            await client.challenge()
        with pytest.raises(GatewayUnavailable):  # refused: surely not at customs, not "unknown"
            await submit(client, card, UNIFIED_NO, valid_record(declarations()[NUMBER]))


async def test_a_tls_gateway_is_verified_by_default(tmp_path: Path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command missing: cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    port = free_port()
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", port, ssl=context)
    try:
        url = f"https://127.0.0.1:{port}"
        async with GatewayClient(url, retries=0, timeout=2) as client:
            with pytest.raises(GatewayUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
                await client.challenge()
        # Only an explicit verify=False gets past the handshake (to a server that hangs up).
        async with GatewayClient(url, retries=0, timeout=2, verify=False) as client:
            with pytest.raises(GatewayUnavailable) as caught:
                await client.challenge()
            assert "CERTIFICATE_VERIFY_FAILED" not in caught.value.detail
    finally:
        server.close()


async def test_receipts_arrive_repeated_and_reordered_with_stable_ids(
    gateway_factory: GatewayFactory,
):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    clean = gateway_factory(step_seconds=0)
    faulty = gateway_factory(
        step_seconds=0, faults={"receipts": Fault(duplicate_share=1, reorder_share=1)}
    )
    feeds = []
    for running in (clean, faulty):
        client = await logged_in(running)
        try:
            no = await issue(client)
            await submit(client, card, no, record)
            await submit(client, card, await issue(client), record)
            first = await client.receipts(limit=5)
            rest = await client.receipts(since=first.next_cursor, limit=5)
            feeds.append([*first.receipts, *rest.receipts])
        finally:
            await client.aclose()
    clean_feed, faulty_feed = feeds
    ids = [r.receipt_id for r in faulty_feed]
    assert len(ids) > len(set(ids))  # the feed repeats receipts ...
    statuses = [r.status for r in faulty_feed if r.unified_no == no]
    assert statuses != sorted(statuses)  # ... and gives them out of order
    # The same receipt always carries the same id and content, so the store can de-duplicate.
    unique = {r.receipt_id: r for r in faulty_feed}
    for receipt in faulty_feed:
        assert receipt == unique[receipt.receipt_id]
    assert sorted(map(key_of, unique.values())) == sorted(map(key_of, clean_feed))


def key_of(receipt: Receipt) -> tuple[str, str, int, int, str]:
    return (receipt.receipt_id, receipt.unified_no, receipt.round, receipt.status, receipt.content)


async def test_a_server_error_that_is_not_transient_is_a_server_error():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            500,
            json={"title": "Internal Server Error", "status": 500, "detail": "boom"},
            headers={"content-type": "application/problem+json"},
        )

    async with GatewayClient(
        "http://gateway.test", transport=httpx.MockTransport(answer), retries=2, backoff=0
    ) as client:
        with pytest.raises(ServerError, match="boom"):
            await client.fetch_declaration(NUMBER)
        with pytest.raises(OutcomeUnknown):  # a 500 after a PUT: perhaps committed
            await submit(client, make_card(1), UNIFIED_NO, valid_record(declarations()[NUMBER]))
