"""Chinese phone numbers as operators write them, read into one canonical stored form.

Input is half-width already (the validator folds full-width first). Shapes read:

- mobile: 11 digits 1[3-9]…, spaces or "-" anywhere (138 0013 8000), after +86, 86 or 0086;
  stored as 13800138000.
- landline: area code 0 + 2 digits (010, 020-029) or 0 + 3 digits (all others), written 021-,
  (021), 021 (space), or after +86 / 0086 without its 0 (+86-21-…); then 7-8 digits (spaces
  inside allowed: 8888 8888); stored as 021-12345678.
- 400/800 service numbers: 10 digits; stored as 400-820-8820.
- an extension of 1-6 digits after 转, 分机, ext, ext., # or, for a landline, a "-" after the full
  number (021-12345678-123); stored after 转: 021-12345678转123.

Refusals raise `FieldError` with `label` and say what is wrong: a letter (and where), too few or
too many digits for the shape recognised, an extension on a mobile.
"""

from __future__ import annotations

import re

from store.text import inert
from store.validators import FieldError

_EXTENSION_RE = re.compile(r"\s*(?:转|分机|ext\.?|#)\s*", re.IGNORECASE)
_COUNTRY_RE = re.compile(r"^(?:\+\s*86|0086|86(?=[\s\-(]))[\s\-]*")
_SEPARATORS_RE = re.compile(r"[\s\-()]+")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_SERVICE_RE = re.compile(r"[48]00[0-9]{7}")
_EXTENSION_DIGITS_RE = re.compile(r"[0-9]{1,6}")
EXAMPLE = "手机11位；座机加区号，如021-12345678"


def _area_length(digits: str) -> int:
    """China's 3-digit area codes are 010 and 020-029; every other one has 4 digits."""
    return 3 if digits[1] in "12" else 4


def canonical_phone(text: str, *, label: str) -> str:
    """`text` (ASCII, stripped) as a stored phone number, or FieldError naming what is wrong."""
    bad = f"{label}格式不正确"
    parts = _EXTENSION_RE.split(text, maxsplit=1)
    main, extension = parts[0], (parts[1] if len(parts) > 1 else None)
    if extension is not None and not _EXTENSION_DIGITS_RE.fullmatch(extension):
        raise FieldError(f"{bad}：分机号应为1-6位数字")
    country = _COUNTRY_RE.match(main)
    rest = main[country.end() :] if country else main
    tokens = [token for token in _SEPARATORS_RE.split(rest) if token]
    for token in tokens:
        wrong = next((c for c in token if not c.isdigit() or not c.isascii()), None)
        if wrong is not None:
            at = text.index(wrong) + 1
            raise FieldError(f"{bad}：第{at}位“{inert(wrong)}”不是数字（{EXAMPLE}）")
    digits = "".join(tokens)
    if not digits:
        raise FieldError(f"{bad}：{EXAMPLE}")
    if country and not digits.startswith(("1", "400", "800", "0")):
        digits, tokens = "0" + digits, ["0" + tokens[0], *tokens[1:]]  # +86-21-… is 021-…
    if digits[0] == "1":
        return _mobile(digits, extension, bad)
    if _SERVICE_RE.fullmatch(digits[:10]) and digits[0] != "0":
        return _service(digits, extension, bad)
    if digits[0] == "0":
        return _landline(digits, tokens, extension, bad)
    raise FieldError(f"{bad}：座机请加区号，如021-12345678；400/800电话为10位")


def _mobile(digits: str, extension: str | None, bad: str) -> str:
    if len(digits) in (7, 8):
        raise FieldError(f"{bad}：座机请加区号，如021-12345678")
    if len(digits) != 11:
        raise FieldError(f"{bad}：手机号应为11位，当前{len(digits)}位")
    if not _MOBILE_RE.fullmatch(digits):
        raise FieldError(f"{bad}：手机号第2位应为3-9")
    if extension is not None:
        raise FieldError(f"{bad}：手机号没有分机号")
    return digits


def _service(digits: str, extension: str | None, bad: str) -> str:
    if len(digits) != 10:
        raise FieldError(f"{bad}：{digits[:3]}电话应为10位，当前{len(digits)}位")
    number = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return f"{number}转{extension}" if extension else number


def _landline(digits: str, tokens: list[str], extension: str | None, bad: str) -> str:
    area_len = _area_length(digits) if len(digits) > 1 else 3
    area = digits[:area_len]
    local = digits[area_len:]
    if not 7 <= len(local) <= 8 and extension is None:
        # a "-" extension: the number ends where the written groups first make 7-8 digits
        end = 0
        for token in tokens:
            end += len(token)
            if 7 <= end - area_len <= 8 and end < len(digits):
                local, extension = digits[area_len:end], digits[end:]
                break
    if len(local) < 7:
        raise FieldError(f"{bad}：区号{area}后应为7-8位号码，当前{len(local)}位")
    if len(local) > 8:
        raise FieldError(f"{bad}：区号{area}后应为7-8位号码，当前{len(local)}位（分机请用“转”）")
    if local[0] == "0":
        raise FieldError(f"{bad}：区号{area}后的号码不能以0开头")
    if extension is not None and not _EXTENSION_DIGITS_RE.fullmatch(extension):
        raise FieldError(f"{bad}：分机号应为1-6位数字")
    number = f"{area}-{local}"
    return f"{number}转{extension}" if extension else number


__all__ = ["canonical_phone"]
