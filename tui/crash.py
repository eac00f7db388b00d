"""What an unexpected exception does: keep the typed work, tell support, show the operator one line.

    line = crash.handle(app, error)   # drafts written, exception logged; the Chinese line returned
    raise Crashed(line) from error    # (what TuihuoApp hands to Textual instead of the error)

Textual's own crash path prints a Rich traceback with every frame's local variables: the settings,
the database URL and its password among them. `TuihuoApp._handle_exception` sends the error here and
passes Textual a `Crashed` instead, whose Rich rendering is the one line, so the terminal never
shows a traceback and Textual's exit code and test re-raise behave as before (the original error
is the `Crashed`'s `__cause__`).
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from rich.text import Text

log = logging.getLogger("tuihuo.crash")


class Crashed(Exception):
    """The app stopped on an unexpected error; `line` is all the operator sees of it."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line

    def __rich__(self) -> Text:
        # the space lets a narrow terminal wrap before the log's path, not inside it
        return Text(self.line, style="bold red")


def message(log_file: Path, drafts_kept: bool) -> str:
    kept = "录入内容已存为草稿，" if drafts_kept else ""
    return f"程序意外出错已退出，{kept}请重新启动。详情见日志： {log_file}"


def save_drafts(app: Any) -> int:
    """Every open entry form's draft, written now; returns how many forms were saved.

    Each form is tried on its own: the fault that stopped the app may be in one of them.
    """
    try:
        from screens.entry import EntryPane
    except Exception:  # the crash may be the import itself
        log.exception("drafts not saved: the entry form cannot be loaded")
        return 0
    saved = 0
    for screen in list(getattr(app, "screen_stack", ())):
        try:
            panes = list(screen.query(EntryPane))
        except Exception:
            continue
        for pane in panes:
            try:
                pane.save_draft()
                saved += 1
            except Exception:
                log.exception("draft of an open form not saved")
    return saved


def handle(app: Any, error: BaseException) -> str:
    """Drafts first, then the log (traceback without locals, secrets masked); the line to show."""
    from tui.logs import configured, log_path, setup_logging

    if not configured():  # the crash came before the runtime thread set the log up
        with contextlib.suppress(Exception):  # an unwritable state dir must not hide the error
            setup_logging()
    saved = save_drafts(app)
    log.error("unexpected error; %d open form(s) saved as drafts", saved, exc_info=error)
    return message(log_path(), saved > 0)
