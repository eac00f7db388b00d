"""Identifier rules of the customs and of GB 32100-2015, with no opinions about messages.

- A customs declaration number: 18 digits = 4 customs office + 4 year + 1 direction (1 import,
  0 export) + 9 sequence.
- A USCC (统一社会信用代码): 18 characters of `USCC_ALPHABET`; the last is a check character over
  the first 17 with weights 3^i mod 31; the first (registration authority) may be 1-9, A, N or Y.
- A customs enterprise code (海关十位编码): 4 administrative area + 1 economic zone + 1 enterprise
  type + 4 sequence (which may hold letters); it carries no check digit.
"""

from __future__ import annotations

import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_AUTHORITIES = frozenset("123456789ANY")

_DECL_RE = re.compile(r"[0-9]{18}")  # ASCII: \d takes any script's digits
_CUSTOMS_CODE_RE = re.compile(r"[0-9]{5}[0-9A-Z]{5}")


def uscc_check_char(first17: str) -> str:
    """The check character that completes the 17 characters `first17` into a USCC."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_uscc(value: str) -> bool:
    """Structure and check character of a USCC (upper case expected)."""
    if len(value) != 18 or value[0] not in USCC_AUTHORITIES:
        return False
    if any(c not in USCC_ALPHABET for c in value):
        return False
    return uscc_check_char(value[:17]) == value[17]


def is_customs_code(value: str) -> bool:
    """Shape of a 10-character customs enterprise code."""
    return bool(_CUSTOMS_CODE_RE.fullmatch(value))


def is_declaration_shape(value: str) -> bool:
    return bool(_DECL_RE.fullmatch(value))


def declaration_year(value: str) -> int:
    return int(value[4:8])


def declaration_direction(value: str) -> str:
    """'1' for an import declaration, '0' for an export one."""
    return value[8]
