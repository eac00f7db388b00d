"""Starting the app: `tuihuo` alone comes here without importing click or any command module."""

from __future__ import annotations


def run_app() -> int:
    """The app, with nothing imported that its first frame does not need."""
    from tui.app import TuihuoApp
    from tui.early import read_early

    early = read_early()  # the settings themselves load after the first frame
    app = TuihuoApp(early=early)
    app.run(mouse=early.mouse)
    return app.return_code or 0  # 1 after an unexpected error (tui/crash.py)
