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


@given(
    st.dates(
        min_value=__import__("datetime").date(2000, 1, 1),
        max_value=__import__("datetime").date(2026, 12, 31),
    )
)
def test_any_real_date_round_trips(day) -> None:  # type: ignore[no-untyped-def]
    assert validators.parse_date(day.strftime("%Y%m%d")) == day.isoformat()
    assert validators.parse_date(day.isoformat()) == day.isoformat()


@given(st.decimals(min_value="0.001", max_value="99999999", places=3, allow_nan=False))
def test_weight_accepts_every_positive_three_place_decimal(number) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    assert Decimal(validators.weight(str(number))) == number


def test_text_length_counts_characters_not_bytes() -> None:
    assert validators.text("报关" * 25, label="报关员", max_len=50) == "报关" * 25
    with pytest.raises(FieldError, match="报关员不能超过50个字符，当前51个"):
        validators.text("报" * 51, label="报关员", max_len=50)


def test_query_party_accepts_uscc_or_customs_code() -> None:
    good = _uscc("91310115MA1K4B2X0")
    assert validators.uscc_or_customs_code(good, label="收货人") == good
    assert validators.uscc_or_customs_code("3122480063", label="收货人") == "3122480063"
    with pytest.raises(FieldError, match="收货人应为18位社会信用代码或10位海关编码"):
        validators.uscc_or_customs_code("12345", label="收货人")


# ---- the shapes operators type (issue 10 §4): accepted input → stored value; refused → message ----
def full_width(text: str) -> str:
    """As an IME in full-width mode types it: ASCII letters and digits at U+FF01-U+FF5E."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def arabic_indic(text: str) -> str:
    """Digits as U+0660-U+0669 (Python's \\d and Decimal take them; customs does not)."""
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in text)


