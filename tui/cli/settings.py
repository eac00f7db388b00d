"""`tuihuo settings`: the effective settings, a database password masked."""

from __future__ import annotations

import click

from tui.cli import common


@click.command("settings", short_help="The effective settings (passwords masked).")
def command() -> int:
    """Print the effective settings (file, TUIHUO_* variables, defaults)."""
    from tui.logs import database_password, log_path, mask_secrets, remember_secret

    settings = common.settings()
    remember_secret(database_password(settings.resolved_database_url()))
    # a password in a URL is masked: this output ends up in screenshots and support mails
    for name, value in settings.model_dump().items():
        click.echo(mask_secrets(f"{name} = {value!r}"))
    click.echo(mask_secrets(f"# database: {settings.resolved_database_url()}"))
    mode = "sandbox" if settings.sandbox else f"gateway {settings.gateway_url}"
    click.echo(mask_secrets(f"# mode: {mode}"))
    click.echo(f"# log: {log_path()}")
    return 0
