"""The sandbox gateway as a real uvicorn server on a loopback port, and what a test needs around it.

    (registered for every test module in tests/conftest.py)

- `gateway_factory(mode="thread"|"process", port=None, state_path=None, **config)` starts a server
  and stops it at teardown. "thread" runs uvicorn in a thread of the test process (fast; `config`
  may hold any GatewayConfig field, a FakeClock included); "process" runs
  `python -m sandbox serve --port N --state PATH ...` in a subprocess (`config` then takes
  step_seconds, reject_share, seed, token_ttl and faults). Each returns a `RunningGateway`.
- `gateway`: one thread-mode server with receipts immediately due (step_seconds=0).
- `make_card(...)`: a virtual card (key pair + certificate issued by the sandbox CA), made here from
  the CA seed so the tests do not depend on sandbox.card.
- `valid_record(declaration)`: a record that passes every review rule; `attachment(...)`;
  `login(client, card)`; `submit(client, card, unified_no, record, ...)`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from customs import crypto
from customs.certificate import Certificate
from customs.client import GatewayClient
from customs.wire import (
    Attachment,
    ImportDeclaration,
    ReturnGoods,
    ReturnRecord,
    Session,
    SubmissionAccepted,
    signed_payload,
)
from declarant.runtime import free_port
from sandbox.gateway import GatewayConfig, create_app, generate_declarations
from sandbox.gateway.config import Fault
from store.ids import uscc_check_char

ROOT = Path(__file__).resolve().parent.parent
CA_SEED = b"tuihuo-sandbox-ca"


class FakeClock:
    """A clock a test moves by hand (thread mode only): review steps and token expiry on demand."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class Card:
    private_key: str
    certificate: Certificate

    def sign(self, data: bytes) -> str:
        return crypto.sign(self.private_key, data).hex()


def enterprise_uscc(n: int) -> str:
    first17 = f"91310115MA{n:07d}"
    return first17 + uscc_check_char(first17)


@functools.lru_cache(maxsize=32)  # SM2 in pure Python: a card costs tens of milliseconds
def make_card(
    n: int = 1, *, ca_seed: bytes = CA_SEED, not_after: str = "2099-12-31", operator: str = "张三"
) -> Card:
    """Card `n` of enterprise `n`, its certificate issued by the CA of `ca_seed`."""
    private, public = crypto.generate_keypair(f"test-card-{n}".encode())
    ca_private, _ = crypto.generate_keypair(ca_seed)
    certificate = Certificate(
        serial=f"{n:08d}",
        card_no=f"{n:013d}",
        operator_name=operator,
        enterprise_uscc=enterprise_uscc(n),
        customs_code=f"31012{n % 10}{n:04d}"[:10],
        enterprise_name=f"上海测试{n}号报关有限公司",
        public_key=public,
        issuer="tuihuo sandbox CA",
        not_after=not_after,
    ).issue(ca_private)
    return Card(private, certificate)


def valid_record(declaration: ImportDeclaration) -> ReturnRecord:
    """A record that the sandbox review approves: every field of the manual filled rightly."""
    return ReturnRecord(
        import_decl_no=declaration.number,
        declarant_uscc=declaration.declarant.uscc,
        declarant_code=declaration.declarant.code,
        declarant_name=declaration.declarant.name,
        declarant_person=declaration.declarant_person,
        consignee_uscc=declaration.consignee.uscc,
        consignee_code=declaration.consignee.code,
        consignee_name=declaration.consignee.name,
        consignee_address=declaration.consignee_address,
        contact_person="李四",
        contact_phone="13800138000",
        return_date=date(2025, 6, 1),
        consumer_district=declaration.consumer_district,
        consumer_uscc=declaration.consumer.uscc,
        consumer_code=declaration.consumer.code,
        consumer_name=declaration.consumer.name,
        declared_on=declaration.declared_on,
        arrived_on=declaration.arrived_on,
        return_country=declaration.departure_country,
        accepting_customs=declaration.accepting_customs,
        trade_mode=declaration.trade_mode,
        bill_of_lading=declaration.bill_of_lading,
        destination_customs=declaration.destination_customs,
        disposal_methods=[1],
        export_decl_nos="220120240000012345/220120240000012346",
        producer_uscc=declaration.consignee.uscc,
        producer_code=declaration.consignee.code,
        producer_name=declaration.consignee.name,
        producer_contact="王五",
        producer_phone="021-55556666",
        producer_division="310115",
        producer_customs="2201",
        export_inspected="Y",
        export_trade_modes=["0110"],
        reason_categories=[1, 2],
        specific_reasons=["12", "23"],
        reason_detail="外壳开裂，客户要求退回检修。",
        goods=[
            ReturnGoods(
                seq=g.seq,
                hs_code=g.hs_code,
                reg_category=g.reg_category,
                goods_name=g.goods_name,
                amount=g.amount,
                currency=g.currency,
                quantity=g.quantity,
                unit=g.unit,
                weight="12.5",
                weight_unit="035",
                industrial="Y",
            )
            for g in declaration.goods
        ],
    )


def declarations() -> dict[str, ImportDeclaration]:
    return generate_declarations()


