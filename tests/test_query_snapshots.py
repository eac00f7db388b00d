"""Snapshots of the query pane at 80x24: the grid with data and the receipts panel, in the default
theme and in ansi-dark (16 colours; Textual 8 has no "textual-ansi"). Times, numbers and today are
fixed, so they never drift."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.test_query_support import (
    Host,
    db_fixture,  # noqa: F401  (the `db` fixture)
    fixed_today_fixture,  # noqa: F401  (autouse: the operator's today is fixed)
    manual_receipts,
    unified,
)

THEMES = ["textual-dark", "ansi-dark"]  # Textual 8 names its 16-colour theme ansi-dark


@pytest.mark.parametrize("theme", THEMES)
def test_grid_with_data(snap_compare, db: Engine, theme: str) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f5", "down", "space", "down")

    assert snap_compare(Host(db, theme=theme), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_receipts_panel(snap_compare, db: Engine, theme: str) -> None:  # type: ignore[no-untyped-def]
    manual_receipts(db, unified(8))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f5", *["down"] * 7, "f9")

    assert snap_compare(Host(db, theme=theme), terminal_size=(80, 24), run_before=run_before)
