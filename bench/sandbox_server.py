"""The sandbox gateway as its own process for a benchmark: `python -m sandbox serve` on a free port.

    with sandbox_server(state_dir, "--declarations", "1000") as url:  # http://127.0.0.1:PORT
        ...

Raises `DidNotStart` when it does not answer /openapi.json within 30 s; stops it on the way out.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from declarant.runtime import free_port

ROOT = Path(__file__).resolve().parent.parent


class DidNotStart(RuntimeError):
    """The sandbox gateway did not answer in time (or exited)."""


@contextmanager
def sandbox_server(state_dir: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--state",
         str(state_dir / "gateway.sqlite3"), "--step-seconds", "0", *extra],
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
                    raise DidNotStart("sandbox gateway did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
