"""Files only their owner may read: the store, the sandbox state (it holds session tokens), exports.

    private_dir(path)                  # the directory, created 0700 (tightened to 0700 when it exists)
    ensure_dir(path)                   # created 0700 when missing; an existing one is left as it is
    private_file(path)                 # created empty 0600 when missing; tightened to 0600 when it exists
    open_private(path, "w", ...)       # like Path.open, but a new file is 0600 from its first byte
    write_private_text(path, text)     # Path.write_text into a 0600 file

Tightening an existing file or directory is skipped when it belongs to someone else (a shared
database file an administrator set up): that is theirs to decide. SQLite gives its -wal and -shm
files the permissions of the database file, so a 0600 database keeps its journal private too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~mode:
            path.chmod(mode)
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows): the ACLs decide
        pass


def ensure_dir(path: Path) -> Path:
    """`path` as a directory; the ones created here are 0700 (parents too)."""
    missing = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        directory.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner can enter (0700)."""
    ensure_dir(path)
    _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """`path` as a file only its owner can read (0600), created empty when missing."""
    ensure_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    _tighten(path, FILE_MODE)
    return path


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """`open(path, mode)` for writing ("w", "wb", "a", "ab"), the file 0600 whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        _tighten(path, FILE_MODE)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with open_private(path, "w", encoding=encoding) as handle:
        handle.write(text)
