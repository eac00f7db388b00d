"""The field catalogue: every field of the record once, as data (fields.md, in the manual's order).

The form, the validation, the print-out and the error messages are all derived from it. Labels are
the manual's to the character. A composite field of the manual (收货人: USCC, customs code, name) is
several entries sharing a label, told apart by `sub`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    REQUIRED = "R"  # yellow in the web UI
    GREY = "G"  # filled by the system, never typed
    OPTIONAL = "O"  # white


class Part(StrEnum):
    HEADER = "表头"
    GOODS = "商品信息"
    OTHER = "其他"


class Type(StrEnum):
    TEXT = "text"
    IMPORT_DECL = "import_decl"
    EXPORT_DECLS = "export_decls"
    USCC = "uscc"
    CUSTOMS_CODE = "customs_code"
    PHONE = "phone"
    DATE = "date"
    WEIGHT = "weight"
    PARAM = "param"  # one code of a parameter table
    MULTI = "multi"  # several codes of a parameter table (check group)
    DECIMAL = "decimal"  # backfilled amounts, shown as they came
    TIMESTAMP = "timestamp"
    INT = "int"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str
    kind: Kind
    part: Part
    type: Type = Type.TEXT
    table: str | None = None
    hint: str = ""
    max_len: int = 100
    sub: str = ""  # the part of a composite field: 社会信用代码, 海关编码, 名称, 联系人, 联系电话 …
    choices: tuple[str, ...] = ()  # the codes of `table` offered here, when not all of them
    separator: str = ""  # a list field: its values joined by this ("/"); a paste joins lines so

    @property
    def title(self) -> str:
        """The label as the operator reads it in messages: 收货人联系电话, 原生产企业名称 …"""
        return f"{self.label}{self.sub}" if self.sub and self.sub not in self.label else self.label

    @property
    def editable(self) -> bool:
        return self.kind != Kind.GREY


R, G, OPT = Kind.REQUIRED, Kind.GREY, Kind.OPTIONAL
H, GD, OT = Part.HEADER, Part.GOODS, Part.OTHER


def _enterprise(key: str, label: str, kind: Kind, part: Part) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec(f"{key}_uscc", label, kind, part, Type.USCC, max_len=18, sub="社会信用代码"),
        FieldSpec(f"{key}_code", label, kind, part, Type.CUSTOMS_CODE, max_len=10, sub="海关编码"),
        FieldSpec(f"{key}_name", label, kind, part, max_len=100, sub="名称"),
    )


HEADER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("unified_no", "统一编号", G, H, max_len=18),
    FieldSpec("return_no", "退货编号", G, H, max_len=20),
    FieldSpec("status", "状态", G, H, Type.PARAM, table="statuses"),
    FieldSpec("collector_name", "采集人", G, H, max_len=50),
    FieldSpec("collector_uscc", "采集机构", G, H, Type.USCC, max_len=18, sub="社会信用代码"),
    FieldSpec("collector_code", "采集机构", G, H, Type.CUSTOMS_CODE, max_len=10, sub="海关编码"),
    FieldSpec("collector_org_name", "采集机构", G, H, max_len=100, sub="名称"),
    FieldSpec("collector_category", "采集机构类别", G, H, max_len=10),
    FieldSpec("collected_at", "采集时间", G, H, Type.TIMESTAMP),
    FieldSpec("info_source", "退货信息来源", G, H, max_len=50),
    FieldSpec(
        "import_decl_no", "进口报关单号", R, H, Type.IMPORT_DECL, max_len=18, hint="按回车获取数据"
    ),
    *_enterprise("declarant", "报关单位", G, H),
    FieldSpec("declarant_person", "报关员", G, H, max_len=50),
    *_enterprise("consignee", "收货人", G, H),
    FieldSpec(
        "consignee_address",
        "收货人所在地",
        R,
        H,
        max_len=200,
        hint="返填进口报关单注册地海关所在地址，可修改",
    ),
    FieldSpec(
        "contact_person",
        "收货联系人及联系电话",
        R,
        H,
        max_len=50,
        sub="联系人",
        hint="填写收货人的联系人",
    ),
    FieldSpec(
        "contact_phone",
        "收货联系人及联系电话",
        R,
        H,
        Type.PHONE,
        max_len=30,
        sub="联系电话",
        hint="联系电话",
    ),
    FieldSpec("return_date", "退货日期", OPT, H, Type.DATE, hint="请选择日期"),
    FieldSpec(
        "consumer_district",
        "消费使用单位所在地关区",
        R,
        H,
        Type.PARAM,
        table="customs_districts",
        hint="按空格键检索",
    ),
    *_enterprise("consumer", "消费使用单位", G, H),
    FieldSpec("declared_on", "报关日期", G, H, Type.DATE),
    FieldSpec("arrived_on", "到港日期", G, H, Type.DATE),
    FieldSpec("return_country", "退货国家(地区)", G, H, Type.PARAM, table="countries"),
    FieldSpec("accepting_customs", "受理报关机构", G, H, Type.PARAM, table="customs_districts"),
    FieldSpec("trade_mode", "海关贸易方式", G, H, Type.PARAM, table="trade_modes"),
    FieldSpec("bill_of_lading", "提运单号", G, H, max_len=50),
    FieldSpec("destination_customs", "目的地海关", G, H, Type.PARAM, table="customs_districts"),
    FieldSpec(
        "disposal_methods",
        "拟处理方式",
        R,
        H,
        Type.MULTI,
        table="disposal_methods",
        hint="数字键1-5或空格勾选，可多选；选择“其他”时需填写具体内容",
    ),
    FieldSpec(
        "disposal_other_text",
        "拟处理方式",
        OPT,
        H,
        max_len=200,
        sub="其他具体内容",
        hint="拟处理方式为“其他”时需填写其他具体内容",
    ),
)

GOODS_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", G, GD, Type.INT),
    FieldSpec("hs_code", "货物HS编码", G, GD, max_len=10),
    FieldSpec("reg_category", "监管类别名称", G, GD, max_len=100),
    FieldSpec("goods_name", "货物名称", G, GD, max_len=255),
    FieldSpec("amount", "退货金额", G, GD, Type.DECIMAL),
    FieldSpec("currency", "退货金额单位", G, GD, Type.PARAM, table="currencies"),
    FieldSpec("quantity", "退货数量", G, GD, Type.DECIMAL),
    FieldSpec("unit", "数量单位", G, GD, Type.PARAM, table="units"),
    FieldSpec(
        "weight", "退货重量", OPT, GD, Type.WEIGHT, hint="填写退货的重量（千克），最多3位小数"
    ),
    FieldSpec("weight_unit", "重量单位", G, GD, Type.PARAM, table="units"),
    FieldSpec("industrial", "是否属于工业品", R, GD, Type.PARAM, table="yes_no", hint="Y-是，N-否"),
)

OTHER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "export_decl_nos",
        "原出口报关单号",
        R,
        OT,
        Type.EXPORT_DECLS,
        max_len=950,
        hint="多个报关单号用“/”分隔，最多50个",
        separator="/",
    ),
    *_enterprise("producer", "原生产企业", R, OT),
    FieldSpec("producer_contact", "原生产企业联系人", R, OT, max_len=50),
    FieldSpec("producer_phone", "原生产企业联系电话", R, OT, Type.PHONE, max_len=30),
    FieldSpec(
        "producer_division",
        "原生产企业行政区划",
        R,
        OT,
        Type.PARAM,
        table="divisions",
        hint="按空格键检索",
    ),
    FieldSpec(
        "producer_customs",
        "原生产企业所属机构",
        R,
        OT,
        Type.PARAM,
        table="customs_districts",
        hint="按空格键检索，不能选择直属关区",
    ),
    FieldSpec(
        "export_inspected", "出口是否法检", R, OT, Type.PARAM, table="yes_no", hint="Y-是，N-否"
    ),
    FieldSpec(
        "export_trade_modes",
        "关联报关单原出口监管方式",
        R,
        OT,
        Type.MULTI,
        table="trade_modes",
        choices=("0110",),
        hint="勾选：一般贸易（数字键1或空格）",
    ),
    FieldSpec(
        "reason_categories",
        "退货原因类别",
        R,
        OT,
        Type.MULTI,
        table="return_reason_categories",
        hint="数字键或空格勾选，可多选",
    ),
    FieldSpec(
        "specific_reasons",
        "具体退运原因",
        R,
        OT,
        Type.MULTI,
        table="return_reasons",
        hint="选择退货原因类别后，按数字键或空格勾选具体的退运原因",
    ),
    FieldSpec(
        "other_reason_text",
        "具体退运原因",
        OPT,
        OT,
        max_len=200,
        sub="其他原因",
        hint="退货原因类别为“其他原因”时填写",
    ),
    FieldSpec(
        "reason_detail",
        "退货原因具体说明",
        OPT,
        OT,
        max_len=500,
        hint="填写详细的退运原因；质量原因时必填",
    ),
)

RECORD_FIELDS: tuple[FieldSpec, ...] = HEADER_FIELDS + OTHER_FIELDS
ALL_FIELDS: tuple[FieldSpec, ...] = HEADER_FIELDS + GOODS_FIELDS + OTHER_FIELDS
BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in RECORD_FIELDS}
GOODS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in GOODS_FIELDS}
FIELD_ORDER: dict[str, int] = {spec.key: index for index, spec in enumerate(ALL_FIELDS)}


def field(key: str) -> FieldSpec:
    return BY_KEY[key] if key in BY_KEY else GOODS_BY_KEY[key]
