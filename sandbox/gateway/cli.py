"""`python -m sandbox serve`: the sandbox customs gateway on a real uvicorn server.

    python -m sandbox serve --port 8765 --state /tmp/gw.sqlite3 --step-seconds 2 --reject-share 0.1 \
        --fault submit:commit_drop_share=0.2 --fault receipts:duplicate_share=0.3
    python -m sandbox serve --list-declarations 10   # a few import declaration numbers it knows
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sandbox.gateway.config import REQUEST_CLASSES, Fault, GatewayConfig
from sandbox.gateway.data import DEFAULT_COUNT, DEFAULT_SEED, sample_numbers


def default_state_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tuihuo" / "sandbox-gateway.sqlite3"


def _fault(text: str) -> tuple[str, Fault]:
    try:
        return Fault.parse(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox serve", description="The sandbox customs gateway (HTTP, /v1)."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--state", type=Path, default=None, help="SQLite state file")
    parser.add_argument("--step-seconds", type=float, default=5.0, help="time between receipts")
    parser.add_argument("--reject-share", type=float, default=0.0, help="random rejections, 0-1")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--declarations", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--token-ttl", type=float, default=8 * 3600.0, help="seconds")
    parser.add_argument(
        "--fault",
        type=_fault,
        action="append",
        default=[],
        metavar="CLASS:KEY=VALUE,...",
        help=f"classes: {', '.join(REQUEST_CLASSES)}; keys: see sandbox/gateway/config.py",
    )
    parser.add_argument("--list-declarations", type=int, metavar="N", help="print N numbers, exit")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.list_declarations:
        print("\n".join(sample_numbers(args.list_declarations, args.seed)))
        return 0
    import uvicorn

    from sandbox.gateway.app import create_app

    state = args.state or default_state_path()
    config = GatewayConfig(
        state_path=state,
        seed=args.seed,
        declaration_count=args.declarations,
        step_seconds=args.step_seconds,
        reject_share=args.reject_share,
        token_ttl=args.token_ttl,
        faults=dict(args.fault),
    )
    app = create_app(config)
    print(f"sandbox gateway on http://{args.host}:{args.port} (state {state})", flush=True)
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", access_log=False, http="h11"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
