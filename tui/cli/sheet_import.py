"""`tuihuo import FILE`: a client's spreadsheet into 暂存 records (declarant.sheets.import_sheet).

Each row is backfilled from its 进口报关单号 through the card's gateway session, checked with the
form's rules and saved as a draft, with a Rich progress bar on stderr; records already in 暂存 with
the same number are updated only after a yes to one question (the default keeps them). The summary,
the first refused cells and the result workbook's path (FILE.结果.xlsx, beside it) follow. Exit 0
every row done; 1 rows refused (each cell named in the result workbook); 2 a file it cannot read;
3 the gateway, the database or the card unavailable (what was saved stays).
"""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli import common
from tui.cli.errors import ExitCode, Failed

SHOWN_PROBLEMS = 20  # refused cells printed; the result workbook holds them all
SHOWN_NUMBERS = 5


@click.command("import", short_help="Import a spreadsheet of records as drafts (暂存).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def command(ctx: click.Context, file: Path) -> int:
    """导入电子表格 FILE：每行按进口报关单号获取数据、检查后存为暂存。"""
    from declarant.sheets import Existing, SheetError, import_sheet
    from declarant.sheets.result import exit_code

    if not file.is_file():
        raise Failed(f"文件不存在：{file}", ExitCode.USAGE)

    def confirm(existing: list[Existing]) -> bool:
        numbers = "、".join(e.import_decl_no for e in existing[:SHOWN_NUMBERS])
        more = f"等{len(existing)}个" if len(existing) > SHOWN_NUMBERS else ""
        return click.confirm(
            f"进口报关单号 {numbers}{more} 已有暂存记录，用表格内容更新这些记录？",
            default=False,
            err=True,
        )

    async def work(session):  # type: ignore[no-untyped-def]
        with common.progress() as bar:
            task = bar.add_task("导入", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return await import_sheet(
                file,
                store=session.store,
                fetch=session.worker.fetch_declaration,
                confirm=confirm,
                progress=progress,
            )

    try:
        result = common.with_session(ctx, work, online=True)
    except SheetError as error:
        raise Failed(error.message, ExitCode.USAGE) from None
    report(result)
    return exit_code(result)


def report(result) -> None:  # type: ignore[no-untyped-def]
    """The summary, the first refused cells, the stop's reason, the result workbook's path."""
    from declarant.sheets import Severity
    from store.text import (
        inert,
    )  # sheet names, headers and paths come from the client's file

    click.echo(result.summary())
    refused = [p for p in result.problems if p.severity == Severity.REFUSED]
    for problem in refused[:SHOWN_PROBLEMS]:
        column = f" {problem.column}列" if problem.column else ""
        named = "" if problem.message.startswith(problem.header) else f"{problem.header}："
        click.echo(
            inert(f"  ✗ {problem.sheet} 第{problem.row}行{column}：{named}{problem.message}")
        )
    if len(refused) > SHOWN_PROBLEMS:
        click.echo(f"  …共{len(refused)}处，见结果文件")
    if result.stopped:
        click.echo(inert(f"导入中止：{result.stopped}（已导入的记录已保存）"), err=True)
    if result.result_path is not None:
        click.echo(inert(f"结果文件：{result.result_path}"))
    elif result.result_error:
        click.echo(inert(result.result_error), err=True)
