"""The screen as an operator reads it: plain text lines, one per terminal row (no colours).

`screen_lines(app)` renders the active screen's compositor (what the driver would paint, toasts and
popups included) and returns its rows as text; a wide character appears once and takes two cells.
"""

from __future__ import annotations

from textual.app import App


def screen_lines(app: App[object]) -> list[str]:
    """The rows of the current frame, as text, trailing blanks kept (width = terminal columns)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[object]) -> str:
    return "\n".join(screen_lines(app))
