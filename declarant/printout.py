"""The print-out of one record (打印): plain text for a terminal printer, and an A4 PDF.

Headless (no Textual): the preview screen shows `render_text`, the save keys write either form. Both
walk the field catalogue, so every field of 表头, 商品信息 and 其他 prints under the manual's label,
parameter codes as "code name" (0101 机场货管). Text is laid out by display width: a Chinese
character takes two columns of a terminal or a dot-matrix printer, so padding counts columns, not
characters. The A4 PDF is laid out in `declarant/print_pdf.py`, its embedded font in
`declarant/pdf_fonts.py`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from store import clock
from store.catalogue import GOODS_FIELDS, HEADER_FIELDS, OTHER_FIELDS, FieldSpec, Part, Type
from store.models import Receipt
from store.params import table
from store.record import GoodsData, RecordData
from store.text import inert

TITLE = "出口退货信息"
TEXT_WIDTH = 78  # fits an 80-column printer and the 80-column preview beside its scrollbar
RECEIPT_LABELS = ("审核状态", "回执时间", "回执内容")


# ---- values, as both forms print them ---------------------------------------------------------
def field_value(spec: FieldSpec, value: object) -> str:
    """One field's value as printed: parameter codes with their names, times in China's time;
    inert (a control character of a stored value prints as a mark: the text file goes to a
    terminal printer, the preview to the operator's terminal)."""
    if value is None or value == "" or value == []:
        return ""
    if spec.type == Type.PARAM and spec.table:
        return inert(table(spec.table).label(str(value)))
    if spec.type == Type.MULTI and spec.table and isinstance(value, list | tuple):
        return inert("；".join(table(spec.table).label(str(code)) for code in value))
    if isinstance(value, datetime):
        return local_time(value)
    return inert(str(value))


def local_time(moment: datetime) -> str:
    """A stored instant (naive means UTC, as SQLite hands it back) in China's time."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return clock.to_local(aware).strftime("%Y-%m-%d %H:%M:%S")


def printed_time(moment: datetime) -> str:
    return local_time(moment) if moment.tzinfo is not None else moment.strftime("%Y-%m-%d %H:%M:%S")


def status_value(code: int) -> str:
    return table("statuses").label(str(code))


@dataclass(frozen=True, slots=True)
class FieldLine:
    label: str  # the manual's label; "" continues the composite field above
    sub: str  # the part of a composite field (社会信用代码 …), "" for a plain field
    value: str


def field_lines(record: RecordData, fields: Sequence[FieldSpec]) -> list[FieldLine]:
    """The fields of one part in the catalogue's order, a composite's label printed once."""
    lines: list[FieldLine] = []
    previous = ""
    for spec in fields:
        raw = getattr(record, spec.key, None)
        label = "" if spec.sub and spec.label == previous else spec.label
        lines.append(FieldLine(label, spec.sub, field_value(spec, raw)))
        previous = spec.label
    return lines


def goods_values(row: GoodsData) -> list[str]:
    return [field_value(spec, getattr(row, spec.key)) for spec in GOODS_FIELDS]


PARTS: tuple[tuple[Part, Sequence[FieldSpec]], ...] = (
    (Part.HEADER, HEADER_FIELDS),
    (Part.OTHER, OTHER_FIELDS),
)


# ---- display width ----------------------------------------------------------------------------
def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (Chinese) characters count two."""
    return sum(char_width(c) for c in text)


_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, cut between characters (Chinese has no spaces)."""
    if not text:
        return [""]
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for char in paragraph:
            w = char_width(char)
            if used + w > width and line:
                carried = ""
                if char in _NO_LINE_START and len(line) > 1:
                    # "。" never starts a line: the character before it goes down with it
                    line, carried = line[:-1], line[-1]
                lines.append(line)
                line, used = carried, text_width(carried)
            line += char
            used += w
        lines.append(line)
    return lines


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    width: int
    right: bool = False


def table_lines(
    columns: Sequence[Column], rows: Iterable[Sequence[str]], indent: int = 0
) -> list[str]:
    """Rows of cells, each cell wrapped within its column; a row is as tall as its tallest cell."""
    lines: list[str] = []
    for row in rows:
        cells = [wrap(value, col.width) for col, value in zip(columns, row, strict=True)]
        for i in range(max(len(c) for c in cells)):
            parts = [
                pad(cell[i] if i < len(cell) else "", col.width, right=col.right)
                for col, cell in zip(columns, cells, strict=True)
            ]
            lines.append((" " * indent + " ".join(parts)).rstrip())
    return lines


# ---- plain text -------------------------------------------------------------------------------
def _goods_bands(width: int) -> tuple[list[Column], list[Column], int]:
    """The goods table in two bands of columns, so all eleven fit 78 columns."""
    labels = {spec.key: spec.label for spec in GOODS_FIELDS}
    fixed = 4 + 10 + 12 + 14 + 4  # 序号, HS, 监管类别名称, 是否属于工业品 and the gaps
    first = [
        Column(labels["seq"], 4, right=True),
        Column(labels["hs_code"], 10),
        Column(labels["goods_name"], max(12, width - fixed)),
        Column(labels["reg_category"], 12),
        Column(labels["industrial"], 14),
    ]
    second = [
        Column(labels["amount"], 12, right=True),
        Column(labels["currency"], 12),
        Column(labels["quantity"], 10, right=True),
        Column(labels["unit"], 10),
        Column(labels["weight"], 10, right=True),
        Column(labels["weight_unit"], 8),
    ]
    return first, second, 5


_FIRST_BAND = ("seq", "hs_code", "goods_name", "reg_category", "industrial")
_SECOND_BAND = ("amount", "currency", "quantity", "unit", "weight", "weight_unit")


def render_text(
    record: RecordData,
    receipts: Sequence[Receipt],
    *,
    operator_name: str,
    printed_at: datetime,
    width: int = TEXT_WIDTH,
) -> str:
    """The record as UTF-8 text, aligned by display width for a terminal printer."""
    rule = "-" * width  # ASCII: box-drawing characters are ambiguous width (terminal.md)
    out: list[str] = []
    title = TITLE
    out.append(pad("", (width - text_width(title)) // 2) + title)
    out.append(f"统一编号：{record.number_label}    状态：{status_value(record.status)}")
    out.append(rule)
    every = [line for _, fields in PARTS for line in field_lines(record, fields)]
    label_w = max(text_width(line.label) for line in every)
    sub_w = max(text_width(line.sub) for line in every)
    for part, fields in PARTS:
        if part == Part.OTHER:
            out.extend(_goods_text(record.goods, width))
        out.append(f"【{part.value}】")
        for line in field_lines(record, fields):
            if line.sub:
                columns = [
                    Column("", label_w),
                    Column("", sub_w),
                    Column("", width - label_w - sub_w - 2),
                ]
                cells = [line.label, line.sub, line.value]
            else:
                columns = [Column("", label_w), Column("", width - label_w - 1)]
                cells = [line.label, line.value]
            out.extend(table_lines(columns, [cells]))
        out.append("")
    out.extend(_receipts_text(receipts, width))
    out.append(rule)
    out.append(f"打印人：{inert(operator_name)}    打印时间：{printed_time(printed_at)}")
    return "\n".join(out) + "\n"


def _goods_text(goods: Sequence[GoodsData], width: int) -> list[str]:
    first, second, indent = _goods_bands(width)
    out = [f"【{Part.GOODS.value}】（共{len(goods)}项）"]
    out.extend(table_lines(first, [[c.label for c in first]]))
    out.extend(table_lines(second, [[c.label for c in second]], indent=indent))
    out.append("-" * width)
    keys = [spec.key for spec in GOODS_FIELDS]
    for row in goods:
        values = dict(zip(keys, goods_values(row), strict=True))
        out.extend(table_lines(first, [[values[k] for k in _FIRST_BAND]]))
        out.extend(table_lines(second, [[values[k] for k in _SECOND_BAND]], indent=indent))
    if not goods:
        out.append("（无）")
    out.append("")
    return out


def _receipts_text(receipts: Sequence[Receipt], width: int) -> list[str]:
    status_w = max(
        [text_width(RECEIPT_LABELS[0]), *(text_width(status_value(r.status)) for r in receipts)]
    )
    status_w = min(status_w, 26)
    columns = [
        Column(RECEIPT_LABELS[0], status_w),
        Column(RECEIPT_LABELS[1], 19),
        Column(RECEIPT_LABELS[2], max(10, width - status_w - 19 - 2)),
    ]
    out = [f"【回执】（共{len(receipts)}条）"]
    out.extend(table_lines(columns, [[c.label for c in columns]]))
    out.extend(
        table_lines(
            columns,
            [[status_value(r.status), local_time(r.issued_at), inert(r.content)] for r in receipts],
        )
    )
    if not receipts:
        out.append("（无）")
    return out


def file_stem(record: RecordData, at: datetime) -> str:
    """出口退货信息 files are named by 统一编号 and time: 202600000000000001-20261127-103000."""
    moment = clock.to_local(at) if at.tzinfo is not None else at
    return f"{record.key or '未暂存'}-{moment.strftime('%Y%m%d-%H%M%S')}"


__all__ = [
    "TEXT_WIDTH",
    "field_lines",
    "field_value",
    "file_stem",
    "render_text",
    "text_width",
    "wrap",
]
