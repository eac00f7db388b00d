"""Shared fixtures. Service fixtures (PostgreSQL, pcscd, sandbox server) live in tests/fixtures_*.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the developer's real ~/.config/tuihuo, data dir or log from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the log
    # nor an SSH-forwarded card control of the developer's (tuihuo-card.sock in the runtime dir)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "run"))
    for var in (
        "TUIHUO_DATABASE_URL",
        "TUIHUO_GATEWAY_URL",
        "TUIHUO_CONFIG",
        "TUIHUO_CARD",
        "TUIHUO_CARD_CONTROL",
    ):
        monkeypatch.delenv(var, raising=False)


pytest_plugins = ["tests.fixtures_db", "tests.fixtures_gateway", "tests.fixtures_control"]
