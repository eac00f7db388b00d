"""A spreadsheet cell as the form's typed text: numbers, dates and codes the way clients store them.

`field_value(spec, value)` gives what the form would hold for `spec` (text, or a list of codes for a
check group), or raises `CellError` with the operator's message. Clients' spreadsheets hold:

- numbers stored as numbers (13800138000, 12.5) or as text ("12.5", full-width "１２．５"): a
  number becomes its shortest decimal text; a code column holding a number of 16 or more digits is
  refused, because Excel keeps only 15 and the last ones are already lost;
- dates as Excel dates, as serial numbers (45964 = 2025-11-03), as 2025年11月3日 or as text in
  the form's shapes;
- line breaks typed inside a text cell (Alt+Enter), which become spaces;
- codes as the template's list writes them ("5301 皇岗海关"), as a bare code ("5301") or as the name
  ("皇岗海关"), in a check group several of those joined by "/", "、" or ",".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from declarant.sheets.columns import MULTI_SEPARATORS
from store import params
from store.catalogue import FieldSpec, Type
from store.text import code_text

CODE_TYPES = frozenset({Type.IMPORT_DECL, Type.EXPORT_DECLS, Type.USCC, Type.CUSTOMS_CODE})
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
SERIAL_RANGE = (36526, 73051)  # 2000-01-01 … 2099-12-31: a 5-digit number in a date column
_BREAKS_RE = re.compile(r"\s*(?:\r\n|[\r\n\u2028\u2029])\s*")
_CHINESE_DATE_RE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?")
_SPLIT_RE = re.compile("[" + re.escape(MULTI_SEPARATORS) + "\n]")


class CellError(ValueError):
    """A cell that cannot be read as its column's value; `message` is for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number_text(value: int | float) -> str:
    """A number as Excel shows it: 12.0 → "12", 12.5 → "12.5", and a formula's 0.1*3 (stored as
    0.30000000000000004) → "0.3": Excel keeps 15 significant digits, so the 17th is noise."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 10**15:
            return str(int(value))
        return f"{value:.15g}"
    return str(value)


def plain_text(value: object) -> str:
    """Any cell as text (a number, a date or a time too)."""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def field_value(spec: FieldSpec, value: object) -> object:
    """What the form would hold for `spec` given the cell `value` (None for a blank cell)."""
    if blank(value):
        return [] if spec.type == Type.MULTI else None
    if spec.type == Type.MULTI:
        return multi_codes(spec, plain_text(value))
    if spec.type == Type.PARAM:
        return param_code(spec, plain_text(value))
    if spec.type == Type.DATE:
        return date_text(value, spec.title)
    if spec.type in CODE_TYPES and isinstance(value, int | float) and not isinstance(value, bool):
        return code_number(value, spec.title)
    if spec.type == Type.TEXT:  # a line break typed in a cell (Alt+Enter) is a space in the form
        return _BREAKS_RE.sub(" ", plain_text(value))
    return plain_text(value)


def code_number(value: int | float, title: str) -> str:
    """A code typed into a number cell: refused when Excel has already cut its digits."""
    if abs(value) >= 10**15:
        raise CellError(
            f"{title}被存为数字，Excel只保留15位有效数字，末几位已丢失："
            "请将该列设为文本格式后重新填写"
        )
    return number_text(value)


def date_text(value: object, title: str) -> str:
    """An Excel date, an Excel serial number or text; text is left to the form's date rule."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return serial_date(value, title)
    text = code_text(str(value))
    if text.isdigit() and len(text) == 5:
        return serial_date(int(text), title)
    chinese = _CHINESE_DATE_RE.fullmatch(text)  # 2025年11月3日
    if chinese:
        return "-".join(chinese.groups())
    return text


def serial_date(serial: float, title: str) -> str:
    if not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        raise CellError(f"{title}：数字{number_text(serial)}不是日期，请填写如 2025-11-03")
    return (EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()


def param_code(spec: FieldSpec, text: str) -> str:
    """The code named by "5301 皇岗海关", "5301-皇岗海关", "5301" or "皇岗海关".

    What names no code is returned as typed (folded), so the form's rule refuses it with its own
    message.
    """
    folded = code_text(text)
    return _resolve(spec, folded) or folded


def _resolve(spec: FieldSpec, folded: str) -> str | None:
    assert spec.table
    table = params.table(spec.table)
    if table.get(folded) is not None or table.get(folded.upper()) is not None:
        return folded
    head = re.split(r"[\s\-－—]+", folded, maxsplit=1)[0]
    if head and head != folded and (table.get(head) or table.get(head.upper())):
        return head
    named = [entry.code for entry in table if entry.name == folded]
    return named[0] if len(named) == 1 else None


def multi_codes(spec: FieldSpec, text: str) -> list[str]:
    """A check group's codes: pieces joined by "/", ",", ";" or a line break, each as `param_code`;
    a piece that names no code is split again at "、" (内销、其他), which names themselves hold
    (11 健康、安全、卫生、环保不符合要求: one reason, as the template's list writes it)."""
    codes = []
    for piece in (p.strip() for p in _SPLIT_RE.split(code_text(text))):
        if not piece:
            continue
        found = _resolve(spec, piece)
        if found is not None:
            codes.append(found)
            continue
        codes.extend(param_code(spec, part) for part in piece.split("、") if part.strip())
    return codes
