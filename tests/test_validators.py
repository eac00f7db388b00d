"""Every validator: the values an operator types, the refusals and their Chinese messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import ids, validators
from store.validators import FieldError

ALPHABET = ids.USCC_ALPHABET


def _uscc(first17: str) -> str:
    return first17 + ids.uscc_check_char(first17)


@st.composite
def usccs(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(sorted(ids.USCC_AUTHORITIES)))
    rest = draw(st.text(alphabet=ALPHABET, min_size=16, max_size=16))
    return _uscc(first + rest)


@pytest.mark.parametrize(
    "value",
    ["91350100M000100Y43", "911101087226226868", "A1110000MB1234567D", "Y1110000MB1234567D"],
)
def test_uscc_known_good_and_authority_letters(value: str) -> None:
    good = _uscc(value[:17])
    assert validators.uscc(good.lower()) == good


@given(usccs())
def test_every_generated_uscc_passes(code: str) -> None:
    assert validators.uscc(code) == code


@given(usccs(), st.integers(min_value=0, max_value=16), st.sampled_from(ALPHABET))
def test_one_changed_character_is_caught(code: str, position: int, replacement: str) -> None:
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    if changed[0] not in ids.USCC_AUTHORITIES:
        with pytest.raises(FieldError, match="第1位"):
            validators.uscc(changed)
        return
    # weights 3^i mod 31 are all non-zero mod the prime 31: a single substitution always shows
    with pytest.raises(FieldError, match="校验位"):
        validators.uscc(changed)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9135010", "应为18位"),
        ("01350100M000100Y43", "第1位应为1-9、A、N或Y"),
        ("91350100M000100YI3", "非法字符：I"),
    ],
)
def test_uscc_refusals(value: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        validators.uscc(value, label="收货人社会信用代码")


def test_customs_code() -> None:
    assert validators.customs_code("3122480063") == "3122480063"
    assert validators.customs_code("31224a006b") == "31224A006B"
    with pytest.raises(FieldError, match="应为10位"):
        validators.customs_code("312248006")
    with pytest.raises(FieldError, match="格式不正确"):
        validators.customs_code("3122X80063")


def test_import_declaration_rules() -> None:
    assert validators.import_declaration(" 220120251000000892 ") == "220120251000000892"
    with pytest.raises(FieldError, match="进口报关单号应为18位数字"):
        validators.import_declaration("22012025100000089")
    with pytest.raises(FieldError, match="第9位应为1"):
        validators.import_declaration("220120250000000892")
    with pytest.raises(FieldError, match="年份不合理"):
        validators.import_declaration("220119991000000892")


def test_export_declarations() -> None:
    joined = "220120240000001234 / 220120240000001235"
    assert validators.export_declarations(joined) == "220120240000001234/220120240000001235"
    with pytest.raises(FieldError, match="第2个原出口报关单号第9位应为0"):
        validators.export_declarations("220120240000001234/220120241000001235")
    with pytest.raises(FieldError, match="重复：220120240000001234"):
        validators.export_declarations("220120240000001234/220120240000001234")
    with pytest.raises(FieldError, match="不能有空号"):
        validators.export_declarations("220120240000001234//220120240000001235")
    fifty = "/".join(f"22012024{0:01d}{n:09d}" for n in range(50))
    assert validators.export_declarations(fifty).count("/") == 49
    fifty_one = fifty + "/220120240000099999"
    with pytest.raises(FieldError, match="最多50个，当前51个"):
        validators.export_declarations(fifty_one)


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+86 13812345678",
        "021-12345678",
        "0512-6688123",
        "(010)87654321",
        "021-12345678-123",
        "021-12345678转8001",
    ],
)
def test_phone_accepts(value: str) -> None:
    assert validators.phone(value) == value.strip()


@pytest.mark.parametrize("value", ["1381234567", "12812345678", "12345678", "021-1234", "abc"])
def test_phone_refuses(value: str) -> None:
    with pytest.raises(FieldError, match="手机11位；座机加区号"):
        validators.phone(value)


def test_dates_both_forms() -> None:
    assert validators.parse_date("20251103") == "2025-11-03"
    assert validators.parse_date("2025-11-03") == "2025-11-03"
    assert validators.parse_date("2025-1-3") == "2025-01-03"
    with pytest.raises(FieldError, match="不存在"):
        validators.parse_date("20250230")
    with pytest.raises(FieldError, match="格式应为 20251103 或 2025-11-03"):
        validators.parse_date("2025/11/03")
    with pytest.raises(FieldError, match="年份不合理"):
        validators.parse_date("18991231")


@given(
    st.dates(
        min_value=__import__("datetime").date(2000, 1, 1),
        max_value=__import__("datetime").date(2026, 12, 31),
    )
)
def test_any_real_date_round_trips(day) -> None:  # type: ignore[no-untyped-def]
    assert validators.parse_date(day.strftime("%Y%m%d")) == day.isoformat()
    assert validators.parse_date(day.isoformat()) == day.isoformat()


def test_weight() -> None:
    assert validators.weight("12.500") == "12.5"
    assert validators.weight("100") == "100"
    assert validators.weight("0.001") == "0.001"
    with pytest.raises(FieldError, match="应大于0"):
        validators.weight("0")
    with pytest.raises(FieldError, match="应大于0"):
        validators.weight("-3")
    with pytest.raises(FieldError, match="最多3位小数"):
        validators.weight("1.2345")
    with pytest.raises(FieldError, match="应为数字"):
        validators.weight("十公斤")


@given(st.decimals(min_value="0.001", max_value="99999999", places=3, allow_nan=False))
def test_weight_accepts_every_positive_three_place_decimal(number) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    assert Decimal(validators.weight(str(number))) == number


def test_text_length_counts_characters_not_bytes() -> None:
    assert validators.text("报关" * 25, label="报关员", max_len=50) == "报关" * 25
    with pytest.raises(FieldError, match="报关员不能超过50个字符，当前51个"):
        validators.text("报" * 51, label="报关员", max_len=50)
    with pytest.raises(FieldError, match="控制字符"):
        validators.text("a\x07b", label="报关员", max_len=50)


def test_query_party_accepts_uscc_or_customs_code() -> None:
    good = _uscc("91310115MA1K4B2X0")
    assert validators.uscc_or_customs_code(good, label="收货人") == good
    assert validators.uscc_or_customs_code("3122480063", label="收货人") == "3122480063"
    with pytest.raises(FieldError, match="收货人应为18位社会信用代码或10位海关编码"):
        validators.uscc_or_customs_code("12345", label="收货人")
