"""`tuihuo records list|show|export`: the enterprise's records, as 查询 and the form show them.

Like the app, the records are read after the card login (the PIN from a prompt or TUIHUO_PIN_FILE):
the card names the enterprise whose records these are. The gateway is not needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tui.cli import common
from tui.cli.errors import ExitCode, Failed
from tui.cli.filters import query_options, validated

# as text the list fits an 80x24 terminal (78 cells, by display width: Chinese counts two); a
# longer cell ends in …; 进口报关单号 and every other field are in --json and `records export`
LIST_COLUMNS = (
    ("统一编号", 18, "unified_no"),
    ("收发货人名称", 23, "consignee_name"),
    ("状态", 12, "status"),
    ("最近操作时间", 19, "updated_at"),
)
GAP = "  "


def clip(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells, cut with … when longer, then padded to `width`."""
    from declarant.printout import char_width, pad, text_width

    if text_width(text) > width:
        kept, used = [], 0
        for char in text:
            if used + char_width(char) > width - 1:
                break
            kept.append(char)
            used += char_width(char)
        text = "".join(kept) + "…"
    return pad(text, width)


@click.group("records")
def command() -> None:
    """The records of the card's enterprise: list, show, export."""


@command.command("list")
@query_options
@click.option("--json", "as_json", is_flag=True, help="A JSON array of rows on stdout.")
@click.pass_context
def list_records(ctx: click.Context, as_json: bool, **filters: Any) -> int:
    """The rows 查询 would show for these filters, newest first (default: today's)."""
    from declarant.export import BY_KEY
    from declarant.records import find, row_dict

    query = validated(filters)

    async def work(session):  # type: ignore[no-untyped-def]
        return list(find(session.engine, session.operator, query))

    rows = common.with_session(ctx, work, online=False)
    if as_json:
        common.print_json([row_dict(row) for row in rows])
        return 0
    click.echo(GAP.join(clip(label, width) for label, width, _ in LIST_COLUMNS).rstrip())
    for row in rows:
        cells = [clip(BY_KEY[key].text(row), width) for _, width, key in LIST_COLUMNS]
        click.echo(GAP.join(cells).rstrip())
    click.echo(f"共{len(rows)}条")
    return 0


@command.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The record as JSON on stdout.")
@click.pass_context
def show(ctx: click.Context, number: str, as_json: bool) -> int:
    """One record by 统一编号 (or local draft number): every field, goods and receipts."""
    from declarant.printout import render_text
    from declarant.records import record_dict
    from store import clock

    async def work(session):  # type: ignore[no-untyped-def]
        if as_json:
            return record_dict(session.store, number)
        record = session.store.load(number)
        receipts = session.store.receipts(number)
        return render_text(
            record, receipts, operator_name=session.operator.name, printed_at=clock.now()
        )

    shown = common.with_session(ctx, work, online=False)
    if as_json:
        common.print_json(shown)
    else:
        click.echo(shown, nl=False)
    return 0


@command.command("export")
@query_options
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True, help="The file's format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (made whole or not at all; 0600).",
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path, **filters: Any) -> int:
    """The rows of these filters to a CSV or XLSX file, with every column of the grid."""
    from declarant.export import COLUMNS, export_rows
    from declarant.records import count, find

    query = validated(filters)
    if not output.suffix:
        output = output.with_name(f"{output.name}.{fmt}")
    elif output.suffix.lower() != f".{fmt}":
        raise Failed(f"文件名 {output.name} 与格式 {fmt} 不符：请以 .{fmt} 结尾", ExitCode.USAGE)

    async def work(session):  # type: ignore[no-untyped-def]
        total = count(session.engine, session.operator, query)
        with common.progress() as bar:
            task = bar.add_task("导出", total=total)
            written = export_rows(
                find(session.engine, session.operator, query),
                [c.key for c in COLUMNS],
                output,
                progress=lambda n: bar.update(task, completed=n),
            )
        return written

    written = common.with_session(ctx, work, online=False)
    click.echo(f"已导出{written}条：{output}")
    return 0
