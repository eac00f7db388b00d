"""The columns of the import spreadsheet: which catalogue field each holds, its header, its rule.

Two sheets carry data: the records (one row a record: every field the operator types in the form)
and the goods weights (one row a goods item, keyed by 进口报关单号 and 序号). Headers are the manual's
labels; a composite field's part follows in brackets (原生产企业（社会信用代码）). A header is found
however a client wrote it: full-width or half-width brackets, spaces, a leading "*" required mark,
or the label and part run together (原生产企业社会信用代码).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store import params
from store.catalogue import GOODS_BY_KEY, RECORD_FIELDS, FieldSpec, Kind, Type
from store.ids import uscc_check_char

RECORDS_SHEET = "出口退货记录"
GOODS_SHEET = "商品重量"
GUIDE_SHEET = "填写说明"
CODES_SHEET = "代码"

# 收货人所在地 and 消费使用单位所在地关区 are required but backfilled: blank takes the declaration's
BACKFILLED = frozenset({"consignee_address", "consumer_district"})
MULTI_SEPARATORS = "/,，;；"  # and "、" between names that hold none (declarant/sheets/cells.py)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the catalogue field `key` (or a goods sheet key), its header and its help."""

    key: str
    header: str  # as the template writes it (without the "*")
    required: bool
    spec: FieldSpec | None  # None for the goods sheet's key columns (进口报关单号 and 序号 there)
    rule: str
    example: str

    @property
    def marked(self) -> str:
        """The header with the required mark, as the template's header row shows it."""
        return f"*{self.header}" if self.required else self.header

    def names(self) -> set[str]:
        """Every normalized spelling of this column's header that the reader accepts."""
        spellings = {self.header}
        if self.spec is not None:
            spellings |= {self.spec.title, self.spec.label + self.spec.sub}
        return {normalize_header(s) for s in spellings}


def normalize_header(text: object) -> str:
    """A header cell as compared: NFKC (full-width → half-width), no spaces, no "*" marks."""
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return re.sub(r"[\s*]+", "", folded).replace("(", "（").replace(")", "）").lower()


def _header(spec: FieldSpec) -> str:
    return f"{spec.label}（{spec.sub}）" if spec.sub else spec.label


def _example_uscc() -> str:
    first17 = "91440300MA5F0K8J1"
    return first17 + uscc_check_char(first17)


def _param_rule(spec: FieldSpec) -> tuple[str, str]:
    assert spec.table
    table = params.table(spec.table)
    entries = [e for e in table if not spec.choices or e.code in spec.choices]
    if spec.key == "producer_customs":
        entries = [e for e in entries if not e.code.endswith("00")]
    if spec.type == Type.MULTI:
        listed = "，".join(f"{e.code} {e.name}" for e in entries) if len(entries) <= 20 else ""
        rule = f"可填多个，用“/”分隔，填代码或名称（{listed}）" if listed else "可填多个，用“/”分隔"
        example = "/".join(e.code for e in entries[:2]) if len(entries) > 1 else entries[0].code
        return rule, example
    example = table.label(entries[0].code) if entries else ""
    return f"从下拉列表选择，或填代码（参数表：{table.title}）", example


_EXAMPLES: dict[Type, tuple[str, str]] = {
    Type.IMPORT_DECL: ("18位数字，第9位为1；设为文本格式以免丢失前导0", "010120251000000892"),
    Type.EXPORT_DECLS: (
        "18位数字，第9位为0；多个用“/”分隔，最多50个",
        "530120250000012345/530120250000012346",
    ),
    Type.USCC: ("18位统一社会信用代码", _example_uscc()),
    Type.CUSTOMS_CODE: ("10位海关编码", "4403960123"),
    Type.PHONE: ("手机或固话，如 021-12345678", "13800138000"),
    Type.DATE: ("20251103、2025-11-03、2025/11/03 或 2025.11.03，或Excel日期", "2025-11-03"),
    Type.WEIGHT: ("千克，大于0，最多3位小数", "12.5"),
}


def _column(spec: FieldSpec) -> Column:
    required = spec.kind == Kind.REQUIRED and spec.key not in BACKFILLED
    if spec.type in (Type.PARAM, Type.MULTI):
        rule, example = _param_rule(spec)
    elif spec.type in _EXAMPLES:
        rule, example = _EXAMPLES[spec.type]
    else:
        rule, example = f"文本，最多{spec.max_len}个字符", ""
    if spec.hint and spec.hint not in rule and "空格" not in spec.hint:
        rule = f"{spec.hint}；{rule}"
    if spec.key in BACKFILLED:
        rule = f"留空则取进口报关单返填的值；{rule}"
    return Column(spec.key, _header(spec), required, spec, rule, example)


RECORD_COLUMNS: tuple[Column, ...] = tuple(
    _column(spec) for spec in RECORD_FIELDS if spec.kind != Kind.GREY
)

GOODS_COLUMNS: tuple[Column, ...] = (
    Column(
        "import_decl_no",
        "进口报关单号",
        True,
        None,
        "与“出口退货记录”表的进口报关单号相同",
        "010120251000000892",
    ),
    Column("seq", "序号", True, None, "进口报关单的商品项号，从1起", "1"),
    Column(
        "weight",
        "退货重量",
        False,
        GOODS_BY_KEY["weight"],
        "千克，大于0，最多3位小数；留空则不填",
        "12.5",
    ),
    Column(
        "industrial",
        "是否属于工业品",
        False,
        GOODS_BY_KEY["industrial"],
        "Y-是，N-否；留空为Y",
        "Y 是",
    ),
)

RECORD_BY_KEY: dict[str, Column] = {c.key: c for c in RECORD_COLUMNS}
GOODS_BY_COLUMN: dict[str, Column] = {c.key: c for c in GOODS_COLUMNS}


def lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Normalized header → column, for reading a header row."""
    return {name: column for column in columns for name in column.names()}
