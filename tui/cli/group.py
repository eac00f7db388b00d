"""The `tuihuo` click group: commands loaded lazily from `tui.cli.COMMANDS`, exit codes, no traceback.

A command returns its exit code (`ExitCode`) or raises `Failed`; every error an operator can meet
(a refused record, a database fault, the card, the gateway) ends as one Chinese line on stderr and
its code. A fault nobody named is logged and said in one line too (exit 1), never as a traceback.
"""

from __future__ import annotations

import importlib
import logging

import click

from tui.cli.errors import ExitCode, Failed, classify

log = logging.getLogger(__name__)

EPILOG = """\b
退出码 (exit codes):
  0  完成 (done)
  1  被拒绝，原因见输出 (refused, with the reasons)
  2  用法或参数有误 (usage: a wrong option, filter or setting)
  3  服务不可用：海关网关、数据库、电子口岸卡或读卡器 (service unavailable)
"""


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when named (or listed by --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from tui.cli import COMMANDS

        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from tui.cli import COMMANDS

        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = importlib.import_module(module).command
        assert isinstance(command, click.Command), module
        if command.epilog is None:  # `tuihuo submit --help` says the exit codes too
            command.epilog = EPILOG
        return command


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.pass_context
def tuihuo(ctx: click.Context) -> int | None:
    """出口退货信息管理 in the terminal. Without a command: the app (as `tuihuo run`)."""
    if ctx.invoked_subcommand is None:
        from tui.cli.start import run_app

        return run_app()
    return None


def invoke(args: list[str], *, obj: object = None) -> int:
    """Run the group on `args`; returns the exit code (never raises, never prints a traceback)."""
    root = logging.getLogger()
    if not root.handlers:  # without a handler Python's last resort prints warnings to stderr
        root.addHandler(logging.NullHandler())
    try:
        result = tuihuo.main(args, prog_name="tuihuo", standalone_mode=False, obj=obj)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:  # usage errors: click's own message and exit code 2
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("已取消", err=True)
        return int(ExitCode.REFUSED)
    except Failed as failed:
        click.echo(failed.message, err=True)
        return int(failed.code)
    except Exception as error:
        code, message = classify(error)
        if code is None:
            log.exception("tuihuo %s failed", args[:1])
            message = f"意外错误：{type(error).__name__}：{message}"
            code = ExitCode.REFUSED
        click.echo(message, err=True)
        return int(code)
    return int(result or 0)
