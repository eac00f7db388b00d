"""Nothing secret on screen, an honest log on disk: the app in Pilot against the sandbox gateway.

- An unexpected exception: no traceback on the terminal (Textual's own shows every frame's local
  variables, the database password among them), one Chinese line naming the log, the typed form
  saved as a draft, the traceback in the log with the password masked.
- A whole journey (login with the PIN, 暂存, 提交, receipts to 人工审核通过, 退出) on a PostgreSQL
  URL with a password: the log tells it (the session, the submission round, each status change)
  and neither the log nor any table of the database holds the PIN, the session token, the
  password or the card's signature.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from customs.client import GatewayClient
from declarant.runtime import Runtime
from declarant.worker import SandboxSlot, Worker
from sandbox.card import SANDBOX_PIN
from screens.entry import EntryPane
from store.engine import open_engine
from store.status import Status
from tests.app_harness import entry, hint, login, make_app, make_settings, wait_for
from tests.fixtures_db import PG_PASSWORD as PASSWORD
from tests.fixtures_gateway import RunningGateway
from tests.test_app_entry import SIZE, fill_record, focus
from tui import locations
from tui.app import TuihuoApp
from tui.crash import Crashed
from tui.settings import Settings


def log_text() -> str:
    files = sorted(locations.state_dir().glob("tuihuo.log*"))
    assert files, "the app wrote no log"
    return "".join(path.read_text(encoding="utf-8") for path in files)


async def test_an_unexpected_error_shows_one_line_keeps_the_draft_and_logs_no_secret(
    tmp_path: Path,
    gateway: RunningGateway,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"postgresql+psycopg://clerk:{PASSWORD}@db.example/tuihuo"
    app = make_app(tmp_path, gateway.url, database_url=url)

    def broken_save(self: EntryPane) -> bool:  # a bug in a handler, its frame holding the settings
        settings = self.ctx.settings
        raise RuntimeError(f"bug while saving for {settings.database_url}")

    monkeypatch.setattr(EntryPane, "action_save", broken_save)
    with pytest.raises(Crashed) as crashed:
        async with app.run_test(size=SIZE) as pilot:
            await login(app, pilot)
            pane = entry(app)
            await focus(pilot, pane, "contact_person")
            await pilot.press(*"赵六")  # typed, the field not left: no draft written yet
            store = app.runtime.worker.store  # type: ignore[union-attr]
            assert not store.drafts()
            await pilot.press("alt+s")
            await pilot.pause()
    shown = capsys.readouterr()
    terminal = shown.out + shown.err
    assert PASSWORD not in terminal, f"the password on screen {terminal.count(PASSWORD)} times"
    assert isinstance(crashed.value.__cause__, RuntimeError)
    assert "Traceback" not in terminal and "locals" not in terminal
    # one message, which an 80-column terminal wraps before the path (kept whole for copying)
    lines = [line.strip() for line in terminal.splitlines() if line.strip()]
    log_file = locations.log_file()
    assert lines == [
        "程序意外出错已退出，录入内容已存为草稿，请重新启动。详情见日志：",
        str(log_file),
    ]
    with create_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}").connect() as connection:
        [payload] = connection.execute(text("SELECT payload FROM draft")).scalars()
    assert json.loads(payload)["contact_person"] == "赵六"  # typed, and kept
    logged = log_text()
    assert "RuntimeError: bug while saving" in logged and "Traceback" in logged
    assert PASSWORD not in logged and "clerk:***@db.example" in logged


def dump(url: str) -> str:
    """Every row of every table of the database, as text."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        rows = [
            repr(row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        ]
    engine.dispose()
    return "\n".join(rows)


async def test_a_whole_journey_is_logged_without_a_secret(
    tmp_path: Path, gateway: RunningGateway, pg_url_with_password: str
) -> None:
    url = pg_url_with_password
    signatures: list[str] = []
    tokens: list[str] = []

    def factory(settings: Settings) -> Runtime:
        engine = open_engine(settings.resolved_database_url())
        client = GatewayClient(gateway.url, timeout=3.0, retries=1, backoff=0.01)
        worker = Worker(engine, client, SandboxSlot(), gateway_name="sandbox")
        return Runtime(settings, engine, worker, True, gateway.url)

    app = TuihuoApp(make_settings(tmp_path, database_url=url), runtime_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot, SANDBOX_PIN)
        worker = app.runtime.worker  # type: ignore[union-attr]
        assert worker.client.token
        tokens.append(worker.client.token)
        card = worker._card
        assert card is not None
        sign = card.sign

        async def recorded_sign(data: bytes) -> bytes:  # the signature, to look for it later
            signature = await sign(data)
            signatures.append(signature.hex())
            return signature

        card.sign = recorded_sign  # type: ignore[method-assign]
        pane = await fill_record(app, pilot)
        await pilot.press("alt+s")
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        unified_no = pane.record.unified_no
        await pilot.press("f6")
        # the hint may move on at once (receipts follow), the status says it was submitted
        await wait_for(pilot, lambda: pane.status != Status.DRAFT, timeout=15)
        for _ in range(50):
            await worker.refresh_receipts()
            if pane.status == Status.APPROVED:
                break
            await pilot.pause(0.1)
        assert pane.status == Status.APPROVED
        await pilot.press("ctrl+q")  # 退出
        await wait_for(pilot, lambda: worker.client.token is None)
    assert signatures and all(len(s) == 128 for s in signatures)
    logged = log_text()
    for said in (
        "SessionState.ACTIVE",
        f"submit {unified_no} round 1: accepted",
        f"status {unified_no} submit: 0 暂存 -> 1 已提交",
        f"status {unified_no} receipt: 5 电子审核完成，待人工审核 -> 7 人工审核通过",
        "gateway session ended",
    ):
        assert said in logged, (said, logged)
    stored = dump(url)
    assert unified_no and unified_no in stored
    for secret in (SANDBOX_PIN, tokens[0], PASSWORD, *signatures):
        assert secret not in logged, secret
        assert secret not in stored, secret


async def test_leaving_the_program_ends_the_gateway_session(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    import httpx

    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        token = app.runtime.worker.client.token  # type: ignore[union-attr]
        assert token
        app.exit()  # the program ends with the session open (e.g. the SSH session closes)
    answer = httpx.get(
        f"{gateway.url}/v1/receipts", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert answer.status_code == 401
