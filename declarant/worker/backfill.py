"""Where a backfill comes from: the gateway first, then the office's own declaration files.

`find(fetch, files, number)` asks the gateway (`fetch`); when it does not know the number
(`NotFound`), the watched folders' index (`customs.declfiles.DeclarationIndex`) gives the file whose
海关编号 it is, read in a thread. `from_file(path)` reads a file the operator picked. Either way the
answer is a `Backfill`: the declaration and, for a file, where it came from (the form says it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from customs import wire
from customs.declfiles import DeclarationIndex, FileDeclaration, read_declaration
from customs.errors import NotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backfill:
    declaration: wire.ImportDeclaration
    file: FileDeclaration | None = None  # None: the gateway's answer

    @property
    def notes(self) -> tuple[str, ...]:
        return self.file.notes if self.file is not None else ()


async def find(
    fetch: Callable[[str], Awaitable[wire.ImportDeclaration]],
    files: DeclarationIndex,
    number: str,
) -> Backfill:
    """The gateway's declaration `number`, else the watched file's; the gateway's NotFound when
    neither has it. `DeclarationFileError` when the file found can no longer be read, or when the
    only watched file holding the number cannot backfill (an export declaration, a truncated file):
    the operator reads that file's problem, not 未找到."""
    try:
        return Backfill(await fetch(number))
    except NotFound:
        if not files.folders:
            raise
        found = await asyncio.to_thread(files.find, number)
        if found is None:
            raise
        log.info("backfill %s from file %s (the gateway does not know it)", number, found.path)
        return Backfill(found.declaration, found)


def warm(files: DeclarationIndex) -> asyncio.Task[None] | None:
    """Index the watched folders in a thread, in the background (at login): a folder of 2,000
    files takes seconds to index the first time, and the first Enter must not wait for that."""
    if not files.folders:
        return None
    return asyncio.get_running_loop().create_task(asyncio.to_thread(files.refresh))


async def from_file(path: Path) -> Backfill:
    """The declaration in the file `path` (picked by the operator); `DeclarationFileError`."""
    found = await asyncio.to_thread(read_declaration, path)
    return Backfill(found.declaration, found)
