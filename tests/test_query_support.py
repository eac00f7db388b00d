"""Shared by the query tests: a fixed calendar, records in every status, and a small host app.

Records are inserted in bulk with fixed times (no rules to run: the query reads only the grid's
columns), so the grid and its snapshots are the same on every run and every day.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select
from sqlmodel import Session
from textual.app import ComposeResult

from screens.query import QueryPane
from store import clock
from store.engine import open_engine
from store.models import Receipt, ReturnRecord
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR
from widgets.ordering import SettlingApp

TODAY = date(2025, 11, 20)
# noon in China on TODAY, as stored (UTC)
NOON = datetime(2025, 11, 20, 4, 0, tzinfo=UTC)
TODAY_COUNT = 27  # records of OPERATOR last touched TODAY: statuses 0-8, three times over
CONSIGNEE_USCC = "91310000132212345X"
CONSIGNEE_CODE = "3101930123"
PRODUCER_CODE = "3205960001"


@pytest.fixture(name="fixed_today", autouse=True)
def fixed_today_fixture(monkeypatch: pytest.MonkeyPatch) -> date:
    """The operator's today is TODAY (the default range, quick ranges, new 统一编号)."""
    monkeypatch.setattr(clock, "today_local", lambda: TODAY)
    return TODAY


def unified(n: int) -> str:
    return f"2025{n:014d}"


def record_values(
    n: int, status: int, updated: datetime, *, enterprise: str = OPERATOR.enterprise_uscc
) -> dict[str, object]:
    return {
        "unified_no": unified(n),
        "enterprise_uscc": enterprise,
        "status": status,
        "version": 1,
        "submission_round": 1 if status else 0,
        "accepted_round": 1 if status > 2 else 0,
        "created_by": "张三",
        "created_at": updated,
        "updated_at": updated,
        "collected_at": updated - timedelta(hours=1) if status else None,
        "return_no": f"220125{n:06d}" if status == 7 else None,
        "import_decl_no": f"2201202510{n:08d}",
        "consignee_uscc": CONSIGNEE_USCC if n % 3 == 0 else "91310000MA1FL0000X",
        "consignee_code": CONSIGNEE_CODE if n % 3 == 0 else "3101939999",
        "consignee_name": "上海收货贸易有限公司",
        "producer_uscc": "91320500MA1MXXXX0X",
        "producer_code": PRODUCER_CODE if n % 2 == 0 else "3205969999",
        "producer_name": "苏州原生产制造有限公司",
        "disposal_methods": ["1"],
        "export_trade_modes": ["0110"],
        "reason_categories": ["2"],
        "specific_reasons": ["23"],
    }


def fill(engine: Engine) -> list[str]:
    """TODAY_COUNT records of today (newest first: n=1 is a minute before noon... n=27 oldest),
    3 of ten days ago, 2 of another enterprise today. Returns today's 统一编号, newest first."""
    rows = [record_values(n, (n - 1) % 9, NOON - timedelta(minutes=n)) for n in range(1, 28)]
    rows += [record_values(n, 0, NOON - timedelta(days=10, minutes=n)) for n in range(28, 31)]
    rows += [
        record_values(n, 0, NOON - timedelta(minutes=n), enterprise=OTHER_OPERATOR.enterprise_uscc)
        for n in range(31, 33)
    ]
    with engine.begin() as connection:
        connection.execute(insert(ReturnRecord), rows)
    return [unified(n) for n in range(1, 28)]


def add_receipt(
    engine: Engine, unified_no: str, seq: int, status: int, content: str, issued: datetime
) -> None:
    with Session(engine) as session, session.begin():
        record_id = session.execute(
            select(ReturnRecord.id).where(ReturnRecord.unified_no == unified_no)  # type: ignore[arg-type]
        ).scalar_one()
        session.add(
            Receipt(
                record_id=record_id,
                receipt_id=f"R{seq}",
                round=1,
                status=status,
                content=content,
                issued_at=issued,
                received_at=issued,
            )
        )


def manual_receipts(engine: Engine, unified_no: str) -> None:
    """The manual's example, in local time 2024-06-03 (stored as UTC), inserted out of order."""
    base = datetime(2024, 6, 3, 7, 0, tzinfo=UTC)  # 15:00 in China
    add_receipt(engine, unified_no, 1, 1, "", base + timedelta(minutes=11, seconds=9))
    add_receipt(engine, unified_no, 2, 3, "海关接收成功", base + timedelta(minutes=13))
    add_receipt(
        engine,
        unified_no,
        4,
        5,
        "电子审核成功, 进入人工审核环节。",
        base + timedelta(minutes=26, seconds=40),
    )
    add_receipt(
        engine,
        unified_no,
        3,
        5,
        "电子审核成功, 进入人工审核环节。",
        base + timedelta(minutes=13, seconds=20),
    )
    add_receipt(
        engine,
        unified_no,
        5,
        7,
        "接收申报、出口退货登记办理成功。",
        base + timedelta(hours=1, minutes=12),
    )


@pytest.fixture(name="db")
def db_fixture(tmp_path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'query.db'}")
    fill(engine)
    yield engine  # type: ignore[misc]
    engine.dispose()


class Host(SettlingApp):
    """Mounts one QueryPane, as the app shell does in a tab (keys ordered as there); records what
    it posts."""

    def __init__(
        self,
        engine: Engine,
        *,
        prefs_path: Path | None = None,
        export_dir: Path | None = None,
        refresh: Callable[[], Awaitable[object]] | None = None,
        page_size: int = 20,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.prefs_path = prefs_path
        self.export_dir = export_dir
        self.refresh_fn = refresh
        self.page_size = page_size
        self.opened: list[str] = []
        if theme:
            self.theme = theme

    def compose(self) -> ComposeResult:
        yield QueryPane(
            self.engine,
            OPERATOR,
            page_size=self.page_size,
            refresh=self.refresh_fn,
            prefs_path=self.prefs_path,
            export_dir=self.export_dir,
            id="pane",
        )

    def on_query_pane_open_record(self, message: QueryPane.OpenRecord) -> None:
        self.opened.append(message.unified_no)

    @property
    def pane(self) -> QueryPane:
        return self.query_one("#pane", QueryPane)
