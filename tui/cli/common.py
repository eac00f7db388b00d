"""What the commands share: the settings, the card PIN, the logged-in session, JSON and progress.

The PIN is never an argument (it would sit in the shell's history and in `ps`): it comes from a
hidden prompt, or from the file named by TUIHUO_PIN_FILE, which must be readable by its owner alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tui.cli.errors import ExitCode, Failed

if TYPE_CHECKING:
    from declarant.runtime import Runtime
    from declarant.session import Session
    from tui.settings import Settings

T = TypeVar("T")
PIN_FILE_VARIABLE = "TUIHUO_PIN_FILE"


class CliContext:
    """`ctx.obj` of the group: how the commands get their runtime (a test passes its own factory,
    as the app's tests do: the runtime of a test gateway and the in-process sandbox card)."""

    def __init__(self, runtime_factory: Callable[[Settings], Runtime] | None = None) -> None:
        self.runtime_factory = runtime_factory


def settings() -> Settings:
    """The effective settings, or exit 2 with each refusal in our words: a config file that is not
    TOML (its path named), an option refused, a database_url no store can open."""
    from tui.settings import ConfigFileRefused, describe_settings_refusal, load_settings

    try:
        chosen = load_settings()
    except ValueError as error:  # the file (ConfigFileRefused) or an option (ValidationError)
        # the file's one line follows the colon; the options' refusals are a line each below it
        below = "" if isinstance(error, ConfigFileRefused) else "\n"
        raise Failed(
            f"设置有误：{below}{describe_settings_refusal(error)}", ExitCode.USAGE
        ) from None
    check_database_url(chosen.database_url)
    return chosen


def check_database_url(url: str | None) -> None:
    """Exit 2 unless `url` (None: the default SQLite file) names SQLite or PostgreSQL with a
    driver this installation has; the URL is never echoed (it may hold a password)."""
    if url is None:
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    usage = "应为 sqlite:///文件路径 或 postgresql+psycopg://用户@主机/库名"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise Failed(f"数据库地址无效：database_url 无法解析，{usage}", ExitCode.USAGE) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise Failed(
            f"数据库地址无效：不支持 {parsed.get_backend_name()} 数据库，{usage}", ExitCode.USAGE
        )
    try:
        parsed.get_dialect().import_dbapi()
    except (ImportError, NoSuchModuleError):
        raise Failed(
            f"数据库地址无效：未安装驱动 {parsed.drivername}，{usage}", ExitCode.USAGE
        ) from None


def start_log(chosen: Settings) -> None:
    """The app's log file (secrets masked) for what the worker and the store say; a log that cannot
    be written is no reason to refuse the work (the warnings then go nowhere, never to stderr)."""
    from tui.logs import database_password, setup_logging

    with suppress(OSError):
        setup_logging(secrets=[database_password(chosen.resolved_database_url())])


def read_pin() -> str:
    """The card PIN: from TUIHUO_PIN_FILE (owner-only, first line); else a hidden prompt on a
    terminal; else the first line of stdin (`echo PIN | tuihuo login`): getpass without a terminal
    would warn in English and echo, and with nothing piped there is no PIN to ask for (exit 2)."""
    named = os.environ.get(PIN_FILE_VARIABLE, "").strip()
    if not named:
        stdin = click.get_text_stream("stdin")
        if not stdin.isatty():
            pin = stdin.readline().strip()
            if not pin:
                raise Failed(f"无法读取口令：请设置 {PIN_FILE_VARIABLE}", ExitCode.USAGE)
            return pin
        pin = click.prompt(
            "电子口岸卡口令", hide_input=True, err=True, default="", show_default=False
        )
        if not pin:
            raise Failed("未输入电子口岸卡口令", ExitCode.USAGE)
        return str(pin)
    path = Path(named).expanduser()
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise Failed(
                f"口令文件 {path} 的权限过宽（{stat.filemode(mode)}）：其他用户可以读取口令。"
                f"请执行 chmod 600 {path} 后重试",
                ExitCode.USAGE,
            )
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise Failed(
            f"无法读取口令文件：{path}（{error.strerror or error}）", ExitCode.USAGE
        ) from None
    pin = text.splitlines()[0].strip() if text.strip() else ""
    if not pin:
        raise Failed(f"口令文件 {path} 是空的", ExitCode.USAGE)
    return pin


@contextmanager
def runtime(ctx: click.Context) -> Iterator[Runtime]:
    """The runtime of the settings: the store opened (migrated), the gateway reached or started."""
    from declarant.runtime import build_runtime

    chosen = settings()
    start_log(chosen)
    obj = ctx.find_object(CliContext)
    factory = obj.runtime_factory if obj is not None and obj.runtime_factory else build_runtime
    try:
        built = factory(chosen)
    except OSError as error:  # the data dir (or the sandbox's state in it) cannot be made or used
        where = error.filename or chosen.data_dir
        raise Failed(
            f"无法使用数据目录：{where}（{error.strerror or error}）", ExitCode.UNAVAILABLE
        ) from None
    except RuntimeError as error:  # the in-process sandbox gateway did not start
        raise Failed(f"沙箱海关网关未能启动：{error}", ExitCode.UNAVAILABLE) from None
    try:
        yield built
    finally:
        built.close()


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def stderr_console():  # type: ignore[no-untyped-def]
    """Rich's console on stderr: progress never mixes with the lines (or JSON) on stdout."""
    from rich.console import Console

    return Console(stderr=True)


def progress():  # type: ignore[no-untyped-def]
    """A Rich progress bar on stderr: description, bar, n/total, elapsed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=False,
    )


def with_session(ctx: click.Context, work: Callable[[Session], Awaitable[T]], *, online: bool) -> T:
    """Log in with the card (the PIN asked or read first), run `work(session)`, log out.

    `online`: the work needs customs (提交, 回执, 返填): exit 3 when the gateway cannot be reached.
    Without it a session works on the store alone, as the app does offline.
    """
    from declarant.desk import logged_in

    pin = read_pin()  # a PIN file refused before anything starts
    with runtime(ctx) as built:

        async def go() -> T:
            async with logged_in(built, pin, online=online) as session:
                return await work(session)

        return asyncio.run(go())
