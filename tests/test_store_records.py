"""The record store on SQLite and on a real PostgreSQL server: save, lock, delete, scope, receipts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from store.errors import NotSubmittable, RecordLocked, RecordNotFound, StaleRecord
from store.records import RecordStore
from store.rules import RuleError
from store.status import Status
from tests.factories import complete_record, save_issued
from tests.fixtures_db import OPERATOR, OTHER_OPERATOR


@pytest.fixture
def store(engine: Engine) -> RecordStore:
    return RecordStore(engine, OPERATOR)


def _receipt(
    store: RecordStore, unified_no: str, rid: str, status: Status, round_no: int = 1, **kw: object
):
    return store.apply_receipt(
        unified_no,
        receipt_id=rid,
        round_no=round_no,
        status=int(status),
        content=str(kw.get("content", status.label)),
        issued_at=datetime(2025, 11, 3, 15, int(status), tzinfo=UTC),
        return_no=kw.get("return_no"),  # type: ignore[arg-type]
    )


def test_first_save_gives_a_draft_number_and_keeps_every_field(store: RecordStore) -> None:
    record = complete_record(store)
    saved = store.save(record)
    year = datetime.now().year
    assert saved.unified_no is None  # the gateway issues it: never made up at the desk
    assert saved.draft_no == f"{year}00000001" and saved.key == saved.draft_no
    assert saved.status == Status.DRAFT and saved.version == 1
    again = store.load(saved.draft_no)
    assert again.business_dict() == saved.business_dict()
    assert again.consignee_name == "上海收货贸易有限公司"
    assert again.collector_name == "张三" and again.collector_category == "企业"
    assert again.info_source == "进境货物报关时提供的有效单证"
    assert [g.goods_name for g in again.goods] == ["笔记本电脑1", "笔记本电脑2"]
    assert again.goods[0].weight == "25.5" and again.goods[0].weight_unit == "035"


def test_save_accepts_incomplete_but_refuses_invalid(store: RecordStore) -> None:
    partial = store.new_record()
    partial.contact_person = "赵六"
    assert store.save(partial).draft_no
    bad = store.new_record()
    bad.contact_phone = "12345"
    bad.import_decl_no = "220120250000000892"  # an export number in the import field
    with pytest.raises(RuleError) as refused:
        store.save(bad)
    assert [v.field for v in refused.value.violations] == ["import_decl_no", "contact_phone"]
    assert "第9位应为1" in refused.value.message


def test_stale_version_is_refused_never_overwritten(store: RecordStore) -> None:
    first = store.save(complete_record(store))
    mine, theirs = store.load(first.key), store.load(first.key)  # type: ignore[arg-type]
    theirs.contact_person = "别人"
    store.save(theirs)
    mine.contact_person = "我"
    with pytest.raises(StaleRecord) as refused:
        store.save(mine)
    assert "已被他人修改" in refused.value.message
    assert store.load(first.key).contact_person == "别人"  # type: ignore[arg-type]


def test_other_enterprise_sees_and_touches_nothing(engine: Engine, store: RecordStore) -> None:
    saved = store.save(complete_record(store))
    stranger = RecordStore(engine, OTHER_OPERATOR)
    with pytest.raises(RecordNotFound):
        stranger.load(saved.key)  # type: ignore[arg-type]
    with pytest.raises(RecordNotFound):
        stranger.delete(saved.key)  # type: ignore[arg-type]
    result = stranger.delete_many([saved.key])  # type: ignore[list-item]
    assert result.deleted == [] and result.refused[0][1] == "记录不存在或无权访问"
    assert store.load(saved.key).draft_no == saved.key  # type: ignore[arg-type]
    assert stranger.drafts() == [] and stranger.following() == []


def test_locked_statuses_refuse_save_and_delete(store: RecordStore) -> None:
    saved = save_issued(store, complete_record(store))
    submission = store.begin_submission(
        store.prepare_submission(saved.unified_no, version=saved.version)
    )  # type: ignore[arg-type]
    assert submission.round == 1
    record = store.load(saved.unified_no)  # type: ignore[arg-type]
    assert record.status == Status.SUBMITTED and record.collected_at is not None
    with pytest.raises(RecordLocked, match="已提交"):
        store.save(record)
    with pytest.raises(RecordLocked, match="不允许删除"):
        store.delete(record.unified_no)  # type: ignore[arg-type]
    with pytest.raises(NotSubmittable):
        store.begin_submission(store.prepare_submission(record.unified_no, version=record.version))  # type: ignore[arg-type]


def test_submit_refuses_incomplete_record_naming_first_field(store: RecordStore) -> None:
    record = complete_record(
        store, contact_person=None, reason_categories=["1"], specific_reasons=["11"]
    )
    saved = save_issued(store, record)
    with pytest.raises(RuleError) as refused:
        store.begin_submission(store.prepare_submission(saved.unified_no, version=saved.version))  # type: ignore[arg-type]
    fields = [v.field for v in refused.value.violations]
    assert fields[0] == "contact_person"
    assert "reason_detail" in fields
    assert store.load(saved.unified_no).status == Status.DRAFT  # type: ignore[arg-type]


def test_receipts_walk_to_approval_idempotently(store: RecordStore) -> None:
    saved = save_issued(store, complete_record(store))
    no = saved.unified_no
    assert no
    store.begin_submission(store.prepare_submission(no, version=saved.version))  # type: ignore[arg-type]
    assert _receipt(store, no, "r1", Status.SUBMITTED).changed is False
    assert _receipt(store, no, "r3", Status.RECEIVED).new_status == Status.RECEIVED
    assert _receipt(store, no, "r5", Status.E_REVIEWED).changed
    dup = _receipt(store, no, "r5", Status.E_REVIEWED)
    assert dup.recorded is False and not dup.changed
    assert _receipt(store, no, "r5b", Status.E_REVIEWED).recorded  # a second, distinct receipt
    done = _receipt(store, no, "r7", Status.APPROVED, return_no="220125000024")
    assert done.new_status == Status.APPROVED
    record = store.load(no)
    assert record.status == Status.APPROVED and record.return_no == "220125000024"
    receipts = store.receipts(no)
    assert [r.status for r in receipts] == [7, 5, 5, 3, 1]  # newest first, as the manual
    assert [a.to_status for a in store.audit(no)] == [0, 1, 3, 5, 7]


def test_late_or_out_of_order_receipt_never_moves_backwards(store: RecordStore) -> None:
    saved = save_issued(store, complete_record(store))
    no = saved.unified_no
    assert no
    store.begin_submission(store.prepare_submission(no, version=saved.version))  # type: ignore[arg-type]
    _receipt(store, no, "r5", Status.E_REVIEWED)
    late = _receipt(store, no, "r3", Status.RECEIVED)
    assert late.recorded and not late.changed
    assert store.load(no).status == Status.E_REVIEWED
    same_stage = _receipt(store, no, "r6", Status.E_REJECTED, content="电子审核退单")
    assert same_stage.recorded and not same_stage.changed
    _receipt(store, no, "r8", Status.REJECTED, content="人工审核退单：商品信息不符")
    after_final = _receipt(store, no, "r7", Status.APPROVED)
    assert not after_final.changed and store.load(no).status == Status.REJECTED


def test_rejected_record_is_editable_and_next_round_ignores_old_receipts(
    store: RecordStore,
) -> None:
    saved = save_issued(store, complete_record(store))
    no = saved.unified_no
    assert no
    store.begin_submission(store.prepare_submission(no, version=saved.version))  # type: ignore[arg-type]
    _receipt(store, no, "a3", Status.RECEIVED)
    _receipt(store, no, "a8", Status.REJECTED, content="人工审核退单：原出口报关单号有误")
    record = store.load(no)
    assert record.status == Status.REJECTED
    record.export_decl_nos = "220120240000009999"
    edited = store.save(record)
    assert edited.status == Status.DRAFT
    second = store.begin_submission(store.prepare_submission(no, version=edited.version))  # type: ignore[arg-type]
    assert second.round == 2
    stale = _receipt(store, no, "a5-old", Status.E_REVIEWED, round_no=1)
    assert stale.recorded and not stale.changed
    assert _receipt(store, no, "b3", Status.RECEIVED, round_no=2).changed


def test_submit_failure_then_resubmission_reuses_the_round(store: RecordStore) -> None:
    saved = save_issued(store, complete_record(store))
    no = saved.unified_no
    assert no
    first = store.begin_submission(store.prepare_submission(no, version=saved.version))  # type: ignore[arg-type]
    assert [s.unified_no for s in store.outbox()] == [no]
    store.mark_submit_failed(no, first.round, "签名验证失败")
    record = store.load(no)
    assert record.status == Status.SUBMIT_FAILED
    assert store.receipts(no)[0].content == "签名验证失败"
    again = store.begin_submission(store.prepare_submission(no, version=record.version))  # type: ignore[arg-type]
    assert again.round == first.round  # customs never held round 1: the same round again
    store.mark_accepted(no, again.round)
    assert store.outbox() == []
    store.mark_submit_failed(no, again.round, "too late")  # customs holds it: no failure
    assert store.load(no).status == Status.SUBMITTED


def test_delete_many_names_the_refused(store: RecordStore) -> None:
    a = store.save(complete_record(store))
    b = save_issued(store, complete_record(store))
    c = store.save(complete_record(store))
    store.begin_submission(store.prepare_submission(b.unified_no, version=b.version))  # type: ignore[arg-type]
    result = store.delete_many([a.key, b.unified_no, c.key])  # type: ignore[list-item]
    assert result.deleted == [a.key, c.key]
    assert result.refused == [(b.unified_no, "状态为“已提交”的数据已被海关接收，不允许删除")]
    assert [e.action for e in store.audit(a.key)] == ["create", "delete"]  # type: ignore[arg-type]


def test_drafts_survive_and_are_listed_per_operator(engine: Engine, store: RecordStore) -> None:
    store.save_draft("k1", {"contact_person": "赵六", "import_decl_no": "2201"})
    store.save_draft("k1", {"contact_person": "赵六六", "import_decl_no": "2201"})
    store.save_draft("k2", {"consignee_address": "上海"}, unified_no=None)
    reopened = RecordStore(engine, OPERATOR)
    drafts = reopened.drafts()
    assert [d.key for d in drafts] == ["k2", "k1"]
    assert drafts[1].payload["contact_person"] == "赵六六"
    assert RecordStore(engine, OTHER_OPERATOR).drafts() == []
    reopened.discard_draft("k1")
    assert [d.key for d in reopened.drafts()] == ["k2"]


def test_signed_body_waits_in_the_outbox_until_customs_answers(store: RecordStore) -> None:
    saved = save_issued(store, complete_record(store))
    no = saved.unified_no
    assert no
    prepared = store.prepare_submission(no, version=saved.version)  # type: ignore[arg-type]
    assert store.load(no).status == Status.DRAFT  # preparing changes nothing
    store.begin_submission(prepared, body={"signature": "ab"}, idempotency_key=f"{no}-r1")
    [entry] = store.outbox()
    assert (entry.unified_no, entry.round, entry.body) == (no, 1, {"signature": "ab"})
    store.note_attempt(no, 1, "read timeout")
    assert store.outbox()[0].attempts == 1 and store.outbox()[0].last_error == "read timeout"
    _receipt(store, no, "r3", Status.RECEIVED)  # a receipt proves customs holds the round
    assert store.outbox() == []
    assert store.load(no).accepted_round == 1


def test_receipt_cursor_is_kept_per_enterprise_and_gateway(engine: Engine) -> None:
    mine, theirs = RecordStore(engine, OPERATOR), RecordStore(engine, OTHER_OPERATOR)
    assert mine.receipt_cursor("http://gw") == ""
    mine.set_receipt_cursor("http://gw", "c42")
    mine.set_receipt_cursor("http://gw", "c43")
    assert mine.receipt_cursor("http://gw") == "c43"
    assert theirs.receipt_cursor("http://gw") == "" and mine.receipt_cursor("http://x") == ""
