"""The PDF print-out with its embedded font: how long an operator waits after 保存PDF.

Figures, one a line, `name value unit` (medians over ROUNDS; the first render of a process, which
also reads the font's character map, is reported on its own):
    pdf_first_s       the first PDF of a process (2 goods rows)
    pdf_2_goods_s     a record with 2 goods rows and 3 receipts
    pdf_30_goods_s    30 goods rows (three pages)
    pdf_bytes_2_goods the file's size with its embedded font subset

    python bench/print_pdf.py  [ROUNDS=5]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("ROUNDS", "5"))


def main() -> int:
    from declarant.print_pdf import render_pdf
    from store.records import RecordStore
    from tests.factories import complete_record
    from tests.fixtures_db import OPERATOR

    printed_at = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)
    out = Path(tempfile.mkdtemp(prefix="tuihuo-bench-pdf-"))

    def render(goods: int, name: str) -> float:
        record = complete_record(RecordStore(None, OPERATOR), goods=goods)  # type: ignore[arg-type]
        start = time.perf_counter()
        render_pdf(record, [], out / name, operator_name="张三", printed_at=printed_at)
        return time.perf_counter() - start

    print(f"pdf_first_s {render(2, 'first.pdf'):.2f} s", flush=True)
    two = statistics.median(render(2, f"two{i}.pdf") for i in range(ROUNDS))
    print(f"pdf_2_goods_s {two:.2f} s", flush=True)
    thirty = statistics.median(render(30, f"thirty{i}.pdf") for i in range(ROUNDS))
    print(f"pdf_30_goods_s {thirty:.2f} s", flush=True)
    print(f"pdf_bytes_2_goods {(out / 'two0.pdf').stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
