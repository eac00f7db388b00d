"""The status machine: locked statuses, and receipts that never move a record backwards."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from store.status import LOCKED, Status, next_status_from_receipt, status_label


def test_labels_and_locks_are_the_manuals() -> None:
    assert [status_label(s) for s in Status] == [
        "0-暂存",
        "1-已提交",
        "2-提交失败",
        "3-海关接收成功",
        "4-海关接收失败",
        "5-电子审核完成，待人工审核",
        "6-电子审核退单",
        "7-人工审核通过",
        "8-人工审核退单",
    ]
    assert {int(s) for s in LOCKED} == {1, 3, 5, 7}
    assert [s for s in Status if not s.locked] == [0, 2, 4, 6, 8]


receipts = st.lists(
    st.tuples(st.sampled_from([s for s in Status if s != Status.DRAFT]), st.integers(1, 3)),
    max_size=30,
)


@given(receipts)
def test_any_receipt_sequence_only_moves_forward_within_the_round(sequence) -> None:  # type: ignore[no-untyped-def]
    current, round_no = Status.SUBMITTED, 2
    for receipt_status, receipt_round in sequence:
        new = next_status_from_receipt(current, round_no, receipt_status, receipt_round)
        if new is None:
            continue
        assert receipt_round == round_no
        assert new.stage > current.stage
        assert not current.final
        current = new


@given(receipts)
def test_applying_a_sequence_twice_changes_nothing_more(sequence) -> None:  # type: ignore[no-untyped-def]
    def run(start: Status, items) -> Status:  # type: ignore[no-untyped-def]
        current = start
        for receipt_status, receipt_round in items:
            current = next_status_from_receipt(current, 1, receipt_status, receipt_round) or current
        return current

    once = run(Status.SUBMITTED, sequence)
    assert run(once, sequence) == once
