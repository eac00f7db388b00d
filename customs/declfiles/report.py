"""What the backfill would fill in from a file, field by field, with the manual's labels.

`describe(path)` -> lines of text; `describe_json(path)` -> a JSON-ready dict. Both go through
`customs.mapping.backfill` on an empty record, so they show exactly what the form would take
(a value with a control character is left out there too, and said). `DeclarationFileError` when
the file cannot backfill. The command `tuihuo declaration read FILE [--json]` prints these.
"""

from __future__ import annotations

import json
from pathlib import Path

from customs.declfiles.reader import FileDeclaration, label, read_declaration
from customs.declfiles.table import GOODS, HEADER
from customs.mapping import backfill
from store.record import RecordData
from store.text import inert


def report(path: Path) -> dict[str, object]:
    """{file, kind, header: [{label, key, value}], goods: [[{label, key, value}]], notes}."""
    found = read_declaration(Path(path))
    filled, refused = backfill(RecordData(), found.declaration)
    header = [_item(s.record_key, label(s), getattr(filled, s.record_key)) for s in HEADER]
    goods = [
        [_item(s.record_key, label(s), getattr(row, s.record_key)) for s in GOODS]
        for row in filled.goods
    ]
    return {
        "file": str(found.path),
        "kind": found.kind,
        "header": header,
        "goods": goods,
        "notes": [*found.notes, *(v.message for v in refused)],
    }


def _item(key: str, title: str, value: object) -> dict[str, object]:
    return {"label": title, "key": key, "value": "" if value is None else str(value)}


def describe(path: Path) -> list[str]:
    """The report as lines: `label：value` a line, goods under 商品信息 第n项, notes last."""
    data = report(path)
    lines = [f"文件：{inert(str(data['file']))}（{data['kind']}）"]
    lines += [_line(item) for item in data["header"]]  # type: ignore[union-attr]
    for index, row in enumerate(data["goods"], start=1):  # type: ignore[arg-type]
        lines.append(f"商品信息 第{index}项")
        lines += ["  " + _line(item) for item in row]
    for note in data["notes"]:  # type: ignore[union-attr]
        lines.append(f"注意：{inert(str(note))}")
    return lines


def _line(item: dict[str, object]) -> str:
    value = str(item["value"])
    return f"{item['label']}：{inert(value) if value else '（空）'}"


def describe_json(path: Path) -> dict[str, object]:
    """The report for `--json` (values as the form takes them)."""
    return report(path)


def render(path: Path, *, as_json: bool = False) -> str:
    """What `tuihuo declaration read FILE [--json]` prints: the lines, or the JSON (UTF-8 text,
    indented, Chinese as is). `DeclarationFileError` when the file cannot backfill."""
    if as_json:
        return json.dumps(describe_json(path), ensure_ascii=False, indent=2)
    return "\n".join(describe(path))


__all__ = ["FileDeclaration", "describe", "describe_json", "render", "report"]
