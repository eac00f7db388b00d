"""`tuihuo receipts refresh`: what the app's background work does once, with the card.

Numbers for records saved offline, the outbox sent again, the receipt feed read from its saved
cursor and applied; one line per status change (or JSON).
"""

from __future__ import annotations

import click

from tui.cli import common


@click.group("receipts")
def command() -> None:
    """回执: the receipts of customs."""


@command.command("refresh")
@click.option("--json", "as_json", is_flag=True, help="Resent submissions and changes as JSON.")
@click.pass_context
def refresh(ctx: click.Context, as_json: bool) -> int:
    """Send what waits in the outbox and apply the new receipts (status changes listed)."""
    from declarant.submission import refresh as refresh_once
    from tui.cli.submit import outcome_code, result_line

    async def work(session):  # type: ignore[no-untyped-def]
        with common.progress() as bar:
            bar.add_task("读取回执", total=None)
            return await refresh_once(session)

    done = common.with_session(ctx, work, online=True)
    if as_json:
        common.print_json(done.as_dict())
        return int(outcome_code(done.resent))
    for submitted in done.resent:
        click.echo(result_line(submitted))
    for change in done.as_dict()["changes"]:
        content = f"  {change['content']}" if change["content"] else ""
        click.echo(
            f"{change['unified_no']} {change['old_status']} → {change['new_status']}{content}"
        )
    click.echo(f"回执：{len(done.changes)}条状态变化")
    return int(outcome_code(done.resent))
