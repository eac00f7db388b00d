"""Configuration of the sandbox gateway: state file, review timing, rejection share and faults.

Faults are set per request class, so a test can break exactly one kind of request:

| class | requests |
|---|---|
| `challenge` | `POST /v1/session/challenge` |
| `login` | `POST /v1/session` |
| `declaration` | `GET /v1/import-declarations/{number}` |
| `submit` | `PUT /v1/returns/{unified_no}` |
| `receipts` | `GET /v1/receipts` |

On the command line: `--fault CLASS:KEY=VALUE[,KEY=VALUE...]`, e.g.
`--fault submit:commit_drop_share=1,count=1` (the first submission is committed, then its connection
is dropped) or `--fault declaration:delay=0.2`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from customs import crypto
from sandbox.gateway.data import DEFAULT_COUNT, DEFAULT_SEED

REQUEST_CLASSES = ("challenge", "login", "declaration", "submit", "receipts")

# The sandbox CA: the virtual e-port cards' certificates are issued with this deterministic key.
SANDBOX_CA_SEED = b"tuihuo-sandbox-ca"
SANDBOX_CA_PUBLIC_KEY = crypto.generate_keypair(SANDBOX_CA_SEED)[1]


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one request class. Shares are probabilities drawn from a seeded RNG.

    `count` caps how many times each kind of fault fires (0 = no cap), so a test can say "the first
    submission fails, the retry passes".
    """

    delay: float = 0.0  # seconds waited before the request is handled
    error_share: float = 0.0  # answered 503 before anything is done
    drop_share: float = 0.0  # connection closed without an answer before anything is done
    commit_error_share: float = 0.0  # handled and committed, then answered 503 instead
    commit_drop_share: float = 0.0  # handled and committed, then the connection is closed
    commit_delay: float = 0.0  # handled and committed, then the answer waits this long
    duplicate_share: float = 0.0  # receipts: a page repeats receipts already delivered
    reorder_share: float = 0.0  # receipts: a page comes in reverse order
    count: int = 0

    @classmethod
    def parse(cls, text: str) -> tuple[str, Fault]:
        """`CLASS:KEY=VALUE,...` -> (class, Fault)."""
        name, _, spec = text.partition(":")
        if name not in REQUEST_CLASSES:
            raise ValueError(f"unknown request class {name!r}; one of {', '.join(REQUEST_CLASSES)}")
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, float | int] = {}
        for item in filter(None, spec.split(",")):
            key, _, raw = item.partition("=")
            if key not in known:
                raise ValueError(f"unknown fault {key!r}; one of {', '.join(known)}")
            values[key] = int(raw) if key == "count" else float(raw)
        return name, cls(**values)  # type: ignore[arg-type]


@dataclass
class GatewayConfig:
    """Everything `create_app` needs. `state_path=None` keeps the state in memory (tests only)."""

    state_path: Path | None = None
    seed: int = DEFAULT_SEED
    declaration_count: int = DEFAULT_COUNT
    step_seconds: float = 5.0  # time between two receipts of a round; 0 = all at once
    reject_share: float = 0.0  # share of rounds rejected at random (on top of the rule checks)
    token_ttl: float = 8 * 3600.0
    challenge_ttl: float = 120.0
    ca_public_key: str = SANDBOX_CA_PUBLIC_KEY
    faults: dict[str, Fault] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
