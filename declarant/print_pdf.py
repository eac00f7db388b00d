"""The print-out of one record as an A4 PDF (打印 → PDF), every character in an embedded font.

Headless (no Textual). The layout walks the same field catalogue as the text print-out
(`declarant/printout.py`): 表头, 商品信息 (all eleven columns, the header repeated on every page), 其他,
the receipts, who printed it and when; each page says 第N页/共M页. The story is laid out twice: once
to collect its characters, so the font subset holds exactly them (`declarant/pdf_fonts.py`), then
for real. A record with a character no embedded font has is refused before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from declarant.pdf_fonts import Fonts, fonts_for
from declarant.printout import (
    PARTS,
    RECEIPT_LABELS,
    TITLE,
    field_lines,
    goods_values,
    local_time,
    printed_time,
    status_value,
)
from store.catalogue import GOODS_FIELDS, Part
from store.models import Receipt
from store.private import ensure_dir
from store.record import RecordData
from store.text import inert

GOODS_WIDTHS = {  # points; 商品名称 takes what is left of the usable width
    "seq": 20.0,
    "hs_code": 48.0,
    "reg_category": 48.0,
    "amount": 40.0,
    "currency": 48.0,
    "quantity": 36.0,
    "unit": 34.0,
    "weight": 36.0,
    "weight_unit": 34.0,
    "industrial": 55.0,
}


def render_pdf(
    record: RecordData,
    receipts: Sequence[Receipt],
    path: Path,
    *,
    operator_name: str,
    printed_at: datetime,
) -> int:
    """Write the record to `path` as an A4 PDF; returns the number of pages.

    The file appears whole or not at all (written beside it, then renamed). Raises
    `declarant.pdf_fonts.UnprintableText` (its `message` names the characters) when a character is
    in no embedded font: nothing is written then.
    """
    texts: list[str] = []
    footer = f"{TITLE}　统一编号：{record.number_label}"
    texts.append(footer + "第页共/0123456789")

    def collect(text: str, _style: object = None) -> str:
        texts.append(text)
        return text

    _story(record, receipts, operator_name, printed_at, collect, font="Helvetica")
    fonts = fonts_for(texts)
    return _build(record, receipts, path, operator_name, printed_at, fonts, footer)


def _build(  # type: ignore[no-untyped-def]
    record, receipts, path, operator_name, printed_at, fonts: Fonts, footer: str
) -> int:
    # reportlab is imported here: the app starts without paying for it until the first PDF
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    base = ParagraphStyle("base", fontName=fonts.primary, fontSize=8.5, leading=10.5)
    base.wordWrap = "CJK"
    styles = {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9),
        "heading": ParagraphStyle("heading", parent=base, fontSize=11, leading=16, spaceBefore=6),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=TA_CENTER),
    }

    def p(text: str, style: str = "base") -> Paragraph:
        return Paragraph(fonts.markup(text), styles[style])

    story = _story(record, receipts, operator_name, printed_at, p, font=fonts.primary)
    margin = 15 * mm
    pages: list[int] = []

    class NumberedCanvas(Canvas):
        """Holds every page until the end, so each can say how many there are (共M页)."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            # not Helvetica: reportlab lists its initial font in the PDF even when no text uses it
            kwargs["initialFontName"] = fonts.primary
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(fonts.primary, 8)
                self.drawString(margin, 10 * mm, footer)
                self.drawRightString(A4[0] - margin, 10 * mm, f"第{number}页/共{total}页")
                super().showPage()
            pages.append(total)
            super().save()

    ensure_dir(path.parent)  # 0700, as the data dir
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        document = SimpleDocTemplate(
            temp_name,
            pagesize=A4,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=18 * mm,
            title=f"{TITLE} {record.key or ''}".strip(),
            author=operator_name,
            invariant=1,  # the same record prints to the same bytes: no date or random id inside
        )
        document.build(story, canvasmaker=NumberedCanvas)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return pages[0]


def _story(
    record: RecordData,
    receipts: Sequence[Receipt],
    operator_name: str,
    printed_at: datetime,
    p: Callable[..., Any],
    *,
    font: str,
) -> list[object]:
    """The flowables in reading order; `p(text, style)` makes a paragraph, or only collects the text
    (the first pass). `font` is the tables' own font, for the cells that hold no paragraph: without
    it reportlab names Helvetica in the file, a font the PDF does not embed."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    grid = colors.Color(0.6, 0.6, 0.6)
    shade = colors.Color(0.92, 0.92, 0.92)
    usable = A4[0] - 2 * 15 * mm
    story: list[object] = [
        p(TITLE, "title"),
        p(f"统一编号：{record.number_label}　　状态：{status_value(record.status)}"),
        Spacer(1, 4),
    ]
    label_w, sub_w = 120.0, 72.0
    for part, fields in PARTS:
        if part == Part.OTHER:
            story.extend(_goods(record, p, usable, grid, shade, font))
        story.append(p(f"【{part.value}】", "heading"))
        rows, spans = [], []
        for i, line in enumerate(field_lines(record, fields)):
            if line.sub:
                rows.append([p(line.label), p(line.sub), p(line.value)])
            else:
                rows.append([p(line.label), p(line.value), ""])
                spans.append(("SPAN", (1, i), (2, i)))
        fields_table = Table(rows, colWidths=[label_w, sub_w, usable - label_w - sub_w])
        fields_table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font),
                    ("FONT", (0, 0), (-1, -1), font),
                    ("GRID", (0, 0), (-1, -1), 0.4, grid),
                    ("BACKGROUND", (0, 0), (0, -1), shade),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                    *spans,
                ]
            )
        )
        story.append(fields_table)
    story.append(p(f"【回执】（共{len(receipts)}条）", "heading"))
    receipt_rows = [[p(label) for label in RECEIPT_LABELS]]
    receipt_rows += [
        [p(status_value(r.status)), p(local_time(r.issued_at)), p(inert(r.content))]
        for r in receipts
    ]
    receipts_table = Table(receipt_rows, colWidths=[130, 110, usable - 240], repeatRows=1)
    receipts_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.4, grid),
                ("BACKGROUND", (0, 0), (-1, 0), shade),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(receipts_table)
    story.append(Spacer(1, 8))
    story.append(p(f"打印人：{inert(operator_name)}　　打印时间：{printed_time(printed_at)}"))
    return story


def _goods(record: RecordData, p, usable: float, grid, shade, font: str) -> list[object]:  # type: ignore[no-untyped-def]
    """The goods table: all eleven columns, its header row repeated on every page it spans."""
    from reportlab.platypus import Table, TableStyle

    widths = dict(GOODS_WIDTHS)
    widths["goods_name"] = usable - sum(widths.values())
    rows = [[p(spec.label, "small") for spec in GOODS_FIELDS]]
    rows += [[p(value, "small") for value in goods_values(row)] for row in record.goods]
    goods_table = Table(rows, colWidths=[widths[s.key] for s in GOODS_FIELDS], repeatRows=1)
    goods_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.4, grid),
                ("BACKGROUND", (0, 0), (-1, 0), shade),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [p(f"【{Part.GOODS.value}】（共{len(record.goods)}项）", "heading"), goods_table]
