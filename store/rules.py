"""The record rules: what 暂存 accepts and what 提交 requires.

暂存 accepts an incomplete record but never an invalid value. 提交 requires every R field and the
cross rules of the manual. Each violation names its field (a catalogue key, plus the goods row), and
violations come in the form's order, so a screen can put the cursor on the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from store import params, validators
from store.catalogue import (
    FIELD_ORDER,
    GOODS_FIELDS,
    RECORD_FIELDS,
    FieldSpec,
    Kind,
    Type,
)
from store.record import GoodsData, RecordData
from store.text import code_text, inert
from store.validators import FieldError

GOODS_KEY = "goods"  # a violation about the goods table as a whole
OTHER_DISPOSAL = "5"  # 拟处理方式: 其他
QUALITY_REASON = "1"  # 退货原因类别: 质量原因
OTHER_REASON = "4"  # 退货原因类别: 其他原因


@dataclass(frozen=True, slots=True)
class Violation:
    field: str
    message: str
    goods_seq: int | None = None

    def sort_key(self) -> tuple[int, int]:
        order = FIELD_ORDER.get(self.field, FIELD_ORDER["seq"])
        return (order, self.goods_seq or 0)


class RuleError(Exception):
    """A refused save or submission; `violations` in form order, the first is where to go."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = sorted(violations, key=Violation.sort_key)
        super().__init__(self.violations[0].message)

    @property
    def message(self) -> str:
        return self.violations[0].message


def validate_field(spec: FieldSpec, raw: object) -> object:
    """The canonical value of `raw` for `spec`, or FieldError with the operator's message."""
    if spec.type == Type.MULTI:
        return _validate_multi(spec, raw)
    value = "" if raw is None else str(raw)
    if not value.strip():
        return None
    title = spec.title
    match spec.type:
        case Type.IMPORT_DECL:
            return validators.import_declaration(value)
        case Type.EXPORT_DECLS:
            return validators.export_declarations(value)
        case Type.USCC:
            return validators.uscc(value, label=title)
        case Type.CUSTOMS_CODE:
            return validators.customs_code(value, label=title)
        case Type.PHONE:
            return validators.phone(value, label=title)
        case Type.DATE:
            iso = validators.parse_date(value, label=title)
            if spec.key == "return_date" and date.fromisoformat(iso) > _today():
                raise FieldError("退货日期不能晚于今天")
            return iso
        case Type.WEIGHT:
            return validators.weight(value, label=title)
        case Type.PARAM:
            return _validate_param(spec, code_text(value))
        case _:
            return validators.text(value, label=title, max_len=spec.max_len)


def _today() -> date:
    from store.clock import today_local

    return today_local()


def _validate_param(spec: FieldSpec, code: str) -> str:
    assert spec.table
    table = params.table(spec.table)
    if table.get(code) is None and table.get(code.upper()) is not None:
        code = code.upper()  # typed in lower case; codes that differ only by case stay exact
    gone = table.withdrawn(code)
    if gone is not None:
        raise FieldError(f"{spec.title}：代码“{inert(code)}”已停用（{gone}），请按空格键检索")
    if spec.key == "producer_customs" and (params.is_direct_customs(code) or code.endswith("00")):
        raise FieldError("原生产企业所属机构不能选择直属海关（代码以00结尾），请选择其下属机构")
    if table.get(code) is None and not _customs_office_outside_table(spec, code):
        raise FieldError(f"{spec.title}：代码“{inert(code)}”不在参数表中，请按空格键检索")
    return code


def _customs_office_outside_table(spec: FieldSpec, code: str) -> bool:
    """A well-formed 隶属海关 code under a known 直属海关 that the shipped table lacks.

    The project's district table holds every 直属海关 but not yet every one of the ~1,000 offices
    under them; refusing a real office would block the operator, so its shape and parent decide.
    """
    return (
        spec.table == "customs_districts"
        and len(code) == 4
        and code.isdigit()
        and params.is_direct_customs(code[:2] + "00")
    )


