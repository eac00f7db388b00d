"""The print-out: text aligned by display width, and an A4 PDF read back with `pdftotext -layout`."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from declarant.print_pdf import render_pdf
from declarant.printout import TEXT_WIDTH, render_text, text_width
from store.catalogue import GOODS_FIELDS, HEADER_FIELDS, OTHER_FIELDS
from store.models import Receipt
from store.record import RecordData
from store.records import RecordStore
from tests.factories import complete_record
from tests.fixtures_db import OPERATOR

PRINTED_AT = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)  # 10:30:00 in China
UNIFIED_NO = "202600000000000042"


def record_with(goods: int = 30, **overrides: object) -> RecordData:
    """A complete record as loaded from the store, without a database (new_record reads none)."""
    record = complete_record(RecordStore(None, OPERATOR), goods=goods, **overrides)  # type: ignore[arg-type]
    record.unified_no = UNIFIED_NO
    record.status = 5
    record.return_no = None
    record.collected_at = datetime(2026, 11, 26, 1, 2, 3, tzinfo=UTC)
    return record


def receipts() -> list[Receipt]:
    def receipt(status: int, content: str, minute: int) -> Receipt:
        at = datetime(2026, 11, 26, 1, minute, tzinfo=UTC)
        return Receipt(
            record_id=1,
            receipt_id=f"r{status}",
            round=1,
            status=status,
            content=content,
            issued_at=at,
            received_at=at,
        )

    return [  # newest first, as RecordStore.receipts gives them
        receipt(5, "电子审核成功，进入人工审核环节。", 20),
        receipt(3, "海关接收成功", 10),
        receipt(1, "-", 2),
    ]


def text_of(record: RecordData) -> str:
    return render_text(record, receipts(), operator_name="张三", printed_at=PRINTED_AT)


# ---- plain text -------------------------------------------------------------------------------
def test_text_has_every_label_value_receipt_operator_and_time() -> None:
    text = text_of(record_with())
    for spec in (*HEADER_FIELDS, *GOODS_FIELDS, *OTHER_FIELDS):
        assert spec.label in text, spec.label
        assert spec.sub in text, spec.sub
    for value in (
        UNIFIED_NO,
        "5 电子审核完成，待人工审核",  # 状态 as code and name
        "2244 上海快件",  # 消费使用单位所在地关区
        "JPN 日本",
        "4561 退运货物",
        "1 内销",  # 拟处理方式 (multi)
        "310115 浦东新区",
        "0110 一般贸易",
        "23 客户需求更改",
        "上海收货贸易有限公司",
        "2026-11-26 09:02:03",  # 采集时间 in China's time
        "USD 美元",
        "035 千克",
        "Y 是",
    ):
        assert value in text, value
    assert all(f"笔记本电脑{i}" in text for i in range(1, 31))
    assert "【商品信息】（共30项）" in text and "【回执】（共3条）" in text
    assert "2026-11-26 09:20:00 电子审核成功，进入人工审核" in text
    assert "\n。" not in text.replace(" ", "")  # "。" never starts a line
    assert "打印人：张三" in text and "打印时间：2026-11-27 10:30:00" in text
    parts = [text.index(f"【{name}】") for name in ("表头", "商品信息", "其他", "回执")]
    assert parts == sorted(parts)  # the manual's order


def test_text_is_aligned_by_display_width() -> None:
    long_name = "高精度数控机床用伺服电机及其配套驱动控制器" * 3  # wraps within its column
    record = record_with(goods=3)
    record.goods[1].goods_name = long_name
    lines = text_of(record).splitlines()
    assert all(text_width(line) <= TEXT_WIDTH for line in lines)
    # Field values start in one column whatever the label's length (wide characters count 2).
    starts = {
        text_width(line[: line.index(value)])
        for line in lines
        for value in (UNIFIED_NO, "2244 上海快件", "220120240000001234/220120240000001235", "钱七")
        if value in line and not line.startswith("统一编号：")
    }
    assert len(starts) == 1 and starts.pop() > text_width("关联报关单原出口监管方式")
    # Composite parts line up under each other, the label printed once.
    subs = [line for line in lines if "社会信用代码" in line or "海关编码" in line]
    assert len({text_width(line[: line.index(line.split()[-1])]) for line in subs}) == 1
    # Goods columns: the amount ends, and 是否属于工业品 starts, in the same column on every row.
    amount_ends = {
        text_width(line[: line.index("1200.00") + 7]) for line in lines if "1200.00" in line
    }
    industrial = {text_width(line[: line.index("Y 是")]) for line in lines if line.endswith("Y 是")}
    assert len(amount_ends) == 1 and len(industrial) == 1
    # The long name wraps in its own column: each piece starts where the short names start.
    name_cols = {
        text_width(line[: line.index("笔记本电脑")]) for line in lines if "笔记本电脑" in line
    }
    assert len(name_cols) == 1
    pieces = [(line, t) for line in lines for t in line.split() if len(t) > 1 and t in long_name]
    assert len(pieces) >= 3 and "".join(t for _, t in pieces) == long_name
    assert {text_width(line[: line.index(t)]) for line, t in pieces} == name_cols


def test_an_unsaved_record_with_no_goods_and_no_receipts_prints(tmp_path: Path) -> None:
    record = complete_record(RecordStore(None, OPERATOR), goods=0)  # type: ignore[arg-type]
    text = render_text(record, [], operator_name="张三", printed_at=PRINTED_AT)
    assert "统一编号：（未暂存）" in text and "状态：0 暂存" in text
    assert "【商品信息】（共0项）" in text and "【回执】（共0条）" in text
    pages = render_pdf(record, [], tmp_path / "a.pdf", operator_name="张三", printed_at=PRINTED_AT)
    assert f"第{pages}页/共{pages}页" in pdftotext(tmp_path / "a.pdf")[-1]


# ---- PDF ----------------------------------------------------------------------------------------
def pdftotext(path: Path) -> list[str]:
    """The PDF's pages as text, laid out (`pdftotext -layout`), split at the form feeds."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: apt-get install poppler-utils poppler-data")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    if "Missing language pack" in done.stderr:
        pytest.fail("pdftotext cannot map the Chinese CID font: apt-get install poppler-data")
    return [page for page in done.stdout.split("\f") if page.strip()]


