"""`import_sheet`: a client's spreadsheet into 暂存 records, each backfilled, checked and saved whole.

    result = await import_sheet(path, store=store, fetch=worker.fetch_declaration,
                                confirm=ask, progress=show)

Every records row is backfilled from its 进口报关单号 through `fetch` (the worker's path to the
gateway), its goods weights taken from the goods sheet, checked with the form's rules
(`store.rules.check_for_save`: a refused value refuses the row) and saved as a draft by
`RecordStore.save` (one transaction: the record and its goods rows together, or nothing). What
提交 would still ask for is listed as 提交前需补充, not refused. A number already in 暂存 is updated,
once `confirm(existing)` says yes; one whose record customs holds is refused. Declarations are
fetched a few at a time ahead of the row being saved; rows are saved in the file's order.

The import stops (`ImportResult.stopped`, the rest 未处理, what was saved stays) when the gateway
cannot be reached (`customs.errors` other than NotFound/BadRequest, the worker's NotConnected) or the
database fails (`DatabaseFault`). A file that cannot be read at all raises `SheetError` before
anything is saved. The result workbook is written beside the input (`result_path_for`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from customs.card import CardError
from customs.errors import GatewayError, NotFound, Rejected
from customs.mapping import backfill
from customs.wire import ImportDeclaration
from declarant.sheets.existing import Existing, existing_records
from declarant.sheets.reader import read_workbook
from declarant.sheets.result import (
    ImportResult,
    Outcome,
    Problem,
    RowResult,
    Severity,
    result_path_for,
    write_result,
)
from declarant.sheets.rows import (
    NUMBER_KEY,
    RecordLine,
    apply_goods,
    apply_typed,
    goods_lines,
    goods_problems,
    problem,
    record_line,
    violation_problem,
)
from declarant.worker import NotConnected
from store.errors import DatabaseFault, StoreError
from store.record import RecordData
from store.records import RecordStore
from store.rules import RuleError, check_for_save, check_for_submit

log = logging.getLogger(__name__)

Fetch = Callable[[str], Awaitable[ImportDeclaration]]
Confirm = Callable[[list[Existing]], Awaitable[bool] | bool]
Progress = Callable[[int, int], None]
AHEAD = 8  # declarations fetched ahead of the row being saved


class _Stop(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def import_sheet(
    path: Path,
    *,
    store: RecordStore,
    fetch: Fetch,
    confirm: Confirm | None = None,
    progress: Progress | None = None,
    write: bool = True,
) -> ImportResult:
    """Import the workbook at `path`; returns what happened to each row (see the module doc).

    `confirm(existing)` is asked once, before anything is saved, when rows would update records in
    暂存 (no `confirm`: they are left as they are). `progress(done, total)` follows each row.
    `write=False` leaves the result workbook unwritten.
    """
    result, lines = await asyncio.to_thread(_read, path)  # off the loop: a screen waits on it
    numbers = {line.number for line in lines if line.number}
    try:
        existing = await asyncio.to_thread(existing_records, store.engine, store.operator, numbers)
    except DatabaseFault as fault:
        result.stopped = fault.message
        result.rows.extend(_row(line, Outcome.NOT_DONE) for line in lines)
        await _write(result, path, write)
        return result
    clean = {line.number for line in lines if line.number and not line.problems}
    drafts = [e for e in existing.values() if e.is_draft and e.import_decl_no in clean]
    update = bool(drafts) and confirm is not None and await _ask(confirm, drafts)
    total = len(lines)
    if progress is not None:
        progress(0, total)
    limit = asyncio.Semaphore(AHEAD)

    async def fetch_one(number: str) -> ImportDeclaration:
        async with limit:
            return await fetch(number)

    tasks: dict[int, asyncio.Task[ImportDeclaration]] = {}
    for index, line in enumerate(lines):
        known = existing.get(line.number or "")
        if line.number and not line.problems and (known is None or (known.is_draft and update)):
            tasks[index] = asyncio.create_task(fetch_one(line.number))
    try:
        for index, line in enumerate(lines):
            if result.stopped:
                result.rows.append(_row(line, Outcome.NOT_DONE))
                continue
            try:
                result.rows.append(await _one(store, line, existing, update, tasks.get(index)))
            except _Stop as stop:
                result.stopped = stop.message
                result.rows.append(_row(line, Outcome.NOT_DONE))
                for task in tasks.values():
                    task.cancel()
            if progress is not None:
                progress(index + 1, total)
    finally:
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    await _write(result, path, write)
    return result


async def _write(result: ImportResult, path: Path, write: bool) -> None:
    """The result workbook beside the input; a failure to write it is said, the import stands."""
    if not write:
        return
    target = result_path_for(path)
    try:
        result.result_path = await asyncio.to_thread(write_result, result, target)
    except OSError as error:
        log.warning("import result not written to %s: %s", target, error)
        result.result_error = f"结果文件未能写入 {target}：{error.strerror or error}"


def _read(path: Path) -> tuple[ImportResult, list[RecordLine]]:
    """The workbook's record lines, each with its goods lines; a repeated number refused."""
    book = read_workbook(path)
    result = ImportResult()
    result.notes.extend(f"未识别的列，已忽略：{c}" for c in book.records.ignored)
    goods_by_number, goods_notes = goods_lines(book.goods)
    lines = [record_line(row) for row in book.records.rows]
    first_row: dict[str, int] = {}
    for line in lines:
        if line.number is None:
            continue
        if line.number in first_row:
            why = f"与第{first_row[line.number]}行的进口报关单号重复"
            line.problems.append(problem(line.row, NUMBER_KEY, why))
            continue
        first_row[line.number] = line.row.number
        line.goods = goods_by_number.pop(line.number, [])
    for number, unused in goods_by_number.items():
        for goods in unused:
            result.notes.append(
                f"{goods.row.sheet}第{goods.row.number}行：进口报关单号{number}"
                "不在出口退货记录表中，未使用"
            )
    result.notes.extend(f"{p.sheet}第{p.row}行：{p.message}" for p in goods_notes)
    return result, lines


