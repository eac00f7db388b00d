"""`tuihuo template FILE.xlsx`: the import template (declarant.sheets.template), written to FILE.

The sheets a client fills in: 出口退货记录 (one row a record, drop-down lists of the parameter
tables), 商品重量 (weights by 进口报关单号 and 序号) and 填写说明 (each column's rule and an
example). Exit 0 written; 2 a name that is not .xlsx; 3 the file cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli.errors import ExitCode, Failed


@click.command("template", short_help="Write the spreadsheet import template (.xlsx).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def command(file: Path) -> int:
    """写出导入模板 FILE.xlsx（出口退货记录、商品重量、填写说明）。"""
    from declarant.sheets import template

    if file.suffix.lower() != ".xlsx":
        raise Failed(f"模板文件名应以 .xlsx 结尾：{file}", ExitCode.USAGE)
    try:
        template(file)
    except OSError as error:
        raise Failed(
            f"模板未能写入 {file}（{error.strerror or error}）", ExitCode.UNAVAILABLE
        ) from None
    click.echo(f"模板已写入：{file}")
    return int(ExitCode.DONE)
