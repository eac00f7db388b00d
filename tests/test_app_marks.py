"""Marks an operator reads without colour (issue 12): the column chooser's ticks, the confirmation's
focused button, a placeholder and a closed field. Each is checked in the frame's text or in the
attributes that survive 16 colours and NO_COLOR (reverse), never in a colour alone."""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from sqlalchemy import Engine
from textual.app import App

from screens.confirm import ConfirmScreen
from tests.app_harness import entry, feed, login, make_app
from tests.fixtures_gateway import RunningGateway
from tests.screen_text import screen_lines
from tests.test_query_support import (
    Host,
    db_fixture,  # noqa: F401  (the `db` fixture)
    fixed_today_fixture,  # noqa: F401  (autouse: the operator's today is fixed)
)
from widgets.column_chooser import ColumnChooser

SIZE = (80, 24)


def row_of(app: App[object], label: str) -> str:
    """The chooser's row of `label` (inside the dialog's frame, not the grid's header behind)."""
    (line,) = [line for line in screen_lines(app) if "│" in line and f" {label} " in line]
    return line


async def test_the_column_chooser_ticks_read_without_colour(db: Engine) -> None:
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "f7")
        assert isinstance(app.screen, ColumnChooser)
        assert "[x] 统一编号" in row_of(app, "统一编号")
        await pilot.press("space")  # untick 统一编号
        await pilot.pause()
        assert "[ ] 统一编号" in row_of(app, "统一编号")
        assert "[x] 退货编号" in row_of(app, "退货编号")


def styles_of(app: App[object], *texts: str) -> dict[str, Style]:
    found: dict[str, Style] = {}
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            for text in texts:
                if text in segment.text and segment.style is not None:
                    found[text] = segment.style
    return found


class Asking(App[bool]):
    def on_mount(self) -> None:
        self.push_screen(ConfirmScreen("删除记录", "确定删除这条记录？"))


async def test_the_confirmation_highlights_the_button_that_has_the_focus() -> None:
    for theme in ("textual-dark", "ansi-dark"):
        app = Asking()
        async with app.run_test(size=SIZE) as pilot:
            app.theme = theme
            await pilot.pause()
            words = styles_of(app, "确定删除这条记录？", "确定(Y)", "取消(N)")
            assert app.screen.focused is app.screen.query_one("#cancel")
            assert words["取消(N)"].reverse
            # 确定 is painted as the dialog's own text: neither reversed nor on another colour
            assert not words["确定(Y)"].reverse
            assert words["确定(Y)"].bgcolor == words["确定删除这条记录？"].bgcolor
            await pilot.press("tab")
            words = styles_of(app, "确定(Y)", "取消(N)")
            assert words["确定(Y)"].reverse and not words["取消(N)"].reverse


async def test_placeholders_and_closed_fields_are_marked_in_words(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        assert "*进口报关单号             （按回车获取数据）" in "\n".join(screen_lines(app))
        pane = entry(app)
        other = pane.fields["disposal_other_text"]
        pane.screen.set_focus(pane.fields["disposal_methods"])
        await pilot.pause()
        assert "其他具体内容           （不可填）" in "\n".join(screen_lines(app))
        await feed(app, pilot, "\x1b[C" * 4 + " ")  # Right ×4 to 其他, Space ticks it
        assert not other.disabled
        assert "（拟处理方式为“其他”时需填写其他具体内容）" in "\n".join(screen_lines(app))


async def test_a_closed_toolbar_action_says_so_in_words(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        toolbar = next(line for line in screen_lines(app) if "新增F3" in line)
        assert "（删除F8）" in toolbar  # nothing saved yet: nothing to delete
        assert " 暂存F2 " in toolbar + " "
