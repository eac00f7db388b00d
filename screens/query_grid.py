"""The query's result grid: 查询 and its pages, the pager line, the columns chosen and kept.

查询 (F5) checks every filter, then shows the first page and moves to the grid. Pages are read by
keyset (store/queries.py: `RecordQuery.page` after the last or before the first row shown), never
by offset, so PgDn is as quick on the last page as on the first; F4 cycles 10/20/50/100 rows. The
columns chosen with F7 are kept in the prefs file's `query.columns` beside whatever else is kept
there; a damaged prefs file falls back to every column.

`GridPages` is a mixin of `QueryPane` (screens/query.py): its methods act on the pane.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from textual.widgets import Input, Static

from declarant.export import COLUMNS
from screens.query_filters import FILTERS
from store.queries import PAGE_SIZES, Page, QueryError, RecordQuery
from widgets.column_chooser import ColumnChooser

if TYPE_CHECKING:
    from screens.query import QueryPane


class GridPages:
    """The query run, its pages and the grid's columns (a mixin of QueryPane)."""

    def action_run_query(self: QueryPane) -> None:
        """查询: check every filter; on success show the first page and move to the grid."""
        try:
            query = self._filter_values().validated()
        except QueryError as error:
            bad = {v.field for v in error.violations}
            if "op_from" in bad:
                bad.add("op_to")
            self._mark(bad)
            self._say(error.message, error=True)
            first = next(n for n in FILTERS if n in bad)
            self.query_one(f"#{first}", Input).focus()
            return
        self._mark(set())
        self._say("")
        self.query_run = RecordQuery(self.engine, self.operator, query)
        self.ticked.clear()
        self.page_no = 1
        self._show(self.query_run.page(self.page_size))
        if self.page.rows:
            self.grid.focus()

    def _show(self: QueryPane, page: Page) -> None:
        self.page = page
        self.grid.show_rows(page.rows, self.ticked)
        self._update_pager()

    def _pages(self: QueryPane) -> int:
        return max(1, math.ceil(self.page.total / self.page_size))

    def _update_pager(self: QueryPane) -> None:
        pager = self.query_one("#pager", Static)
        if not self.page.total:
            pager.update("暂无数据")
            return
        text = (
            f"共 {self.page.total} 条  第 {self.page_no}/{self._pages()} 页  "
            f"每页 {self.page_size} 条(F4)"
        )
        if self.ticked:
            text += f"  已勾选 {len(self.ticked)} 条"
        pager.update(text)

    def action_next_page(self: QueryPane) -> None:
        if self.query_run is None or not self.page.has_next:
            return
        page = self.query_run.page(self.page_size, after=self.page.last, total=self.page.total)
        self.page_no += 1
        self._show(page)

    def action_prev_page(self: QueryPane) -> None:
        if self.query_run is None or not self.page.has_prev:
            return
        page = self.query_run.page(self.page_size, before=self.page.first, total=self.page.total)
        self.page_no = max(1, self.page_no - 1)
        self._show(page)

    def action_first_page(self: QueryPane) -> None:
        if self.query_run is None:
            return
        self.page_no = 1
        self._show(self.query_run.page(self.page_size, total=self.page.total))

    def action_last_page(self: QueryPane) -> None:
        if self.query_run is None or not self.page.total:
            return
        self.page_no = self._pages()
        self._show(self.query_run.page(self.page_size, last=True, total=self.page.total))

    def action_page_size(self: QueryPane) -> None:
        """每页条数: 10 → 20 → 50 → 100 → 10; back to the first page (its rows change)."""
        self.page_size = PAGE_SIZES[(PAGE_SIZES.index(self.page_size) + 1) % len(PAGE_SIZES)]
        if self.query_run is None:
            self._say(f"每页 {self.page_size} 条")
            return
        self.action_first_page()

    # ---- columns ---------------------------------------------------------------------------
    def _load_columns(self: QueryPane) -> list[str]:
        default = [c.key for c in COLUMNS]
        if self.prefs_path is None or not self.prefs_path.exists():
            return default
        try:
            saved = json.loads(self.prefs_path.read_text(encoding="utf-8"))["query"]["columns"]
        except (OSError, ValueError, KeyError, TypeError):
            return default  # a damaged prefs file must not stop the screen
        known = [c.key for c in COLUMNS if c.key in saved]
        return known or default

    def _save_columns(self: QueryPane, keys: list[str]) -> None:
        if self.prefs_path is None:
            return
        prefs: dict[str, object] = {}
        try:
            loaded = json.loads(self.prefs_path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                prefs = loaded  # keep whatever else the app keeps in the same file
        except (OSError, ValueError):
            pass
        section = prefs.get("query")
        section = section if isinstance(section, dict) else {}
        section["columns"] = keys
        prefs["query"] = section
        self.prefs_path.parent.mkdir(parents=True, exist_ok=True)
        self.prefs_path.write_text(json.dumps(prefs, ensure_ascii=False, indent=2), "utf-8")

    def action_choose_columns(self: QueryPane) -> None:
        def chosen(keys: list[str] | None) -> None:
            if keys is not None and keys != self.grid.column_keys:
                self.grid.set_columns(keys, self.ticked)
                self._save_columns(keys)
            self.grid.focus()

        self.app.push_screen(ColumnChooser(self.grid.column_keys), chosen)
