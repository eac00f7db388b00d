"""`python -m sandbox serve ...` (the gateway) and `python -m sandbox card ...` (the virtual card)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("serve", "card"):
        print("usage: python -m sandbox {serve|card} [options]  (--help after either)")
        return 2
    if args[0] == "serve":
        from sandbox.gateway.cli import main as serve_main

        return serve_main(args[1:])
    from sandbox.card.cli import main as card_main

    return card_main(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
