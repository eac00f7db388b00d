"""Gateway figures against a real sandbox server (`python -m sandbox serve`, loopback):

    backfill_ms <median> ms    100 fetches of import declarations one after another (≤ 50)
    card_sign_ms <median> ms   one 1 KiB signature by the sandbox card through pcscd + vpcd
    follow_1000_s <s> s        1,000 records submitted by the worker (in-process card) and followed
                               to a final status through their receipts, sandbox timing 0 (≤ 60)
    submit_50x4mb_peak_rss_mb <MB> MB   a record with 50 documents of 4 MB added and submitted by
                               the worker in a fresh process: that process's peak RSS (VmHWM of
                               /proc/self/status), median of 3 processes (≤ 400)
    submit_50x4mb_ui_stall_ms <ms> ms   in the same runs, the largest lateness of a 10 ms asyncio
                               heartbeat on the loop that runs the submit, median (≤ 100)
    submit_50x4mb_db_mb <MB> MB         the SQLite file plus its WAL after the submit, median

`--only-50x4mb` prints the submit_50x4mb figures alone. card_sign_ms needs pcscd, vpcd and pyscard
(root starts pcscd); without them it says why and prints no figure.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sandbox_server import DidNotStart, sandbox_server  # noqa: E402
from customs import crypto  # noqa: E402
from customs.certificate import Certificate  # noqa: E402
from customs.client import GatewayClient  # noqa: E402
from sandbox.gateway.data import sample_numbers  # noqa: E402

FETCHES = 100
FOLLOWED = 1000
BIG_DOCS, BIG_DOC_BYTES, BIG_RUNS = 50, 4 * 1024 * 1024, 3


def bench_card() -> tuple[str, Certificate]:
    ca_private, _ = crypto.generate_keypair(b"tuihuo-sandbox-ca")
    private, public = crypto.generate_keypair(b"bench-card")
    certificate = Certificate(
        serial="00000001",
        card_no="0000000000001",
        operator_name="基准",
        enterprise_uscc="91310115MA1K3YJX0L",
        customs_code="3101210001",
        enterprise_name="上海基准报关有限公司",
        public_key=public,
        issuer="tuihuo sandbox CA",
        not_after="2099-12-31",
    ).issue(ca_private)
    return private, certificate


async def measure(url: str) -> list[float]:
    private, certificate = bench_card()
    numbers = sample_numbers(FETCHES)
    async with GatewayClient(url, timeout=10, retries=0) as client:
        challenge = await client.challenge()
        signature = crypto.sign(private, bytes.fromhex(challenge.challenge)).hex()
        await client.login(challenge.challenge, certificate, signature)
        await client.fetch_declaration(numbers[0])  # open the connection
        times = []
        for number in numbers:
            start = time.perf_counter()
            declaration = await client.fetch_declaration(number)
            times.append((time.perf_counter() - start) * 1000)
            assert declaration.number == number
    return times


def main(only_big: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp, sandbox_server(Path(tmp)) as url:
        if not only_big:
            times = asyncio.run(measure(url))
            print(f"backfill_ms {statistics.median(times):.2f} ms", flush=True)
            print_card_sign()
            seconds, statuses = asyncio.run(follow(url, Path(tmp) / "store.db", FOLLOWED))
            print(f"# {FOLLOWED} records ended as {statuses}")
            print(f"follow_1000_s {seconds:.1f} s", flush=True)
        print_submit_50x4mb(url, Path(tmp))
    return 0


def print_card_sign() -> None:
    try:
        from sandbox.card.bench import sign_latency_through_pcscd

        result = sign_latency_through_pcscd(samples=30, size=1024)
    except Exception as error:  # no pcscd, no vpcd, no pyscard: say so, print no figure
        print(f"# card_sign_ms not measured: {type(error).__name__}: {error}")
        return
    print(f"card_sign_ms {result.median * 1000:.1f} ms")


async def follow(url: str, db: Path, count: int) -> tuple[float, dict[str, int]]:
    """Submit `count` records through the worker and refresh until every one is final."""
    from declarant.worker import SandboxSlot, SubmitOutcome, Worker
    from store.engine import open_engine
    from store.status import Status
    from tests.factories import record_from_declaration

    engine = open_engine(f"sqlite:///{db}")
    worker = Worker(engine, GatewayClient(url, timeout=30), SandboxSlot(), gateway_name=url)
    await worker.login("88888888")
    store = worker.store
    assert store is not None
    declaration = await worker.fetch_declaration(sample_numbers(1)[0])
    saved = [store.save(record_from_declaration(store, declaration)) for _ in range(count)]
    await worker.number_all()  # as the first 暂存 online does: the gateway's 统一编号
    saved = [store.load(r.key) for r in saved]
    limit = asyncio.Semaphore(4)  # the card signs while the gateway checks the previous ones

    async def submit(record) -> None:  # type: ignore[no-untyped-def]
        async with limit:
            result = await worker.submit(record.unified_no, version=record.version)
            assert result.outcome == SubmitOutcome.ACCEPTED, result

    start = time.perf_counter()
    await asyncio.gather(*(submit(r) for r in saved))
    numbers = {r.unified_no for r in saved}
    while True:
        await worker.refresh_receipts()
        statuses = [Status(store.load(n).status) for n in numbers]
        if all(s.final for s in statuses):
            break
    seconds = time.perf_counter() - start
    await worker.client.aclose()
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status.label] = counts.get(status.label, 0) + 1
    return seconds, counts


def print_submit_50x4mb(url: str, tmp: Path) -> None:
    """Each run in its own process, so its peak RSS is the submit's and nothing else's."""
    runs = []
    for run in range(BIG_RUNS):
        child = subprocess.run(
            [sys.executable, __file__, "--submit-50x4mb", url, str(tmp / f"big{run}"), str(run)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if child.returncode:
            raise RuntimeError(f"submit_50x4mb run {run + 1} failed:\n{child.stderr}")
        out = child.stdout
        runs.append(dict(line.split(" ", 1) for line in out.splitlines()))
        print(f"# run {run + 1}: {out.strip().replace(chr(10), ', ')}", flush=True)
    for name, unit in (("peak_rss_mb", "MB"), ("ui_stall_ms", "ms"), ("db_mb", "MB")):
        value = statistics.median(float(r[name]) for r in runs)
        print(f"submit_50x4mb_{name} {value:.1f} {unit}", flush=True)


def big_documents(folder: Path) -> list[Path]:
    """50 distinct PDFs of exactly 4 MB (random bytes after the header: nothing compresses)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(BIG_DOCS):
        path = folder / f"单据{index:02d}.pdf"
        head = b"%PDF-1.4\n"
        path.write_bytes(head + os.urandom(BIG_DOC_BYTES - len(head)))
        paths.append(path)
    return paths


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