async def _ask(confirm: Confirm, drafts: list[Existing]) -> bool:
    answer = confirm(drafts)
    if inspect.isawaitable(answer):
        answer = await answer
    return bool(answer)


def _row(line: RecordLine, outcome: Outcome, number: str = "") -> RowResult:
    return RowResult(
        line.row.sheet, line.row.number, line.number or line.raw_number, outcome, number
    )


async def _one(
    store: RecordStore,
    line: RecordLine,
    existing: dict[str, Existing],
    update: bool,
    task: asyncio.Task[ImportDeclaration] | None,
) -> RowResult:
    """One records row: refused, skipped, or saved whole (raises _Stop when the import must)."""
    known = existing.get(line.number or "")
    if known is not None and not line.problems:
        if not known.is_draft:
            why = f"该进口报关单号已有记录{known.key}（{known.status.label}），未导入"
            line.problems.append(problem(line.row, NUMBER_KEY, why))
        elif not update:
            row = _row(line, Outcome.SKIPPED, known.key)
            row.problems.append(
                problem(line.row, NUMBER_KEY, f"已有暂存记录{known.key}，未更新", Severity.NOTE)
            )
            return row
    if line.problems or task is None:
        base = apply_typed(store.new_record(), line)  # every typed cell's problem, at once
        # a cell that could not be read is not in `base`: each problem is reported once
        line.problems.extend(
            violation_problem(line, v, Severity.REFUSED) for v in check_for_save(base)
        )
        return _refused(line)
    try:
        declaration = await task
    except (NotFound, Rejected) as error:  # this declaration: not found, malformed, not ours
        line.problems.append(problem(line.row, NUMBER_KEY, error.message))
        return _refused(line)
    except GatewayError as error:
        raise _Stop(f"海关网关不可用：{error.message}") from error
    except (NotConnected, CardError) as error:  # logged out, the card pulled at a new login
        raise _Stop(error.message) from error
    base = store.new_record()
    if known is not None:
        try:
            base = await asyncio.to_thread(store.load, known.key)
        except DatabaseFault as fault:
            raise _Stop(fault.message) from fault
    record, backfill_refused = backfill(apply_typed(base, line), declaration)
    record = apply_goods(apply_typed(record, line), line)
    line.problems.extend(goods_problems(line, {g.seq for g in record.goods}))
    if line.problems:
        refused = check_for_save(record)
        line.problems.extend(violation_problem(line, v, Severity.REFUSED) for v in refused)
        return _refused(line)
    try:  # the store checks the form's rules itself: a refused value is a RuleError, nothing saved
        saved = await asyncio.to_thread(store.save, record)
    except DatabaseFault as fault:
        raise _Stop(fault.message) from fault
    except RuleError as error:
        line.problems.extend(violation_problem(line, v, Severity.REFUSED) for v in error.violations)
        return _refused(line)
    except StoreError as error:
        line.problems.append(problem(line.row, NUMBER_KEY, error.message))
        return _refused(line)
    row = _row(line, Outcome.UPDATED if known else Outcome.CREATED, saved.key or "")
    row.problems.extend(violation_problem(line, v, Severity.NOTE) for v in backfill_refused)
    row.problems.extend(_to_complete(line, saved))
    return row


def _refused(line: RecordLine) -> RowResult:
    row = _row(line, Outcome.REFUSED)
    row.problems.extend(line.problems)
    return row


def _to_complete(line: RecordLine, saved: RecordData) -> list[Problem]:
    """What 提交 would still refuse in the saved draft: the operator completes it in the form."""
    return [violation_problem(line, v, Severity.TO_COMPLETE) for v in check_for_submit(saved)]
