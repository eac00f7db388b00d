"""The attachments dialog at 80x24, default theme and ansi-dark: a list, a refusal, locked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from screens.attachments import AttachmentsScreen
from store.attachments import AttachmentStore
from store.engine import open_engine
from store.models import ReturnRecord
from store.records import RecordStore
from tests.factories import complete_record
from tests.fixtures_db import OPERATOR
from tests.test_attachments_screen import ADDED_AT, PDF, PNG, Host

THEMES = ["textual-dark", "ansi-dark"]  # ansi-dark: the app's 16-colour theme (tui/app.py)
FIXED_NO = "202600000000000042"  # the store's number carries the current year: fixed here


@pytest.fixture
def docs(tmp_path: Path) -> AttachmentStore:
    sqlite_engine: Engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
    records = RecordStore(sqlite_engine, OPERATOR)
    saved = records.save(complete_record(records))
    with Session(sqlite_engine) as session, session.begin():
        session.execute(
            update(ReturnRecord)
            .where(ReturnRecord.unified_no == saved.unified_no)  # type: ignore[arg-type]
            .values(unified_no=FIXED_NO)
        )
    store = AttachmentStore(sqlite_engine, OPERATOR, max_bytes=1024, now=lambda: ADDED_AT)
    for name, content, code in (
        ("商业发票-2026-0042.pdf", PDF, "02"),
        ("装箱单.png", PNG, "03"),
        ("质量检验报告（第三方机构出具）.pdf", PDF + b"report", "05"),
    ):
        (tmp_path / name).write_bytes(content)
        store.add(FIXED_NO, tmp_path / name, code)
    (tmp_path / "notes.txt").write_text("hello")
    return store


@pytest.mark.parametrize("theme", THEMES)
def test_attachments_dialog_snapshot(
    snap_compare, docs: AttachmentStore, tmp_path: Path, theme: str
) -> None:  # type: ignore[no-untyped-def]
    app = Host(lambda: AttachmentsScreen(docs, FIXED_NO, locked=False, start_dir=tmp_path), theme)
    assert snap_compare(app, terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
def test_attachments_dialog_locked_snapshot(
    snap_compare, docs: AttachmentStore, tmp_path: Path, theme: str
) -> None:  # type: ignore[no-untyped-def]
    """Locked: the note, the keys marked 已锁定, and what F2 says."""
    app = Host(lambda: AttachmentsScreen(docs, FIXED_NO, locked=True, start_dir=tmp_path), theme)
    assert snap_compare(app, press=["f2"], terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
def test_doc_type_list_snapshot(
    snap_compare, docs: AttachmentStore, tmp_path: Path, theme: str
) -> None:  # type: ignore[no-untyped-def]
    """Step 2 of adding: the type list over the dialog, 03 装箱单 chosen by typing ZXD."""
    from screens.attachments import DocTypeScreen

    app = Host(lambda: DocTypeScreen("发票.pdf"), theme)
    assert snap_compare(app, press=["z", "x", "d"], terminal_size=(80, 24))
