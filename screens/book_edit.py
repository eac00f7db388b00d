"""Dialogs of the enterprise book (常用企业): one entry's fields to add or change, a file to import.

`BookEditScreen` shows the kind's fields with the form's own widgets (a parameter field lists its
table on Space), Enter moves to the next field, F2 saves through `EnterpriseBook.put` (checked as the
form checks; a refusal marks the field and says why, nothing is lost), Esc leaves unchanged. It
dismisses with the saved entry or None. `BookFileScreen` picks an .xlsx to import.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens.popups import ParamPopup
from store.book import KINDS, BookRefused, EnterpriseBook, Known, fields_of
from store.catalogue import BY_KEY
from store.errors import StoreError
from widgets.actions import bindings, in_scope, key_text
from widgets.fields import FieldInput, ParamInput, PopupRequested
from widgets.file_picker import FilePicker


def keys_line(scope: str) -> str:
    return "  ".join(f"{key_text(a.keys)} {a.label}" for a in in_scope(scope))


class BookEditScreen(ModalScreen[Known | None]):
    """Add (`entry` None) or change one entry of `kind`."""

    DEFAULT_CSS = """
    BookEditScreen { align: center middle; }
    BookEditScreen > Vertical {
        width: 100%; max-width: 76; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    BookEditScreen .row { height: 1; }
    BookEditScreen .label { width: 24; }
    BookEditScreen #book-edit-title { text-style: bold; }
    BookEditScreen #book-edit-note { height: auto; color: $text-error; }
    BookEditScreen #book-edit-keys { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        *bindings("book_edit"),
        Binding("enter", "move(1)", show=False, priority=True),
        Binding("shift+tab,up", "move(-1)", show=False, priority=True),
        Binding("tab,down", "move(1)", show=False, priority=True),
    ]

    def __init__(self, book: EnterpriseBook, kind: str, entry: Known | None = None) -> None:
        super().__init__()
        self.book = book
        self.kind = kind
        self.entry = entry
        self.inputs: dict[str, FieldInput] = {}

    def compose(self) -> ComposeResult:
        action = "修改" if self.entry else "新增"
        with Vertical():
            yield Label(f"常用企业：{action}{KINDS[self.kind]}", id="book-edit-title")
            for column, field in fields_of(self.kind).items():
                spec = BY_KEY[field]
                widget = ParamInput(spec) if spec.table else FieldInput(spec)
                self.inputs[column] = widget
                yield Horizontal(Label(spec.title, classes="label"), widget, classes="row")
            yield Static("", id="book-edit-note", markup=False)
            yield Static(keys_line("book_edit"), id="book-edit-keys", markup=False)

    def on_mount(self) -> None:
        values = self.entry.values() if self.entry else {}
        for column, widget in self.inputs.items():
            widget.show(values.get(column))
        first = next(iter(self.inputs.values()))
        self.set_focus(first)

    def action_move(self, step: int) -> None:
        chain = list(self.inputs.values())
        focused = self.focused
        index = chain.index(focused) if focused in chain else -1  # type: ignore[arg-type]
        self.set_focus(chain[(index + step) % len(chain)])

    def action_save(self) -> None:
        values: dict[str, str | None] = {}
        for column, widget in self.inputs.items():
            raw = widget.resolve() if isinstance(widget, ParamInput) else None
            values[column] = raw or str(widget.raw() or "") or None
        try:
            saved = self.book.put(self.kind, values, entry_id=self.entry.id if self.entry else None)
        except BookRefused as refused:
            for column, widget in self.inputs.items():
                widget.mark(next((m for c, m in refused.refusals if c == column), None))
            column, message = refused.refusals[0]
            self.query_one("#book-edit-note", Static).update(f"✗ {message}")
            self.set_focus(self.inputs[column])
            return
        except StoreError as error:
            self.query_one("#book-edit-note", Static).update(f"✗ {error.message}")
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(PopupRequested)
    def _popup(self, event: PopupRequested) -> None:
        widget = event.field
        if not isinstance(widget, ParamInput):
            return

        def chosen(code: str | None) -> None:
            if code is not None:
                widget.show(code)
            self.set_focus(widget)

        self.app.push_screen(
            ParamPopup(widget.table, title=widget.spec.title, text=event.text), chosen
        )


class BookFileScreen(ModalScreen[Path | None]):
    """The .xlsx to import into the book (a path typed with Tab completion, or the tree)."""

    BINDINGS = [b for b in bindings("popup") if b.action == "cancel"]  # noqa: RUF012

    DEFAULT_CSS = """
    BookFileScreen { align: center middle; }
    BookFileScreen > Vertical {
        width: 100%; max-width: 90; height: 100%; max-height: 22;
        border: round $primary; background: $surface; padding: 0 1;
    }
    BookFileScreen #bf-title { text-style: bold; }
    """

    def __init__(self, start_dir: Path) -> None:
        super().__init__()
        self.start_dir = start_dir

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("导入常用企业：选择 XLSX 文件（导出的格式）", id="bf-title")
            yield FilePicker(self.start_dir, id="bf-picker")

    @on(FilePicker.Picked)
    def _picked(self, event: FilePicker.Picked) -> None:
        event.stop()
        if event.path.suffix.lower() != ".xlsx":
            event.picker.show_error("请选择 .xlsx 文件")
            return
        if not event.path.is_file():
            event.picker.show_error(f"找不到文件：{event.path}")
            return
        self.dismiss(event.path)

    def action_cancel(self) -> None:
        self.dismiss(None)
