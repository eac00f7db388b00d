"""The mapping table: which DecHead/DecList element, web JSON name or printed label feeds which
field of the record. The one declaration of it; docs/notes.md explains it field by field.

Each `Source` names a field of `customs.wire.ImportDeclaration` (`target`, a dotted path for the
parties' parts), the record field it backfills (`record_key`, whose catalogue title is the label the
operator reads), how its text is read (`kind`), and where each file kind holds it:

- `xml`: element names under DecHead (goods: under DecList), the first present and non-empty wins;
  "DecSign/OperName" names an element of another section of DecMessage;
- `json`: names in the web Single Window's declaration JSON (goods: in decMergeListVo rows);
- `sheet`: labels of the printed declaration; a party's label holds "USCC code name" in one cell,
  `part` says which of the three this field takes.

A field whose three tuples are empty is left empty by every file (no declaration holds it); the
operator fills it where the manual lets them, and the gateway's backfill fills it otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from customs.declfiles.codes import Kind

K = Kind


@dataclass(frozen=True, slots=True)
class Source:
    target: str
    record_key: str
    kind: Kind = Kind.TEXT
    xml: tuple[str, ...] = ()
    json: tuple[str, ...] = ()
    sheet: tuple[str, ...] = ()
    part: str = ""  # uscc, code or name: the part of a spreadsheet's party cell

    @property
    def empty(self) -> bool:
        return not (self.xml or self.json or self.sheet)


# The labels a printed declaration gives its parties (2018 form first, older forms after).
CONSIGNEE_LABELS = ("境内收货人", "境内收发货人", "收发货人", "经营单位")
CONSUMER_LABELS = ("消费使用单位", "收货单位")
DECLARANT_LABELS = ("申报单位",)


Names = tuple[str, ...]


def _party(
    key: str, xml: tuple[Names, Names, Names], json: tuple[Names, Names, Names], labels: Names
) -> tuple[Source, ...]:
    """A party's three fields (USCC, customs code, name): one spreadsheet cell, three elements."""
    parts = ("uscc", "code", "name")
    return tuple(
        Source(f"{key}.{part}", f"{key}_{part}", K.TEXT, x, j, labels, part)
        for part, x, j in zip(parts, xml, json, strict=True)
    )


HEADER: tuple[Source, ...] = (
    Source("number", "import_decl_no", K.TEXT, ("EntryId",), ("entryId",), ("海关编号",)),
    *_party(
        "declarant",
        (("AgentCodeScc",), ("AgentCode",), ("AgentName",)),
        (("agentScc",), ("agentCode",), ("agentName",)),
        DECLARANT_LABELS,
    ),
    Source(
        "declarant_person",
        "declarant_person",
        K.TEXT,
        ("DeclareName", "DecSign/OperName"),
        (),
        ("报关人员", "报关员"),
    ),
    *_party(
        "consignee",
        # 4.x writes TradeCoScc, a public 3.1 sample TradeCodeScc
        (("TradeCoScc", "TradeCodeScc"), ("TradeCode",), ("TradeName",)),
        (("rcvgdTradeScc",), ("rcvgdTradeCode",), ("consigneeCname",)),
        CONSIGNEE_LABELS,
    ),
    Source("consignee_address", "consignee_address"),
    Source("consumer_district", "consumer_district"),
    *_party(
        "consumer",
        (("OwnerCodeScc",), ("OwnerCode",), ("OwnerName",)),
        (("ownerScc",), ("ownerCode",), ("ownerName",)),
        CONSUMER_LABELS,
    ),
    Source(
        "declared_on", "declared_on", K.DATE, ("DDate", "DeclareDate"), ("dDate",), ("申报日期",)
    ),
    Source(
        "arrived_on",
        "arrived_on",
        K.DATE,
        ("IEDate",),
        ("iEDate", "ieDate"),
        ("进口日期", "进出口日期"),
    ),
    Source(
        "departure_country",
        "return_country",
        K.COUNTRY,
        ("TradeCountry",),
        ("cusTradeCountry",),
        ("启运国(地区)", "起运国(地区)", "启运国（地区）", "起运国（地区）"),
    ),
    Source(
        "accepting_customs",
        "accepting_customs",
        K.CUSTOMS,
        ("CustomMaster",),
        ("customMaster",),
        ("申报地海关",),
    ),
    Source(
        "trade_mode",
        "trade_mode",
        K.TRADE_MODE,
        ("TradeMode",),
        ("supvModeCdde",),
        ("监管方式", "贸易方式"),
    ),
    Source("bill_of_lading", "bill_of_lading", K.TEXT, ("BillNo",), ("billNo",), ("提运单号",)),
    Source(
        "destination_customs",
        "destination_customs",
        K.CUSTOMS,
        ("IEPort",),
        ("iEPort", "iePort"),
        ("进境关别", "进口口岸", "进出口岸"),
    ),
)

# Not a field: the direction. I import, E export (DecHead IEFlag; the web JSON's cusIEFlag).
DIRECTION = Source("ie_flag", "", K.TEXT, ("IEFlag",), ("cusIEFlag", "ieFlag"))

GOODS: tuple[Source, ...] = (
    Source("seq", "seq", K.TEXT, ("GNo",), ("gNo", "gno"), ("项号",)),
    Source("hs_code", "hs_code", K.HS, ("CodeTS",), ("codeTs", "codeTS"), ("商品编号",)),
    Source("reg_category", "reg_category"),
    Source(
        "goods_name",
        "goods_name",
        K.TEXT,
        ("GName",),
        ("gName", "gname"),
        ("商品名称", "商品名称及规格型号", "商品名称、规格型号"),
    ),
    Source("amount", "amount", K.DECIMAL, ("DeclTotal",), ("declTotal",), ("总价",)),
    Source("currency", "currency", K.CURRENCY, ("TradeCurr",), ("tradeCurr",), ("币制",)),
    Source("quantity", "quantity", K.DECIMAL, ("GQty",), ("gQty", "gqty"), ("成交数量",)),
    Source("unit", "unit", K.UNIT, ("GUnit",), ("gUnit", "gunit"), ("成交单位", "成交计量单位")),
)

# The printed declaration's combined goods columns: one cell, several lines.
SHEET_QUANTITY_AND_UNIT = "数量及单位"  # the last line: the deal's quantity and unit ("100千克")
SHEET_PRICE_TOTAL_CURRENCY = "单价/总价/币制"  # lines: unit price, total, currency

# The printed declaration's other box labels (2018 form): none feeds a field, but knowing them
# tells a label from a value (the cell right of 申报日期 is 备案号, a label: the value is below).
SHEET_OTHER_LABELS = (
    "预录入编号", "备案号", "境外发货人", "境外收货人", "运输方式", "运输工具名称及航次号",
    "运输工具名称", "货物存放地点", "征免性质", "许可证号", "启运港", "合同协议号", "贸易国(地区)",
    "经停港", "入境口岸", "包装种类", "件数", "毛重(千克)", "净重(千克)", "成交方式", "运费",
    "保费", "杂费", "随附单证及编号", "随附单证", "标记唛码及备注", "原产国(地区)",
    "最终目的国(地区)", "境内目的地", "征免", "单价", "报关人员证号", "电话",
    SHEET_QUANTITY_AND_UNIT, SHEET_PRICE_TOTAL_CURRENCY,
)  # fmt: skip

# The spreadsheet is recognised by these labels; a sheet without them is refused by name.
SHEET_REQUIRED = ("海关编号", "项号", "商品编号")


def header_source(target: str) -> Source:
    return next(s for s in HEADER if s.target == target)
