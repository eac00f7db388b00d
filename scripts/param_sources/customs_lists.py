"""The customs code lists taken from shared/ref as they are: 国别(地区), 计量单位, 监管方式, 监管证件.

国别 is cross-checked against ISO 3166 (pycountry, said on stdout); 计量单位 and 监管方式 get the
rows newer than the reference lists, each with its source.
"""

from __future__ import annotations

from pathlib import Path

from param_sources.refs import Row, read_ref


def countries(ref: Path) -> list[Row]:
    import pycountry  # a build-time package: needed only when this table is built

    rows = [(r["code"], r["name_zh"], None) for r in read_ref(ref, "countries.csv")]
    iso = {c.alpha_3 for c in pycountry.countries}
    ours = {r[0] for r in rows}
    missing = sorted(iso - ours)
    if missing:
        print(f"countries: ISO 3166 codes absent from the customs list: {missing}")
    print(f"countries: customs extras (not ISO 3166): {sorted(ours - iso)}")
    return rows


NEW_UNITS: dict[str, str] = {"165": "面", "166": "颗", "167": "道"}
# 9710 and 9810 were created by 海关总署公告2020年第75号 (cross-border e-commerce B2B export).
NEW_TRADE_MODES: dict[str, str] = {
    "9710": "跨境电商B2B直接出口",
    "9810": "跨境电商出口海外仓",
}


def units(ref: Path) -> list[Row]:
    got = {r["code"]: r["name_zh"] for r in read_ref(ref, "units.csv")}
    got.update(NEW_UNITS)
    return [(c, n, None) for c, n in got.items()]


def trade_modes(ref: Path) -> list[Row]:
    got = {r["code"]: r["name_zh"] for r in read_ref(ref, "trade-modes.csv")}
    got.update(NEW_TRADE_MODES)
    for needed in ("4561", "4500"):  # the return modes this module is about
        if needed not in got:
            raise SystemExit(f"trade_modes: {needed} missing")
    return [(c, n, None) for c, n in got.items()]


def regulatory_categories(ref: Path) -> list[Row]:
    return [(r["code"], r["name_zh"], None) for r in read_ref(ref, "licence-docs.csv")]
