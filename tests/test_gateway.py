"""The sandbox gateway, over a real uvicorn server on loopback: login, backfill, submission, receipts.

Each test asserts what the client gets back or what customs holds (the state file), as an operator or
the worker would see it.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from customs.client import GatewayClient
from customs.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    LoginFailed,
    NotFound,
    SessionExpired,
)
from customs.wire import PROBLEM_MEDIA_TYPE, ReturnRecord
from sandbox.gateway import generate_declarations, review, sample_numbers
from sandbox.gateway.config import Fault
from store import ids
from tests.fixtures_gateway import (
    FakeClock,
    GatewayFactory,
    RunningGateway,
    attachment,
    declarations,
    issue,
    login,
    make_card,
    sign_submission,
    submit,
    valid_record,
)

ROOT = Path(__file__).resolve().parent.parent
NUMBER = "010120251000000892"  # the manual's own example, present in the sandbox set
UNIFIED_NO = "202500000000035676"
MANUAL_WALK = [
    (1, "-"),
    (3, "海关接收成功"),
    (5, "电子审核成功，进入人工审核环节。"),
    (7, "接收申报、出口退货登记办理成功。"),
]


def client_for(gateway: RunningGateway, **kwargs: float) -> GatewayClient:
    options = {"timeout": 5.0, "retries": 2, "backoff": 0.05, **kwargs}
    return GatewayClient(gateway.url, **options)  # type: ignore[arg-type]


async def all_receipts(client: GatewayClient) -> list:
    page = await client.receipts()
    return page.receipts


# --- login -------------------------------------------------------------------------------------


async def test_login_with_the_card_opens_a_session_of_its_enterprise(gateway: RunningGateway):
    card = make_card(1)
    async with client_for(gateway) as client:
        session = await login(client, card)
        assert session.enterprise_uscc == card.certificate.enterprise_uscc
        assert session.customs_code == card.certificate.customs_code
        assert session.enterprise_name == card.certificate.enterprise_name
        assert session.operator_name == "张三"
        assert client.token == session.token
        assert (await client.fetch_declaration(NUMBER)).number == NUMBER


async def test_login_refuses_a_bad_signature(gateway: RunningGateway):
    card = make_card(1)
    async with client_for(gateway) as client:
        challenge = await client.challenge()
        wrong = card.sign(b"not the challenge")
        with pytest.raises(LoginFailed) as caught:
            await client.login(challenge.challenge, card.certificate, wrong)
        assert caught.value.status == 401
        assert caught.value.message == "电子口岸卡签名验证失败。"
        assert client.token is None


async def test_login_refuses_a_certificate_not_from_the_sandbox_ca(gateway: RunningGateway):
    rogue = make_card(1, ca_seed=b"some-other-ca")
    async with client_for(gateway) as client:
        with pytest.raises(LoginFailed) as caught:
            await login(client, rogue)
        assert "CA" in caught.value.detail
        assert caught.value.message == "电子口岸卡证书不受信任。"


async def test_login_refuses_a_reused_challenge(gateway: RunningGateway):
    card = make_card(1)
    async with client_for(gateway) as client:
        challenge = await client.challenge()
        signature = card.sign(bytes.fromhex(challenge.challenge))
        await client.login(challenge.challenge, card.certificate, signature)
        with pytest.raises(LoginFailed) as caught:
            await client.login(challenge.challenge, card.certificate, signature)
        assert "used" in caught.value.detail


async def test_expired_challenge_and_expired_token_are_refused(gateway_factory: GatewayFactory):
    clock = FakeClock()
    running = gateway_factory(clock=clock, token_ttl=60, challenge_ttl=30, step_seconds=0)
    card = make_card(1)
    async with client_for(running) as client:
        stale = await client.challenge()
        clock.advance(31)
        with pytest.raises(LoginFailed, match="expired"):
            await client.login(
                stale.challenge, card.certificate, card.sign(bytes.fromhex(stale.challenge))
            )
        await login(client, card)
        await client.fetch_declaration(NUMBER)
        clock.advance(61)
        with pytest.raises(SessionExpired) as caught:
            await client.fetch_declaration(NUMBER)
        assert caught.value.status == 401
        assert caught.value.message == "登录已失效，请重新插卡登录。"
        raw = httpx.get(
            f"{running.url}/v1/receipts", headers={"Authorization": f"Bearer {client.token}"}
        )
        assert raw.status_code == 401
        assert raw.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert raw.json()["detail"] == "token expired"


# --- backfill ----------------------------------------------------------------------------------


async def test_backfill_returns_the_import_declaration(gateway: RunningGateway):
    expected = declarations()[NUMBER]
    async with client_for(gateway) as client:
        await login(client, make_card(1))
        found = await client.fetch_declaration(NUMBER)
    assert found == expected
    assert found.number[8] == "1"
    assert 1 <= len(found.goods) <= 8
    assert all(re.fullmatch(r"\d{10}", g.hs_code) for g in found.goods)


async def test_backfill_unknown_number_is_not_found(gateway: RunningGateway):
    async with client_for(gateway) as client:
        await login(client, make_card(1))
        with pytest.raises(NotFound) as caught:
            await client.fetch_declaration("010120251000000899")
    assert caught.value.status == 404
    assert caught.value.message == "未找到该进口报关单：010120251000000899"


@pytest.mark.parametrize(
    ("number", "words"),
    [("010120250000000892", "digit 9"), ("01012025100000089", "18 digits"), ("abc", "18 digits")],
)
async def test_backfill_refuses_what_is_not_an_import_declaration(
    gateway: RunningGateway, number: str, words: str
):
    async with client_for(gateway) as client:
        await login(client, make_card(1))
        with pytest.raises(BadRequest) as caught:
            await client.fetch_declaration(number)
    assert caught.value.status == 422
    assert words in caught.value.detail
    assert caught.value.message  # the gateway's Chinese words for the operator


# --- submission --------------------------------------------------------------------------------


async def test_accepted_record_walks_to_approval_with_a_return_number(gateway: RunningGateway):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        accepted = await submit(client, card, no, record, attachments=[attachment()])
        assert (accepted.unified_no, accepted.round, accepted.status) == (no, 1, 1)
        receipts = await all_receipts(client)
    assert [(r.status, r.content) for r in receipts] == MANUAL_WALK
    assert [r.return_no for r in receipts[:3]] == [None, None, None]
    return_no = receipts[-1].return_no
    assert return_no is not None and re.fullmatch(r"0101\d{2}\d{6}", return_no)
    assert return_no[4:6] == f"{receipts[-1].issued_at.year % 100:02d}"
    assert len({r.receipt_id for r in receipts}) == 4


async def test_the_same_submission_twice_is_one_record(gateway: RunningGateway):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        first = await submit(client, card, no, record, key="k-1")
        again = await submit(client, card, no, record, key="k-1")
        # A restarted worker signs again (SM2 signatures differ each time): still the same round.
        resigned = await submit(client, card, no, record, key="k-2")
        assert first == again == resigned
        assert gateway.submission_count(no) == 1
        assert [r.status for r in await all_receipts(client)] == [1, 3, 5, 7]


async def test_a_different_body_for_an_accepted_round_is_a_conflict(gateway: RunningGateway):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    changed = record.model_copy(update={"contact_phone": "13900139000"})
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        await submit(client, card, no, record, key="k-1")
        with pytest.raises(Conflict) as caught:
            await submit(client, card, no, changed, key="k-2")
        assert caught.value.status == 409
        with pytest.raises(Conflict, match="Idempotency-Key"):
            await submit(client, card, no, changed, key="k-1")
    assert gateway.submission_count(no) == 1


async def test_a_bad_signature_is_refused(gateway: RunningGateway):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    tampered = record.model_copy(update={"consignee_address": "别处"})
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        signature = sign_submission(card, no, 1, record, [])
        with pytest.raises(BadRequest, match="signature") as caught:
            await client.submit(no, 1, tampered, [], signature, card.certificate, "k")
    assert caught.value.status == 422
    assert gateway.submission_count() == 0


async def test_an_attachment_whose_digest_does_not_match_is_refused_by_name(
    gateway: RunningGateway,
):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    bad = attachment("装箱单.pdf").model_copy(update={"sha256": "0" * 64})
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        with pytest.raises(BadRequest) as caught:
            await submit(client, card, no, record, attachments=[attachment(), bad])
    assert "装箱单.pdf" in caught.value.detail
    assert "装箱单.pdf" in caught.value.message
    assert gateway.submission_count() == 0


async def test_a_record_of_another_enterprise_is_forbidden(gateway: RunningGateway):
    mine, theirs = make_card(1), make_card(2)
    record = valid_record(declarations()[NUMBER])
    async with client_for(gateway) as ours, client_for(gateway) as other:
        await login(ours, mine)
        no = await issue(ours)
        await login(other, theirs)
        await submit(ours, mine, no, record)
        with pytest.raises(Forbidden):
            await submit(other, theirs, no, record)
        # Signing with another enterprise's card inside our session is refused too.
        with pytest.raises(Forbidden):
            await submit(ours, theirs, await issue(ours), record)
        assert await all_receipts(other) == []
        assert {r.unified_no for r in await all_receipts(ours)} == {no}


async def test_a_record_missing_rules_is_rejected_with_reasons_then_resubmitted(
    gateway: RunningGateway,
):
    card = make_card(1)
    good = valid_record(declarations()[NUMBER])
    bad = good.model_copy(update={"goods": [], "contact_phone": None, "producer_customs": "2200"})
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        await submit(client, card, no, bad, round=1)
        first_page = await client.receipts()
        receipts = first_page.receipts
        assert [r.status for r in receipts] == [1, 3, 6]
        reason = receipts[-1].content
        assert reason.startswith("电子审核退单：")
        assert "收货联系人及联系电话" in reason
        assert "商品信息不能为空" in reason
        assert "原生产企业所属机构不能选择直属关区" in reason
        with pytest.raises(Conflict, match="next round"):
            await submit(client, card, no, good, round=3)
        await submit(client, card, no, good, round=2)
        page = await client.receipts(since=first_page.next_cursor)
        assert [(r.round, r.status) for r in page.receipts] == [(2, 1), (2, 3), (2, 5), (2, 7)]
        with pytest.raises(Conflict, match="not a rejection"):
            await submit(client, card, no, good, round=3)
    assert gateway.submission_count(no) == 2


async def test_an_unknown_import_declaration_fails_at_customs_reception(gateway: RunningGateway):
    card = make_card(1)
    record = ReturnRecord(import_decl_no="010120251000000899")
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        await submit(client, card, no, record)
        receipts = await all_receipts(client)
    assert [r.status for r in receipts] == [1, 4]
    assert receipts[-1].content == "海关接收失败：进口报关单号010120251000000899在海关无记录。"


def test_review_rules_name_each_missing_field():
    declaration = declarations()[NUMBER]
    record = valid_record(declaration).model_copy(
        update={
            "disposal_methods": [5],
            "reason_categories": [1, 4],
            "specific_reasons": ["12", "31"],
            "reason_detail": "",
            "export_decl_nos": "010120251000000892",
        }
    )
    problems = review.rule_problems(record, declaration)
    assert "拟处理方式为“其他”时需填写其他具体内容" in problems
    assert "具体退运原因与退货原因类别不对应" in problems
    assert "退货原因类别为其他原因时需填写具体原因" in problems
    assert "退货原因类别是质量原因时，退货原因具体说明必填" in problems
    assert "原出口报关单号有误：010120251000000892" in problems
    assert review.rule_problems(valid_record(declaration), declaration) == []


async def test_random_rejections_follow_the_share_and_the_seed(gateway_factory: GatewayFactory):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    outcomes = []
    for _ in range(2):
        running = gateway_factory(step_seconds=0, reject_share=1.0)
        async with client_for(running) as client:
            await login(client, card)
            for _ in range(6):
                await submit(client, card, await issue(client), record)
            outcomes.append(
                [(r.unified_no, r.status, r.content) for r in await all_receipts(client)]
            )
    assert outcomes[0] == outcomes[1]  # the same seed decides the same fates
    finals = [o for o in outcomes[0] if o[1] in (4, 6, 8)]
    assert len(finals) == 6
    assert all(
        o[2].startswith(("海关接收失败：", "电子审核退单：", "人工审核退单：")) for o in finals
    )
    assert not any(o[1] == 7 for o in outcomes[0])


async def test_receipts_fall_due_one_step_at_a_time(gateway_factory: GatewayFactory):
    clock = FakeClock()
    running = gateway_factory(clock=clock, step_seconds=10)
    card = make_card(1)
    async with client_for(running) as client:
        await login(client, card)
        no = await issue(client)
        await submit(client, card, no, valid_record(declarations()[NUMBER]))
        seen = []
        cursor = None
        for expected in (1, 3, 5, 7):
            page = await client.receipts(since=cursor)
            assert [r.status for r in page.receipts] == [expected]
            seen += page.receipts
            cursor = page.next_cursor
            assert (await client.receipts(since=cursor)).receipts == []
            clock.advance(10)
    gaps = [(b.issued_at - a.issued_at).total_seconds() for a, b in itertools.pairwise(seen)]
    assert gaps == [10, 10, 10]


async def test_receipts_page_by_cursor(gateway: RunningGateway):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    async with client_for(gateway) as client:
        await login(client, card)
        for _ in range(3):
            await submit(client, card, await issue(client), record)
        ids, cursor = [], None
        while True:
            page = await client.receipts(since=cursor, limit=5)
            if not page.receipts:
                break
            assert len(page.receipts) <= 5
            ids += [r.receipt_id for r in page.receipts]
            cursor = page.next_cursor
        everything = [r.receipt_id for r in (await client.receipts(limit=500)).receipts]
    assert ids == everything
    assert len(ids) == 12


# --- protocol hygiene --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/v1/nowhere", None, 404),
        ("DELETE", "/v1/receipts", None, 405),
        ("GET", "/v1/receipts", None, 401),
        ("GET", "/v1/receipts?since=abc", None, 422),
        ("GET", "/v1/receipts?limit=0", None, 422),
        ("PUT", f"/v1/returns/{UNIFIED_NO}", b"{not json", 422),
        ("PUT", f"/v1/returns/{UNIFIED_NO}", b"{}", 422),
        ("PUT", "/v1/returns/123", b"{}", 422),
        ("POST", "/v1/session", b'{"challenge": "zz"}', 422),
        ("POST", "/v1/session", b"[]", 422),
    ],
)
async def test_every_bad_request_gets_a_problem_document(
    gateway: RunningGateway, method: str, path: str, body: bytes | None, status: int
):
    headers = {"Content-Type": "application/json"}
    async with client_for(gateway) as client:
        await login(client, make_card(1))
        if status != 401:
            headers["Authorization"] = f"Bearer {client.token}"
    response = httpx.request(method, gateway.url + path, content=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    problem = response.json()
    assert problem["status"] == status
    assert {"type", "title", "status", "detail"} <= problem.keys()


async def test_a_submission_without_idempotency_key_is_refused(gateway: RunningGateway):
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    async with client_for(gateway) as client:
        await login(client, card)
        no = await issue(client)
        token = client.token
    body = {
        "round": 1,
        "record": record.model_dump(mode="json"),
        "attachments": [],
        "signature": sign_submission(card, no, 1, record, []),
        "certificate": card.certificate.model_dump(),
    }
    response = httpx.put(
        f"{gateway.url}/v1/returns/{no}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


async def test_the_checked_in_openapi_document_is_the_served_one(gateway: RunningGateway):
    served = httpx.get(gateway.url + "/openapi.json").json()
    checked_in = json.loads((ROOT / "docs" / "gateway-openapi.json").read_text(encoding="utf-8"))
    assert checked_in == served, "regenerate: python -m sandbox.gateway.openapi > docs/..."


# --- the real command --------------------------------------------------------------------------


async def test_the_served_command_keeps_its_state_across_a_restart(
    gateway_factory: GatewayFactory,
):
    running = gateway_factory(mode="process", step_seconds=0)
    card = make_card(1)
    record = valid_record(declarations()[NUMBER])
    async with client_for(running) as client:
        await login(client, card)
        no = await issue(client)
        first = await submit(client, card, no, record, key="k-1")
        before = await all_receipts(client)
        running.restart()
        # The same token, the same receipts, and the same answer to the same submission.
        assert await all_receipts(client) == before
        assert await submit(client, card, no, record, key="k-1") == first
        assert (await client.fetch_declaration(NUMBER)).number == NUMBER
    assert running.submission_count() == 1


def test_the_command_lists_declarations_it_knows():
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "serve", "--list-declarations", "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    numbers = result.stdout.split()
    assert len(numbers) == 4
    assert all(n in declarations() for n in numbers)


# --- the generated declarations and the configuration ------------------------------------------


def test_generated_declarations_are_valid_and_deterministic():
    found = declarations()
    assert len(found) == 300
    assert found == generate_declarations()  # the same seed, the same set
    assert generate_declarations(seed=7) != found
    for number, declaration in found.items():
        assert ids.is_declaration_shape(number) and ids.declaration_direction(number) == "1"
        assert 2024 <= ids.declaration_year(number) <= 2026
        assert declaration.declared_on.year == ids.declaration_year(number)
        assert declaration.arrived_on <= declaration.declared_on
        for party in (declaration.declarant, declaration.consignee, declaration.consumer):
            assert ids.is_uscc(party.uscc), party
            assert ids.is_customs_code(party.code), party
        assert declaration.accepting_customs == number[:4]
        assert re.fullmatch(r"\d{4}", declaration.consumer_district)
        assert 1 <= len(declaration.goods) <= 8
        assert [g.seq for g in declaration.goods] == list(range(1, len(declaration.goods) + 1))
        for goods in declaration.goods:
            assert re.fullmatch(r"\d{10}", goods.hs_code)
            assert re.fullmatch(r"\d{3}", goods.unit)
            assert Decimal(goods.amount) > 0 and Decimal(goods.quantity) > 0
    assert sample_numbers(3) == list(found)[:3]


def test_faults_parse_from_the_command_line():
    name, fault = Fault.parse("submit:commit_drop_share=0.5,count=2")
    assert (name, fault) == ("submit", Fault(commit_drop_share=0.5, count=2))
    with pytest.raises(ValueError, match="unknown request class"):
        Fault.parse("everything:delay=1")
    with pytest.raises(ValueError, match="unknown fault"):
        Fault.parse("submit:explode=1")
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "serve", "--fault", "submit:explode=1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown fault" in result.stderr
