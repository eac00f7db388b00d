"""`python -m sandbox card-control [--port N | --unix PATH] [--card-no N] [--pin PIN] [--fault F]`:
the stand-in for the local card control (`sandbox.card.control`) until killed.

TCP listens on 127.0.0.1 only (61232 unless told, like the real control); a Unix socket is made
mode 0600. It prints its address on stderr once it listens. Faults can be changed while it runs with
the ``sandbox_Fault`` method (``{"fault": "pulled"|"reader-error"|"mute"|"none"}``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from sandbox.card.cli import add_card_options, applet_from
from sandbox.card.control import FAULTS, ControlStandIn

DEFAULT_PORT = 61232


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox card-control",
        description="A stand-in for the e-port card's local control (JSON over a WebSocket), "
        "backed by the sandbox card.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--port", type=int, help=f"TCP port on 127.0.0.1 ({DEFAULT_PORT})")
    where.add_argument("--unix", type=Path, help="Unix socket path instead of TCP (mode 0600)")
    add_card_options(parser)
    parser.add_argument("--fault", choices=FAULTS, default="none", help="fault at start")
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    applet = applet_from(parser, args)
    identity = applet.identity
    stand_in = ControlStandIn(applet=applet, fault=args.fault)
    port = None if args.unix else (args.port if args.port is not None else DEFAULT_PORT)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        serving = asyncio.ensure_future(stand_in.serve_forever(port=port, path=args.unix))
        while not stand_in.address and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()  # raises why it could not listen
        print(
            f"sandbox card control for card {identity.card_no} ({identity.operator_name}, "
            f"{identity.enterprise_name}) on {stand_in.address}",
            file=sys.stderr,
            flush=True,
        )
        try:
            await serving
        finally:
            serving.cancel()
            if args.unix is not None:
                with contextlib.suppress(FileNotFoundError):
                    args.unix.unlink()

    try:
        asyncio.run(run())
    except asyncio.CancelledError:
        pass
    except OSError as exc:
        print(f"cannot listen: {exc}", file=sys.stderr)
        return 1
    return 0
