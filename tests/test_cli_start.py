"""What `tuihuo` imports: the app path nothing of the command line, the commands nothing of Textual."""

from __future__ import annotations

import subprocess
import sys

from tests.cli_harness import ROOT

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
