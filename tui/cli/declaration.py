"""`tuihuo declaration show 进口报关单号` (from the gateway) and `tuihuo declaration read FILE` (from a
declaration on file): what the backfill would fill in, field by field, under the manual's labels."""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli import common
from tui.cli.errors import Failed


@click.group("declaration")
def command() -> None:
    """进口报关单: the import declarations of customs."""


@command.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The fields as JSON on stdout.")
@click.pass_context
def show(ctx: click.Context, number: str, as_json: bool) -> int:
    """The fields 进口报关单号 would backfill into the form, under the manual's labels."""
    from declarant.declaration import preview
    from declarant.printout import pad, text_width
    from store import validators

    validators.import_declaration(number)  # a malformed number: exit 2 before the card and PIN

    async def work(session):  # type: ignore[no-untyped-def]
        return await preview(session, number)

    shown = common.with_session(ctx, work, online=True)
    if as_json:
        common.print_json(shown.as_dict())
        return 0
    width = max(text_width(f.label) for f in shown.fields)
    click.echo(f"进口报关单号 {shown.number} 返填：")
    for f in shown.fields:
        click.echo(f"  {pad(f.label, width)}  {f.text}")
    for row in shown.goods:
        click.echo("  商品 " + "  ".join(f"{f.label}：{f.text}" for f in row))
    for refusal in shown.refused:
        click.echo(f"  ✗ {refusal}")
    return 0


@command.command("read")
# no click checks on FILE: the reader says a folder or a missing file in Chinese, naming it
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The fields as JSON on stdout.")
def read(file: Path, as_json: bool) -> int:
    """The fields a declaration on file (DecMessage XML, Single Window JSON, or a spreadsheet laid
    out like the printed declaration) would backfill, with the manual's labels. No card, no gateway.
    Exit 1 with the file's problem in Chinese when it cannot backfill (an export declaration, a
    wrong namespace, hostile XML, a truncated workbook, no expected labels …)."""
    from customs.declfiles import DeclarationFileError, render

    try:
        click.echo(render(file, as_json=as_json))
    except DeclarationFileError as refused:
        raise Failed(refused.message) from None
    return 0
