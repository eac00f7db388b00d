"""The print preview by keys: F2 PDF, F3 text, F4 printer (configured or not), Esc; what it says."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast

from screens.print_preview import PrintPreviewScreen
from store.record import RecordData
from tests.test_print_render import PRINTED_AT, UNIFIED_NO, receipts, record_with

STEM = f"{UNIFIED_NO}-20261127-103000"  # 统一编号 and the time of the print-out, China's time


class Host(App[None]):
    def __init__(
        self, record: RecordData, out_dir: Path, printer: str | None, theme: str | None = None
    ) -> None:
        super().__init__()
        self.record, self.out_dir, self.printer = record, out_dir, printer
        if theme:
            self.theme = theme

    def compose(self) -> ComposeResult:
        yield Static("出口退货信息录入")

    def on_mount(self) -> None:
        self.push_screen(
            PrintPreviewScreen(
                self.record,
                receipts(),
                operator_name="张三",
                out_dir=self.out_dir,
                printer=self.printer,
                now=lambda: PRINTED_AT,
            )
        )


def said(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#pp-message", Static).render())


def toasts(pilot: Pilot[None]) -> list[str]:
    """The notifications on screen, as the operator reads them."""
    return [str(toast.render()) for toast in pilot.app.screen.query(Toast)]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_f2_saves_pdf_and_f3_saves_text_named_by_unified_no_and_time(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    async with Host(record_with(goods=30), out, None).run_test(
        size=(80, 24), notifications=True
    ) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PrintPreviewScreen)
        await pilot.press("f2")
        await settle(pilot)
        pdf = out / f"{STEM}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert said(pilot) == f"已保存PDF：{pdf}（共2页）"
        assert any(f"已保存PDF：{pdf}" in t for t in toasts(pilot))
        await pilot.press("f3")
        await pilot.pause()
        text = out / f"{STEM}.txt"
        assert text.read_text(encoding="utf-8") == screen.text
        assert said(pilot) == f"已保存文本：{text}"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, PrintPreviewScreen)


async def test_the_preview_is_the_text_and_scrolls_by_keys(tmp_path: Path) -> None:
    async with Host(record_with(goods=30), tmp_path, None).run_test(
        size=(80, 24), notifications=True
    ) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PrintPreviewScreen)
        page = screen.query_one("#pp-page", Static)
        assert str(page.render()).startswith(screen.text.splitlines()[0])
        sheet = screen.query_one("#pp-sheet")
        assert sheet.has_focus and sheet.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert sheet.scroll_y > 0
        assert sheet.max_scroll_x == 0  # 78 columns fit 80 beside the scrollbar


async def test_no_printer_configured_the_key_says_so(tmp_path: Path) -> None:
    async with Host(record_with(goods=1), tmp_path, None).run_test(
        size=(80, 24), notifications=True
    ) as pilot:
        hint = str(pilot.app.screen.query_one("#pp-hint", Static).render())
        assert "F2 保存PDF" in hint and "F3 保存文本" in hint and "Escape 关闭" in hint
        assert "F4 打印机(未配置打印机)" in hint
        await pilot.press("f4")
        await settle(pilot)
        assert said(pilot).startswith("✗ 未配置打印机：请在设置中填写打印机名称（printer）")
    assert list(tmp_path.iterdir()) == []


def fake_lp(directory: Path, *, fail: bool = False) -> Path:
    """An `lp` that notes its arguments (or fails as CUPS does for an unknown printer)."""
    directory.mkdir()
    log = directory / "lp.args"
    script = directory / "lp"
    body = (
        'echo "lp: The printer or class does not exist." >&2; exit 1'
        if fail
        else f'printf "%s\\n" "$@" > "{log}"; echo "request id is lab-7 (1 file(s))"'
    )
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return log


async def test_f4_sends_the_pdf_to_the_configured_printer_with_lp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_lp(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "exports"
    async with Host(record_with(goods=2), out, "lab").run_test(
        size=(80, 24), notifications=True
    ) as pilot:
        hint = str(pilot.app.screen.query_one("#pp-hint", Static).render())
        assert "F4 打印机" in hint and "未配置" not in hint
        await pilot.press("f4")
        await settle(pilot)
        pdf = out / f"{STEM}.pdf"
        assert said(pilot) == f"已发送到打印机 lab：{pdf}（共2页）  request id is lab-7 (1 file(s))"
    assert log.read_text().split("\n")[:3] == ["-d", "lab", str(pdf)]


async def test_printer_and_disk_errors_are_said_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_lp(tmp_path / "bin", fail=True)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the directory should be")
    async with Host(record_with(goods=1), blocked, "nowhere").run_test(
        size=(80, 24), notifications=True
    ) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert said(pilot).startswith(f"✗ 保存文本失败：{blocked / STEM}.txt")
        await pilot.press("f2")
        await settle(pilot)
        assert said(pilot).startswith(f"✗ 保存PDF失败：{blocked / STEM}.pdf")
        pilot.app.screen.out_dir = tmp_path / "exports"  # type: ignore[attr-defined]
        await pilot.press("f4")
        await settle(pilot)
        assert (
            said(pilot) == "✗ 打印失败（打印机 nowhere）：lp: The printer or class does not exist."
        )
        assert any("打印失败" in t for t in toasts(pilot))


async def test_without_lp_installed_printing_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp anywhere
    async with Host(record_with(goods=1), tmp_path, "lab").run_test(
        size=(80, 24), notifications=True
    ) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert said(pilot) == "✗ 找不到打印命令lp（请安装CUPS客户端），可先保存PDF"


def test_file_names_are_the_unified_no_and_china_time() -> None:
    from declarant.printout import file_stem

    assert file_stem(record_with(goods=0), datetime(2026, 1, 1, 16, 0, 5, tzinfo=UTC)) == (
        f"{UNIFIED_NO}-20260102-000005"
    )
