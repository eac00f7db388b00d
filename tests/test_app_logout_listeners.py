"""After 退出 the worker lives on (the next login uses it): what it says must not reach the gone screen.

The main screen listens to the worker's events (state changes, receipts); once 退出 has closed it,
an event used to reach its listener and fail on its missing status line (`NoMatches`), an error in
the log for each event.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from declarant.worker import SessionState
from screens.login import LoginScreen
from tests.app_harness import login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway


async def test_worker_events_after_logout_reach_no_gone_screen(
    tmp_path: Path, gateway: RunningGateway, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot)
        await pilot.press("ctrl+q")  # 退出
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        message = app.screen.query_one("#login-message")
        await wait_for(pilot, lambda: "已安全退出" in str(message.render()))
        caplog.clear()
        with caplog.at_level(logging.INFO):
            worker = app.runtime.worker  # type: ignore[union-attr]
            worker._set_state(SessionState.OFFLINE, "无法连接海关网关")  # the worker speaks on
            worker._set_state(SessionState.LOGGED_OUT)
            await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "已安全退出" in str(app.screen.query_one("#login-message").render())
    failures = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not failures, [r.getMessage() + str(r.exc_info) for r in failures]
    assert any("offline" in r.getMessage().lower() for r in caplog.records)  # it did emit
