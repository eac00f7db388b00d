"""Where Enter goes in the entry form: past what is filled, to what still needs the operator.

Enter moves to the next field, passing over every following field the screen shows as filled by
the book (〔常用〕) or the backfill, still as filled and valid (`passable`); it lands on the first
field that is not. An empty field is never passed over, optional or not: the operator sees it.
Besides:
- on a field the book or the backfill filled, still as filled and valid, Enter moves to the next
  field that still needs the operator: one empty or refused (`needs_operator`);
- on a producer code whose Enter just filled its group from the book, Enter passes only the
  fields the book filled (〔常用〕, as above): a value the operator typed in the group is visited;
- on 退货重量 it passes over the row's 是否属于工业品 while that holds a valid value (its default
  Y): the next row's weight, or after the last row the next section.
Tab, ↑ and Shift+Tab still visit every field, so nothing is out of reach. The decision is made at
the Enter, from what the form holds then, so a burst typed ahead lands where the screen, at each
key, said it would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.widget import Widget

from screens.entry_goods import GoodsIndustrial, GoodsWeight
from store.rules import validate_field
from store.validators import FieldError
from widgets.fields import ParamInput


def valid(widget: Widget) -> bool:
    spec = getattr(widget, "spec", None)
    if spec is None or widget.has_class("-refused"):
        return False
    raw = widget.raw()  # type: ignore[attr-defined]
    if isinstance(widget, ParamInput) and raw and raw != widget.code:
        raw = widget.resolve()  # a code typed, not yet shown as "code name"
        if raw is None:
            return False
    try:
        validate_field(spec, raw)
    except FieldError:
        return False
    return True


def needs_operator(widget: Widget) -> bool:
    """Empty, or refused."""
    if widget.has_class("-refused"):
        return True
    return widget.raw() in (None, "", [])  # type: ignore[attr-defined]


def still_filled(widget: Widget, filled: Mapping[str, object]) -> bool:
    """The field shows what the book or the backfill put there."""
    spec = getattr(widget, "spec", None)
    return spec is not None and spec.key in filled and widget.raw() == filled[spec.key]  # type: ignore[attr-defined]


def passable(widget: Widget, filled: Mapping[str, object]) -> bool:
    """Enter may pass over it: shown filled by the book or the backfill, and valid."""
    return not needs_operator(widget) and still_filled(widget, filled) and valid(widget)


def enter_target(
    chain: Sequence[Widget],
    current: Widget,
    filled: Mapping[str, object],
    *,
    filled_now: bool = False,
) -> Widget | None:
    """The field Enter on `current` goes to; None: the plain next one (or none after the last).

    `chain`: the focusable fields in order; `filled`: field key -> the value the book or the
    backfill put there; `filled_now`: `current`'s Enter has just filled its group from the book.
    """
    if current not in chain:
        return None
    after = list(chain[chain.index(current) + 1 :])
    if filled_now:  # past what the screen shows the book filled (a typed value is visited)
        return next((w for w in after if not passable(w, filled)), None)
    if still_filled(current, filled) and valid(current):
        return next((w for w in after if needs_operator(w)), None)
    skips_flag = len(after) > 1 and isinstance(after[0], GoodsIndustrial) and valid(after[0])
    if isinstance(current, GoodsWeight) and skips_flag:
        after = after[1:]
    # every field after it filled: the next one, as a plain Enter
    return next((w for w in after if not passable(w, filled)), after[0] if after else None)
