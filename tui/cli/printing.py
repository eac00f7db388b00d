"""`tuihuo print 统一编号 --pdf FILE | --text FILE`: the record's print-out, as 打印 makes it."""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli import common
from tui.cli.errors import ExitCode, Failed

_PATH = click.Path(dir_okay=False, path_type=Path)


@click.command("print", short_help="A record's print-out to a PDF or text file.")
@click.argument("number")
@click.option("--pdf", type=_PATH, help="Write an A4 PDF here.")
@click.option("--text", type=_PATH, help="Write the text print-out (UTF-8) here.")
@click.pass_context
def command(ctx: click.Context, number: str, pdf: Path | None, text: Path | None) -> int:
    """The print-out of one record (统一编号 or local draft number) to a PDF or a text file."""
    if (pdf is None) == (text is None):
        raise click.UsageError("请指定 --pdf FILE 或 --text FILE 之一")
    from declarant.pdf_fonts import UnprintableText
    from declarant.print_pdf import render_pdf
    from declarant.printout import render_text
    from store import clock
    from store.private import ensure_dir, write_private_text

    async def work(session):  # type: ignore[no-untyped-def]
        record = session.store.load(number)
        receipts = session.store.receipts(number)
        name, now = session.operator.name, clock.now()
        target = pdf or text
        assert target is not None
        try:
            ensure_dir(target.parent)
            if pdf is not None:
                pages = render_pdf(record, receipts, pdf, operator_name=name, printed_at=now)
                return f"已保存PDF：{pdf}（共{pages}页）"
            page = render_text(record, receipts, operator_name=name, printed_at=now)
            write_private_text(target, page)
            return f"已保存文本：{target}"
        except UnprintableText as error:  # a character no embedded font has: nothing written
            raise Failed(error.message, ExitCode.REFUSED) from None
        except OSError as error:
            raise Failed(
                f"保存失败：{target}（{error.strerror or error}）", ExitCode.REFUSED
            ) from None

    click.echo(common.with_session(ctx, work, online=False))
    return 0
