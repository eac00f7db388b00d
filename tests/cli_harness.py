"""Running `tuihuo` in tests: in process through click's CliRunner, or as a real subprocess.

- `run_cli(args, factory=..., stdin=...)` runs `tui.cli.group.invoke` (the exit-code mapping the
  command line uses) inside `CliRunner.isolation`, returning a `Ran` (code, stdout, stderr).
- `gateway_runtime(db_url, gateway_url)` is a runtime factory as the app's tests use it: the test's
  store, the test's sandbox gateway (a real uvicorn server) and the sandbox card in process.
- `run_tuihuo(args, env=...)` runs the installed `tuihuo` script of this venv on this worktree's code.
- `pin_file(tmp_path)` writes the sandbox PIN to a 0600 file and returns its path.
- `seed_drafts(db_url, n)` saves `n` complete records through the store (暂存, local draft numbers
  only: as saved offline) for the sandbox card's enterprise and returns their keys.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from customs.client import GatewayClient
from declarant.runtime import Runtime
from declarant.worker import SandboxSlot, Worker
from sandbox.card import SANDBOX_PIN
from store.engine import open_engine
from store.records import RecordStore
from tests.factories import record_from_declaration
from tests.fixtures_gateway import declarations
from tests.seed import sandbox_operator
from tui.cli.common import CliContext
from tui.cli.group import invoke

ROOT = Path(__file__).resolve().parent.parent
TUIHUO = Path(sys.executable).parent / "tuihuo"


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def gateway_runtime(db_url: str, gateway_url: str) -> Callable[[object], Runtime]:
    def factory(settings) -> Runtime:  # type: ignore[no-untyped-def]
        engine = open_engine(db_url)
        client = GatewayClient(gateway_url, timeout=3.0, retries=1, backoff=0.01)
        worker = Worker(engine, client, SandboxSlot(), gateway_name="test")
        return Runtime(settings, engine, worker, True, gateway_url)

    return factory


def run_cli(
    args: list[str], *, factory: Callable[[object], Runtime] | None = None, stdin: str = ""
) -> Ran:
    runner = CliRunner()
    with runner.isolation(input=stdin) as (out, err, _):
        code = invoke(args, obj=CliContext(factory))  # type: ignore[arg-type]
    return Ran(code, out.getvalue().decode(), err.getvalue().decode())


def pin_file(tmp_path: Path, pin: str = SANDBOX_PIN, mode: int = 0o600) -> Path:
    path = tmp_path / "pin"
    path.write_text(pin + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """A subprocess environment on the sandbox (no gateway configured) with its own dirs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TUIHUO_") and not k.startswith("XDG_")
    }
    env.update(
        PYTHONPATH=str(ROOT),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_RUNTIME_DIR=str(home / "run"),  # never a card control of the developer's
        TUIHUO_SANDBOX_STEP_SECONDS="0",
        PATH=f"{TUIHUO.parent}{os.pathsep}{env.get('PATH', '')}",
    )
    env.update(extra)
    return env


def run_tuihuo(args: list[str], env: dict[str, str], *, stdin: str = "") -> Ran:
    done = subprocess.run(
        [str(TUIHUO), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=env.get("HOME"),
        timeout=120,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def seed_drafts(db_url: str, n: int, **overrides: object) -> list[str]:
    engine = open_engine(db_url)
    store = RecordStore(engine, sandbox_operator())
    numbers = sorted(declarations())
    keys = []
    for i in range(n):
        declaration = declarations()[numbers[i % len(numbers)]]
        saved = store.save(record_from_declaration(store, declaration, **overrides))
        assert saved.key is not None
        keys.append(saved.key)
    engine.dispose()
    return keys
