"""The spreadsheet import against a real sandbox gateway server (`python -m sandbox serve`, loopback):

    import_1000_rows_s <median> s   a client's workbook of 1,000 records (each with a goods weight
                                    row) imported by `declarant.sheets.import_sheet` through a
                                    logged-in worker (sandbox card in process) into a fresh SQLite
                                    store: read, 1,000 backfills, the form's rules, 1,000 saves, the
                                    result workbook; median of 3 runs (≤ 30)

Each run starts from an empty database, so every row is a new 暂存 record.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from bench.sandbox_server import DidNotStart, sandbox_server  # noqa: E402
from customs.client import GatewayClient  # noqa: E402
from declarant.sheets import Outcome, import_sheet  # noqa: E402
from declarant.sheets.columns import GOODS_COLUMNS, RECORD_COLUMNS  # noqa: E402
from declarant.worker import SandboxSlot, Worker  # noqa: E402
from sandbox.card import SANDBOX_PIN  # noqa: E402
from sandbox.gateway.data import DEFAULT_SEED, generate_declarations  # noqa: E402
from store.engine import open_engine  # noqa: E402
from store.ids import uscc_check_char  # noqa: E402

ROWS, RUNS = 1000, 3
PRODUCER = "91440300MA5F0K8J1" + uscc_check_char("91440300MA5F0K8J1")
VALUES = {
    "contact_person": "赵六",
    "contact_phone": "13812345678",
    "return_date": "2025-11-03",
    "disposal_methods": "1/5",
    "disposal_other_text": "部分返修",
    "export_decl_nos": "530120250000012345",
    "producer_uscc": PRODUCER,
    "producer_code": "4403960123",
    "producer_name": "深圳示例电子有限公司",
    "producer_contact": "钱七",
    "producer_phone": "0755-88888888",
    "producer_division": "440304 福田区",
    "producer_customs": "5301 皇岗海关",
    "export_inspected": "N 否",
    "export_trade_modes": "0110",
    "reason_categories": "1",
    "specific_reasons": "11/12",
    "reason_detail": "质量问题",
}


def workbook(path: Path, numbers: list[str]) -> Path:
    book = Workbook()
    records = book.active
    assert records is not None
    records.append([c.marked for c in RECORD_COLUMNS])
    for number in numbers:
        records.append(
            [number if c.key == "import_decl_no" else VALUES.get(c.key) for c in RECORD_COLUMNS]
        )
    goods = book.create_sheet("商品重量")
    goods.append([c.marked for c in GOODS_COLUMNS])
    for number in numbers:
        goods.append([number, 1, "12.5", "Y"])
    book.save(path)
    return path


async def one_run(url: str, source: Path, db: Path) -> float:
    engine = open_engine(f"sqlite:///{db}")
    worker = Worker(engine, GatewayClient(url, timeout=30), SandboxSlot(), gateway_name=url)
    await worker.login(SANDBOX_PIN)
    assert worker.store is not None
    start, cpu = time.perf_counter(), time.process_time()
    result = await import_sheet(source, store=worker.store, fetch=worker.fetch_declaration)
    seconds = time.perf_counter() - start
    # the wall time is the figure; the CPU time and the load say what a shared machine made of it
    print(f"# cpu {time.process_time() - cpu:.1f} s, load average {os.getloadavg()[0]:.1f}")
    await worker.logout()
    await worker.client.aclose()
    engine.dispose()
    created = result.count(Outcome.CREATED)
    if created != ROWS:
        raise RuntimeError(f"{created} of {ROWS} rows imported: {result.problems[:3]}")
    return seconds


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with sandbox_server(folder, "--declarations", str(ROWS)) as url:
            numbers = list(generate_declarations(DEFAULT_SEED, ROWS))
            source = workbook(folder / "客户.xlsx", numbers)
            times = []
            for run in range(RUNS):
                seconds = asyncio.run(one_run(url, source, folder / f"store{run}.db"))
                print(f"# run {run + 1}: {seconds:.1f} s", flush=True)
                times.append(seconds)
            print(f"import_1000_rows_s {statistics.median(times):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except DidNotStart as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
