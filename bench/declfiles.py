"""Declaration files: what Enter on 进口报关单号 costs when the number is looked up in the watched
folders (customs.declfiles.DeclarationIndex), and what one file costs to read.

A client folder of 2,000 files is made under bench/out/declfiles (ImpPath/InBox and SentBox: 1,200
DecMessage XML with distinct 海关编号, 300 web JSON, 100 printed-form XLSX, 400 receipts that are no
declaration), from the test samples (tests/declfiles_samples.py).

Figures, one a line, `name value unit` (medians of 7):
    index_first_s        the first lookup: every file parsed once
    index_lookup_ms      a lookup when nothing changed (stat only, nothing parsed)
    index_one_new_ms     a lookup after one new file arrived (that file parsed)
    read_xml_ms / read_json_ms / read_xlsx_ms   one file read into an ImportDeclaration

    python bench/declfiles.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from customs.declfiles import DeclarationIndex, read_declaration  # noqa: E402
from tests import declfiles_samples as s  # noqa: E402

OUT = ROOT / "bench" / "out" / "declfiles"
RUNS = 7


def number(i: int) -> str:
    return f"2233202510{i:08d}"


def build() -> Path:
    shutil.rmtree(OUT, ignore_errors=True)
    imp = OUT / "ImpPath"
    for i in range(1200):
        s.write(imp, f"SentBox/{i // 100:02d}/dec{i}.xml", s.xml_message(number=number(i)))
    json_text = s.web_json()
    for i in range(300):
        s.write(
            imp,
            f"InBox/web{i}.json",
            json_text.replace(s.NUMBER.encode(), number(5000 + i).encode()),
        )
    xlsx = s.printed_xlsx()
    for i in range(100):
        s.write(imp, f"InBox/printed{i}.xlsx", xlsx)
    for i in range(400):
        s.write(
            imp,
            f"InBox/Receipt_{i}.xml",
            b"<DecImportResponse xmlns='http://www.chinaport.gov.cn/dec'/>",
        )
    return imp


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    imp = build()
    firsts, lookups, news = [], [], []
    for run in range(RUNS):
        index = DeclarationIndex([imp])
        start = time.perf_counter()
        assert index.find(number(1199)) is not None
        firsts.append(time.perf_counter() - start)
        for _ in range(3):
            start = time.perf_counter()
            assert index.find(number(7)) is not None
            lookups.append(ms(start))
        s.write(imp, f"InBox/new{run}.xml", s.xml_message(number=number(9000 + run)))
        start = time.perf_counter()
        assert index.find(number(9000 + run)) is not None
        news.append(ms(start))
    print(f"index_first_s {statistics.median(firsts):.2f} s")
    print(f"index_lookup_ms {statistics.median(lookups):.1f} ms")
    print(f"index_one_new_ms {statistics.median(news):.1f} ms")
    for name, path in (
        ("xml", imp / "SentBox/00/dec0.xml"),
        ("json", imp / "InBox/web0.json"),
        ("xlsx", imp / "InBox/printed0.xlsx"),
    ):
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            read_declaration(path)
            times.append(ms(start))
        print(f"read_{name}_ms {statistics.median(times):.2f} ms")


if __name__ == "__main__":
    main()
