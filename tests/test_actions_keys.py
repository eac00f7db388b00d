"""The registry against itself and against the widgets' own bindings.

A key of an action must do that action wherever the key list says it works: no two actions share a
key where their scopes are in force together, and no widget of the scope binds a key the registry
gives to a non-priority action (the focused widget would take it first: Ctrl+E in an Input moved
the cursor to the end instead of opening 出口退货信息录入).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, TabbedContent, Tabs

from screens.query_filters import StatusInput
from widgets.actions import ACTIONS, Action
from widgets.fields import CheckGroup, DateInput, FieldInput, ParamInput

# the scopes in force together: the App's (shell), the main screen's (app) and a tab's content;
# a modal screen (attachments, print, popups) has only its own and the App's
STACKS = {
    "entry": ("shell", "app", "entry"),
    "query": ("shell", "app", "query"),
    "receipts": ("shell", "app", "receipts"),
    "attachments": ("shell", "attachments"),
    "print": ("shell", "print"),
    "popup": ("shell", "popup"),
    "book": ("shell", "app", "book"),
    "book_edit": ("shell", "book_edit"),
}
# the widgets that can hold the focus in each stack
WIDGETS: dict[str, tuple[type[Widget], ...]] = {
    "entry": (FieldInput, ParamInput, DateInput, CheckGroup, Button, VerticalScroll, Tabs),
    "query": (StatusInput, Input, DataTable, Button, Tabs, TabbedContent),
    "receipts": (DataTable, Button),
    "attachments": (DataTable, Input, Button),
    "print": (VerticalScroll, Button),
    "popup": (OptionList, Input, DataTable),
    "book": (Input, DataTable, Tabs, TabbedContent),
    "book_edit": (FieldInput, ParamInput),
}


# the widget's key is the action itself there, said so in the key list
SAME = {
    ("entry.popup", "CheckGroup.toggle"),  # Space ticks a box; 参数 is for parameter/date fields
    ("attachments.details", "DataTable.select_cursor"),  # Enter on a row is 详情
    ("attachments.details", "Input.submit"),  # Enter in the path field picks the file
    ("attachments.details", "Button.press"),
}


def _keys(action: Action) -> list[str]:
    return [k.strip() for k in action.keys.split(",")]


def _widget_keys(cls: type[Widget]) -> dict[str, str]:
    table: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        for binding in base.__dict__.get("BINDINGS", []):
            key, action = (
                (binding.key, binding.action)
                if isinstance(binding, Binding)
                else (binding[0], binding[1])
            )
            for name in key.split(","):
                table[name.strip()] = f"{cls.__name__}.{action}"
    return table


def test_every_scope_has_a_stack() -> None:
    assert {a.scope for a in ACTIONS} <= {s for stack in STACKS.values() for s in stack}


def test_no_two_actions_share_a_key_where_both_are_in_force() -> None:
    clashes = []
    for name, stack in STACKS.items():
        owner: dict[str, str] = {}
        for action in (a for a in ACTIONS if a.scope in stack):
            for key in _keys(action):
                if key in owner:
                    clashes.append(f"{name}: {key} is {owner[key]} and {action.id}")
                owner[key] = action.id
    assert not clashes


def test_no_widget_takes_a_key_of_the_registry() -> None:
    taken = []
    for name, stack in STACKS.items():
        for action in (a for a in ACTIONS if a.scope in stack and not a.priority):
            for cls in WIDGETS[name]:
                for key in _keys(action):
                    if key in _widget_keys(cls) and (action.id, _widget_keys(cls)[key]) not in SAME:
                        taken.append(f"{action.id} {key}: {_widget_keys(cls)[key]}")
    assert not taken
