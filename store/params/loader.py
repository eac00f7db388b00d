"""Read one parameter table from its CSV file under ``store/params/data/``.

File layout (UTF-8): leading ``# key: value`` comment lines (title, standard, as of, source,
coverage, notes), then a header ``code,name,parent,initials`` and one row per code. An empty
``parent`` means none. The initials column is precomputed by ``scripts/build_params.py`` so loading
needs no pypinyin and stays in the low milliseconds even for the ~3,200 divisions.
"""

from __future__ import annotations

import csv
from importlib import resources

from store.params.model import Entry, Table

HEADER = ("code", "name", "parent", "initials")
REQUIRED_META = ("title", "standard", "as of")


def data_text(name: str) -> str:
    """The raw text of table ``name`` as shipped inside the package (works from a wheel too)."""
    path = resources.files("store.params.data").joinpath(f"{name}.csv")
    return path.read_text(encoding="utf-8")


def parse(name: str, text: str) -> Table:
    """Build a Table from the text of a parameter CSV; raises ValueError on a malformed file."""
    meta: dict[str, str] = {}
    lines = text.splitlines()
    body_start = 0
    for body_start, line in enumerate(lines):  # noqa: B007 - the index is used after the loop
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep:
            # Repeated keys (several "# note:" lines) are joined rather than overwritten.
            k = key.strip().lower()
            meta[k] = f"{meta[k]} {value.strip()}" if k in meta else value.strip()
    else:
        body_start = len(lines)
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise ValueError(f"{name}: missing header comment(s) {missing}")
    rows = csv.reader(lines[body_start:])
    header = next(rows, None)
    if header is None or tuple(header) != HEADER:
        raise ValueError(f"{name}: expected header {','.join(HEADER)}, got {header}")
    entries = []
    for row in rows:
        if not row:
            continue
        if len(row) != len(HEADER):
            raise ValueError(f"{name}: bad row {row}")
        code, label, parent, initials = row
        entries.append(Entry(code, label, parent or None, initials))
    return Table.build(
        name,
        entries,
        title=meta["title"],
        standard=meta["standard"],
        as_of=meta["as of"],
        source=meta.get("source", ""),
        coverage=meta.get("coverage", ""),
    )


def load(name: str) -> Table:
    """Load the shipped table ``name``."""
    return parse(name, data_text(name))
