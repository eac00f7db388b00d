"""The print preview at 80x24, in the default theme and in ansi-dark (16 colours)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_print_preview import Host
from tests.test_print_render import record_with

THEMES = ["textual-dark", "ansi-dark"]  # ansi-dark: the app's 16-colour theme (tui/app.py)


@pytest.mark.parametrize("theme", THEMES)
def test_print_preview_snapshot(snap_compare, tmp_path: Path, theme: str) -> None:  # type: ignore[no-untyped-def]
    app = Host(record_with(goods=30), tmp_path, None, theme=theme)
    assert snap_compare(app, terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
def test_print_preview_snapshot_goods_and_no_printer(
    snap_compare, tmp_path: Path, theme: str
) -> None:  # type: ignore[no-untyped-def]
    """Scrolled to the goods table, after F4 with no printer configured (an error line)."""
    app = Host(record_with(goods=30), tmp_path, None, theme=theme)
    assert snap_compare(app, press=["f4", "pagedown", "pagedown"], terminal_size=(80, 24))
