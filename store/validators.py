"""Field validators: each takes the typed text, returns the canonical value or raises FieldError.

Messages are in Chinese for the operator and say what is expected, not only what is wrong. The
identifier rules themselves live in `store.ids`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from store import clock, ids

MAX_EXPORT_DECLARATIONS = 50
EARLIEST_YEAR = 2000

_MOBILE_RE = re.compile(r"(?:\+?86[- ]?)?(1[3-9]\d{9})")
_LANDLINE_RE = re.compile(r"\(?(0\d{2,3})\)?[- ]?([1-9]\d{6,7})(?:(?:-|转|#|ext\.?)(\d{1,6}))?")
_DATE_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class FieldError(ValueError):
    """A refused field value; `message` is what the operator reads at the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _plausible_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= clock.today_local().year + 1


def declaration_number(value: str, *, direction: str, label: str) -> str:
    """An 18-digit declaration number whose direction digit (9th) is `direction`."""
    number = value.strip()
    if not ids.is_declaration_shape(number):
        raise FieldError(f"{label}应为18位数字")
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
    parts = [part.strip() for part in value.strip().split("/")]
    if any(not part for part in parts):
        raise FieldError("原出口报关单号之间用一个“/”分隔，不能有空号")
    if len(parts) > MAX_EXPORT_DECLARATIONS:
        raise FieldError(f"原出口报关单号最多{MAX_EXPORT_DECLARATIONS}个，当前{len(parts)}个")
    seen: set[str] = set()
    for index, part in enumerate(parts, start=1):
        label = f"第{index}个原出口报关单号" if len(parts) > 1 else "原出口报关单号"
        declaration_number(part, direction="0", label=label)
        if part in seen:
            raise FieldError(f"原出口报关单号重复：{part}")
        seen.add(part)
    return "/".join(parts)


def uscc(value: str, *, label: str = "统一社会信用代码") -> str:
    code = value.strip().upper()
    if len(code) != 18:
        raise FieldError(f"{label}应为18位")
    if code[0] not in ids.USCC_AUTHORITIES:
        raise FieldError(f"{label}第1位应为1-9、A、N或Y")
    bad = sorted({c for c in code if c not in ids.USCC_ALPHABET})
    if bad:
        raise FieldError(f"{label}含非法字符：{''.join(bad)}（不使用I、O、Z、S、V）")
    if ids.uscc_check_char(code[:17]) != code[17]:
        raise FieldError(f"{label}校验位错误，请核对")
    return code


def customs_code(value: str, *, label: str = "海关编码") -> str:
    code = value.strip().upper()
    if len(code) != 10:
        raise FieldError(f"{label}应为10位")
    if not ids.is_customs_code(code):
        raise FieldError(f"{label}格式不正确：前5位为数字，后5位为数字或字母")
    return code


def uscc_or_customs_code(value: str, *, label: str) -> str:
    """The query's 收货人 / 原生产企业: an 18-character USCC or a 10-character customs code."""
    code = value.strip().upper()
    if len(code) == 18:
        return uscc(code, label=label)
    if len(code) == 10:
        return customs_code(code, label=label)
    raise FieldError(f"{label}应为18位社会信用代码或10位海关编码")


def phone(value: str, *, label: str = "联系电话") -> str:
    text = value.strip()
    if _MOBILE_RE.fullmatch(text) or _LANDLINE_RE.fullmatch(text):
        return text
    raise FieldError(f"{label}格式不正确：手机11位；座机加区号，如021-12345678")


def parse_date(value: str, *, label: str = "日期") -> str:
    """20251103 or 2025-11-03 → 2025-11-03."""
    text = value.strip()
    match = _DATE_COMPACT_RE.fullmatch(text) or _DATE_ISO_RE.fullmatch(text)
    if not match:
        raise FieldError(f"{label}格式应为 20251103 或 2025-11-03")
    year, month, day = (int(group) for group in match.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise FieldError(f"{label}不存在：{text}") from None
    if not _plausible_year(parsed.year):
        raise FieldError(f"{label}年份不合理：{parsed.year}")
    return parsed.isoformat()


def weight(value: str, *, label: str = "退货重量") -> str:
    """A positive decimal with at most 3 decimals (kilograms)."""
    text = value.strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FieldError(f"{label}应为数字，如 12.5") from None
    if not number.is_finite() or number <= 0:
        raise FieldError(f"{label}应大于0")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        raise FieldError(f"{label}最多3位小数")
    if number >= Decimal(10) ** 14:
        raise FieldError(f"{label}过大：整数部分最多14位")
    return format(number.normalize(), "f") if exponent < 0 else format(number, "f")


def text(value: str, *, label: str, max_len: int) -> str:
    cleaned = value.strip()
    if _CONTROL_RE.search(cleaned):
        raise FieldError(f"{label}含不可见的控制字符")
    if len(cleaned) > max_len:
        raise FieldError(f"{label}不能超过{max_len}个字符，当前{len(cleaned)}个")
    return cleaned
