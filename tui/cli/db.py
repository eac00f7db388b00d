"""`tuihuo db upgrade|current`: the store's schema revision (and migrating it to head)."""

from __future__ import annotations

import click

from tui.cli import common


@click.command("db", short_help="Migrate the database (upgrade) or show its revision.")
@click.argument("action", type=click.Choice(["upgrade", "current"]))
def command(action: str) -> int:
    """Database maintenance: `upgrade` migrates to the head revision; `current` shows both."""
    from store.engine import open_engine
    from store.migrate import current_revision, head_revision

    settings = common.settings()
    # a damaged or unreadable database raises its DatabaseFault: its path and what to do, exit 3
    engine = open_engine(settings.resolved_database_url(), migrate=action == "upgrade")
    try:
        click.echo(f"current {current_revision(engine)} head {head_revision()}")
    finally:
        engine.dispose()
    return 0
