"""Starting the app: `tuihuo` alone comes here without importing click or any command module."""

from __future__ import annotations

import sys

NO_TERMINAL = "tuihuo 需要终端：请在终端中运行，脚本请用子命令（tuihuo --help）"


def has_terminal() -> bool:
    """Both stdin and stdout are a terminal: the app reads keys and draws; from cron or a pipe it
    would spin on a closed input forever."""
    return (
        sys.stdin is not None
        and sys.stdout is not None
        and sys.stdin.isatty()
        and sys.stdout.isatty()
    )


def run_app() -> int:
    """The app, with nothing imported that its first frame does not need; exit 2 without a terminal."""
    if not has_terminal():
        print(NO_TERMINAL, file=sys.stderr)
        return 2  # usage (tui.cli.errors.ExitCode.USAGE: not imported on the app's fast path)
    from tui.app import TuihuoApp
    from tui.early import read_early

    early = read_early()  # the settings themselves load after the first frame
    app = TuihuoApp(early=early)
    app.run(mouse=early.mouse)
    return app.return_code or 0  # 1 after an unexpected error (tui/crash.py)
