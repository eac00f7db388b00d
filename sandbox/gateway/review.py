"""The sandbox's review of a submitted round: which receipts it will issue, decided at acceptance.

A round walks 已提交 -> 海关接收成功 / 海关接收失败 -> 电子审核完成，待人工审核 / 电子审核退单 ->
人工审核通过 / 人工审核退单, one step per `step_seconds`. Where it stops follows from:

- the envelope (海关接收失败): the import declaration number must name an import declaration that
  customs knows;
- the record rules (电子审核退单): the required fields of the manual, the goods rows matching the
  import declaration, and the logic checks (其他 needs its text, 质量原因 needs the detail, a producer
  cannot belong to a 直属海关, original declarations are export ones, at most 50);
- a random share of rounds (`reject_share`), from an RNG seeded by the round itself, so the same
  round always meets the same fate whatever the order of arrival.

Texts of the passing steps are the manual's, to the character.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from customs.wire import ImportDeclaration, ReturnRecord

CONTENT_SUBMITTED = "-"
CONTENT_RECEIVED = "海关接收成功"
CONTENT_E_REVIEW_PASSED = "电子审核成功，进入人工审核环节。"
CONTENT_APPROVED = "接收申报、出口退货登记办理成功。"

_RANDOM_REJECTIONS = {
    4: "海关接收失败：报文校验未通过，请核对后重新申报。",
    6: "电子审核退单：原出口报关单号与原生产企业不对应，请核对后重新申报。",
    8: "人工审核退单：退货原因具体说明不充分，请补充后重新申报。",
}

_DECL_RE = re.compile(r"\d{18}")
_REQUIRED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("consignee_address",), "收货人所在地"),
    (("contact_person", "contact_phone"), "收货联系人及联系电话"),
    (("consumer_district",), "消费使用单位所在地关区"),
    (("disposal_methods",), "拟处理方式"),
    (("export_decl_nos",), "原出口报关单号"),
    (("producer_uscc", "producer_code", "producer_name"), "原生产企业"),
    (("producer_contact",), "原生产企业联系人"),
    (("producer_phone",), "原生产企业联系电话"),
    (("producer_division",), "原生产企业行政区划"),
    (("producer_customs",), "原生产企业所属机构"),
    (("export_inspected",), "出口是否法检"),
    (("export_trade_modes",), "关联报关单原出口监管方式"),
    (("reason_categories",), "退货原因类别"),
)


@dataclass(frozen=True)
class Step:
    """One receipt to come: `index` steps of `step_seconds` after acceptance."""

    index: int
    status: int
    content: str


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def envelope_problem(
    record: ReturnRecord, declarations: dict[str, ImportDeclaration]
) -> str | None:
    number = record.import_decl_no or ""
    if not number:
        return "进口报关单号为空"
    if not _DECL_RE.fullmatch(number) or number[8] != "1":
        return f"进口报关单号{number}不是有效的进口报关单号"
    if number not in declarations:
        return f"进口报关单号{number}在海关无记录"
    return None


def rule_problems(record: ReturnRecord, declaration: ImportDeclaration) -> list[str]:
    """The record rules the electronic review applies, each problem worded for the operator."""
    problems: list[str] = []
    missing = [
        label for names, label in _REQUIRED if any(_empty(getattr(record, n)) for n in names)
    ]
    if missing:
        problems.append("以下必填项为空：" + "、".join(missing))
    if 5 in record.disposal_methods and _empty(record.disposal_other_text):
        problems.append("拟处理方式为“其他”时需填写其他具体内容")
    if record.export_decl_nos:
        numbers = record.export_decl_nos.split("/")
        if len(numbers) > 50:
            problems.append("原出口报关单号最多支持同时输入50个")
        bad = [n for n in numbers if not _DECL_RE.fullmatch(n) or n[8] != "0"]
        if bad:
            problems.append("原出口报关单号有误：" + "/".join(bad[:3]))
    if record.producer_division and not re.fullmatch(r"\d{6}", record.producer_division):
        problems.append("原生产企业行政区划应为6位数字")
    if record.producer_customs:
        if not re.fullmatch(r"\d{4}", record.producer_customs):
            problems.append("原生产企业所属机构应为4位关区代码")
        elif record.producer_customs.endswith("00"):
            problems.append("原生产企业所属机构不能选择直属关区")
    if record.export_trade_modes and "0110" not in record.export_trade_modes:
        problems.append("关联报关单原出口监管方式应为一般贸易")
    categories = set(record.reason_categories)
    reasons = set(record.specific_reasons)
    for category in sorted(categories & {1, 2, 3}):
        if not any(r.startswith(str(category)) for r in reasons):
            problems.append("具体退运原因为空")
            break
    if any(not r[:1].isdigit() or int(r[:1]) not in categories for r in reasons):
        problems.append("具体退运原因与退货原因类别不对应")
    if 4 in categories and _empty(record.other_reason_text):
        problems.append("退货原因类别为其他原因时需填写具体原因")
    if 1 in categories and _empty(record.reason_detail):
        problems.append("退货原因类别是质量原因时，退货原因具体说明必填")
    problems.extend(_goods_problems(record, declaration))
    return problems


def _goods_problems(record: ReturnRecord, declaration: ImportDeclaration) -> list[str]:
    if not record.goods:
        return ["商品信息不能为空"]
    problems = []
    by_seq = {g.seq: g for g in declaration.goods}
    for row in record.goods:
        original = by_seq.get(row.seq)
        if original is None or original.hs_code != row.hs_code:
            problems.append(f"第{row.seq}项商品与进口报关单不符")
        if row.industrial is None:
            problems.append(f"第{row.seq}项商品是否属于工业品为空")
        if row.weight not in (None, ""):
            try:
                ok = Decimal(row.weight) > 0
            except InvalidOperation:
                ok = False
            if not ok:
                problems.append(f"第{row.seq}项商品退货重量应为正数")
    return problems


def plan(
    record: ReturnRecord,
    declarations: dict[str, ImportDeclaration],
    *,
    unified_no: str,
    round: int,
    seed: int,
    reject_share: float,
) -> list[Step]:
    """The receipts a round will get, in order; the last one decides its fate."""
    steps = [Step(0, 1, CONTENT_SUBMITTED)]
    envelope = envelope_problem(record, declarations)
    if envelope:
        return [*steps, Step(1, 4, "海关接收失败：" + envelope + "。")]
    rng = random.Random(f"{seed}:{unified_no}:{round}")
    random_stage = rng.choice((4, 6, 8)) if rng.random() < reject_share else None
    if random_stage == 4:
        return [*steps, Step(1, 4, _RANDOM_REJECTIONS[4])]
    steps.append(Step(1, 3, CONTENT_RECEIVED))
    problems = rule_problems(record, declarations[record.import_decl_no or ""])
    if problems:
        return [*steps, Step(2, 6, "电子审核退单：" + "；".join(problems) + "。")]
    if random_stage == 6:
        return [*steps, Step(2, 6, _RANDOM_REJECTIONS[6])]
    steps.append(Step(2, 5, CONTENT_E_REVIEW_PASSED))
    if random_stage == 8:
        return [*steps, Step(3, 8, _RANDOM_REJECTIONS[8])]
    return [*steps, Step(3, 7, CONTENT_APPROVED)]
