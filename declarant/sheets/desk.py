"""The import as a command runs it: log in with the card, import, log out, an exit code.

    result = await import_file(runtime.worker, path, pin, confirm=ask, progress=show)
    sys.exit(exit_code(result))

Exit codes (`tuihuo import`): 0 every row done (imported, updated, or kept at the operator's word),
1 some rows refused (the result workbook names each cell), 2 a usage error (the file cannot be read:
`SheetError`; a card refusal), 3 the service is unavailable (the gateway or the database stopped
the import; what was saved stays).
"""

from __future__ import annotations

from pathlib import Path

from declarant.sheets.importer import Confirm, Progress, import_sheet
from declarant.sheets.result import ImportResult, exit_code
from declarant.worker import NotConnected, Worker

__all__ = ["exit_code", "import_file"]


async def import_file(
    worker: Worker,
    path: Path,
    pin: str,
    *,
    confirm: Confirm | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Card login with `pin` (customs.card errors: the caller's to say), the import, the logout.

    A session that could not reach the gateway (OFFLINE) stops the import at its first row with
    the worker's message (`ImportResult.stopped`).
    """
    await worker.login(pin)
    try:
        if worker.store is None:
            raise NotConnected(worker.state)
        return await import_sheet(
            path,
            store=worker.store,
            fetch=worker.fetch_declaration,
            confirm=confirm,
            progress=progress,
        )
    finally:
        await worker.logout()
