"""The attachments dialog by keys alone, in a small host app: add, every refusal, details, remove."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from screens.attachments import (
    AttachmentsScreen,
    DetailsScreen,
    DocTypeScreen,
    FilePickerScreen,
)
from screens.confirm import ConfirmScreen
from store.attachments import AttachmentStore
from store.engine import open_engine
from store.records import RecordStore
from tests.factories import complete_record, save_issued
from tests.fixtures_db import OPERATOR
from widgets.file_picker import complete

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
ADDED_AT = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)


class Host(App[None]):
    """Stands in for the entry form: opens one screen over a plain base."""

    def __init__(self, make: Callable[[], Screen[object]], theme: str | None = None) -> None:
        super().__init__()
        self.make = make
        if theme:
            self.theme = theme

    def compose(self) -> ComposeResult:
        yield Static("出口退货信息录入")

    def on_mount(self) -> None:
        self.push_screen(self.make())


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


@pytest.fixture
def records(sqlite_engine: Engine) -> RecordStore:
    return RecordStore(sqlite_engine, OPERATOR)


@pytest.fixture
def docs(sqlite_engine: Engine) -> AttachmentStore:
    return AttachmentStore(sqlite_engine, OPERATOR, max_bytes=1024, now=lambda: ADDED_AT)


@pytest.fixture
def unified_no(records: RecordStore) -> str:
    no = save_issued(records, complete_record(records)).unified_no
    assert no is not None
    return no


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "单据"
    folder.mkdir()
    (folder / "invoice.pdf").write_bytes(PDF)
    (folder / "packing.png").write_bytes(PNG)
    (folder / "notes.txt").write_text("hello")
    (folder / "fake.pdf").write_bytes(b"GIF89a not a pdf")
    (folder / "big.pdf").write_bytes(PDF + b"x" * 2048)
    (folder / "contracts").mkdir()
    (folder / "contracts" / "contract.pdf").write_bytes(PDF + b"contract")
    return folder


def dialog(docs: AttachmentStore, unified_no: str, files: Path, locked: bool = False) -> Host:
    return Host(lambda: AttachmentsScreen(docs, unified_no, locked=locked, start_dir=files))


def message(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#att-message", Static).render())


def picker_error(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#fp-error", Static).render())


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def open_picker(pilot: Pilot[None]) -> Input:
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilePickerScreen)
    return pilot.app.screen.query_one("#fp-path", Input)


async def test_add_by_keys_path_tab_enter_type_confirm(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        assert "尚未添加随附单据" in message(pilot)
        path = await open_picker(pilot)
        assert path.value == f"{files}/"  # starts in the configured directory
        await type_text(pilot, "inv")
        await pilot.press("tab")  # unique: completed
        assert path.value == f"{files}/invoice.pdf"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DocTypeScreen)
        await pilot.press("0", "2")  # typed code jumps to 02 发票
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttachmentsScreen)
        assert "已添加：invoice.pdf（发票" in message(pilot)
        grid = pilot.app.screen.query_one(DataTable)
        assert grid.row_count == 1
        assert [str(c) for c in grid.get_row_at(0)] == [
            "发票",
            "invoice.pdf",
            "15 B",
            "2026-11-27 10:30",
        ]
    assert [(a.doc_type, a.filename) for a in docs.list(unified_no)] == [("02", "invoice.pdf")]


async def test_tab_lists_several_and_enters_directories_and_arrows_choose_the_type(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        path = await open_picker(pilot)
        await pilot.press("tab")  # everything in the folder: listed, nothing chosen
        candidates = str(pilot.app.screen.query_one("#fp-candidates", Static).render())
        assert "contracts/" in candidates and "invoice.pdf" in candidates
        await type_text(pilot, "co")
        await pilot.press("tab")
        assert path.value == f"{files}/contracts/"
        await pilot.press("tab")
        assert path.value == f"{files}/contracts/contract.pdf"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down")  # 01 → 05 质量检验报告
        await pilot.press("enter")
        await pilot.pause()
        assert "已添加：contract.pdf（质量检验报告" in message(pilot)
    assert [a.doc_type for a in docs.list(unified_no)] == ["05"]


async def test_a_file_chosen_in_the_directory_tree(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        await open_picker(pilot)
        await pilot.press("down")  # into the tree
        await pilot.pause()
        tree = pilot.app.screen.query_one("#fp-tree")
        assert tree.has_focus
        # the tree lists directories first, then files by name: contracts/, big.pdf, fake.pdf,
        # invoice.pdf …; the cursor starts on the root
        for _ in range(20):
            node = tree.cursor_node  # type: ignore[attr-defined]
            if node is not None and node.data is not None and node.data.path.name == "invoice.pdf":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DocTypeScreen)
        await type_text(pilot, "qt")  # pinyin initials: 99 其他
        await pilot.press("enter")
        await pilot.pause()
    assert [(a.doc_type, a.filename) for a in docs.list(unified_no)] == [("99", "invoice.pdf")]


REFUSALS = (
    ("missing.pdf", "文件不存在"),
    ("notes.txt", "只能添加PDF、JPG、PNG文件"),
    ("fake.pdf", "只能添加PDF、JPG、PNG文件"),
    ("big.pdf", "超过0.00098 MB的限制"),
    ("unreadable.pdf", "文件无法读取"),
)


async def test_every_file_refusal_is_said_and_the_path_kept(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    if os.geteuid() == 0:  # root reads any mode: a file whose read fails with EIO instead
        (files / "unreadable.pdf").symlink_to("/proc/self/mem")
    else:
        (files / "unreadable.pdf").write_bytes(PDF)
        (files / "unreadable.pdf").chmod(0)
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        path = await open_picker(pilot)
        for name, expected in REFUSALS:
            path.value = f"{files}/{name}"  # typing is shown above; here only the refusals
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(pilot.app.screen, FilePickerScreen)  # still here, to correct it
            assert expected in picker_error(pilot), name
            assert path.value == f"{files}/{name}"
            await pilot.press("backspace")  # typing clears the complaint
            assert picker_error(pilot) == ""
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttachmentsScreen)
    assert docs.list(unified_no) == []


async def test_the_same_file_twice_is_refused(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    (files / "copy.pdf").write_bytes(PDF)
    docs.add(unified_no, files / "invoice.pdf", "02")
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        await open_picker(pilot)
        await type_text(pilot, "copy.pdf")
        await pilot.press("enter")
        await pilot.pause()
        assert "同一文件已添加过（“invoice.pdf”），不能重复添加：copy.pdf" in picker_error(pilot)
    assert len(docs.list(unified_no)) == 1


async def test_a_refusal_at_the_last_step_is_said_in_the_dialog(
    docs: AttachmentStore, records: RecordStore, unified_no: str, files: Path
) -> None:
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        await open_picker(pilot)
        await type_text(pilot, "invoice.pdf")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DocTypeScreen)
        # meanwhile the record is submitted from elsewhere: customs holds it now
        record = records.load(unified_no)
        records.begin_submission(
            records.prepare_submission(unified_no, version=record.version or 0)
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AttachmentsScreen)
        assert "不允许添加随附单据" in message(pilot)
        screen = pilot.app.screen
        await pilot.press("f2")  # still locked: said again, no picker opened for nothing
        await pilot.pause()
        assert pilot.app.screen is screen and "不允许添加随附单据" in message(pilot)
        records.mark_submit_failed(unified_no, 1, "网关拒绝")  # editable again
        await pilot.press("f2")  # the path typed last comes back
        await pilot.pause()
        assert pilot.app.screen.query_one("#fp-path", Input).value == f"{files}/invoice.pdf"
    assert docs.list(unified_no) == []


async def test_locked_status_views_but_the_add_and_remove_keys_say_why(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    docs.add(unified_no, files / "invoice.pdf", "02")
    async with dialog(docs, unified_no, files, locked=True).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert "只能查看" in str(screen.query_one("#att-locked", Static).render())
        hint = str(screen.query_one("#att-hint", Static).render())
        assert "Insert/F2 添加(已锁定)" in hint and "Delete/F8 移除(已锁定)" in hint
        for key in ("insert", "f2"):
            await pilot.press(key)
            assert pilot.app.screen is screen
            assert "随附单据只能查看，不允许添加" in message(pilot)
        for key in ("delete", "f8"):
            await pilot.press(key)
            assert pilot.app.screen is screen
            assert "随附单据只能查看，不允许移除" in message(pilot)
        await pilot.press("enter")  # viewing is allowed
        await pilot.pause()
        assert isinstance(pilot.app.screen, DetailsScreen)
    assert len(docs.list(unified_no)) == 1


async def test_details_then_remove_asks_first(
    docs: AttachmentStore, unified_no: str, files: Path
) -> None:
    kept = docs.add(unified_no, files / "invoice.pdf", "02")
    docs.add(unified_no, files / "packing.png", "03")
    async with dialog(docs, unified_no, files).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        body = str(pilot.app.screen.query_one("#det-body", Static).render())
        assert kept.sha256 in body and "02 发票" in body and "15 字节" in body
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "delete")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = str(pilot.app.screen.query_one("#confirm-text", Static).render())
        assert question == "移除随附单据“packing.png”（装箱单）？"
        await pilot.press("escape")  # declined: nothing goes
        await pilot.pause()
        assert "未移除" in message(pilot) and len(docs.list(unified_no)) == 2
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")  # Enter would answer 取消, where the cursor starts: it is safer
        await pilot.pause()
        assert "已移除：packing.png" in message(pilot)
        assert pilot.app.screen.query_one(DataTable).row_count == 1
        await pilot.press("escape")  # close
        await pilot.pause()
        assert not isinstance(pilot.app.screen, AttachmentsScreen)
    assert [a.filename for a in docs.list(unified_no)] == ["invoice.pdf"]


def test_completion_of_names_directories_and_hidden_entries(files: Path) -> None:
    (files / ".hidden.pdf").write_bytes(PDF)
    assert complete("inv", files).text == "invoice.pdf"
    both = complete("", files)
    assert ".hidden.pdf" not in both.candidates and "contracts/" in both.candidates
    assert complete(".h", files).text == ".hidden.pdf"
    assert complete("contr", files).text == "contracts/"
    assert complete(f"{files}/contracts/c", files).text == f"{files}/contracts/contract.pdf"
    assert complete("zzz", files).candidates == () and complete("zzz", files).text == "zzz"
    several = complete("b", files)
    assert several.text == "big.pdf"
    (files / "bigger.pdf").write_bytes(PDF)
    assert complete("b", files).text == "big" and complete("b", files).candidates == (
        "big.pdf",
        "bigger.pdf",
    )