def attachment(filename: str = "invoice.pdf", content: bytes = b"%PDF-1.4 test") -> Attachment:
    return Attachment(
        doc_type="发票",
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_b64=base64.b64encode(content).decode(),
    )


def sign_submission(
    card: Card, unified_no: str, round: int, record: ReturnRecord, attachments: list[Attachment]
) -> str:
    return card.sign(signed_payload(unified_no, round, record, [a.sha256 for a in attachments]))


async def login(client: GatewayClient, card: Card) -> Session:
    challenge = await client.challenge()
    return await client.login(
        challenge.challenge, card.certificate, card.sign(bytes.fromhex(challenge.challenge))
    )


async def issue(client: GatewayClient) -> str:
    """A 统一编号 the gateway issues to the session's enterprise (what the worker asks at 暂存)."""
    return (await client.issue_unified_no(uuid.uuid4().hex)).unified_no


async def submit(
    client: GatewayClient,
    card: Card,
    unified_no: str,
    record: ReturnRecord,
    *,
    round: int = 1,
    attachments: list[Attachment] | None = None,
    key: str | None = None,
) -> SubmissionAccepted:
    files = attachments or []
    return await client.submit(
        unified_no,
        round,
        record,
        files,
        sign_submission(card, unified_no, round, record, files),
        card.certificate,
        key or str(uuid.uuid4()),
    )


@dataclass
class RunningGateway:
    """A live sandbox gateway; `restart()` stops it and starts it again on the same port and file."""

    mode: str
    port: int
    state_path: Path
    config: dict[str, Any] = field(default_factory=dict)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _process: subprocess.Popen[bytes] | None = None
    _socket: socket.socket | None = None
    app: Any = None  # thread mode: the live application, for its fault counters

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningGateway:
        if self.mode == "thread":
            self._start_thread()
        else:
            self._start_process()
        return self

    def _start_thread(self) -> None:
        config = GatewayConfig(state_path=self.state_path, **self.config)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.app = create_app(config)
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="critical",
                access_log=False,
                http="h11",
                lifespan="on",
                timeout_graceful_shutdown=1,
            )
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("sandbox gateway thread did not start")
            time.sleep(0.01)
        self._socket = sock

    def _start_process(self) -> None:
        args = [
            sys.executable,
            "-m",
            "sandbox",
            "serve",
            "--port",
            str(self.port),
            "--state",
            str(self.state_path),
        ]
        for key in ("step_seconds", "reject_share", "seed", "token_ttl"):
            if key in self.config:
                args += ["--" + key.replace("_", "-"), str(self.config[key])]
        for name, fault in self.config.get("faults", {}).items():
            spec = ",".join(f"{k}={v}" for k, v in vars(fault).items() if v)
            args += ["--fault", f"{name}:{spec}"]
        self._process = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ)
        )
        deadline = time.monotonic() + 20
        while True:
            if self._process.poll() is not None:
                output = self._process.stdout.read().decode() if self._process.stdout else ""
                raise RuntimeError(f"sandbox gateway exited: {output}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sandbox gateway process did not answer in 20 s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None
        if self._socket is not None:
            self._socket.close()  # only once uvicorn has stopped serving on it
            self._socket = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stdout:
                self._process.stdout.close()
            self._process = None

    def restart(self, **config: Any) -> RunningGateway:
        self.stop()
        self.config = {**self.config, **config}
        return self.start()

    def fired(self, request_class: str, kind: str) -> int:
        """How often a fault struck (thread mode): proof that a test met the fault it names."""
        return int(self.app.state.faults.fired(request_class, kind))

    def submission_count(self, unified_no: str | None = None) -> int:
        """How many rounds customs holds, read from the state file (works in both modes)."""
        with sqlite3.connect(f"file:{self.state_path}?mode=ro", uri=True) as db:
            if unified_no is None:
                return int(db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
            query = "SELECT COUNT(*) FROM submissions WHERE unified_no = ?"
            return int(db.execute(query, (unified_no,)).fetchone()[0])


GatewayFactory = Callable[..., RunningGateway]


@pytest.fixture
def gateway_factory(tmp_path: Path) -> Iterator[GatewayFactory]:
    started: list[RunningGateway] = []

    def start(
        *,
        mode: str = "thread",
        port: int | None = None,
        state_path: Path | None = None,
        **config: Any,
    ) -> RunningGateway:
        path = state_path or tmp_path / f"gateway-{len(started)}.sqlite3"
        running = RunningGateway(mode, port or free_port(), path, config)
        started.append(running)
        return running.start()

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def gateway(gateway_factory: GatewayFactory) -> RunningGateway:
    return gateway_factory(step_seconds=0)


def with_faults(**faults: Fault) -> dict[str, Fault]:
    """`with_faults(submit=Fault(commit_drop_share=1, count=1))`, for the factory's `faults=`."""
    return dict(faults)


__all__ = [
    "Card",
    "FakeClock",
    "RunningGateway",
    "attachment",
    "declarations",
    "gateway",
    "gateway_factory",
    "issue",
    "login",
    "make_card",
    "sign_submission",
    "submit",
    "valid_record",
    "with_faults",
]
