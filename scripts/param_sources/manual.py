"""The small tables kept by hand from the module's user manual and the project's own decisions.

状态 (0-8), 退运原因类别 and its 具体退运原因 (the reasons from shared/ref's return-reasons.csv),
拟处理方式 and 随附单据类型. Where the manual gives no codes, the codes are this project's, in the
manual's order.
"""

from __future__ import annotations

from pathlib import Path

from param_sources.refs import Row, read_ref

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
