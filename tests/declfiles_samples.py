"""Declaration files made for the tests from the public shapes (docs/notes.md, "The declarations
the office already has"): invented enterprises and numbers, nothing copied from a real declaration.

`xml_message(...)` a DecMessage (version 4.8 by default, 3.1 with old numeric codes), `web_json(...)`
the web Single Window's declaration JSON, `printed_xlsx(...)` a sheet laid out like the printed
import declaration. Each builds the same declaration, `NUMBER`, so one expectation serves all.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from store.ids import uscc_check_char

NS = "http://www.chinaport.gov.cn/dec"
NUMBER = "223320251000456789"  # 2233 浦东机场, 2025, 1 import, sequence 456789


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


BROKER = (_uscc("91310115MA1K4B7C2"), "3122980123", "上海虚构报关有限公司")
CONSIGNEE = (_uscc("91310000MA1FL3XQ0"), "3101234567", "上海试样电子贸易有限公司")
CONSUMER = (_uscc("91320500MA1N2W8P7"), "3205961234", "苏州样例精密制造有限公司")
PERSON = "林晓舟"
BILL = "MSKU7788001"

# what every sample backfills, by record key (the form's fields)
EXPECTED_HEADER = {
    "import_decl_no": NUMBER,
    "declarant_uscc": BROKER[0],
    "declarant_code": BROKER[1],
    "declarant_name": BROKER[2],
    "declarant_person": PERSON,
    "consignee_uscc": CONSIGNEE[0],
    "consignee_code": CONSIGNEE[1],
    "consignee_name": CONSIGNEE[2],
    "consumer_uscc": CONSUMER[0],
    "consumer_code": CONSUMER[1],
    "consumer_name": CONSUMER[2],
    "declared_on": "2025-11-03",
    "arrived_on": "2025-10-30",
    "return_country": "USA",
    "accepting_customs": "2233",
    "trade_mode": "0110",
    "bill_of_lading": BILL,
    "destination_customs": "2201",
}
EXPECTED_GOODS = [
    {
        "seq": 1,
        "hs_code": "8471300000",
        "goods_name": "笔记本电脑",
        "amount": "12500.00",
        "currency": "USD",
        "quantity": "50",
        "unit": "001",
    },
    {
        "seq": 2,
        "hs_code": "8504401400",
        "goods_name": "电源适配器",
        "amount": "860.50",
        "currency": "USD",
        "quantity": "100",
        "unit": "007",
    },
]


def xml_message(
    *,
    version: str = "4.8",
    namespace: str | None = NS,
    ie_flag: str = "I",
    number: str = NUMBER,
    currency: str | None = None,
    country: str | None = None,
    encoding: str = "UTF-8",
    items: int | None = None,
) -> bytes:
    """A DecMessage. Version 3.1 writes old numeric codes (502 美元, 502 美国), TradeCodeScc, and
    the 报关员 only in DecSign/OperName, as older messages did. `encoding`: declared and written
    (the client writes GBK); `items`: that many goods items (the samples' repeated), else two."""
    old = version.startswith("3")
    currency = currency or ("502" if old else "USD")
    country = country or ("502" if old else "USA")
    scc_name = "TradeCodeScc" if old else "TradeCoScc"
    person = "" if old else f"<DeclareName>{PERSON}</DeclareName>"
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    goods = "".join(
        f"<DecList><GNo>{g['seq']}</GNo><CodeTS>{g['hs_code']}</CodeTS><GName>{g['goods_name']}"
        f"</GName><GModel>型号X{g['seq']}</GModel><GQty>{g['quantity']}</GQty>"
        f"<GUnit>{g['unit']}</GUnit><DeclPrice>1</DeclPrice><DeclTotal>{g['amount']}</DeclTotal>"
        f"<TradeCurr>{currency}</TradeCurr><OriginCountry>{country}</OriginCountry></DecList>"
        for g in _items(items)
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<DecMessage version="{version}"{xmlns}>'
        f"<DecHead><SeqNo>202500000000123456</SeqNo><IEFlag>{ie_flag}</IEFlag>"
        f"<EntryId>{number}</EntryId><PreEntryId>223320251000456789</PreEntryId>"
        f"<CustomMaster>2233</CustomMaster><IEPort>2201</IEPort><IEDate>20251030</IEDate>"
        f"<DDate>20251103</DDate>"
        f"<AgentCodeScc>{BROKER[0]}</AgentCodeScc><AgentCode>{BROKER[1]}</AgentCode>"
        f"<AgentName>{BROKER[2]}</AgentName>{person}"
        f"<{scc_name}>{CONSIGNEE[0]}</{scc_name}><TradeCode>{CONSIGNEE[1]}</TradeCode>"
        f"<TradeName>{CONSIGNEE[2]}</TradeName>"
        f"<OwnerCodeScc>{CONSUMER[0]}</OwnerCodeScc><OwnerCode>{CONSUMER[1]}</OwnerCode>"
        f"<OwnerName>{CONSUMER[2]}</OwnerName>"
        f"<TradeMode>0110</TradeMode><TradeCountry>{country}</TradeCountry>"
        f"<BillNo>{BILL}</BillNo><TrafMode>5</TrafMode></DecHead>"
        f"<DecLists>{goods}</DecLists><DecContainers/><DecLicenseDocus/>"
        f"<DecFreeTxt><VoyNo>MU5501</VoyNo></DecFreeTxt>"
        f"<DecSign><OperType>G</OperType><OperName>{PERSON}</OperName></DecSign></DecMessage>"
    ).encode(encoding)


def _items(count: int | None) -> list[dict[str, object]]:
    if count is None:
        return EXPECTED_GOODS
    return [{**EXPECTED_GOODS[i % len(EXPECTED_GOODS)], "seq": i + 1} for i in range(count)]


def web_json(*, ie_flag: str = "I", goods_as_string: bool = False) -> bytes:
    """The web Single Window's declaration JSON, wrapped in an answer's `data`."""
    rows = [
        {
            "gNo": g["seq"],
            "codeTs": g["hs_code"],
            "gName": g["goods_name"],
            "gModel": "型号",
            "gQty": g["quantity"],
            "gUnit": g["unit"],
            "declTotal": g["amount"],
            "tradeCurr": g["currency"],
            "cusOriginCountry": "USA",
        }
        for g in EXPECTED_GOODS
    ]
    head = {
        "cusCiqNo": "I20250000123456789",
        "entryId": NUMBER,
        "cusIEFlag": ie_flag,
        "customMaster": "2233",
        "iEPort": "2201",
        "iEDate": "2025-10-30",
        "dDate": "2025-11-03",
        "agentScc": BROKER[0],
        "agentCode": BROKER[1],
        "agentName": BROKER[2],
        "rcvgdTradeScc": CONSIGNEE[0],
        "rcvgdTradeCode": CONSIGNEE[1],
        "consigneeCname": CONSIGNEE[2],
        "ownerScc": CONSUMER[0],
        "ownerCode": CONSUMER[1],
        "ownerName": CONSUMER[2],
        "supvModeCdde": "0110",
        "cusTradeCountry": "USA",
        "billNo": BILL,
        "decMergeListVo": json.dumps(rows, ensure_ascii=False) if goods_as_string else rows,
    }
    return json.dumps({"code": 0, "data": head}, ensure_ascii=False).encode()


def printed_xlsx(*, title: str = "中华人民共和国海关进口货物报关单", labels: bool = True) -> bytes:
    """A sheet laid out like the printed import declaration: the title, 预录入编号 and 海关编号 on
    one line, boxes with the label on top and the value below, the goods table with its
    multi-line cells (数量及单位, 单价/总价/币制), names instead of codes where the form prints
    names (美元, 千克, 一般贸易)."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    if not labels:
        sheet.append(["发票", "INV-001"])
        stream = BytesIO()
        book.save(stream)
        return stream.getvalue()
    sheet.append([f"预录入编号：223320251000456789  海关编号：{NUMBER}"])
    sheet.append(["境内收货人", "进境关别", "进口日期", "申报日期", "备案号"])
    sheet.append(
        [
            f"{CONSIGNEE[0]}\n({CONSIGNEE[1]}) {CONSIGNEE[2]}",
            "浦江海关(2201)",
            "20251030",
            "2025-11-03",
            None,
        ]
    )
    sheet.append(["境外发货人", "运输方式", "运输工具名称及航次号", "提运单号", "货物存放地点"])
    sheet.append(["SAMPLE TRADING INC", "航空运输", "MU5501", BILL, None])
    sheet.append(["消费使用单位", "监管方式", "征免性质", "许可证号", "启运港"])
    sheet.append([f"{CONSUMER[0]} {CONSUMER[1]} {CONSUMER[2]}", "一般贸易", "一般征税", None, None])
    sheet.append(["合同协议号", "贸易国(地区)", "启运国(地区)", "经停港", "入境口岸"])
    sheet.append(["C-2025-001", "美国", "美国", None, None])
    sheet.append(["申报地海关", "申报单位", "报关人员"])
    sheet.append(["浦东机场(2233)", f"{BROKER[0]} {BROKER[1]} {BROKER[2]}", PERSON])
    sheet.append(
        [
            "项号",
            "商品编号",
            "商品名称及规格型号",
            "数量及单位",
            "单价/总价/币制",
            "原产国(地区)",
            "最终目的国(地区)",
            "境内目的地",
            "征免",
        ]
    )
    for g, unit in zip(EXPECTED_GOODS, ("台", "个"), strict=True):
        sheet.append(
            [
                g["seq"],
                g["hs_code"],
                f"{g['goods_name']}\n型号X",
                f"{g['quantity']}{unit}\n{g['quantity']}{unit}",
                f"1\n{g['amount']}\n美元",
                "美国",
                "中国",
                "上海",
                "照章征税",
            ]
        )
    sheet.append(["特殊关系确认：否  价格影响确认：否"])
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
