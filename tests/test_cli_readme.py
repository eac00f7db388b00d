"""The README's day by script, run exactly as written: the fenced block after `<!-- walkthrough -->`
in bash (-e: any non-zero exit fails the run) with the installed `tuihuo`, on the sandbox, after
drafts were saved through the store. The drafts reach customs and today's export holds them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from store.engine import open_engine
from store.records import RecordStore
from store.status import Status
from tests.cli_harness import ROOT, cli_env, seed_drafts
from tests.seed import sandbox_operator


def walkthrough() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split("<!-- walkthrough -->", 1)[1]
    block = after.split("```sh\n", 1)[1].split("```", 1)[0]
    assert "tuihuo submit --all-drafts" in block
    return block


def test_the_readme_walkthrough_submits_the_drafts_and_exports_today(tmp_path: Path) -> None:
    data = tmp_path / "data" / "tuihuo"
    data.mkdir(parents=True, mode=0o700)
    db = f"sqlite:///{data / 'tuihuo.db'}"
    keys = seed_drafts(db, 2)
    work = tmp_path / "work"
    work.mkdir()
    env = {**cli_env(tmp_path), "HOME": str(work)}

    done = subprocess.run(
        ["bash", "-e", "-c", walkthrough()],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "已登录：" in done.stdout
    assert done.stdout.count("提交成功") == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert (work / "pin").stat().st_mode & 0o077 == 0
    engine = open_engine(db)
    store = RecordStore(engine, sandbox_operator())
    records = [store.load(k) for k in keys]
    engine.dispose()
    assert all(r.unified_no and r.status != Status.DRAFT for r in records)
    sheet = load_workbook(work / "今日出口退货.xlsx").active
    assert sheet is not None
    exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(exported) == sorted(r.unified_no for r in records)
