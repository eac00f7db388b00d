"""The `tuihuo` command: the app by default; subcommands for scripts, one module per command group.

Each subcommand is a thin click command over a headless function of `declarant/` (or `store/`), so a
script can call the same function without the command line. A command group lives in its own module
of this package, exposing `command` (a `click.Command` or `click.Group`); registering it is one line
in `COMMANDS` below. Modules are imported only when their command runs (or for `--help`): `tuihuo`
alone starts the app without importing click, the store or the gateway client.

Exit codes (also in `tuihuo --help` and the README): 0 done; 1 refused, with the reasons in Chinese;
2 usage (a wrong option, a bad filter, bad settings); 3 a service unavailable (the gateway, the
database, the card or its reader).
"""

from __future__ import annotations

import sys

# name -> module exposing `command`; one line registers a command group
COMMANDS: dict[str, str] = {
    "run": "tui.cli.run",
    "settings": "tui.cli.settings",
    "db": "tui.cli.db",
    "sandbox": "tui.cli.sandbox",
    "login": "tui.cli.login",
    "records": "tui.cli.records",
    "print": "tui.cli.printing",
    "submit": "tui.cli.submit",
    "receipts": "tui.cli.receipts",
    "declaration": "tui.cli.declaration",
    "params": "tui.cli.params",
    "template": "tui.cli.template",
    "import": "tui.cli.sheet_import",
}


def main(argv: list[str] | None = None) -> int:
    """Run `tuihuo` with `argv` (default: the process's arguments); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:  # the app, as fast as before the subcommands: nothing else imported
        from tui.cli.start import run_app

        return run_app()
    from tui.cli.group import invoke

    return invoke(args)