IMPORT = "010120251000000892"
GOOD_USCC = _uscc("91350100M000100Y4")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (IMPORT, IMPORT),
        (f" {IMPORT} ", IMPORT),
        ("０１０１20251000000892", IMPORT),  # the IME switched to half-width half-way
        (full_width(IMPORT), IMPORT),  # all full-width: the 9th is 1, said so once folded
        (f"\u3000{full_width(IMPORT)}\u3000", IMPORT),  # ideographic spaces around it
    ],
)
def test_import_declaration_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.import_declaration(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (arabic_indic(IMPORT), "进口报关单号应为18位数字：第1位“٠”不是半角字符"),
        ("0101" + arabic_indic("20251000000892"), "进口报关单号应为18位数字：第5位“٢”不是半角字符"),
        ("01012025100000089a", "进口报关单号应为18位数字：第18位“a”不是数字"),
        ("0101 20251000000892", "进口报关单号应为18位数字：第5位“ ”不是数字"),
        ("01012025100000089", "进口报关单号应为18位数字，当前17位"),
        (full_width("010120250000000892"), "进口报关单号第9位应为1（进口报关单）"),
        (IMPORT + "\u202e", "进口报关单号应为18位数字：第19位“␦”不是半角字符"),
        ("0101202510000008\x1b2", "进口报关单号应为18位数字：第17位“␛”不是数字"),
    ],
)
def test_import_declaration_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.import_declaration(typed)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("220120240000001234/220120240000001235", "220120240000001234/220120240000001235"),
        (
            f"{full_width('220120240000001234')}／220120240000001235",
            "220120240000001234/220120240000001235",
        ),
        ("220120240000001234 / 220120240000001235", "220120240000001234/220120240000001235"),
    ],
)
def test_export_declarations_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.export_declarations(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "220120240000001234/" + arabic_indic("220120240000001235"),
            "第2个原出口报关单号应为18位数字：第1位“٢”不是半角字符",
        ),
        (
            f"220120240000001234/{full_width('220120240000001234')}",
            "原出口报关单号重复：220120240000001234",
        ),
        ("220120240000001234\n220120240000001235", "原出口报关单号应为18位数字：第19位"),
    ],
)
def test_export_declarations_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.export_declarations(typed)
    assert refused.value.message.startswith(message)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (GOOD_USCC, GOOD_USCC),
        (GOOD_USCC.lower(), GOOD_USCC),
        (full_width(GOOD_USCC), GOOD_USCC),
        (full_width(GOOD_USCC.lower()), GOOD_USCC),
    ],
)
def test_uscc_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.uscc(typed, label="收货人社会信用代码") == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (arabic_indic(GOOD_USCC), "收货人社会信用代码应为18位数字或大写字母：第1位“٩”不是半角字符"),
        ("9135010", "收货人社会信用代码应为18位，当前7位"),
        (GOOD_USCC[:17] + "\x1b", "收货人社会信用代码含非法字符：␛（不使用I、O、Z、S、V）"),
    ],
)
def test_uscc_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.uscc(typed, label="收货人社会信用代码")
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3122480063", "3122480063"),
        ("31224a006b", "31224A006B"),
        (full_width("31224a006b"), "31224A006B"),
    ],
)
def test_customs_code_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.customs_code(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (arabic_indic("3122480063"), "海关编码应为10位数字或字母：第1位“٣”不是半角字符"),
        ("312248006", "海关编码应为10位，当前9位"),
        ("3122X80063", "海关编码格式不正确：前5位为数字，后5位为数字或字母"),
    ],
)
def test_customs_code_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.customs_code(typed)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # mobiles
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("0086-138-0013-8000", "13800138000"),
        (full_width("13800138000"), "13800138000"),
        # landlines: the area code as 021-, (021), （021）, "021 ", 021－, or +86-21-
        ("021-12345678", "021-12345678"),
        ("(021)12345678", "021-12345678"),
        ("（021）12345678", "021-12345678"),
        ("(021) 1234 5678", "021-12345678"),
        ("021 12345678", "021-12345678"),
        ("021－12345678", "021-12345678"),
        ("02112345678", "021-12345678"),
        ("0755-8888 8888", "0755-88888888"),
        ("0512-6688123", "0512-6688123"),
        ("(010)87654321", "010-87654321"),
        ("+86-21-12345678", "021-12345678"),
        ("+86 755 8888 8888", "0755-88888888"),
        ("0086 21 12345678", "021-12345678"),
        (full_width("021-12345678"), "021-12345678"),
        # extensions: 转, 分机, ext, #, a second "-"
        ("021-12345678转123", "021-12345678转123"),
        ("021-12345678 转 8001", "021-12345678转8001"),
        ("021-12345678分机12", "021-12345678转12"),
        ("021-12345678 ext 8", "021-12345678转8"),
        ("021-12345678 EXT.8", "021-12345678转8"),
        ("021-12345678#12", "021-12345678转12"),
        ("021-12345678-123", "021-12345678转123"),
        ("0755-8888-8888-6", "0755-88888888转6"),
        # 400/800
        ("400-820-8820", "400-820-8820"),
        ("4008208820", "400-820-8820"),
        ("800 820 8820", "800-820-8820"),
        ("400-820-8820转5", "400-820-8820转5"),
    ],
)
def test_phone_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.phone(typed) == stored
    assert validators.phone(stored) == stored  # the stored form reads back as itself


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1381234567", "手机号应为11位，当前10位"),
        ("138001380001", "手机号应为11位，当前12位"),
        ("12812345678", "手机号第2位应为3-9"),
        ("13800138000转1", "手机号没有分机号"),
        ("12345678", "座机请加区号，如021-12345678"),
        ("021-1234", "区号021后应为7-8位号码，当前4位"),
        ("0512", "区号0512后应为7-8位号码，当前0位"),
        ("021-123456789", "区号021后应为7-8位号码，当前9位（分机请用“转”）"),
        ("021-01234567", "区号021后的号码不能以0开头"),
        ("021-12345678转abc", "分机号应为1-6位数字"),
        ("021-12345678转1234567", "分机号应为1-6位数字"),
        ("400-820-88201", "400电话应为10位，当前11位"),
        ("abc", "第1位“a”不是数字（手机11位；座机加区号，如021-12345678）"),
        ("021-1234567a", "第12位“a”不是数字"),
        ("138OO138OOO", "第4位“O”不是数字"),
        ("021-" + arabic_indic("12345678"), "第5位“١”不是数字"),
        ("021-1234\x1b5678", "第9位“␛”不是数字"),
        ("+86", "手机11位；座机加区号，如021-12345678"),
    ],
)
def test_phone_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.phone(typed, label="联系电话")
    assert refused.value.message.startswith("联系电话格式不正确：")
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20251103", "2025-11-03"),
        ("2025-11-03", "2025-11-03"),
        ("2025/11/03", "2025-11-03"),
        ("2025.11.03", "2025-11-03"),
        ("2025-1-3", "2025-01-03"),
        ("2025/1/3", "2025-01-03"),
        ("2025.1.3", "2025-01-03"),
        (full_width("20251103"), "2025-11-03"),
        (full_width("2025-11-03"), "2025-11-03"),
        (full_width("2025/11/03"), "2025-11-03"),
        (" 2025.11.03 ", "2025-11-03"),
    ],
)
def test_date_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.parse_date(typed, label="退货日期") == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2025/11-03", "退货日期格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03"),
        ("2025 11 03", "退货日期格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03"),
        ("25/11/03", "退货日期格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03"),
        ("2025年11月3日", "退货日期格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03：第5位“年”不是半角字符"),
        (arabic_indic("20251103"), "退货日期格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03：第1位“٢”不是半角字符"),
        ("2025/02/30", "退货日期不存在：2025/02/30"),
        ("1899.12.31", "退货日期年份不合理：1899"),
    ],
)
def test_date_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.parse_date(typed, label="退货日期")
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12.5", "12.5"),
        ("12.500", "12.5"),
        ("12.5000", "12.5"),  # spreadsheet output: trailing zeros are not decimals
        ("0.0010", "0.001"),
        ("0.001", "0.001"),
        ("100", "100"),
        ("100.0", "100"),
        ("1000", "1000"),
        (".5", "0.5"),
        ("5.", "5"),
        ("007", "7"),
        (full_width("12.5"), "12.5"),
        ("１２．５", "12.5"),  # the full-width full stop folds to "."
        ("99999999999999.999", "99999999999999.999"),
    ],
)
def test_weight_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.weight(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,2,3", "退货重量不能含千位分隔符“,”，请直接写数字，如 1234.5"),
        ("1,234.5", "退货重量不能含千位分隔符“,”，请直接写数字，如 1234.5"),
        ("1_000", "退货重量不能含下划线“_”，请直接写数字，如 1000"),
        ("1e3", "退货重量不能用科学计数法，请直接写数字，如 1000"),
        ("1E3", "退货重量不能用科学计数法，请直接写数字，如 1000"),
        ("1.2345", "退货重量最多3位小数"),
        ("0.0001", "退货重量最多3位小数"),
        ("0", "退货重量应大于0"),
        ("0.000", "退货重量应大于0"),
        ("-3", "退货重量应大于0"),
        ("100000000000000", "退货重量过大：整数部分最多14位"),
        ("十公斤", "退货重量应为数字，如 12.5：第1位“十”不是半角字符"),
        (arabic_indic("12"), "退货重量应为数字，如 12.5：第1位“١”不是半角字符"),
        ("12.5kg", "退货重量应为数字，如 12.5：第5位“k”不是数字"),
        ("NaN", "退货重量应为数字，如 12.5：第1位“N”不是数字"),
        ("Infinity", "退货重量应为数字，如 12.5：第1位“I”不是数字"),
        ("1.2.3", "退货重量应为数字，如 12.5"),
        (".", "退货重量应为数字，如 12.5"),
        ("1\x1b", "退货重量应为数字，如 12.5：第2位“␛”不是数字"),
    ],
)
def test_weight_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.weight(typed)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("上海市浦东新区", "上海市浦东新区"),
        ("  张三  ", "张三"),
        ("ＡＢＣ贸易（上海）有限公司", "ＡＢＣ贸易（上海）有限公司"),  # names stay as typed
        ("O'Brien & Co. [HK]", "O'Brien & Co. [HK]"),
    ],
)
def test_text_accepted_shapes(typed: str, stored: str) -> None:
    assert validators.text(typed, label="收货人所在地", max_len=200) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a\x07b", "第2个字符是不可见的控制字符（U+0007）"),
        ("\x1b]0;pwned\x07\x1b[2J", "第1个字符是不可见的控制字符（U+001B）"),
        ("名称\x9b2J", "第3个字符是不可见的控制字符（U+009B）"),
        ("a\x7fb", "第2个字符是不可见的控制字符（U+007F）"),
        ("a\tb", "第2个字符是不可见的控制字符（U+0009）"),
        ("上海\u202e司公", "第3个字符是不可见的控制字符（U+202E）"),
        ("\u2066x\u2069", "第1个字符是不可见的控制字符（U+2066）"),
        ("a\u200fb", "第2个字符是不可见的控制字符（U+200F）"),
        ("a\u200eb", "第2个字符是不可见的控制字符（U+200E）"),
        ("a\u061cb", "第2个字符是不可见的控制字符（U+061C）"),
        ("a\u2028b", "第2个字符是不可见的控制字符（U+2028）"),
    ],
)
def test_text_refused_shapes(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        validators.text(typed, label="收货人所在地", max_len=200)
    assert refused.value.message == f"收货人所在地{message}，请删除"


FOREIGN_DIGITS = "0123456789０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९"


@given(st.text(alphabet=FOREIGN_DIGITS + "-/.／－ ", min_size=1, max_size=20))
def test_code_fields_store_ascii_or_refuse(typed: str) -> None:
    for check in (
        validators.import_declaration,
        validators.export_declarations,
        validators.phone,
        validators.parse_date,
        validators.weight,
        validators.customs_code,
    ):
        try:
            stored = check(typed)
        except FieldError:
            continue
        assert stored.isascii() or "转" in stored, (check, typed, stored)
