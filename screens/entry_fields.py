"""The entry form's rendering: the toolbar, one labelled widget per catalogue field, the grey rows.

`field_rows` turns the store's catalogue (store/catalogue.py) into the form's rows: a `*` before a
required field's label, a group's later parts indented under its first (联系人 姓名/电话), and the
fields the system fills (Kind.GREY) shown as text in 〔〕 rows, a group of them on one line.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from screens.entry_book import LOOKUP_KEYS, BookInput
from screens.entry_numbers import grey_value
from store import params
from store.catalogue import BY_KEY, FieldSpec, Kind, Type
from store.record import RecordData
from widgets.actions import BY_ID, key_text
from widgets.fields import CheckGroup, DateInput, FieldInput, ParamInput
from widgets.values import grey_text

# (action, label, registry id) of the toolbar's buttons, in the manual's order
BUTTONS = (
    ("new_record", "新增", "entry.new"),
    ("save", "暂存", "entry.save"),
    ("delete", "删除", "entry.delete"),
    ("submit", "提交", "entry.submit"),
    ("print", "打印", "entry.print"),
    ("attachments", "随附单据", "entry.attachments"),
    ("copy_record", "复制", "entry.copy"),
)
Field = FieldInput | CheckGroup


class ToolButton(Button):
    """A toolbar button whose label says it is closed (（删除F8）) as well as striking it through:
    strike-through and dim are lost on a terminal without those attributes."""

    def __init__(self, text: str, *, id: str) -> None:
        super().__init__(text, id=id, compact=True)
        self.text = text

    def watch_disabled(self, disabled: bool) -> None:
        super().watch_disabled(disabled)
        self.label = f"（{self.text}）" if disabled else self.text


def toolbar_buttons() -> Iterator[Button]:
    """The toolbar's buttons (id `btn-<action>`), each labelled with its function key."""
    for action, label, action_id in BUTTONS:
        keys = BY_ID[action_id].keys.split(",")
        fkey = next((k for k in keys if k.startswith("f")), keys[0])
        button = ToolButton(f"{label}{key_text(fkey)}", id=f"btn-{action}")
        button.can_focus = False  # keys, not Tab stops: Tab walks the fields only
        yield button


def widget_for(spec: FieldSpec) -> Field:
    """The input widget of one field: ticks, a parameter code, a date or free text."""
    if spec.type == Type.MULTI:
        assert spec.table
        table = params.table(spec.table)
        codes = spec.choices or tuple(e.code for e in table)
        options = [(code, table.get(code).name) for code in codes]  # type: ignore[union-attr]
        return CheckGroup(spec, options)
    if spec.type == Type.PARAM:
        return ParamInput(spec)
    if spec.type == Type.DATE:
        return DateInput(spec)
    if spec.key in (*LOOKUP_KEYS, "producer_name"):
        return BookInput(spec)  # Space lists the enterprise book
    return FieldInput(spec)


def field_rows(
    specs: tuple[FieldSpec, ...], fields: dict[str, Field], greys: dict[str, Static]
) -> ComposeResult:
    """The rows of `specs`; each widget made goes into `fields`, each grey text into `greys`
    (by field key: the parts of one grey group share one Static)."""
    previous_label = ""
    grey_group: list[FieldSpec] = []

    def grey_row(group: list[FieldSpec]) -> Horizontal:
        first = group[0]
        static = Static("", classes="grey", id=f"grey-{first.key}", markup=False)
        for spec in group:
            greys[spec.key] = static
        # 〔〕 marks a field the system fills, so it reads apart from an optional one
        # without colour (the brackets are wide, never ambiguous-width, characters)
        return Horizontal(Label(f"〔{first.label}〕", classes="label -grey"), static, classes="row")

    for spec in specs:
        if spec.kind == Kind.GREY:
            if grey_group and grey_group[0].label != spec.label:
                yield grey_row(grey_group)
                grey_group = []
            grey_group.append(spec)
            continue
        if grey_group:
            yield grey_row(grey_group)
            grey_group = []
        widget = widget_for(spec)
        fields[spec.key] = widget
        same_group = spec.label == previous_label
        text = f"  {spec.sub}" if same_group and spec.sub else spec.label
        marker = "*" if spec.kind == Kind.REQUIRED else " "
        kind = "-required" if spec.kind == Kind.REQUIRED else "-optional"
        previous_label = spec.label
        label = Label(f"{marker}{text}", classes=f"label {kind}", id=f"label-{spec.key}")
        children: list[Widget] = [label, widget]
        if spec.key == "import_decl_no":
            children.append(Label("", id="backfill-state", classes="busy"))
        yield Horizontal(*children, classes="row")
    if grey_group:
        yield grey_row(grey_group)


def mark_required(label: Label, required: bool) -> None:
    """A field the rules require only in some cases gets its * while that case holds
    (退货原因具体说明 once 质量原因 is ticked), and loses it again."""
    text = str(label.content)[1:]
    label.update(f"{'*' if required else ' '}{text}")
    label.set_class(required, "-required")
    label.set_class(not required, "-optional")


def show_greys(record: RecordData, greys: dict[str, Static]) -> None:
    """Write `record`'s system-filled values into the grey rows."""
    parts: dict[Static, list[str]] = {}  # a composite field's parts share one line
    for key, static in greys.items():
        value = grey_value(record, key)
        if key == "status" and not record.key:
            value = None  # a record never saved has no status yet
        parts.setdefault(static, []).append(grey_text(BY_KEY[key], value))
    for static, texts in parts.items():
        static.update("  ".join(t for t in texts if t))
