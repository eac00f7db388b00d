"""Database faults in the running app (Pilot): the state on the status line, the failed action's own
message on the hint bar, the typed text kept on screen, and the draft written once the database
answers (by itself, or at once with Ctrl+R). Real faults: a held lock, a full tmpfs, an immutable
file, a stopped PostgreSQL cluster, a damaged file at start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.worker import WorkerState

import store.engine
from customs.client import GatewayClient
from declarant.runtime import Runtime
from declarant.worker import SandboxSlot, Worker
from store.engine import open_engine
from store.pending import health
from tests.app_harness import entry, feed, hint, login, make_settings, wait_for
from tests.db_faults import PgCluster, checkpoint, fill, held_lock, immutable, small_tmpfs
from tests.factories import complete_record
from tests.fixtures_gateway import RunningGateway
from tui.app import TuihuoApp
from tui.settings import Settings

SIZE = (80, 24)
TYPED = "Room 5, Zhangjiang Road"


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.engine, "SQLITE_BUSY_TIMEOUT_MS", 300)


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    running = PgCluster()
    running.start()
    yield running
    running.remove()


def app_on(tmp_path: Path, gateway_url: str, url: str) -> TuihuoApp:
    def factory(s: Settings) -> Runtime:
        engine = open_engine(url)
        client = GatewayClient(gateway_url, timeout=3.0, retries=1, backoff=0.01)
        worker = Worker(engine, client, SandboxSlot(), gateway_name="test")
        return Runtime(s, engine, worker, True, gateway_url)

    return TuihuoApp(make_settings(tmp_path), runtime_factory=factory)


def status(app: TuihuoApp) -> str:
    return str(app.screen.query_one("#status-line").render())


def drafts(app: TuihuoApp) -> list[dict[str, object]]:
    assert app.runtime is not None and app.runtime.worker.store is not None
    return [d.payload for d in app.runtime.worker.store.drafts()]


async def type_and_leave(app, pilot) -> str:  # type: ignore[no-untyped-def]
    """Type into a field, let the draft writer meet the fault (it writes within a second of the
    last key), then leave the field; returns what the hint bar said before leaving."""
    pane = entry(app)
    pane.screen.set_focus(pane.fields["consignee_address"])
    await pilot.pause()
    await pilot.press(*TYPED)
    await wait_for(pilot, lambda: "【" in status(app).replace("【沙箱】", ""))
    said = hint(app)
    await pilot.press("enter")
    return said


def kept(app: TuihuoApp) -> bool:
    return entry(app).fields["consignee_address"].raw() == TYPED


async def test_a_held_lock_says_busy_keeps_the_form_and_the_draft_lands_when_released(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    db = tmp_path / "tuihuo.db"
    app = app_on(tmp_path, gateway.url, f"sqlite:///{db}")
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        with held_lock(db):
            said = await type_and_leave(app, pilot)
            await wait_for(pilot, lambda: "【数据库忙】" in status(app))
            assert "草稿保存失败：数据库忙" in said and "Ctrl+R" in said
            assert kept(app)
            # 暂存 of a complete record: its own message, the form stays as it was
            record = complete_record(app.runtime.worker.store)  # type: ignore[union-attr, arg-type]
            screen.open_record(record, dirty=True)
            await wait_for(pilot, lambda: entry(app).record is record and app.focused is not None)
            await pilot.press("f2")
            await wait_for(pilot, lambda: "暂存失败：数据库忙" in hint(app))
            assert entry(app).collect().consignee_name == record.consignee_name
            assert app.is_running
        # released: both forms' drafts land by themselves and the state clears
        await wait_for(pilot, lambda: "【数据库忙】" not in status(app), timeout=15)
        assert "数据库已恢复" in hint(app)
        saved = drafts(app)
        assert any(d.get("consignee_address") == TYPED for d in saved)
        assert any(d.get("consignee_name") == record.consignee_name for d in saved)
        await pilot.press("f2")
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        # the worker's loop met the lock too (its store calls raise the same faults) and lives on
        assert [w.state for w in app.workers if w.group == "background"] == [WorkerState.RUNNING]


async def test_a_read_only_file_is_said_and_ctrl_r_writes_the_draft_at_once(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    db = tmp_path / "tuihuo.db"
    open_engine(f"sqlite:///{db}").dispose()
    app = app_on(tmp_path, gateway.url, f"sqlite:///{db}")
    async with app.run_test(size=SIZE) as pilot:
        with immutable(db):
            await login(app, pilot)
            assert app.runtime is not None
            health(app.runtime.engine).first_delay = 600  # only the key can retry in this test
            said = await type_and_leave(app, pilot)
            await wait_for(pilot, lambda: "【数据库只读】" in status(app))
            assert "草稿保存失败：数据库只读" in said
            assert kept(app)
        await pilot.pause(0.3)
        assert "【数据库只读】" in status(app) and drafts(app) == []
        await feed(app, pilot, "\x12")  # Ctrl+R as the terminal sends it
        await wait_for(pilot, lambda: "【数据库只读】" not in status(app))
        assert [d.get("consignee_address") for d in drafts(app)] == [TYPED]


async def test_a_full_disk_is_said_and_the_draft_lands_once_space_is_freed(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    with small_tmpfs(tmp_path / "small", size="6m") as disk:
        db = disk / "tuihuo.db"
        app = app_on(tmp_path, gateway.url, f"sqlite:///{db}")
        async with app.run_test(size=SIZE) as pilot:
            await login(app, pilot)
            checkpoint(db)
            filler = fill(disk)
            said = await type_and_leave(app, pilot)
            await wait_for(pilot, lambda: "【磁盘已满】" in status(app))
            assert "草稿保存失败：磁盘已满" in said and kept(app)
            filler.unlink()
            await wait_for(pilot, lambda: "【磁盘已满】" not in status(app), timeout=15)
            assert [d.get("consignee_address") for d in drafts(app)] == [TYPED]
            assert app.runtime is not None
            app.runtime.engine.dispose()  # before the tmpfs goes


async def test_a_stopped_postgresql_is_said_and_the_draft_lands_once_it_is_back(
    tmp_path: Path, gateway: RunningGateway, cluster: PgCluster
) -> None:
    app = app_on(tmp_path, gateway.url, cluster.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        cluster.stop()
        said = await type_and_leave(app, pilot)
        await wait_for(pilot, lambda: "【无法连接数据库】" in status(app))
        assert "草稿保存失败：无法连接数据库" in said and kept(app)
        await pilot.press("ctrl+f")  # the query: its own message, nothing crashes
        await wait_for(pilot, lambda: bool(app.screen.query("#tab-query")))
        await pilot.press("f5")
        await wait_for(pilot, lambda: "查询失败：无法连接数据库" in hint(app))
        cluster.start()
        await wait_for(pilot, lambda: "【无法连接数据库】" not in status(app), timeout=40)
        assert [d.get("consignee_address") for d in drafts(app)] == [TYPED]
        assert app.runtime is not None
        app.runtime.engine.dispose()


async def test_a_corrupt_file_at_start_is_said_on_the_login_screen(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    db = tmp_path / "tuihuo.db"
    db.write_bytes(b"not a database " * 400)
    app = app_on(tmp_path, gateway.url, f"sqlite:///{db}")
    async with app.run_test(size=SIZE) as pilot:
        assert await app.runtime_ready() is None
        state = app.screen.query_one("#card-state")
        await wait_for(pilot, lambda: "数据库文件损坏" in str(state.render()))
        said = str(state.render())
        assert str(db) in said.replace("\n", "") and "备份" in said
        assert "sqlalchemy" not in said.lower()
        assert app.is_running


async def test_an_attachment_added_under_a_held_lock_says_so_and_lands_after(
    tmp_path: Path,
) -> None:
    from textual.widgets import Input

    from screens.attachments import AttachmentsScreen
    from store.attachments import AttachmentStore
    from store.records import RecordStore
    from tests.factories import complete_record
    from tests.fixtures_db import OPERATOR
    from tests.test_attachments_screen import PDF, Host, message, picker_error

    db = tmp_path / "tuihuo.db"
    engine = open_engine(f"sqlite:///{db}")
    records = RecordStore(engine, OPERATOR)
    unified_no = records.save(complete_record(records)).key  # a draft number serves
    assert unified_no is not None
    (tmp_path / "invoice.pdf").write_bytes(PDF)
    docs = AttachmentStore(engine, OPERATOR, max_bytes=1024)
    host = Host(lambda: AttachmentsScreen(docs, unified_no, locked=False, start_dir=tmp_path))
    async with host.run_test(size=SIZE) as pilot:
        with held_lock(db):
            await pilot.press("f2")  # the room left is read before the picker opens
            await wait_for(pilot, lambda: "添加失败：数据库忙" in message(pilot))
            assert isinstance(host.screen, AttachmentsScreen)
        await pilot.press("f2", *"invoice.pdf")
        with held_lock(db):  # the picked file is checked against the record's documents
            await pilot.press("enter")
            await wait_for(pilot, lambda: "添加失败：数据库忙" in picker_error(pilot))
            assert pilot.app.screen.query_one("#fp-path", Input).value.endswith("invoice.pdf")
        await pilot.press("enter", "0", "2", "enter")  # released: the same path, once more
        await wait_for(pilot, lambda: "已添加：invoice.pdf" in message(pilot))
    assert [a.filename for a in docs.list(unified_no)] == ["invoice.pdf"]
    engine.dispose()


async def test_a_logout_keeps_retrying_and_quitting_warns_while_a_draft_is_owed(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    db = tmp_path / "tuihuo.db"
    app = app_on(tmp_path, gateway.url, f"sqlite:///{db}")
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        with held_lock(db):
            await type_and_leave(app, pilot)
            await wait_for(pilot, lambda: "【数据库忙】" in status(app))
            await pilot.press("ctrl+q")  # 退出: back to the login, the draft still owed
            await wait_for(pilot, lambda: bool(app.screen.query("#pin")))
            await pilot.press("ctrl+q")  # leaving the program now would lose it: warned
            await pilot.pause(0.2)
            assert app.is_running
            assert any("尚未写入数据库" in str(n.message) for n in app._notifications)
        await wait_for(pilot, lambda: bool(drafts(app)), timeout=15)  # landed after the logout
        assert [d.get("consignee_address") for d in drafts(app)] == [TYPED]


class Heartbeat:
    """The event loop's longest stall: a task that wakes every 10 ms and keeps the longest gap."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            now = loop.time()
            self.longest = max(self.longest, now - last)
            last = now

    def __enter__(self) -> Heartbeat:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_a_held_lock_never_freezes_the_form_and_the_draft_lands_when_released(
    tmp_path: Path, gateway: RunningGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the shipped busy timeout (10 s), shortened only so that the code before the fix fails in 3 s
    monkeypatch.setattr(store.engine, "SQLITE_BUSY_TIMEOUT_MS", 3000)
    db = tmp_path / "tuihuo.db"
    app = app_on(tmp_path, gateway.url, f"sqlite:///{db}")
    async with app.run_test(size=SIZE) as pilot:
        screen = await login(app, pilot)
        pane = entry(app)
        field = pane.fields["consignee_address"]
        pane.screen.set_focus(field)
        await pilot.pause()
        with held_lock(db), Heartbeat() as heart:
            await feed(app, pilot, "Room 5\r")  # typed, then Enter leaves the field: a draft write
            await feed(app, pilot, "X")  # the next field answers at once
            loop = asyncio.get_running_loop()
            sent = loop.time()
            await wait_for(pilot, lambda: app.focused is not None and "X" in app.focused.value)  # type: ignore[attr-defined]
            assert loop.time() - sent < 1.0
            await wait_for(pilot, lambda: "【数据库忙】" in status(app))
            await feed(app, pilot, "\x1bOQ")  # F2 (暂存) as the terminal sends it, during the fault
            await wait_for(pilot, lambda: "暂存失败：数据库忙" in hint(app))
            await pilot.pause(0.2)
            assert heart.longest < 0.5, f"the event loop stalled {heart.longest:.2f} s"
            assert field.raw() == "Room 5"
        await wait_for(pilot, lambda: "【数据库忙】" not in status(app), timeout=15)
        assert any(d.get("consignee_address") == "Room 5" for d in drafts(app))
        assert screen.is_attached
