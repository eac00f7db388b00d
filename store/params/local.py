"""A site's own parameter rows: kept in the store (``local_param``), laid over the shipped tables.

Every operator of one database shares them: ``install(engine)`` reads them into the in-memory
tables (``store.params.set_local``) when the engine opens (store.engine.open_engine) and after each
import, so the popups' search, the labels and the validators all see one table. A site row
replaces the shipped row of its code or adds a code; a withdrawn row takes its code away (the
validators refuse it by name). Each row keeps the file it came from and the day of the import.

    >>> rows = import_file(engine, "customs_districts", Path("offices.csv"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from store.clock import today_local
from store.models import LocalParam
from store.params import TITLES, Entry, set_local, shipped, table
from store.params.pinyin import initials_of
from store.params.site_file import SiteFileError, SiteRow, read_site_file

_BATCH = 500  # codes per DELETE … IN (…): well under SQLite's and psycopg's parameter limits

__all__ = [
    "ListedRow",
    "SiteFileError",
    "import_file",
    "import_rows",
    "install",
    "list_rows",
    "source_label",
]


def source_label(source_file: str, imported_on: str) -> str:
    """How a site row says whence it comes, e.g. ``本站参数，2026-11-30 导入自 offices.csv``."""
    return f"本站参数，{imported_on} 导入自 {source_file}"


def load_layers(engine: Engine) -> dict[str, tuple[list[Entry], dict[str, str]]]:
    """The site's rows of every table, as ``store.params.set_local`` takes them."""
    layers: dict[str, tuple[list[Entry], dict[str, str]]] = {}
    columns = (
        col(LocalParam.table_name),
        col(LocalParam.code),
        col(LocalParam.name),
        col(LocalParam.parent),
        col(LocalParam.initials),
        col(LocalParam.withdrawn),
        col(LocalParam.source_file),
        col(LocalParam.imported_on),
    )
    # plain columns, not ORM objects: this runs at every start, for up to thousands of rows
    with engine.connect() as connection:
        found = connection.execute(sa_select(*columns).order_by(columns[0], columns[1]))
        for table_name, code, name, parent, initials, withdrawn, source_file, day in found:
            if table_name not in TITLES:
                continue  # a table a newer version has and this one does not
            entries, gone = layers.setdefault(table_name, ([], {}))
            source = source_label(source_file, day)
            if withdrawn:
                gone[code] = source
            else:
                entries.append(Entry(code, name, parent, initials, source))
    return layers


def install(engine: Engine) -> None:
    """Lay this database's site rows over the shipped tables for the whole process."""
    set_local(load_layers(engine))


def import_rows(
    engine: Engine,
    table_name: str,
    rows: Sequence[SiteRow],
    *,
    source_file: str,
    imported_on: str | None = None,
) -> int:
    """Write checked rows in one transaction (a row of the same code is replaced), then install.

    Returns the number of rows written. ``imported_on`` defaults to today (ISO date). Raises the
    store's DatabaseFault on a database fault, and then nothing is written.
    """
    day = imported_on or today_local().isoformat()
    fresh = []
    for row in rows:
        name = row.name
        if not name:  # a withdrawn code given without a name keeps the shipped one, if any
            known = shipped(table_name).get(row.code)
            name = known.name if known is not None else ""
        fresh.append(
            LocalParam(
                table_name=table_name,
                code=row.code,
                name=name,
                parent=row.parent,
                initials=initials_of(name)[:200],
                withdrawn=row.withdrawn,
                source_file=source_file[:255],
                imported_on=day,
            )
        )
    codes = [row.code for row in fresh]
    with Session(engine) as session, session.begin():
        # a row of the same code is replaced: delete then insert, in batches the drivers accept
        for start in range(0, len(codes), _BATCH):
            session.execute(
                delete(LocalParam).where(
                    col(LocalParam.table_name) == table_name,
                    col(LocalParam.code).in_(codes[start : start + _BATCH]),
                )
            )
        session.add_all(fresh)
    install(engine)
    return len(rows)


def import_file(engine: Engine, table_name: str, path: Path) -> int:
    """Read, check and import ``path`` (CSV or XLSX) into table ``table_name``'s site rows.

    Raises SiteFileError (Chinese problems, each naming its row) and writes nothing when any row
    is refused.
    """
    rows = read_site_file(table_name, path)
    return import_rows(engine, table_name, rows, source_file=path.name)


@dataclass(frozen=True, slots=True)
class ListedRow:
    """One row of a listing: code, name, and whence ("" shipped; a site row's source label, with
    ``withdrawn`` set when the site withdrew the code)."""

    code: str
    name: str
    source: str
    withdrawn: bool = False


def list_rows(engine: Engine, table_name: str, *, local_only: bool = False) -> list[ListedRow]:
    """The rows of ``table_name`` as the app sees them now (the site's laid over the shipped), or
    with ``local_only`` the site's own rows, withdrawn ones included; in code order."""
    if table_name not in TITLES:
        raise KeyError(table_name)
    if local_only:
        with Session(engine) as session:
            found = session.exec(
                select(LocalParam)
                .where(LocalParam.table_name == table_name)
                .order_by(col(LocalParam.code))
            )
            return [
                ListedRow(
                    row.code,
                    row.name,
                    source_label(row.source_file, row.imported_on),
                    row.withdrawn,
                )
                for row in found
            ]
    install(engine)
    return [ListedRow(e.code, e.name, e.source) for e in table(table_name)]
