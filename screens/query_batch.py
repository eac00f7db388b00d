"""The query's batch actions on ticked rows and on the whole result: 删除 (F8) and 导出 (F6).

Space ticks the grid's current row and moves down; ticks survive paging (they are kept by 统一编号)
and are cleared by the next 查询. 删除 confirms with the count, deletes what may be deleted and
names each refused record with its reason. 导出 writes the whole result (every page, the columns
shown) as CSV or XLSX in a thread, saying its progress; a second export waits for the first.

`BatchActions` is a mixin of `QueryPane` (screens/query.py): its methods act on the pane.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from declarant.export import EXPORT_BATCH, export_name, export_rows
from screens.confirm import ConfirmScreen
from screens.query_popups import export_popup
from store.queries import RecordQuery

if TYPE_CHECKING:
    from screens.query import QueryPane


class BatchActions:
    """Ticks, batch delete and export (a mixin of QueryPane)."""

    def action_tick(self: QueryPane) -> None:
        row = self.grid.current
        if row is None:
            return
        ticked = row.key not in self.ticked
        if ticked:
            self.ticked.add(row.key)
        else:
            self.ticked.discard(row.key)
        self.grid.set_tick(row.key, ticked)
        self._update_pager()
        if self.grid.cursor_row < self.grid.row_count - 1:
            self.grid.move_cursor(row=self.grid.cursor_row + 1, animate=False)

    # ---- delete ----------------------------------------------------------------------------
    def action_delete_ticked(self: QueryPane) -> None:
        """删除: confirm with the count, delete what may be deleted, name what was refused."""
        if not self.ticked:
            self._say("请先用空格勾选要删除的记录", error=True)
            return
        chosen = sorted(self.ticked)
        text = (
            f"是否确认删除选中数据？共 {len(chosen)} 条。\n"
            "删除的数据将不可恢复，需重新录入，请谨慎操作。"
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(chosen)
            else:
                self.grid.focus()

        self.app.push_screen(ConfirmScreen("删除", text), answered)

    def _delete(self: QueryPane, chosen: list[str]) -> None:
        result = self.store.delete_many(chosen)
        self.ticked.difference_update(chosen)
        parts = [f"已删除{len(result.deleted)}条。"]  # no spaces: Chinese wraps anywhere
        if result.refused:
            named = "；".join(f"{no}（{why}）" for no, why in result.refused)
            parts.append(f"以下{len(result.refused)}条不允许删除：{named}")
        self._say("".join(parts), error=bool(result.refused))
        self.notify(parts[0], severity="warning" if result.refused else "information", markup=False)
        if self.query_run is not None:
            self.page_no = 1
            self._show(self.query_run.page(self.page_size))
        self.grid.focus()

    # ---- export ----------------------------------------------------------------------------
    def action_export(self: QueryPane) -> None:
        if self.query_run is None or not self.page.total:
            self._say("没有可导出的数据，请先查询", error=True)
            return

        def chosen(fmt: str | None) -> None:
            if fmt is not None:
                self.export(fmt)

        self.app.push_screen(export_popup(), chosen)

    def export(self: QueryPane, fmt: str) -> None:
        """Export the current result in `fmt` ("csv" or "xlsx") in a thread worker."""
        if self.query_run is None:
            return
        if self.exporting:
            # a thread cannot be stopped halfway: a second export waits for the first to end
            self.notify("正在导出，请稍候", severity="warning")
            return
        path = self.export_dir / export_name(fmt)
        self.exporting = True
        self._say(f"正在导出 0/{self.page.total} 条…")
        self._export(self.query_run, list(self.grid.column_keys), path, self.page.total)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(
        self: QueryPane, query: RecordQuery, columns: list[str], path: Path, total: int
    ) -> None:
        def progress(done: int) -> None:
            self.app.call_from_thread(self._say, f"正在导出 {done}/{total} 条…")

        try:
            written = export_rows(query.all_rows(EXPORT_BATCH), columns, path, progress=progress)
        except Exception as error:  # disk full, permission: the operator must hear of it
            self.app.call_from_thread(self._export_failed, error, path)
            return
        self.app.call_from_thread(self._exported, written, path)

    def _export_failed(self: QueryPane, error: Exception, path: Path) -> None:
        self.exporting = False
        self.log.error(f"export to {path} failed: {error!r}")
        if isinstance(error, OSError):
            self._say(f"导出失败：无法写入 {path}（{error.strerror or error}）", error=True)
        else:
            self._say(f"导出失败：{error}", error=True)

    def _exported(self: QueryPane, written: int, path: Path) -> None:
        self.exporting = False
        self.last_export = path
        self._say(f"已导出{written}条到 {path}")
        self.notify(f"已导出{written}条到 {path}", timeout=8, markup=False)
