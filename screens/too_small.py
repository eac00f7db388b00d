"""Below 80x24 the screens do not fit: say so over the whole screen instead of a silently cut form.

`fit(screen, size)` puts a `TooSmall` notice over `screen` (on Textual's topmost layer, the whole
screen, default colours) while `size` is under MIN_SIZE, updates it as the size changes, and takes it
away once the terminal is large enough again; the screen below keeps its state and lays out again
at the new size. The App calls it at every resize and whenever another screen becomes active.
"""

from __future__ import annotations

import weakref

from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

MIN_SIZE = Size(80, 24)
_focused_before: weakref.WeakKeyDictionary[Screen[object], Widget] = weakref.WeakKeyDictionary()


def notice(size: Size) -> str:
    wanted = f"终端窗口至少需要{MIN_SIZE.width}x{MIN_SIZE.height}"
    return f"{wanted}\n（当前 {size.width}x{size.height}，请调大窗口）"


class TooSmall(Static):
    DEFAULT_CSS = """
    TooSmall {
        layer: _tooltips;
        position: absolute;
        offset: 0 0;
        width: 100%;
        height: 100%;
        content-align: center middle;
        text-align: center;
        background: $background;
        color: $foreground;
        text-style: bold;
    }
    """


def too_small(size: Size) -> bool:
    return size.width < MIN_SIZE.width or size.height < MIN_SIZE.height


def fit(screen: Screen[object], size: Size) -> None:
    """Show, update or remove the notice on `screen` for a terminal of `size` (cells).

    While it shows, the screen's other widgets are hidden (app.tcss: `Screen.-too-small`): nothing
    is laid out at a size it was not made for, and no widget edge cuts the notice's wide characters
    (Textual blanks a wide character a cut passes through). The focus comes back where it was.
    """
    shown = list(screen.query_children(TooSmall))
    if not too_small(size):
        for widget in shown:
            widget.remove()
        screen.remove_class("-too-small")
        focused = _focused_before.pop(screen, None)
        if focused is not None and focused.is_attached and screen.focused is None:
            screen.set_focus(focused, scroll_visible=False)
        return
    if shown:
        shown[0].update(notice(size))
        return
    if screen.focused is not None:
        _focused_before[screen] = screen.focused
    screen.add_class("-too-small")
    screen.mount(TooSmall(notice(size)))
