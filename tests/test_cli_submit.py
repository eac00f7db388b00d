"""`tuihuo submit`, `receipts refresh`, `login` and the PIN against the real sandbox gateway server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.gateway.config import Fault
from store.engine import open_engine
from store.records import RecordStore
from store.status import Status
from tests.cli_harness import gateway_runtime, pin_file, run_cli, seed_drafts
from tests.fixtures_gateway import GatewayFactory, RunningGateway
from tests.seed import sandbox_operator


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tuihuo.db'}"


@pytest.fixture
def pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = pin_file(tmp_path)
    monkeypatch.setenv("TUIHUO_PIN_FILE", str(path))
    return path


def _statuses(db_url: str, keys: list[str]) -> list[tuple[str | None, int]]:
    engine = open_engine(db_url)
    store = RecordStore(engine, sandbox_operator())
    try:
        return [(r.unified_no, r.status) for r in (store.load(k) for k in keys)]
    finally:
        engine.dispose()


def test_all_drafts_are_submitted_through_the_outbox_and_reach_customs(
    db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    drafts = seed_drafts(db_url, 3)
    assert all(len(k) == 12 for k in drafts)  # saved offline: local draft numbers only

    ran = run_cli(
        ["submit", "--all-drafts", "--json"], factory=gateway_runtime(db_url, gateway.url)
    )

    assert ran.code == 0, ran.stderr
    results = json.loads(ran.stdout)
    assert [r["key"] for r in results] == drafts
    assert {r["outcome"] for r in results} == {"accepted"}
    assert {r["status"] for r in results} == {"已提交"}
    stored = _statuses(db_url, drafts)
    assert all(status == Status.SUBMITTED for _, status in stored)
    for (unified_no, _), result in zip(stored, results, strict=True):
        assert unified_no is not None and len(unified_no) == 18
        assert result["unified_no"] == unified_no
        assert gateway.submission_count(unified_no) == 1  # customs holds exactly one round
    # a second run finds no draft left: nothing sent twice
    again = run_cli(
        ["submit", "--all-drafts", "--json"], factory=gateway_runtime(db_url, gateway.url)
    )
    assert again.code == 0 and json.loads(again.stdout) == []
    assert gateway.submission_count() == 3


def test_a_refused_record_says_why_in_chinese_and_exits_1_the_others_go(
    db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    good = seed_drafts(db_url, 1)[0]
    bad = seed_drafts(db_url, 1, contact_phone="")[0]  # 收货人联系电话 is required at 提交

    ran = run_cli(["submit", bad, good], factory=gateway_runtime(db_url, gateway.url))

    assert ran.code == 1
    lines = ran.stdout.splitlines()
    [(bad_no, _)] = _statuses(db_url, [bad])  # numbered before the rules refused it
    assert lines[0].startswith(f"✗ {bad_no} 未通过校验：") and "联系电话" in lines[0]
    assert "（暂存）" in lines[0]
    assert any(line.startswith("✓ ") and "提交成功（已提交）" in line for line in lines)
    assert "Traceback" not in ran.stdout + ran.stderr
    assert [s for _, s in _statuses(db_url, [bad, good])] == [Status.DRAFT, Status.SUBMITTED]


def test_json_gives_the_unified_no_a_refused_record_holds(
    db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    """A record refused by the rules was numbered first; one already 已提交 is refused by its
    status: `--json` says the 统一编号 each holds after the run, never null."""
    bad = seed_drafts(db_url, 1, contact_phone="")[0]
    done = seed_drafts(db_url, 1)[0]
    factory = gateway_runtime(db_url, gateway.url)
    assert run_cli(["submit", done], factory=factory).code == 0
    [(done_no, _)] = _statuses(db_url, [done])
    assert done_no is not None

    ran = run_cli(["submit", bad, done_no, "--json"], factory=factory)

    assert ran.code == 1, ran.stderr
    results = json.loads(ran.stdout)
    assert [r["outcome"] for r in results] == ["refused", "refused"]
    [(bad_no, _)] = _statuses(db_url, [bad])
    assert bad_no is not None and len(bad_no) == 18
    assert [r["unified_no"] for r in results] == [bad_no, done_no]


def test_receipts_refresh_applies_the_review_to_the_store(
    db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    keys = seed_drafts(db_url, 1)
    factory = gateway_runtime(db_url, gateway.url)
    assert run_cli(["submit", *keys], factory=factory).code == 0
    [(unified_no, _)] = _statuses(db_url, keys)

    ran = run_cli(["receipts", "refresh", "--json"], factory=factory)

    assert ran.code == 0, ran.stderr
    changes = json.loads(ran.stdout)["changes"]
    assert changes and all(c["unified_no"] == unified_no for c in changes)
    assert changes[0]["old_status"] == "已提交"
    final = _statuses(db_url, keys)[0][1]
    assert Status(final).label == changes[-1]["new_status"]
    assert final != Status.SUBMITTED


def test_a_pin_file_others_can_read_is_refused_before_the_card_is_touched(
    db_url: str, gateway: RunningGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pin_file(tmp_path, mode=0o640)
    monkeypatch.setenv("TUIHUO_PIN_FILE", str(path))
    seed_drafts(db_url, 1)

    ran = run_cli(["submit", "--all-drafts"], factory=gateway_runtime(db_url, gateway.url))

    assert ran.code == 2
    assert f"口令文件 {path} 的权限过宽" in ran.stderr and "chmod 600" in ran.stderr
    assert gateway.submission_count() == 0


def test_the_pin_is_asked_hidden_when_no_file_is_named(
    db_url: str, gateway: RunningGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TUIHUO_PIN_FILE", raising=False)
    factory = gateway_runtime(db_url, gateway.url)

    ran = run_cli(["login", "--json"], factory=factory, stdin="88888888\n")
    assert ran.code == 0, ran.stderr
    assert "88888888" not in ran.stdout + ran.stderr  # never echoed
    assert json.loads(ran.stdout)["operator"] == sandbox_operator().name

    wrong = run_cli(["login"], factory=factory, stdin="12345678\n")
    assert wrong.code == 1
    assert "口令错误，还可尝试" in wrong.stderr


def test_gateway_stopped_is_service_unavailable(
    db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    keys = seed_drafts(db_url, 1)
    gateway.stop()

    ran = run_cli(["submit", *keys], factory=gateway_runtime(db_url, gateway.url))

    assert ran.code == 3
    assert "未连接海关网关" in ran.stderr
    assert _statuses(db_url, keys)[0][1] == Status.DRAFT


def test_a_submission_without_customs_answer_is_exit_3_and_refresh_sends_it_once(
    db_url: str, gateway_factory: GatewayFactory, pin: Path
) -> None:
    gateway = gateway_factory(step_seconds=0, faults={"submit": Fault(error_share=1)})
    keys = seed_drafts(db_url, 1)

    ran = run_cli(["submit", *keys], factory=gateway_runtime(db_url, gateway.url))

    assert ran.code == 3, ran.stdout + ran.stderr
    assert ran.stdout.startswith("… ") and "（已提交）" in ran.stdout
    [(unified_no, status)] = _statuses(db_url, keys)
    assert status == Status.SUBMITTED and gateway.submission_count() == 0  # kept in the outbox

    gateway.stop()
    gateway.restart(faults={})
    again = run_cli(["receipts", "refresh", "--json"], factory=gateway_runtime(db_url, gateway.url))

    assert again.code == 0, again.stderr
    resent = json.loads(again.stdout)["resent"]
    assert [(r["unified_no"], r["outcome"]) for r in resent] == [(unified_no, "accepted")]
    assert gateway.submission_count(unified_no) == 1
