"""The public reference lists in ``shared/ref``: one CSV each, read as rows of named columns."""

from __future__ import annotations

import csv
from pathlib import Path

Row = tuple[str, str, str | None]  # (code, name, parent code or None)


def read_ref(ref: Path, name: str) -> list[dict[str, str]]:
    with (ref / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
