"""A draft's payload back into a record, whatever the record model says of it now.

A draft row holds the form as typed (`RecordData.model_dump(mode="json")`). Its restore once ran
`RecordData.model_validate(payload)` and crashed at every login when the model refused one value
(是否属于工业品 "Y 是N"), until the operator deleted the draft and lost it. `record_from_payload`
never raises: it takes what the model takes and names what it does not (`Lost`), so the form opens
with everything else; the caller keeps the draft row as it is when anything was lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from store.catalogue import BY_KEY, GOODS_BY_KEY
from store.record import RecordData
from store.text import inert

PASSES = 20  # each pass drops at least one refused value; a payload past this opens empty


@dataclass(frozen=True)
class Lost:
    """A value of the payload the record model refused: where (the field's title, 第n项 for a
    goods row) and the value as it was, shown inert."""

    where: str
    value: str

    def __str__(self) -> str:
        return f"{self.where}“{self.value}”"


def record_from_payload(payload: object) -> tuple[RecordData, list[Lost]]:
    """The record of a draft's `payload` (a dict as stored) and what of it could not be taken."""
    data: dict[str, object] = dict(payload) if isinstance(payload, Mapping) else {}
    lost: list[Lost] = [] if isinstance(payload, Mapping) else [Lost("草稿", _shown(payload))]
    for _ in range(PASSES):
        try:
            return RecordData.model_validate(data), lost
        except ValidationError as error:
            for problem in error.errors():
                found = _drop(data, problem["loc"])
                if found is not None:
                    lost.append(found)
    lost.extend(Lost(_title(key), _shown(value)) for key, value in data.items())
    return RecordData(), lost


def lost_words(lost: list[Lost]) -> str:
    """What the operator is told when a restored draft left values out: which, and that the
    draft row is kept for them."""
    shown = "、".join(str(item) for item in lost[:3]) + ("等" if len(lost) > 3 else "")
    return f"草稿中{len(lost)}处内容无法恢复（{shown}），原草稿已保留，下次登录时仍可恢复"


def _drop(data: dict[str, object], loc: tuple[int | str, ...]) -> Lost | None:
    """Remove the refused value at `loc` from `data`; None when it is already gone."""
    if not loc or loc[0] not in data:
        return None
    key = str(loc[0])
    goods = data.get("goods")
    if key == "goods" and len(loc) >= 2 and isinstance(goods, list):
        rows = list(goods)
        index = loc[1]
        if not isinstance(index, int) or index >= len(rows):
            return None
        row = rows[index]
        seq = row.get("seq", index + 1) if isinstance(row, Mapping) else index + 1
        if len(loc) >= 3 and isinstance(row, Mapping) and loc[2] in row and loc[2] != "seq":
            name = str(loc[2])
            rows[index] = {k: v for k, v in row.items() if k != name}
            data["goods"] = rows
            spec = GOODS_BY_KEY.get(name)
            return Lost(f"第{seq}项{spec.title if spec else name}", _shown(row[name]))
        del rows[index]
        data["goods"] = rows
        return Lost(f"第{seq}项商品", _shown(row))
    return Lost(_title(key), _shown(data.pop(key)))


def _title(key: str) -> str:
    if key == "goods":
        return "商品信息"
    spec = BY_KEY.get(key)
    return spec.title if spec else key


def _shown(value: object) -> str:
    text = inert(str(value))
    return text if len(text) <= 40 else text[:39] + "…"
