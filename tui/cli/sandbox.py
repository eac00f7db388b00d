"""`tuihuo sandbox serve|card …`: the sandbox gateway and virtual card (`python -m sandbox`)."""

from __future__ import annotations

import click


@click.command(
    "sandbox",
    short_help="The sandbox gateway (serve) or virtual card (card).",
    add_help_option=False,  # `tuihuo sandbox serve --help` is the sandbox's own help
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def command(args: tuple[str, ...]) -> int:
    """The sandbox: `serve` the gateway, or a virtual `card` (options after either: --help)."""
    from sandbox.__main__ import main as sandbox_main

    return sandbox_main(list(args))