def test_pdf_of_thirty_goods_reads_back_with_labels_values_rows_and_page_numbers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out" / f"{UNIFIED_NO}.pdf"
    pages = render_pdf(record_with(), receipts(), path, operator_name="张三", printed_at=PRINTED_AT)
    assert path.read_bytes().startswith(b"%PDF-")
    texts = pdftotext(path)
    assert pages == len(texts) >= 2
    whole = "\n".join(texts)
    for spec in (*HEADER_FIELDS, *OTHER_FIELDS):
        assert spec.label in whole, spec.label
    for value in (UNIFIED_NO, "2244 上海快件", "JPN 日本", "5 电子审核完成，待人工审核", "钱七"):
        assert value in whole, value
    for i in range(1, 31):
        assert f"笔记本电脑{i} " in whole or whole.rstrip().endswith(f"笔记本电脑{i}"), i
    goods_header = ("序号", "货物HS编码", "货物名称", "退货金额", "退货数量", "退货重量")
    holding_goods = [t for t in texts if "笔记本电脑" in t]
    assert len(holding_goods) >= 2, "30 goods rows span two pages"
    for page in holding_goods:  # the table header repeated on every page the table spans
        assert all(label in page for label in goods_header)
    for number, page in enumerate(texts, start=1):
        assert f"第{number}页/共{pages}页" in page
    assert "海关接收成功" in whole and "打印人：张三" in whole
    assert "打印时间：2026-11-27 10:30:00" in whole


def test_pdf_is_the_same_bytes_for_the_same_record(tmp_path: Path) -> None:
    record = record_with(goods=2)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for path in (first, second):
        render_pdf(record, [], path, operator_name="张三", printed_at=PRINTED_AT)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]  # no temporary left


def test_the_printout_is_headless() -> None:
    """declarant/printout.py runs without Textual (a batch print or a mail needs no terminal)."""
    import sys

    code = (
        "import sys, declarant.printout; print(any(m.startswith('textual') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# ---- the embedded font ------------------------------------------------------------------------
def test_pdf_embeds_its_chinese_font_and_prints_names_outside_the_bmp(tmp_path: Path) -> None:
    """Every viewer shows it: the font is embedded (pdffonts), 𠮷 (U+20BB7) and GB 18030 names read
    back (pdftotext), and the rasterised page has ink where the text is (pdftoppm)."""
    for tool in ("pdffonts", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} missing: apt-get install poppler-utils")
    names = {
        "contact_person": "𠮷田",
        "declarant_person": "䶮昇",
        "consignee_name": "上海𠮷祥贸易公司",
    }
    record = record_with(goods=2, **names)
    path = tmp_path / "a.pdf"
    render_pdf(record, receipts(), path, operator_name="𠮷野", printed_at=PRINTED_AT)

    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    for row in rows:  # name, type, encoding, emb, sub, uni, object ID
        columns = row.split()
        assert columns[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, with a ToUnicode
    whole = "\n".join(pdftotext(path))
    for value in ("𠮷田", "䶮昇", "上海𠮷祥贸易公司", "打印人：𠮷野", "出口退货信息"):
        assert value in whole, value

    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(path), str(png)], check=True
    )
    page = next(tmp_path.glob("page*.pgm")).read_bytes()
    # a binary PGM: "P5\n<w> <h>\n255\n" then one byte a pixel; the title band is ink, not blank
    header_end = page.index(b"\n255\n") + 5
    width, height = (int(n) for n in page[3 : header_end - 5].split())
    pixels = page[header_end:]
    title_band = pixels[width * (height // 40) : width * (height // 12)]
    dark = sum(1 for value in title_band if value < 128)
    assert dark > 100, f"{dark} dark pixels where the title is printed"


def test_a_character_no_font_has_is_refused_by_name_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    from declarant.pdf_fonts import UnprintableText

    record = record_with(goods=1, contact_person="\U0002a6a5田")  # CJK Ext B, in neither font
    path = tmp_path / "a.pdf"
    with pytest.raises(UnprintableText) as refused:
        render_pdf(record, [], path, operator_name="张三", printed_at=PRINTED_AT)
    assert "U+2A6A5" in refused.value.message and "\U0002a6a5" in refused.value.message
    assert list(tmp_path.iterdir()) == []
