"""`tuihuo` as a real process on a configured gateway (the sandbox gateway server of the test) with
the card in a real reader (pcscd + vpcd), as on an operator's desk: the drafts submitted, then the
gateway stopped: exit 3 and the store unchanged. Run under `flock /tmp/pcsc.lock`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.engine import open_engine
from store.records import RecordStore
from store.status import Status
from tests.cli_harness import cli_env, pin_file, run_tuihuo, seed_drafts
from tests.fixtures_gateway import GatewayFactory
from tests.fixtures_pcsc import *  # noqa: F403
from tests.seed import sandbox_operator

pytestmark = pytest.mark.pcsc


def test_drafts_reach_a_configured_gateway_and_a_stopped_one_is_exit_3(
    tmp_path: Path,
    gateway_factory: GatewayFactory,
    vpcd_reader: str,
    virtual_card: object,
) -> None:
    gateway = gateway_factory(step_seconds=0)
    db = tmp_path / "desk.db"
    env = cli_env(
        tmp_path,
        TUIHUO_GATEWAY_URL=gateway.url,
        TUIHUO_ALLOW_INSECURE_GATEWAY="true",  # the test gateway on loopback
        TUIHUO_READER_NAME=vpcd_reader,
        TUIHUO_DATABASE_URL=f"sqlite:///{db}",
        TUIHUO_PIN_FILE=str(pin_file(tmp_path)),
    )
    keys = seed_drafts(f"sqlite:///{db}", 2)

    ran = run_tuihuo(["submit", "--all-drafts", "--json"], env)
    assert ran.code == 0, ran.stderr
    assert [r["outcome"] for r in json.loads(ran.stdout)] == ["accepted", "accepted"]
    assert gateway.submission_count() == 2

    later = seed_drafts(f"sqlite:///{db}", 1)
    gateway.stop()
    down = run_tuihuo(["submit", "--all-drafts"], env)
    assert down.code == 3
    assert "未连接海关网关" in down.stderr and "Traceback" not in down.stderr
    assert "gateway" not in down.stderr  # the worker's English log lines went to the log file
    log = (tmp_path / "state" / "tuihuo" / "tuihuo.log").read_text(encoding="utf-8")
    assert "gateway login failed, working offline" in log
    engine = open_engine(f"sqlite:///{db}")
    store = RecordStore(engine, sandbox_operator())
    assert [store.load(k).status for k in keys] == [Status.SUBMITTED] * 2
    assert store.load(later[0]).status == Status.DRAFT
    engine.dispose()
