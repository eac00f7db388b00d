"""Query screen benchmark over 1,000,000 records: what the operator waits for, and what SSH carries.

The app runs in a real pseudo-terminal (80x24, TERM=xterm-256color) as its own process, with the
QueryPane mounted over bench/out/store-1m.db (built by bench/store.py if missing, then reused).
The parent sends the keys as a terminal would (F12 = 本月, F5 = 查询, PageDown) and reads the pty:
the screen is drawn when the output stops (nothing more for 100 ms; the cursor does not blink, as
the app's settings default to): the time is taken at the last byte read, the bytes are all the
bytes read since the key. Export runs headless (the `declarant.export` path the pane's thread worker runs).

Figures, one a line, `name value unit` (medians):
    query_first_page_ms   查询 (F5) to the first page drawn, 本月 window (the widest the rule allows)
    page_flip_ms          PageDown to the next page drawn (20 rows)
    page_flip_bytes       bytes the terminal received for that page flip
    page_flip_50_ms/bytes the same with 50-row pages
    page_flip_16_ms/bytes 20-row pages on a 16-colour terminal (TERM=xterm, the ansi-dark theme)
    export_100k_csv_s     100,000 rows from the store to CSV (UTF-8 BOM)
    export_100k_xlsx_s    the same to XLSX (openpyxl write_only)

    python bench/query_tui.py
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB = ROOT / "bench" / "out" / "store-1m.db"
QUIET_S = 0.1  # no output for this long: the screen is settled
KEYS = {"f5": b"\x1b[15~", "f12": b"\x1b[24~", "f4": b"\x1b[14~", "pagedown": b"\x1b[6~"}
REPEAT = 15


def bench_store():  # type: ignore[no-untyped-def]
    """bench/store.py as a module (its name clashes with the `store` package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_store", ROOT / "bench" / "store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the child: the pane in a bare app ------------------------------------------------------------
def child(db: Path) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    from screens.query import QueryPane
    from store.engine import open_engine
    from store.operator import Operator

    engine = open_engine(f"sqlite:///{db}", migrate=False)
    operator = Operator(
        "8930000012345", "张三", bench_store().ENTERPRISE, "3122480063", "上海示例报关有限公司"
    )

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield QueryPane(engine, operator, export_dir=Path(tempfile.mkdtemp()))

        def on_mount(self) -> None:
            # as the app does: the ansi theme on a 16-colour terminal (terminal.md)
            self.theme = "ansi-dark" if self.console.color_system == "standard" else "textual-dark"
            for field in self.query(Input):
                field.cursor_blink = False  # as the app's settings default to (cursor_blink=False)

    Bench().run(mouse=False)


# ---- the parent: a terminal that measures ----------------------------------------------------------
class Terminal:
    def __init__(self, argv: list[str], term: str = "xterm-256color") -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: a terminal of 80x24
            env = dict(os.environ, TERM=term, COLUMNS="80", LINES="24")
            env.pop("COLORTERM", None)  # as over OpenSSH: 256 colours
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

    def settle(self, timeout: float = 30.0) -> tuple[float, int]:
        """Read until the output stops; (time of the last byte, bytes read)."""
        total, last = 0, 0.0
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], QUIET_S)
            if not ready:
                if last:
                    return last, total
                continue
            total += len(os.read(self.fd, 65536))
            last = time.perf_counter()
        raise TimeoutError("the app drew nothing")

    def press(self, key: str) -> tuple[float, int]:
        """(ms from the key to the frame drawn, bytes received)."""
        started = time.perf_counter()
        os.write(self.fd, KEYS[key])
        drawn, count = self.settle()
        return (drawn - started) * 1000, count

    def close(self) -> None:
        os.write(self.fd, b"\x11")  # Ctrl+Q: Textual's quit
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def measure_terminal() -> None:
    term = Terminal([sys.executable, __file__, "--child", str(DB)])
    try:
        term.settle()  # first paint
        term.press("f12")  # 本月: fills the dates and runs the widest legal query once
        first = [term.press("f5")[0] for _ in range(REPEAT)]
        print(f"query_first_page_ms {statistics.median(first):.1f} ms", flush=True)
        flips = [term.press("pagedown") for _ in range(REPEAT * 2)]
        print(f"page_flip_ms {statistics.median(f[0] for f in flips):.1f} ms", flush=True)
        print(f"page_flip_bytes {statistics.median(f[1] for f in flips):.0f} B", flush=True)
        term.press("f4")  # 20 -> 50 rows a page
        flips = [term.press("pagedown") for _ in range(REPEAT * 2)]
        print(f"page_flip_50_ms {statistics.median(f[0] for f in flips):.1f} ms", flush=True)
        print(f"page_flip_50_bytes {statistics.median(f[1] for f in flips):.0f} B", flush=True)
    finally:
        term.close()
    term = Terminal([sys.executable, __file__, "--child", str(DB)], term="xterm")
    try:
        term.settle()
        term.press("f12")
        flips = [term.press("pagedown") for _ in range(REPEAT * 2)]
        print(f"page_flip_16_ms {statistics.median(f[0] for f in flips):.1f} ms", flush=True)
        print(f"page_flip_16_bytes {statistics.median(f[1] for f in flips):.0f} B", flush=True)
    finally:
        term.close()


def measure_export() -> None:
    from declarant.export import COLUMNS, EXPORT_BATCH, export_rows
    from store import clock
    from store.engine import open_engine
    from store.operator import Operator
    from store.queries import RecordQuery, ValidQuery

    engine = open_engine(f"sqlite:///{DB}", migrate=False)
    operator = Operator(
        "8930000012345", "张三", bench_store().ENTERPRISE, "3122480063", "上海示例报关有限公司"
    )
    today = clock.today_local()
    # 60 days: more than 100,000 rows (the UI's 30-day rule is the filter's, not the export's)
    query = RecordQuery(
        engine, operator, ValidQuery(op_from=today - timedelta(days=60), op_to=today)
    )
    columns = [c.key for c in COLUMNS]
    # one untimed read first: the 800 MB file's pages, touched at random by the time index, are
    # read from disk once (~15 s cold); the figures are of a store in the page cache, as an
    # operator's working set is
    started = time.perf_counter()
    sum(1 for _ in itertools.islice(query.all_rows(EXPORT_BATCH), 100_000))
    print(f"# read 100,000 rows first in {time.perf_counter() - started:.1f} s", flush=True)
    with tempfile.TemporaryDirectory() as out:
        for suffix in ("csv", "xlsx"):
            path = Path(out) / f"export.{suffix}"
            started = time.perf_counter()
            written = export_rows(
                itertools.islice(query.all_rows(EXPORT_BATCH), 100_000), columns, path
            )
            elapsed = time.perf_counter() - started
            assert written == 100_000, written
            print(f"export_100k_{suffix}_s {elapsed:.2f} s", flush=True)
            print(f"# {suffix}: {path.stat().st_size / 1e6:.1f} MB", flush=True)


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
        return 0
    if not DB.exists():
        bench_store().build(DB)
    measure_terminal()
    measure_export()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
