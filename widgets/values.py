"""Values of the entry form as shown, inert: grey (system-filled) fields, a refused backfill.

Nothing here reads a key. A value read back from the database or a backfill may hold a control
character or a bidi override; it is shown through `store.text.inert`, so it never reaches the
terminal (an ESC sequence once set the terminal's title and cleared the screen).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.widget import Widget

from store import params
from store.catalogue import FieldSpec, Type
from store.clock import to_local
from store.rules import Violation
from store.status import status_label
from store.text import inert

NOT_IN_TABLE = "（不在参数表中）"


def param_text(table: params.Table, code: str) -> str:
    """ "0101 机场货管"; a code the shipped table lacks says so ("4201（不在参数表中）"), so a
    backfilled 隶属海关 the table does not hold yet reads apart from a name lost in display."""
    entry = table.get(code)
    return f"{entry.code} {entry.name}" if entry is not None else f"{code}{NOT_IN_TABLE}"


def grey_text(spec: FieldSpec, value: object) -> str:
    """A grey field as shown: "code name", local time, the status label; always inert."""
    if value in (None, "", []):
        return ""
    if spec.type == Type.PARAM and spec.table:
        return inert(param_text(params.table(spec.table), str(value)))
    if spec.key == "status":
        return status_label(int(value))  # type: ignore[call-overload]
    if spec.type == Type.TIMESTAMP:
        return to_local(value).strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[arg-type]
    return inert(str(value))


def mark_backfill(
    fields: Mapping[str, Widget], goods: int, refused: Sequence[Violation]
) -> tuple[str, str]:
    """After a backfill: mark each editable field whose backfilled value was refused (and left
    empty), and the hint bar's (text, kind): "ok" with the goods count, or "error" naming the
    first refusal and how many there were."""
    if not refused:
        return f"已获取进口报关单数据：{goods}项商品", "ok"
    for violation in refused:
        field = fields.get(violation.field) if violation.goods_seq is None else None
        if field is not None and not getattr(field, "value", ""):  # typed ahead: theirs stands
            field.mark(violation.message)  # type: ignore[attr-defined]
    more = f"（共{len(refused)}处）" if len(refused) > 1 else ""
    return f"已获取进口报关单数据：{goods}项商品；{refused[0].message}{more}", "error"
