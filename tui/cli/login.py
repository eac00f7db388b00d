"""`tuihuo login`: check the card, its PIN and the gateway, as the login screen does, and log out.

A script runs it first: exit 0 when every later command can log in; otherwise the reason, and 1
(a wrong PIN, a blocked card) or 3 (no reader or card, the gateway or the database unavailable).
"""

from __future__ import annotations

import click

from tui.cli import common


@click.command("login", short_help="Check the card, its PIN and the gateway.")
@click.option("--json", "as_json", is_flag=True, help="The card's operator and enterprise as JSON.")
@click.pass_context
def command(ctx: click.Context, as_json: bool) -> int:
    """Log in with the card (PIN from a prompt or TUIHUO_PIN_FILE) and out again."""

    async def work(session):  # type: ignore[no-untyped-def]
        operator = session.operator
        return {
            "operator": operator.name,
            "card_no": operator.card_no,
            "enterprise_uscc": operator.enterprise_uscc,
            "customs_code": operator.customs_code,
            "enterprise_name": operator.enterprise_name,
            "gateway": "sandbox" if session.sandbox else session.gateway_url,
        }

    who = common.with_session(ctx, work, online=True)
    if as_json:
        common.print_json(who)
    else:
        click.echo(
            f"已登录：{who['operator']}（卡号{who['card_no']}） {who['enterprise_name']} "
            f"{who['enterprise_uscc']} / {who['customs_code']}，海关网关：{who['gateway']}"
        )
    return 0
