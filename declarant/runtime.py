"""From settings to a running session's parts: the store's engine, the gateway, the card, the worker.

With no gateway configured the app runs on the sandbox: the sandbox gateway is started in this
process (a uvicorn server on a free loopback port, its state in the data dir) and, unless a reader is
named, the sandbox card runs in process too. A configured gateway never falls back to the sandbox.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine

from customs.client import GatewayClient
from declarant.config import DeskSettings
from declarant.worker import AutoSlot, CardSlot, ControlSlot, PcscSlot, SandboxSlot, Worker
from store.engine import open_engine
from store.private import private_dir


@dataclass
class Runtime:
    settings: DeskSettings
    engine: Engine
    worker: Worker
    sandbox: bool
    gateway_url: str
    _stoppers: list = field(default_factory=list)  # type: ignore[type-arg]

    def close(self) -> None:
        for stop in reversed(self._stoppers):
            stop()
        self.engine.dispose()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox_gateway(settings: DeskSettings):  # type: ignore[no-untyped-def]
    """The sandbox gateway on a loopback port in a thread; returns (url, stop)."""
    import uvicorn

    from sandbox.gateway import GatewayConfig, create_app

    private_dir(settings.data_dir)
    config = GatewayConfig(
        state_path=settings.data_dir / "sandbox-gateway.sqlite3",
        step_seconds=settings.sandbox_step_seconds,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host="127.0.0.1",
            port=port,
            log_level="critical",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, name="sandbox-gateway", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox gateway did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)

    return f"http://127.0.0.1:{port}", stop


def card_slot(settings: DeskSettings) -> CardSlot:
    """The card path the settings name (`card`), `AutoSlot` when they leave it to the app."""
    if settings.card == "control":
        slot: CardSlot = ControlSlot(settings.card_control)
    elif settings.card == "pcsc":
        slot = PcscSlot(settings.reader_name)
    elif settings.card == "sandbox":
        slot = SandboxSlot()
    else:
        return AutoSlot(
            settings.card_control, reader=settings.reader_name, sandbox=settings.sandbox
        )
    slot.why = f"设置 card = {settings.card}"
    return slot


def build_runtime(settings: DeskSettings) -> Runtime:
    """Open the store (migrations applied), start or reach the gateway, make the worker."""
    private_dir(settings.data_dir)  # the database, the sandbox's tokens, exports: the owner's alone
    engine = open_engine(settings.resolved_database_url())
    stoppers = []
    if settings.gateway_url:
        url = settings.gateway_url
    else:
        url, stop = start_sandbox_gateway(settings)
        stoppers.append(stop)
    client = GatewayClient(url)
    # the sandbox port changes at every start; its receipt cursor must not
    name = settings.gateway_url or "sandbox"
    worker = Worker(
        engine,
        client,
        card_slot(settings),
        gateway_name=name,
        declaration_folders=settings.declaration_folders,
    )
    return Runtime(settings, engine, worker, settings.sandbox, url, stoppers)
