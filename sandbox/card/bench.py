"""How long one card signature takes through the real PC/SC stack (pcscd + vpcd + sandbox card).

    .venv/bin/python -m sandbox.card.bench [--samples 30] [--size 1024]

Starts pcscd when none runs (as root), inserts a sandbox card into a free vpcd reader, verifies
the PIN once, then times `Card.sign` (SIGN chain + SM2 on the virtual card + the SW round trips).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass

from customs import crypto
from customs.card import Card, PcscTransport
from sandbox.card.applet import Applet
from sandbox.card.identity import SANDBOX_PIN
from sandbox.card.pcscd import ensure_pcscd, free_vpcd_reader, insert_card, remove_card


@dataclass(frozen=True)
class SignTimes:
    samples: list[float]  # seconds, in the order measured
    size: int  # bytes signed each time
    apdus_per_sign: int

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def summary(self) -> str:
        ordered = sorted(self.samples)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        return (
            f"sign {self.size} B through pcscd: median {self.median * 1000:.1f} ms, "
            f"min {ordered[0] * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms "
            f"({len(ordered)} signs, {self.apdus_per_sign} APDUs each)"
        )


def time_signs(card: Card, samples: int = 30, size: int = 1024) -> SignTimes:
    """Time `samples` signatures of `size` bytes on a card whose PIN is already verified."""
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    card.sign(data)  # warm-up: the first sign pays for imports and caches
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        card.sign(data)
        times.append(time.perf_counter() - start)
    return SignTimes(times, size, -(-max(size, 1) // 240))


def sign_latency_through_pcscd(samples: int = 30, size: int = 1024) -> SignTimes:
    """Bring up the stack, insert a sandbox card, and time `samples` signs through pcscd."""
    with ensure_pcscd():
        applet = Applet()
        reader = free_vpcd_reader()
        virtual = insert_card(applet, reader)
        try:
            card = Card(PcscTransport(reader))
            try:
                card.verify_pin(SANDBOX_PIN)
                result = time_signs(card, samples, size)
                check = card.sign(b"check")
                assert crypto.verify(card.certificate().public_key, b"check", check)
            finally:
                card.close()
        finally:
            remove_card(virtual)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.card.bench")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--size", type=int, default=1024, help="bytes signed each time")
    args = parser.parse_args(argv)
    print(sign_latency_through_pcscd(args.samples, args.size).summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
