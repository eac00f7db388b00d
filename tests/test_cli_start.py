"""What `tuihuo` imports: the app path nothing of the command line, the commands nothing of Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli_harness import ROOT, cli_env, run_tuihuo

PROBE = """
import importlib, sys
import tui.cli
from tui.cli.start import run_app
app_path = sorted(m for m in ("click", "rich", "sqlalchemy", "httpx") if m in sys.modules)
for module in tui.cli.COMMANDS.values():
    command = importlib.import_module(module).command
from tui.cli.group import tuihuo
print(app_path, "textual" in sys.modules, len(tuihuo.list_commands(None)))
"""


def test_the_app_path_skips_click_and_the_commands_skip_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    app_path, textual, count = done.stdout.rsplit(" ", 2)
    assert app_path == "[]"  # `tuihuo` alone: straight to the app, as before the subcommands
    assert textual == "False"  # no command module pays for Textual
    from tui.cli import COMMANDS

    assert int(count) == len(COMMANDS)


def test_without_a_terminal_the_app_refuses_at_once(tmp_path: Path) -> None:
    """From cron or a script (`tuihuo </dev/null >/dev/null`) the app would spin on a closed input:
    it refuses in one Chinese line and exits 2, as `tuihuo run` does."""
    env = cli_env(tmp_path)
    for args in ([], ["run"]):
        ran = run_tuihuo(args, env)  # stdin and stdout are pipes
        assert ran.code == 2, ran
        assert "tuihuo 需要终端" in ran.stderr
        assert "Traceback" not in ran.stderr
        assert ran.stdout == ""
