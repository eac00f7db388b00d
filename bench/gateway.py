"""Backfill latency: 100 fetches of import declarations over loopback from a real sandbox server.

Starts `python -m sandbox serve` on a free port with a throw-away state file, logs in with a card
issued by the sandbox CA, fetches 100 declarations one after another through GatewayClient and
prints the median wall time of one fetch (target: at most 50 ms):

    backfill_ms <median> ms
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from customs import crypto  # noqa: E402
from customs.certificate import Certificate  # noqa: E402
from customs.client import GatewayClient  # noqa: E402
from sandbox.gateway.data import sample_numbers  # noqa: E402

FETCHES = 100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_card() -> tuple[str, Certificate]:
    ca_private, _ = crypto.generate_keypair(b"tuihuo-sandbox-ca")
    private, public = crypto.generate_keypair(b"bench-card")
    certificate = Certificate(
        serial="00000001",
        card_no="0000000000001",
        operator_name="基准",
        enterprise_uscc="91310115MA1K3YJX0L",
        customs_code="3101210001",
        enterprise_name="上海基准报关有限公司",
        public_key=public,
        issuer="tuihuo sandbox CA",
        not_after="2099-12-31",
    ).issue(ca_private)
    return private, certificate


async def measure(url: str) -> list[float]:
    private, certificate = bench_card()
    numbers = sample_numbers(FETCHES)
    async with GatewayClient(url, timeout=10, retries=0) as client:
        challenge = await client.challenge()
        signature = crypto.sign(private, bytes.fromhex(challenge.challenge)).hex()
        await client.login(challenge.challenge, certificate, signature)
        await client.fetch_declaration(numbers[0])  # open the connection
        times = []
        for number in numbers:
            start = time.perf_counter()
            declaration = await client.fetch_declaration(number)
            times.append((time.perf_counter() - start) * 1000)
            assert declaration.number == number
    return times


def main() -> int:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--state",
             str(Path(tmp) / "gateway.sqlite3"), "--step-seconds", "0"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        print("sandbox gateway did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.05)
            times = asyncio.run(measure(url))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"backfill_ms {statistics.median(times):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
