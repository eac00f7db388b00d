"""What a script waits for at the command line, medians of real processes of the installed `tuihuo`.

cli_help_ms <ms>          `tuihuo --help`: python, click and the command list
cli_params_search_ms <ms> `tuihuo params search countries 日本`: no card, no database
cli_login_ms <ms>         `tuihuo login` on the sandbox: settings, SQLite (migrated once before),
                          the sandbox gateway started in the process, the card login, logout
cli_submit_per_record_ms <ms>  `tuihuo submit --all-drafts` of 20 drafts, less a login, per record
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TUIHUO = Path(sys.executable).parent / "tuihuo"
RUNS = 5


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(TUIHUO), *args], env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def median(args: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    return statistics.median(run(args, env) for _ in range(runs))


def main() -> None:
    from tests.cli_harness import cli_env, pin_file, seed_drafts

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "data" / "tuihuo").mkdir(parents=True, mode=0o700)
        env = cli_env(home, TUIHUO_PIN_FILE=str(pin_file(home)))
        env = {k: v for k, v in env.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT)}
        print(f"cli_help_ms {median(['--help'], env):.0f} ms")
        print(
            f"cli_params_search_ms {median(['params', 'search', 'countries', '日本'], env):.0f} ms"
        )
        run(["login"], env)  # the database made and migrated once
        login = median(["login"], env, 3)
        print(f"cli_login_ms {login:.0f} ms")
        seed_drafts(f"sqlite:///{home / 'data' / 'tuihuo' / 'tuihuo.db'}", 20)
        submit = run(["submit", "--all-drafts"], env)
        print(f"cli_submit_per_record_ms {(submit - login) / 20:.0f} ms")
    os.environ.pop("TUIHUO_PIN_FILE", None)


if __name__ == "__main__":
    main()
