"""`tuihuo run` (and `tuihuo` alone): the app."""

from __future__ import annotations

import click


def run_app() -> int:
    """The app, with nothing imported that its first frame does not need."""
    from tui.app import TuihuoApp
    from tui.early import read_early

    early = read_early()  # the settings themselves load after the first frame
    app = TuihuoApp(early=early)
    app.run(mouse=early.mouse)
    return app.return_code or 0  # 1 after an unexpected error (tui/crash.py)


@click.command("run")
def command() -> int:
    """Start the app (the default when no command is given)."""
    return run_app()
