"""`tuihuo submit 统一编号… | --all-drafts`: 提交 with the card, through the worker's outbox.

Each record goes as 提交 on the form sends it: numbered by the gateway if it holds only a local
draft number, checked, signed by the card, 已提交 and the outbox written, then sent. One line per
record (accepted / pending / refused with the reasons); exit 1 if any record was refused, 3 if
any waits in the outbox for customs' answer (the gateway failed mid-way), else 0.
"""

from __future__ import annotations

import click

from tui.cli import common
from tui.cli.errors import ExitCode

MARKS = {"accepted": "✓", "pending": "…", "refused": "✗"}


def result_line(submitted) -> str:  # type: ignore[no-untyped-def]
    """One record's outcome as a line: ✓ 2026…01 提交成功（已提交）."""
    number = submitted.unified_no or submitted.key
    status = f"（{submitted.status}）" if submitted.status else ""
    line = f"{MARKS[submitted.outcome]} {number} {submitted.message}{status}"
    extra = [r for r in submitted.reasons if r not in submitted.message]
    return "\n".join([line, *(f"    {reason}" for reason in extra)])


@click.command("submit", short_help="提交 records with the card (or --all-drafts).")
@click.argument("numbers", nargs=-1)
@click.option("--all-drafts", is_flag=True, help="Every record of the enterprise in 暂存.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of results on stdout.")
@click.pass_context
def command(ctx: click.Context, numbers: tuple[str, ...], all_drafts: bool, as_json: bool) -> int:
    """提交 of records by 统一编号 (or local draft number), or of every draft."""
    if bool(numbers) == all_drafts:
        raise click.UsageError("请给出统一编号，或使用 --all-drafts（二者取一）")
    from declarant.records import draft_keys
    from declarant.submission import submit_records

    async def work(session):  # type: ignore[no-untyped-def]
        keys = list(numbers) or draft_keys(session.engine, session.operator)
        with common.progress() as bar:
            task = bar.add_task("提交", total=len(keys))

            def done(submitted) -> None:  # type: ignore[no-untyped-def]
                bar.update(task, advance=1)
                if as_json:  # stdout holds the JSON alone: the lines go beside the bar
                    bar.console.print(result_line(submitted), markup=False, highlight=False)
                else:  # stdout (Rich prints it above a live bar on a terminal)
                    click.echo(result_line(submitted))

            return await submit_records(session, keys, on_result=done)

    results = common.with_session(ctx, work, online=True)
    if as_json:
        common.print_json([r.as_dict() for r in results])
    elif not results:
        click.echo("没有暂存的记录", err=True)
    return int(outcome_code(results))


def outcome_code(results) -> ExitCode:  # type: ignore[no-untyped-def]
    """1 if any record was refused; else 3 if any waits for customs' answer (the gateway failed
    mid-way: the outbox sends it at the next contact); else 0."""
    from declarant.submission import PENDING, REFUSED

    if any(r.outcome == REFUSED for r in results):
        return ExitCode.REFUSED
    if any(r.outcome == PENDING for r in results):
        return ExitCode.UNAVAILABLE
    return ExitCode.DONE
