"""store.text: which characters are unsafe, how they are shown inert, how a paste is cut."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from store.text import code_text, has_breaks, inert, paste_pieces, unsafe_at


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("\x1b]0;pwned\x07\x1b[2J", "␛]0;pwned␇␛[2J"),
        ("a\tb\r\nc", "a␉b␍␊c"),
        ("\x00\x7f", "␀␡"),
        ("\x9b2J", "␦2J"),  # C1 CSI
        ("上海\u202e司公", "上海␦司公"),  # right-to-left override
        ("\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "␦␦␦␦␦␦␦"),
        ("a\u2028b\u2029", "a␦b␦"),
        ("收货人 O'Brien [x]", "收货人 O'Brien [x]"),
    ],
)
def test_inert_marks_every_control_with_one_narrow_character(stored: str, shown: str) -> None:
    assert inert(stored) == shown
    assert len(inert(stored)) == len(stored)  # an Input's cursor index still matches


@given(st.text())
def test_inert_output_is_always_safe_and_as_long(text: str) -> None:
    shown = inert(text)
    assert unsafe_at(shown) is None
    assert len(shown) == len(text)
    marks = [s for c, s in zip(text, shown, strict=True) if c != s]
    assert cell_len("".join(marks)) == len(marks)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("abc", None),
        ("ab\x1b", 2),
        ("\u202e", 0),
        ("a\x85", 1),
        ("报关\u200f", 2),
        ("\u3000", None),
    ],
)
def test_unsafe_at(text: str, at: int | None) -> None:
    assert unsafe_at(text) == at


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("０１０１２０２５", "01012025"),
        ("（０２１）－１２３", "(021)-123"),
        ("\u3000ＡＢｃ\u3000", "ABc"),
        ("٠١٢", "٠١٢"),  # other scripts' digits are not folded: the validators refuse them
    ],
)
def test_code_text_folds_full_width(typed: str, folded: str) -> None:
    assert code_text(typed) == folded


@pytest.mark.parametrize(
    ("pasted", "pieces", "by_tab"),
    [
        ("A\nB", ["A", "B"], False),
        ("A\r\nB\r\n", ["A", "B"], False),
        ("A\rB", ["A", "B"], False),
        ("A\n\n B \n", ["A", "B"], False),
        ("A\tB\tC", ["A", "B", "C"], True),  # a spreadsheet row
        ("A\tB\r\nC\tD\r\n", ["A", "B", "C", "D"], True),
        ("\tA\t", ["A"], False),
        ("A\u2028B", ["A", "B"], False),
    ],
)
def test_paste_pieces(pasted: str, pieces: list[str], by_tab: bool) -> None:
    assert has_breaks(pasted)
    assert paste_pieces(pasted) == (pieces, by_tab)


def test_one_line_has_no_breaks() -> None:
    assert not has_breaks("220120240000001234 / 220120240000001235")
