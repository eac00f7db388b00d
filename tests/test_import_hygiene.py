"""The headless packages (store/, customs/, sandbox/, declarant/) never import Textual, even indirectly."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = ("store", "customs", "sandbox", "declarant")


def _python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", HEADLESS)
def test_no_textual_import_statement(package: str) -> None:
    offenders = []
    for path in _python_files(package):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in ("textual", "tui", "screens", "widgets"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_importing_every_headless_module_loads_no_textual() -> None:
    modules = []
    for package in HEADLESS:
        pkg_path = ROOT / package
        modules.append(package)
        for info in pkgutil.walk_packages([str(pkg_path)], prefix=f"{package}."):
            if ".migrations.versions" in info.name or info.name.endswith(".migrations.env"):
                continue  # alembic scripts run only inside alembic's context
            modules.append(info.name)
    code = (
        "import importlib, sys\n"
        f"mods = {modules!r}\n"
        "failed = []\n"
        "for m in mods:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except ImportError as exc:\n"
        "        if 'smartcard' not in str(exc):\n"
        "            raise\n"
        "bad = sorted(k for k in sys.modules if k == 'textual' or k.startswith('textual.'))\n"
        "print('TEXTUAL' if bad else 'CLEAN', len(mods))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("CLEAN"), result.stdout + result.stderr
