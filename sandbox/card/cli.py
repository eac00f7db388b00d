"""`python -m sandbox card [--port N] [--card-no NNNNNNNNNNNNN] [--pin PIN]`: the virtual e-port
card in vpcd's reader (pcscd must be running with vsmartcard-vpcd) until killed.

The card stays inserted: when pcscd restarts, it plugs itself back in.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from types import FrameType

from customs.card import profile
from sandbox.card.applet import Applet
from sandbox.card.identity import SANDBOX_CARD_NO, SANDBOX_PIN, card_identity, is_card_no
from sandbox.card.vpcd import VPCD_HOST, VPCD_PORT, reader_for_port, run_forever


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox card",
        description="Plug a virtual e-port card (tuihuo's APDU profile) into pcscd via vpcd.",
    )
    parser.add_argument("--host", default=VPCD_HOST, help=f"vpcd's address ({VPCD_HOST})")
    parser.add_argument(
        "--port",
        type=int,
        default=VPCD_PORT,
        help=f"vpcd's port: {VPCD_PORT} = {reader_for_port(VPCD_PORT)!r}, "
        f"{VPCD_PORT + 1} = {reader_for_port(VPCD_PORT + 1)!r}",
    )
    add_card_options(parser)
    return parser


def add_card_options(parser: argparse.ArgumentParser) -> None:
    """The options of the sandbox card itself, shared by `card` and `card-control`."""
    parser.add_argument(
        "--card-no", default=SANDBOX_CARD_NO, help=f"13-digit card number ({SANDBOX_CARD_NO})"
    )
    parser.add_argument("--pin", default=SANDBOX_PIN, help=f"the card's PIN ({SANDBOX_PIN})")
    parser.add_argument(
        "--tries", type=int, default=profile.DEFAULT_PIN_TRIES, help="PIN tries before it locks"
    )
    parser.add_argument("-v", "--verbose", action="store_true")


def applet_from(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Applet:
    """The card the options name (a bad option exits 2 through `parser.error`); logging set up."""
    if not is_card_no(args.card_no):
        parser.error("--card-no must be 13 digits")
    if not profile.pin_is_well_formed(args.pin):
        parser.error("--pin must be 4 to 16 printable ASCII characters")
    if not 1 <= args.tries <= 15:
        parser.error("--tries must be 1..15")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    return Applet(card_identity(args.card_no), pin=args.pin, max_tries=args.tries)


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    applet = applet_from(parser, args)
    identity = applet.identity
    print(
        f"sandbox e-port card {identity.card_no}: {identity.operator_name}, "
        f"{identity.enterprise_name} (USCC {identity.enterprise_uscc}, "
        f"customs code {identity.customs_code}); reader {reader_for_port(args.port)!r} "
        f"via {args.host}:{args.port}",
        file=sys.stderr,
        flush=True,
    )
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()
        raise KeyboardInterrupt  # wakes the serving recv; the card leaves the reader

    signal.signal(signal.SIGTERM, on_signal)
    with contextlib.suppress(KeyboardInterrupt):
        run_forever(applet, host=args.host, port=args.port, stop=stop)
    return 0
