"""Which file in the watched folders holds which 海关编号: an index kept cheap.

The folders are the client's (its ImpPath with InBox and SentBox, an export folder …), searched
with their subfolders. Each lookup walks them by `os.scandir` (names and stat only) and parses only
the files it has not seen or that changed since (by mtime and size); files that are no import
declaration are remembered as such (with their refusal) and not parsed again. When no usable file
has the number but an unusable one does (an export declaration, a truncated file whose 海关编号 or
name is the number), `find` raises that file's refusal rather than saying nothing. Thread-safe
(the worker calls it from a thread). A folder that is missing or unreadable is skipped, not an
error: a share may be unmounted.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from customs.declfiles.errors import DeclarationFileError
from customs.declfiles.reader import FileDeclaration, read_declaration

PREFERENCE = {".xml": 0, ".json": 1, ".xlsx": 2}
SUFFIXES = frozenset(PREFERENCE)
MAX_DEPTH = 4  # ImpPath/InBox/2025/11/… deep enough; a folder set at / must not walk the disk
MAX_FILES = 50_000

Stamp = tuple[int, int]  # (mtime_ns, size)


class DeclarationIndex:
    """Find the declaration file of a number among `folders` (see the module docstring)."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = tuple(Path(f).expanduser() for f in folders)
        # path (str: a Path per file per lookup cost more than the stat) -> (stamp, 海关编号 or
        # None, the refusal of a file that cannot backfill)
        self._seen: dict[str, tuple[Stamp, str | None, DeclarationFileError | None]] = {}
        self._lock = threading.Lock()
        self.parsed = 0  # files parsed so far (the benchmark and the tests read it)

    def find(self, number: str) -> FileDeclaration | None:
        """The declaration whose 海关编号 is `number`, read from its file; None if no file has it.

        `DeclarationFileError` if the file found cannot be read any more (changed meanwhile), or
        when no usable file has the number but an unusable one does (its 海关编号 as read, or its
        name, is the number): the newest such file's refusal.
        """
        with self._lock:
            self._refresh()
            matches = [(p, stamp) for p, (stamp, n, _) in self._seen.items() if n == number]
            unusable = [
                (stamp, refusal)
                for p, (stamp, _, refusal) in self._seen.items()
                if refusal is not None
                and (refusal.number == number or number in os.path.basename(p))
            ]
        if not matches:
            if unusable:
                raise max(unusable, key=lambda u: u[0][0])[1]
            return None
        # one declaration in several files: the message first (its codes are exact), then the
        # web JSON, then the sheet (names read back into codes); among equals the newest
        path, _ = min(
            matches, key=lambda m: (PREFERENCE[os.path.splitext(m[0])[1].lower()], -m[1][0])
        )
        return read_declaration(Path(path))

    def refresh(self) -> None:
        """Bring the index up to date now (the worker does it at login, in a thread, so the first
        Enter does not wait for every file of a large folder to be parsed)."""
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        present: set[str] = set()
        for path, stamp in self._files():
            present.add(path)
            known = self._seen.get(path)
            if known is not None and known[0] == stamp:
                continue
            self._seen[path] = (stamp, *self._number(path))
        for gone in set(self._seen) - present:
            del self._seen[gone]

    def _number(self, path: str) -> tuple[str | None, DeclarationFileError | None]:
        """(its 海关编号, None), or (None, why it cannot backfill); `read_declaration` turns every
        error of one file into a DeclarationFileError, so one bad file never stops the index."""
        self.parsed += 1
        try:
            return read_declaration(Path(path)).declaration.number, None
        except DeclarationFileError as refusal:
            return None, refusal

    def _files(self) -> Iterator[tuple[str, Stamp]]:
        count = 0
        for folder in self.folders:
            for path, stamp in _walk(str(folder), MAX_DEPTH):
                count += 1
                if count > MAX_FILES:
                    return
                yield path, stamp


def _walk(folder: str, depth: int) -> Iterator[tuple[str, Stamp]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if depth > 0:
                    yield from _walk(entry.path, depth - 1)
            elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                stat = entry.stat()
                yield entry.path, (stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue
