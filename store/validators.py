"""Field validators: each takes the typed text, returns the canonical value or raises FieldError.

Messages are in Chinese for the operator and say what is expected, not only what is wrong. The
identifier rules themselves live in `store.ids`. Code fields (declaration numbers, USCC, customs
code, phone, weight, date) are folded to half-width first (`store.text.code_text`: an IME in
full-width mode types ０１０１) and must be ASCII after that; what passes is stored as ASCII, and a
refusal names the position the operator sees. Free text refuses controls and bidi overrides.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from store import clock, ids
from store.text import code_text, describe, inert, non_ascii_at, unsafe_at

MAX_EXPORT_DECLARATIONS = 50
EARLIEST_YEAR = 2000
EXPORT_SEPARATOR = "/"  # fields.md: 原出口报关单号 joined by "/"

_DATE_COMPACT_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_DATE_SEPARATED_RE = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_WEIGHT_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


class FieldError(ValueError):
    """A refused field value; `message` is what the operator reads at the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _plausible_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= clock.today_local().year + 1


def _ascii_code(value: str, expected: str) -> str:
    """`value` folded to half-width; refused with `expected` and the position if not ASCII then."""
    code = code_text(value)
    at = non_ascii_at(code)
    if at is not None:
        raise FieldError(f"{expected}：第{at + 1}位“{inert(code[at])}”不是半角字符")
    return code


def declaration_number(value: str, *, direction: str, label: str) -> str:
    """An 18-digit declaration number whose direction digit (9th) is `direction`."""
    number = _ascii_code(value, f"{label}应为18位数字")
    wrong = next((i for i, c in enumerate(number) if c not in "0123456789"), None)
    if wrong is not None:
        raise FieldError(f"{label}应为18位数字：第{wrong + 1}位“{inert(number[wrong])}”不是数字")
    if not ids.is_declaration_shape(number):
        raise FieldError(f"{label}应为18位数字，当前{len(number)}位")
    if ids.declaration_direction(number) != direction:
        kind = "进口" if direction == "1" else "出口"
        raise FieldError(f"{label}第9位应为{direction}（{kind}报关单）")
    if not _plausible_year(ids.declaration_year(number)):
        raise FieldError(f"{label}第5-8位年份不合理")
    return number


def import_declaration(value: str) -> str:
    return declaration_number(value, direction="1", label="进口报关单号")


def export_declarations(value: str) -> str:
    """Numbers joined by "/", at most 50, each an export declaration, no duplicates."""
    parts = [part.strip() for part in code_text(value).split(EXPORT_SEPARATOR)]
    if any(not part for part in parts):
        raise FieldError("原出口报关单号之间用一个“/”分隔，不能有空号")
    if len(parts) > MAX_EXPORT_DECLARATIONS:
        raise FieldError(f"原出口报关单号最多{MAX_EXPORT_DECLARATIONS}个，当前{len(parts)}个")
    seen: set[str] = set()
    numbers = []
    for index, part in enumerate(parts, start=1):
        label = f"第{index}个原出口报关单号" if len(parts) > 1 else "原出口报关单号"
        number = declaration_number(part, direction="0", label=label)
        if number in seen:
            raise FieldError(f"原出口报关单号重复：{number}")
        seen.add(number)
        numbers.append(number)
    return EXPORT_SEPARATOR.join(numbers)


def uscc(value: str, *, label: str = "统一社会信用代码") -> str:
    code = _ascii_code(value, f"{label}应为18位数字或大写字母").upper()
    if len(code) != 18:
        raise FieldError(f"{label}应为18位，当前{len(code)}位")
    if code[0] not in ids.USCC_AUTHORITIES:
        raise FieldError(f"{label}第1位应为1-9、A、N或Y")
    bad = sorted({c for c in code if c not in ids.USCC_ALPHABET})
    if bad:
        raise FieldError(f"{label}含非法字符：{inert(''.join(bad))}（不使用I、O、Z、S、V）")
    if ids.uscc_check_char(code[:17]) != code[17]:
        raise FieldError(f"{label}校验位错误，请核对")
    return code


