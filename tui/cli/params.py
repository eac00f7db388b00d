"""`tuihuo params search|import|list`: a parameter table's search (the popup's), a site's own rows
imported from CSV or XLSX, and a table's rows with whence each comes (store/params/local.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.cli import common
from tui.cli.errors import Failed

if TYPE_CHECKING:
    from sqlalchemy import Engine

SEARCH_LIMIT = 50


@click.group("params")
def command() -> None:
    """参数: the parameter tables (关区代码, 国别(地区), 币制 …)."""


@command.command("search")
@click.argument("table_name", metavar="TABLE")
@click.argument("text")
@click.option("--limit", default=SEARCH_LIMIT, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="A JSON array of {code, name} on stdout.")
def search(table_name: str, text: str, limit: int, as_json: bool) -> int:
    """Entries of TABLE matching TEXT: a code prefix, a name, or pinyin initials (bj: 北京); the
    site's own rows included, as in the form's popup."""
    from store.errors import DatabaseFault
    from store.params import TITLES, table

    name = _table_name(table_name)
    try:
        with _store():  # opening it lays the site's rows over the shipped table
            pass
    except DatabaseFault as fault:  # the shipped table still answers
        click.echo(f"{fault.message}：只查随软件提供的参数", err=True)
    entries = table(name).search(text.strip(), limit=limit)
    if as_json:
        common.print_json([{"code": e.code, "name": e.name, "source": e.source} for e in entries])
        return 0
    for entry in entries:
        whence = f"  [{entry.source}]" if entry.source else ""
        click.echo(f"{entry.code}  {entry.name}{whence}")
    if not entries:
        click.echo(f"{TITLES[name]}中没有与“{text}”相符的项", err=True)
        return 1
    return 0


def _table_name(given: str) -> str:
    """TABLE as typed: the English name or the Chinese title (关区代码); exit 2 when unknown."""
    from store.params import TABLE_NAMES, TITLES

    by_title = {title: name for name, title in TITLES.items()}
    name = by_title.get(given, given)
    if name not in TABLE_NAMES:
        known = "、".join(f"{n}（{TITLES[n]}）" for n in TABLE_NAMES)
        raise click.UsageError(f"没有参数表 {given}；可用：{known}")
    return name


@contextmanager
def _store() -> Iterator[Engine]:
    """The settings' database, migrated (a fault: its Chinese message, exit 3)."""
    from store.engine import open_engine

    engine = open_engine(common.settings().resolved_database_url())
    try:
        yield engine
    finally:
        engine.dispose()


@command.command("import", short_help="Import a site's own rows of a table (CSV or XLSX).")
@click.argument("table_name", metavar="TABLE")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_rows(table_name: str, file: Path) -> int:
    """Import FILE (.csv or .xlsx: columns 代码/code, 名称/name, optional 上级代码/parent and
    停用/withdrawn 是/否) as this site's rows of TABLE, shared by everyone on the database: a code
    the table lacks is added, a shipped code is renamed, 停用=是 withdraws a code. The whole file is
    checked first; any bad row refuses it (exit 1) and nothing is imported."""
    from store.params import TITLES
    from store.params.local import SiteFileError, import_file

    name = _table_name(table_name)
    with _store() as engine:
        try:
            count = import_file(engine, name, file)
        except SiteFileError as refused:
            raise Failed("未导入，文件有误：\n" + "\n".join(refused.problems)) from None
    click.echo(f"已导入{count}行到{TITLES[name]}（本站参数，来自 {file.name}）")
    return 0


@command.command("list", short_help="A table's rows, or with --local the site's own.")
@click.argument("table_name", metavar="TABLE")
@click.option("--local", "local_only", is_flag=True, help="Only this site's imported rows.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of {code, name, source}.")
def list_table(table_name: str, local_only: bool, as_json: bool) -> int:
    """The rows of TABLE as the app uses them (the site's laid over the shipped ones), each site row
    with whence it came; --local lists only the site's rows, withdrawn ones marked 停用."""
    from store.params import TITLES
    from store.params.local import list_rows

    name = _table_name(table_name)
    with _store() as engine:
        rows = list_rows(engine, name, local_only=local_only)
    if as_json:
        common.print_json(
            [
                {"code": r.code, "name": r.name, "source": r.source, "withdrawn": r.withdrawn}
                for r in rows
            ]
        )
        return 0
    for row in rows:
        mark = "（停用）" if row.withdrawn else ""
        whence = f"  [{row.source}]" if row.source else ""
        click.echo(f"{row.code}  {row.name}{mark}{whence}")
    if not rows:
        click.echo(
            f"{TITLES[name]}没有本站参数" if local_only else f"{TITLES[name]}是空的", err=True
        )
    return 0