def _validate_multi(spec: FieldSpec, raw: object) -> list[str]:
    assert spec.table
    codes = [] if raw is None else [str(code) for code in raw]  # type: ignore[attr-defined]
    table = params.table(spec.table)
    for code in codes:
        if table.get(code) is None or (spec.choices and code not in spec.choices):
            raise FieldError(f"{spec.title}：选项“{code}”无效")
    if len(set(codes)) != len(codes):
        raise FieldError(f"{spec.title}：选项重复")
    order = {entry.code: index for index, entry in enumerate(table)}
    return sorted(codes, key=lambda code: order[code])


def _check_values(record: RecordData) -> list[Violation]:
    """Every typed value valid (grey fields come from customs and are taken as they are)."""
    violations = []
    for spec in RECORD_FIELDS:
        if spec.kind == Kind.GREY:
            continue
        try:
            validate_field(spec, getattr(record, spec.key))
        except FieldError as error:
            violations.append(Violation(spec.key, error.message))
    for row in record.goods:
        violations.extend(_check_goods_values(row))
    return violations


def _check_goods_values(row: GoodsData) -> list[Violation]:
    violations = []
    for spec in GOODS_FIELDS:
        if spec.kind == Kind.GREY:
            continue
        try:
            validate_field(spec, getattr(row, spec.key))
        except FieldError as error:
            violations.append(Violation(spec.key, f"第{row.seq}项：{error.message}", row.seq))
    return violations


def check_for_save(record: RecordData) -> list[Violation]:
    """What 暂存 refuses: invalid values (missing ones are fine)."""
    return sorted(_check_values(record), key=Violation.sort_key)


def _blank(value: object) -> bool:
    return value is None or value == "" or value == []


def check_for_submit(record: RecordData) -> list[Violation]:
    """What 提交 refuses: invalid values, missing R fields, and the manual's cross rules."""
    violations = _check_values(record)
    invalid = {v.field for v in violations}
    for spec in RECORD_FIELDS:
        if (
            spec.kind == Kind.REQUIRED
            and spec.key not in invalid
            and _blank(getattr(record, spec.key))
        ):
            violations.append(Violation(spec.key, f"{spec.title}为必填项"))
    violations.extend(_cross_rules(record))
    return sorted(violations, key=Violation.sort_key)


def _cross_rules(record: RecordData) -> list[Violation]:
    found: list[Violation] = []
    if record.import_decl_no and not record.consignee_name:
        found.append(
            Violation("import_decl_no", "进口报关单号尚未获取数据，请在进口报关单号按回车获取")
        )
    if OTHER_DISPOSAL in record.disposal_methods and _blank(record.disposal_other_text):
        found.append(Violation("disposal_other_text", "拟处理方式为“其他”时需填写其他具体内容"))
    categories = set(record.reason_categories)
    if QUALITY_REASON in categories and _blank(record.reason_detail):
        found.append(Violation("reason_detail", "退货原因类别为质量原因时，退货原因具体说明必填"))
    reasons = params.table("return_reasons")
    chosen_parents = set()
    for code in record.specific_reasons:
        entry = reasons.get(code)
        if entry is None:
            continue  # reported by the value check
        chosen_parents.add(entry.parent)
        if entry.parent not in categories:
            found.append(
                Violation(
                    "specific_reasons",
                    f"具体退运原因“{entry.name}”不属于已勾选的退货原因类别",
                )
            )
    category_table = params.table("return_reason_categories")
    for category in sorted(categories - {OTHER_REASON}):
        if category not in chosen_parents:
            name = category_table.label(category)
            found.append(Violation("specific_reasons", f"请勾选“{name}”下的具体退运原因"))
    if OTHER_REASON in categories and _blank(record.other_reason_text):
        found.append(Violation("other_reason_text", "退货原因类别为其他原因时需填写具体退运原因"))
    if not record.goods:
        found.append(Violation(GOODS_KEY, "商品信息至少一条：请在进口报关单号按回车获取"))
    for row in record.goods:
        if row.industrial not in ("Y", "N"):
            found.append(Violation("industrial", f"第{row.seq}项：是否属于工业品为必填项", row.seq))
    return found
