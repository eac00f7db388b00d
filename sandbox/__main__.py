"""`python -m sandbox serve ...` (the gateway), `python -m sandbox card ...` (the virtual card in
vpcd) and `python -m sandbox card-control ...` (the stand-in for the local card control)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("serve", "card", "card-control"):
        print("usage: python -m sandbox {serve|card|card-control} [options]  (--help after any)")
        return 2
    if args[0] == "serve":
        from sandbox.gateway.cli import main as serve_main

        return serve_main(args[1:])
    if args[0] == "card-control":
        from sandbox.card.control_cli import main as control_main

        return control_main(args[1:])
    from sandbox.card.cli import main as card_main

    return card_main(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
