"""关区代码: the 42 直属海关 and the 隶属海关 that could be substantiated, each under its 直属海关.

From shared/ref's customs-direct.csv and customs-districts-partial.csv, with the corrections and
additional rows below (each with its reason or source). A row is added only when a public source
states its code and name together; none is inferred from a numbering pattern.
"""

from __future__ import annotations

from pathlib import Path

from param_sources.refs import Row, read_ref

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
# 深圳海关's 隶属海关 as listed, code by code with the office's district, in a public GitHub Java
# file (package pers.lls.demo, HelloWorld.java: a broker's mapping of 深圳海关 offices to their
# districts), found with a code search of public repositories and read on 2026-11-30. Its names are
# the offices' full current names. It agrees with the rows above from other sources for 5301, 5303,
# 5304, 5306, 5314, 5316, 5317, 5318, 5320, 5345 and 5348 (there with their older short names,
# kept); it names 5321 福田海关, the office that was 福田保税区海关 (kept as 福保税关, 2 sources).
# Only the codes no other source gives are taken from it.
DISTRICT_SHENZHEN: dict[str, str] = {
    "5302": "罗湖海关",
    "5305": "福强海关",
    "5307": "南头海关",
    "5308": "龙岗海关",
    "5309": "布吉海关",
    "5315": "惠东海关",
    "5319": "同乐海关",
    "5331": "三门岛海关",
    "5338": "惠州港海关",
    "5339": "坪山海关",
    "5340": "沙湾海关",
    "5341": "惠州海关",
    "5352": "梅沙海关",
    "5353": "西九龙站海关",
    "5355": "福中海关",
    "5356": "前海海关",
    "5357": "观澜海关",
    "5358": "西沥海关",
}


def customs_districts(ref: Path) -> list[Row]:
    direct = {r["code"]: r["name"] for r in read_ref(ref, "customs-direct.csv")}
    rows: dict[str, Row] = {code: (code, nm, None) for code, nm in direct.items()}
    partial = read_ref(ref, "customs-districts-partial.csv")
    subordinate = {r["code"]: r["short_name"] for r in partial if not r["code"].endswith("00")}
    subordinate.update(DISTRICT_FIXES)
    subordinate.update(DISTRICT_EXTRAS)
    taken = set(subordinate) & set(DISTRICT_SHENZHEN)
    if taken:  # a code another source already gives keeps that source's row
        raise SystemExit(f"customs districts given twice: {sorted(taken)}")
    subordinate.update(DISTRICT_SHENZHEN)
    for code, nm in subordinate.items():
        parent = code[:2] + "00"
        if parent not in direct:
            raise SystemExit(f"customs district {code} has no 直属海关 {parent}")
        rows[code] = (code, nm, parent)
    return list(rows.values())