def customs_code(value: str, *, label: str = "海关编码") -> str:
    code = _ascii_code(value, f"{label}应为10位数字或字母").upper()
    if len(code) != 10:
        raise FieldError(f"{label}应为10位，当前{len(code)}位")
    if not ids.is_customs_code(code):
        raise FieldError(f"{label}格式不正确：前5位为数字，后5位为数字或字母")
    return code


def uscc_or_customs_code(value: str, *, label: str) -> str:
    """The query's 收货人 / 原生产企业: an 18-character USCC or a 10-character customs code."""
    code = _ascii_code(value, f"{label}应为18位社会信用代码或10位海关编码").upper()
    if len(code) == 18:
        return uscc(code, label=label)
    if len(code) == 10:
        return customs_code(code, label=label)
    raise FieldError(f"{label}应为18位社会信用代码或10位海关编码")


def phone(value: str, *, label: str = "联系电话") -> str:
    """A Chinese phone number as operators write it, stored in one canonical form.

    Accepted: mobiles (13800138000, 138 0013 8000, +86 138…, 0086…); landlines with the area code
    as 021-, (021), （021）, "021 ", 021－ or +86-21-; extensions after 转, 分机, ext, # or a
    second "-"; 400/800 numbers. Stored: 13800138000, 021-12345678, 0755-88888888转123,
    400-820-8820 (see `store.phones`).
    """
    from store.phones import canonical_phone

    return canonical_phone(code_text(value), label=label)  # 转 and 分机 are not ASCII


def parse_date(value: str, *, label: str = "日期") -> str:
    """20251103, 2025-11-03, 2025/11/03 or 2025.11.03 (month and day may be one digit) → ISO."""
    text = _ascii_code(value, f"{label}格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03")
    match = _DATE_COMPACT_RE.fullmatch(text) or _DATE_SEPARATED_RE.fullmatch(text)
    if not match:
        raise FieldError(f"{label}格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03")
    year, month, day = (int(group) for group in match.groups() if group.isdigit())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise FieldError(f"{label}不存在：{text}") from None
    if not _plausible_year(parsed.year):
        raise FieldError(f"{label}年份不合理：{parsed.year}")
    return parsed.isoformat()


def weight(value: str, *, label: str = "退货重量") -> str:
    """A positive decimal in kilograms, at most 3 decimals once trailing zeros go (12.5000 is
    12.5); stored without trailing zeros. Grouping, underscores and exponents are refused: a
    spreadsheet's 1,234 and Python's 1_000 or 1e3 are not what customs reads."""
    text = _ascii_code(value, f"{label}应为数字，如 12.5")
    if "," in text:
        raise FieldError(f"{label}不能含千位分隔符“,”，请直接写数字，如 1234.5")
    if "_" in text:
        raise FieldError(f"{label}不能含下划线“_”，请直接写数字，如 1000")
    if "e" in text.lower():
        raise FieldError(f"{label}不能用科学计数法，请直接写数字，如 1000")
    if text.startswith("-"):
        raise FieldError(f"{label}应大于0")
    if not _WEIGHT_RE.fullmatch(text):
        at = next((i for i, c in enumerate(text) if c not in "0123456789."), None)
        where = "" if at is None else f"：第{at + 1}位“{inert(text[at])}”不是数字"
        raise FieldError(f"{label}应为数字，如 12.5{where}")
    try:
        number = Decimal(text)
    except InvalidOperation:  # the pattern above admits only what Decimal reads
        raise FieldError(f"{label}应为数字，如 12.5") from None
    if number <= 0:
        raise FieldError(f"{label}应大于0")
    exact = number.normalize()
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        raise FieldError(f"{label}最多3位小数")
    if number >= Decimal(10) ** 14:
        raise FieldError(f"{label}过大：整数部分最多14位")
    return format(exact, "f")


def text(value: str, *, label: str, max_len: int) -> str:
    """Free text: no controls, line separators or bidi overrides; at most `max_len` characters."""
    cleaned = value.strip()
    at = unsafe_at(cleaned)
    if at is not None:
        code = describe(cleaned[at])
        raise FieldError(f"{label}第{at + 1}个字符是不可见的控制字符（{code}），请删除")
    if len(cleaned) > max_len:
        raise FieldError(f"{label}不能超过{max_len}个字符，当前{len(cleaned)}个")
    return cleaned
