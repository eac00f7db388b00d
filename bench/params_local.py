"""A site's parameter rows: import and load times (``name value unit``).

PYTHONPATH=. .venv/bin/python bench/params_local.py

site_import_1000_ms       importing a CSV of 1,000 关区代码 rows into SQLite (read, check, write)
site_open_install_ms      what those rows add to opening the engine (read them, lay them over)
site_first_lookup_ms      the first table() after that (the merged table built once)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/, whose store.py would shadow the package

from store import params  # noqa: E402
from store.engine import open_engine  # noqa: E402
from store.params.local import import_file, install  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # 1,000 distinct codes: 9000..9999, blocks 90xx..99xx of 100 offices each
        lines = ["code,name"] + [f"{90 + i // 100}{i % 100:02d},办事处{i}" for i in range(1000)]
        csv_path = folder / "offices.csv"
        csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        engine = open_engine(f"sqlite:///{folder / 'bench.db'}")
        start = time.perf_counter()
        import_file(engine, "customs_districts", csv_path)
        print(f"site_import_1000_ms {(time.perf_counter() - start) * 1000:.1f} ms")
        installs, lookups = [], []
        for _ in range(7):
            params.set_local({})
            start = time.perf_counter()
            install(engine)
            installs.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            params.table("customs_districts")
            lookups.append((time.perf_counter() - start) * 1000)
        print(f"site_open_install_ms {statistics.median(installs):.2f} ms")
        print(f"site_first_lookup_ms {statistics.median(lookups):.2f} ms")
        engine.dispose()
        params.set_local({})


if __name__ == "__main__":
    main()
