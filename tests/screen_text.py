"""The screen as an operator reads it: plain text lines, one per terminal row (no colours).

`screen_lines(app)` renders the active screen's compositor (what the driver would paint, toasts and
popups included) and returns its rows as text; a wide character appears once and takes two cells.
`cut_short(app)` lists every label, message, button or placeholder whose text the frame does not
show whole, and every ellipsis (…) the frame holds: what an operator at 80x24 would find cut.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.app import App
from textual.widget import Widget
from textual.widgets import Button, Input, Static

SPACE = re.compile(r"\s+")


def screen_lines(app: App[object]) -> list[str]:
    """The rows of the current frame, as text, trailing blanks kept (width = terminal columns)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[object]) -> str:
    return "\n".join(screen_lines(app))


def intended(widget: Widget) -> str | None:
    """The text `widget` means to show whole, or None when it is not a text of that kind (a
    table, a grid) or may rightly scroll (an Input's value wider than the Input)."""
    if isinstance(widget, Input):
        if widget.password:
            return None
        if not widget.value:
            return widget.placeholder
        return widget.value if cell_len(widget.value) < widget.content_region.width else None
    if isinstance(widget, Button):
        return str(widget.label)
    if isinstance(widget, Static):
        plain = getattr(widget.visual, "plain", None)
        return plain if isinstance(plain, str) else None
    return None


def cut_short(app: App[object]) -> list[str]:
    """What the frame shows cut: "<widget id or class>: <its text>" for each text not whole in the
    widget's own region (wrapped lines count as whole), and each frame row holding "…"."""
    compositor = app.screen._compositor
    strips = compositor.render_strips()
    problems = [f"ellipsis: {s.text.strip()}" for s in strips if "…" in s.text]
    for widget, geometry in compositor.full_map.items():
        region, clip = geometry.region, geometry.clip
        text = intended(widget)
        if not text or not text.strip() or not widget.visible or not region:
            continue
        name = f"#{widget.id}" if widget.id else type(widget).__name__
        if region.y < clip.y or region.bottom > clip.bottom:
            if any(getattr(a, "allow_vertical_scroll", False) for a in widget.ancestors):
                continue  # scrolled (partly) out of view: it scrolls in with the cursor
            problems.append(f"{name}: {text!r} is taller than the room it has")
            continue
        left, right = max(region.x, clip.x), min(region.right, clip.right)
        if left >= right:
            problems.append(f"{name}: {text!r} not shown (beyond the edge)")
            continue
        shown = "".join(
            strips[y].crop(left, right).text
            for y in range(region.y, region.bottom)
            if y < len(strips)
        )
        if SPACE.sub("", text) not in SPACE.sub("", shown):
            problems.append(f"{name}: {text!r} shown as {shown.strip()!r}")
    return problems
