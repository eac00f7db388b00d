"""What the backfill of 进口报关单号 would fill in, without a form: the gateway's import declaration
mapped onto the record's fields exactly as the entry form maps it (`customs.mapping.backfill`).

`preview(session, number)` fetches the declaration with the logged-in card (the number checked
first: `validators.FieldError` in Chinese before the network) and returns a `Preview`: each header
field the declaration fills, under the manual's label, its value as stored and as printed (codes
with their names); the goods rows; and the values the form would refuse ("返填的…未采用").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from customs.mapping import GOODS_BACKFILLED, backfill
from declarant.printout import field_value
from declarant.session import Session
from store.catalogue import GOODS_FIELDS, HEADER_FIELDS, OTHER_FIELDS


@dataclass(frozen=True, slots=True)
class FilledField:
    key: str  # the catalogue key (consignee_uscc …)
    label: str  # the manual's label (收货人社会信用代码 …)
    value: object  # as the record stores it
    text: str  # as printed: 0101 机场货管


@dataclass(frozen=True, slots=True)
class Preview:
    number: str
    fields: list[FilledField]
    goods: list[list[FilledField]]  # one list per goods row, in item order
    refused: list[str]  # the backfilled values the form would not take, each in Chinese

    def as_dict(self) -> dict[str, Any]:
        def one(f: FilledField) -> dict[str, Any]:
            return {"key": f.key, "label": f.label, "value": f.value, "text": f.text}

        return {
            "import_decl_no": self.number,
            "fields": [one(f) for f in self.fields],
            "goods": [[one(f) for f in row] for row in self.goods],
            "refused": self.refused,
        }


async def preview(session: Session, number: str) -> Preview:
    """The backfill of `number` onto an empty record of the logged-in operator."""
    declaration = await session.worker.fetch_declaration(number)
    empty = session.store.new_record()
    filled, refused = backfill(empty, declaration)
    fields = []
    for spec in (*HEADER_FIELDS, *OTHER_FIELDS):
        value = getattr(filled, spec.key, None)
        if value in (None, "", []) or value == getattr(empty, spec.key, None):
            continue
        fields.append(FilledField(spec.key, spec.title, value, field_value(spec, value)))
    shown = [
        spec
        for spec in GOODS_FIELDS
        if spec.key in (*GOODS_BACKFILLED, "seq", "amount", "quantity")
    ]
    goods = [
        [
            FilledField(
                spec.key,
                spec.title,
                getattr(row, spec.key),
                field_value(spec, getattr(row, spec.key)),
            )
            for spec in shown
        ]
        for row in filled.goods
    ]
    return Preview(declaration.number, fields, goods, [v.message for v in refused])


__all__ = ["FilledField", "Preview", "preview"]
