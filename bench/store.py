"""Store benchmark: 1,000,000 records, then keyset pages, count, parameter search and memory.

Prints one figure a line as `name value unit` (medians). The database is built once by bulk insert
into bench/out/store-1m.db (records spread over a year, 90% of one enterprise, no goods rows: the
query never reads them) and reused by later runs; the measuring runs in a fresh process so its
RSS is that of a reader, not of the builder.

    python bench/store.py            # build if needed, then measure
    python bench/store.py --rebuild  # build anew
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import clock  # noqa: E402
from store.ids import uscc_check_char  # noqa: E402

RECORDS = 1_000_000
DAYS = 365
OUT = ROOT / "bench" / "out"
ENTERPRISE = "91310115MA1K4B2X0T"
OTHERS = ["91440300MA5F0QXX1A", "911101087226226868"]
PAGE = 20
REPEAT = 30


def _uscc(seed: int) -> str:
    first17 = f"913{seed:014d}"[:17]
    return first17 + uscc_check_char(first17)


def build(path: Path) -> None:
    from sqlalchemy import insert

    from store.engine import open_engine
    from store.models import ReturnRecord

    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = open_engine(f"sqlite:///{path}")
    rng = random.Random(7)
    now = clock.now().replace(microsecond=0)
    year = clock.today_local().year
    consignees = [(_uscc(i), f"31{i:08d}") for i in range(1, 500)]
    producers = [(_uscc(10_000 + i), f"32{i:08d}") for i in range(1, 2000)]
    started = time.perf_counter()
    batch_size = 20_000
    with engine.begin() as connection:
        for start in range(0, RECORDS, batch_size):
            rows = []
            for n in range(start, min(start + batch_size, RECORDS)):
                consignee = consignees[n % len(consignees)]
                producer = producers[(n * 7) % len(producers)]
                updated = now - timedelta(seconds=rng.randrange(DAYS * 86_400))
                status = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 8))
                rows.append(
                    {
                        "unified_no": f"{year}{n + 1:014d}",
                        "enterprise_uscc": ENTERPRISE if n % 10 else OTHERS[n % 20 // 10],
                        "status": status,
                        "version": 1,
                        "submission_round": 1 if status else 0,
                        "accepted_round": 1 if status > 2 else 0,
                        "created_by": "张三",
                        "created_at": updated,
                        "updated_at": updated,
                        "collected_at": updated if status else None,
                        "return_no": f"2201{year % 100:02d}{n:06d}" if status == 7 else None,
                        "import_decl_no": f"2201{year}1{n:09d}",
                        "consignee_uscc": consignee[0],
                        "consignee_code": consignee[1],
                        "consignee_name": f"上海收货贸易有限公司{n % 499}",
                        "producer_uscc": producer[0],
                        "producer_code": producer[1],
                        "producer_name": f"苏州原生产制造有限公司{n % 1999}",
                        "disposal_methods": ["1"],
                        "export_trade_modes": ["0110"],
                        "reason_categories": ["2"],
                        "specific_reasons": ["23"],
                    }
                )
            connection.execute(insert(ReturnRecord), rows)
    connection_time = time.perf_counter() - started
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"build_1m_s {connection_time:.1f} s", flush=True)


def _median_ms(fn, repeat: int = REPEAT) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm the caches as an operator's second query would find them
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(path: Path) -> None:
    from store.engine import open_engine
    from store.operator import Operator
    from store.params import table
    from store.queries import QueryFilter, RecordQuery

    engine = open_engine(f"sqlite:///{path}")
    operator = Operator("8930000012345", "张三", ENTERPRISE, "3122480063", "上海示例报关有限公司")
    start, end = clock.today_local() - timedelta(days=30), clock.today_local()
    month = QueryFilter(op_from=start.isoformat(), op_to=end.isoformat()).validated()
    query = RecordQuery(engine, operator, month)
    total = query.count()
    first = query.page(PAGE, total=total)
    print(f"# 30-day window holds {total} of the enterprise's records", flush=True)
    print(f"page_first_ms {_median_ms(lambda: query.page(PAGE, total=total)):.2f} ms")
    print(
        f"page_next_ms {_median_ms(lambda: query.page(PAGE, after=first.last, total=total)):.2f} ms"
    )
    print(f"page_last_ms {_median_ms(lambda: query.page(PAGE, last=True, total=total)):.2f} ms")
    approved = QueryFilter(status="7", op_from=start.isoformat(), op_to=end.isoformat()).validated()
    filtered = RecordQuery(engine, operator, approved)
    ftotal = filtered.count()
    print(f"page_filtered_ms {_median_ms(lambda: filtered.page(PAGE, total=ftotal)):.2f} ms")
    print(f"count_ms {_median_ms(query.count):.2f} ms")
    today = RecordQuery(engine, operator, QueryFilter().validated())
    print(f"count_today_ms {_median_ms(today.count):.2f} ms")
    divisions = table("divisions")
    keystrokes = [
        p
        for word in ("gdsz", "4403", "深圳", "bjcy", "110105", "浙江杭州")
        for p in (word[:i] for i in range(1, len(word) + 1))
    ]
    samples = []
    for _ in range(20):
        for prefix in keystrokes:
            started = time.perf_counter()
            divisions.search(prefix)
            samples.append((time.perf_counter() - started) * 1000)
    print(f"param_search_ms {statistics.median(samples):.3f} ms")
    print(f"rss_mb {peak_rss_mb():.1f} MB")


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux carries that over from the parent through
    fork and exec, so a child of the 1M-row builder would report the builder's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return 0
    path = OUT / "store-1m.db"
    if args.rebuild or not path.exists():
        build(path)
    return subprocess.call([sys.executable, __file__, "--measure", str(path)])


if __name__ == "__main__":
    raise SystemExit(main())
