"""The house's layout holds: the import contracts of pyproject.toml, and no module over 500 lines.

A newcomer reads one module at a time; a module past 500 lines does more than one job (issue 11).
Tests, migrations and generated data are exempt: they are read by their own rules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 500
PACKAGES = (
    "store",
    "customs",
    "sandbox",
    "declarant",
    "widgets",
    "screens",
    "tui",
    "bench",
    "scripts",
)


def _exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "migrations" in parts and "versions" in parts


def test_no_module_over_500_lines() -> None:
    long = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if _exempt(path):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, "modules over 500 lines:\n" + "\n".join(long)


def test_import_contracts_kept() -> None:
    """`lint-imports` (import-linter) with the floors declared in pyproject.toml."""
    tool = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(tool), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