async def submit_50x4mb(url: str, folder: Path, run: int) -> None:
    """The child: save a record, attach 50 × 4 MB, submit it while a heartbeat measures the loop.

    Each run has its own database; the gateway issues each record's 统一编号, so runs never clash."""
    from declarant.worker import SandboxSlot, SubmitOutcome, Worker
    from store.attachments import AttachmentStore
    from store.engine import open_engine
    from tests.factories import record_from_declaration

    db = folder / "store.db"
    paths = big_documents(folder / "docs")
    engine = open_engine(f"sqlite:///{db}")
    worker = Worker(engine, GatewayClient(url, timeout=60), SandboxSlot(), gateway_name=url)
    await worker.login("88888888")
    assert worker.store is not None and worker.operator is not None
    declaration = await worker.fetch_declaration(sample_numbers(1)[0])
    draft = worker.store.save(record_from_declaration(worker.store, declaration))
    await worker.number(draft.key)  # the first 暂存 online: the gateway's 统一编号
    saved = worker.store.load(draft.key)
    assert saved.unified_no is not None and saved.version is not None
    documents = AttachmentStore(engine, worker.operator, max_bytes=BIG_DOC_BYTES)
    for path in paths:
        documents.add(saved.unified_no, path, "02")
    stall = 0.0
    done = False

    async def heartbeat() -> None:
        nonlocal stall
        loop = asyncio.get_running_loop()
        while not done:
            start = loop.time()
            await asyncio.sleep(0.01)
            stall = max(stall, loop.time() - start - 0.01)

    beating = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.05)
    result = await worker.submit(saved.unified_no, version=saved.version)
    done = True
    await beating
    assert result.outcome == SubmitOutcome.ACCEPTED, result
    await worker.client.aclose()
    size = sum(p.stat().st_size for p in folder.glob("store.db*"))  # with the WAL: still open
    engine.dispose()
    print(f"peak_rss_mb {vm_hwm_mb():.1f}")
    print(f"ui_stall_ms {stall * 1000:.1f}")
    print(f"db_mb {size / 1024 / 1024:.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--submit-50x4mb"]:
        asyncio.run(submit_50x4mb(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])))
        raise SystemExit(0)
    try:
        raise SystemExit(main(only_big=sys.argv[1:2] == ["--only-50x4mb"]))
    except DidNotStart as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
