"""Pick a file by keys: a path input that Tab completes, and a directory tree beside it.

Operators over SSH know their paths, so typing comes first: Tab completes the name (to the
common part when several match, and lists them), ↓ goes into the tree, Enter picks. The tree follows
the directory being typed; Enter on a file in the tree picks that file. The widget only picks:
whether the file is acceptable is the caller's question (`show_error` puts the answer under the
input, and the typed path stays, so nothing is lost).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DirectoryTree, Input, Label, Static

from widgets.ordered_input import OrderedInput

MAX_LISTED = 8  # candidates shown after an ambiguous Tab: one line at 80 columns, mostly


@dataclass(frozen=True, slots=True)
class Completion:
    text: str  # the input's new text
    candidates: tuple[str, ...]  # names matching when more than one does ("" when one or none)
    directory: Path | None  # the directory the text now names, for the tree to follow


def resolve(text: str, base: Path) -> Path:
    """The path `text` names: ~ expanded, relative to `base`."""
    path = Path(os.path.expanduser(text.strip()))
    return path if path.is_absolute() else base / path


def complete(text: str, base: Path) -> Completion:
    """Tab completion of `text`: the unique match, else the longest common start of the matches.

    Hidden entries are offered only when the typed name starts with a dot. A completed directory
    gets its "/" so the next Tab lists what is inside.
    """
    head, sep, prefix = text.rpartition("/")
    directory_text = head + sep
    directory = resolve(directory_text or ".", base)
    try:
        names = sorted(
            entry.name + ("/" if entry.is_dir() else "")
            for entry in os.scandir(directory)
            if entry.name.startswith(prefix) and (prefix.startswith(".") or entry.name[0] != ".")
        )
    except OSError:
        return Completion(text, (), None)
    if not names:
        return Completion(text, (), None)
    if len(names) == 1:
        done = directory_text + names[0]
        target = resolve(done, base) if names[0].endswith("/") else directory
        return Completion(done, (), target)
    common = os.path.commonprefix(names)  # noqa: RUF071 (names, not path components)
    return Completion(directory_text + common, tuple(names), directory)


class PathInput(OrderedInput):
    """An Input whose Tab completes the path instead of moving focus."""

    BINDINGS = [  # noqa: RUF012 (Textual's declaration style)
        Binding("tab", "complete", "补全", show=False),
        Binding("down", "to_tree", "目录树", show=False),
    ]

    class CompleteRequested(Message):
        pass

    class TreeRequested(Message):
        pass

    def action_complete(self) -> None:
        self.post_message(self.CompleteRequested())

    def action_to_tree(self) -> None:
        self.post_message(self.TreeRequested())


class FileTree(DirectoryTree):
    """The directory tree, without hidden entries (dot files are noise to an operator)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]


class FilePicker(Vertical):
    """A path input with Tab completion over a directory tree. Posts `FilePicker.Picked`."""

    DEFAULT_CSS = """
    FilePicker { height: 1fr; }
    FilePicker > #fp-label { color: $text-muted; }
    FilePicker > PathInput { margin: 0; }
    FilePicker > #fp-candidates { height: auto; max-height: 2; color: $text-muted; }
    FilePicker > #fp-error { height: auto; color: $text-error; text-style: bold; }
    FilePicker > FileTree { height: 1fr; border: round $primary-muted; }
    FilePicker > FileTree:focus { border: round $primary; }
    """

    @dataclass
    class Picked(Message):
        picker: FilePicker
        path: Path

    def __init__(self, start_dir: Path, *, value: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        # a configured directory that has gone (unmounted share, typo) must not stop the picking
        self.start_dir = start_dir if start_dir.is_dir() else Path.home()
        self._value = value or _with_slash(str(start_dir))

    def compose(self) -> ComposeResult:
        yield Label("文件路径（Tab 补全，↓ 进入目录树，Enter 选定）", id="fp-label")
        yield PathInput(self._value, id="fp-path", select_on_focus=False)
        yield Static("", id="fp-candidates", markup=False)
        yield Static("", id="fp-error", markup=False)
        yield FileTree(self.start_dir, id="fp-tree")

    @property
    def input(self) -> PathInput:
        return self.query_one(PathInput)

    @property
    def tree(self) -> FileTree:
        return self.query_one(FileTree)

    def on_mount(self) -> None:
        self.input.focus()
        self.input.cursor_position = len(self.input.value)

    def show_error(self, message: str) -> None:
        """Say why the picked file is refused; the typed path stays for correcting."""
        self.query_one("#fp-error", Static).update(f"✗ {message}")  # readable without colour
        self.input.focus()

    def _say_candidates(self, text: str) -> None:
        self.query_one("#fp-candidates", Static).update(text)

    @on(PathInput.CompleteRequested)
    def _complete(self, event: PathInput.CompleteRequested) -> None:
        event.stop()
        result = complete(self.input.value, self.start_dir)
        self.input.value = result.text
        self.input.cursor_position = len(result.text)
        if result.candidates:
            shown = "  ".join(result.candidates[:MAX_LISTED])
            more = len(result.candidates) - MAX_LISTED
            self._say_candidates(
                shown + (f"  …（共{len(result.candidates)}项）" if more > 0 else "")
            )
        elif result.directory is None:
            self._say_candidates("没有匹配的文件")
        else:
            self._say_candidates("")
        target = result.directory
        if target is not None and target.is_dir() and Path(self.tree.path) != target:
            self.tree.path = target

    @on(PathInput.TreeRequested)
    def _to_tree(self, event: PathInput.TreeRequested) -> None:
        event.stop()
        self.tree.focus()

    @on(Input.Changed, "#fp-path")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#fp-error", Static).update("")

    @on(Input.Submitted, "#fp-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.show_error("请输入文件路径")
            return
        path = resolve(text, self.start_dir)
        if path.is_dir():  # Enter on a directory opens it, as a file manager would
            self.input.value = _with_slash(text)
            self.input.cursor_position = len(self.input.value)
            self.tree.path = path
            return
        self.post_message(self.Picked(self, path))

    @on(DirectoryTree.FileSelected, "#fp-tree")
    def _tree_file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.input.value = str(event.path)
        self.post_message(self.Picked(self, Path(event.path)))


def _with_slash(text: str) -> str:
    return text if text.endswith("/") else text + "/"


__all__ = ["Completion", "FilePicker", "FileTree", "PathInput", "complete", "resolve"]
