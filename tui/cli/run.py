"""`tuihuo run` (and `tuihuo` alone): the app."""

from __future__ import annotations

import click

from tui.cli.start import run_app


@click.command("run")
def command() -> int:
    """Start the app (the default when no command is given)."""
    return run_app()
