"""The screen's freeze under a database fault: another process holds the SQLite write lock.

The app runs headless (Textual's run_test, 80x24) against the sandbox gateway in a thread and a
SQLite store in a throw-away directory, with the shipped busy timeouts. Each round a second
connection takes `BEGIN IMMEDIATE`, the keys arrive as raw terminal bytes, and a heartbeat task on
the app's event loop (waking every 10 ms) keeps the loop's longest stall; then the lock goes and
the round waits for the owed draft to land.

Figures, one a line, `name value unit` (medians over ROUNDS):
    db_locked_field_exit_stall_ms   a character typed and Enter (field exit and the draft writer),
                                    the first write to meet the lock: longest event-loop stall
    db_locked_save_stall_ms         暂存 (F2) pressed while the fault stands: longest stall

    python bench/db_faults.py  [ROUNDS=5]
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("ROUNDS", "5"))
F2 = "\x1bOQ"


class Heartbeat:
    """The longest gap between wake-ups of a task sleeping 10 ms on the running loop."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            now = loop.time()
            self.longest, last = max(self.longest, now - last), now

    def stop(self) -> float:
        self._task.cancel()
        return self.longest * 1000


async def measure(base: Path, gateway_url: str) -> tuple[list[float], list[float]]:
    from store.pending import health
    from tests.app_harness import entry, feed, hint, login, make_app, wait_for

    app = make_app(base, gateway_url)
    db = base / "tuihuo.db"
    exits: list[float] = []
    saves: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot)
        assert app.runtime is not None
        watched = health(app.runtime.engine)
        watched.first_delay = 0.05  # the round's end comes sooner; the figures are taken before

        def status() -> str:
            return str(app.screen.query_one("#status-line").render())

        for n in range(ROUNDS):
            pane = entry(app)
            pane.screen.set_focus(pane.fields["consignee_address"])
            await pilot.pause(0.3)
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                heart = Heartbeat()
                await feed(app, pilot, f"{n}\r")
                await wait_for(pilot, lambda: "【数据库忙】" in status(), timeout=30)
                await pilot.pause(0.7)  # the debounced draft writer's turn (0.5 s) too
                exits.append(heart.stop())
                heart = Heartbeat()
                await feed(app, pilot, F2)
                await wait_for(pilot, lambda: "暂存失败" in hint(app), timeout=30)
                saves.append(heart.stop())
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await wait_for(
                pilot, lambda: "【数据库忙】" not in status() and not watched.pending, 30
            )
    return exits, saves


def main() -> int:
    from declarant.runtime import free_port
    from tests.fixtures_gateway import RunningGateway

    with tempfile.TemporaryDirectory(prefix="tuihuo-bench-dbfaults-") as name:
        base = Path(name)
        gateway = RunningGateway(
            "thread", free_port(), base / "gateway.sqlite3", {"step_seconds": 0}
        )
        gateway.start()
        try:
            exits, saves = asyncio.run(measure(base, gateway.url))
        finally:
            gateway.stop()
    print(f"db_locked_field_exit_stall_ms {statistics.median(exits):.0f} ms")
    print(f"db_locked_save_stall_ms {statistics.median(saves):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
