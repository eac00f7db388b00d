"""`tuihuo params search TABLE TEXT`: a parameter table's search, the same as the popup's."""

from __future__ import annotations

import click

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
    """Entries of TABLE matching TEXT: a code prefix, a name, or pinyin initials (bj: 北京)."""
    from store.params import TABLE_NAMES, TITLES, table

    by_title = {title: name for name, title in TITLES.items()}
    name = by_title.get(table_name, table_name)
    if name not in TABLE_NAMES:
        known = "、".join(f"{n}（{TITLES[n]}）" for n in TABLE_NAMES)
        raise click.UsageError(f"没有参数表 {table_name}；可用：{known}")
    entries = table(name).search(text.strip(), limit=limit)
    if as_json:
        from tui.cli.common import print_json

        print_json([{"code": e.code, "name": e.name} for e in entries])
        return 0
    for entry in entries:
        click.echo(f"{entry.code}  {entry.name}")
    if not entries:
        click.echo(f"{TITLES[name]}中没有与“{text}”相符的项", err=True)
        return 1
    return 0
