"""The filters of 查询 as options, shared by `records list` and `records export`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from tui.cli.errors import ExitCode, Failed

PERIOD_CHOICES = ("当天", "本周", "本月", "today", "week", "month")

_OPTIONS = (
    click.option(
        "--unified-no",
        "unified_no",
        default="",
        help="统一编号 (18 digits) or a local draft number (12).",
    ),
    click.option(
        "--import-decl-no", "import_decl_no", default="", help="进口报关单号 (18 digits)."
    ),
    click.option("--status", default="", help="状态: its code 0-8 or its label (暂存, 已提交 …)."),
    click.option("--consignee", default="", help="收货人: USCC (18) or customs code (10)."),
    click.option("--producer", default="", help="原生产企业: USCC (18) or customs code (10)."),
    click.option(
        "--from", "op_from", default="", help="最近操作时间 from, YYYY-MM-DD (default today)."
    ),
    click.option(
        "--to",
        "op_to",
        default="",
        help="最近操作时间 to, YYYY-MM-DD (default today; at most 30 days).",
    ),
    click.option(
        "--period",
        type=click.Choice(PERIOD_CHOICES),
        default=None,
        help="当天/本周/本月 (today/week/month): both dates at once.",
    ),
)


def query_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def validated(values: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The validated query of the options (store.queries.QueryError: exit 2 with its message)."""
    from declarant.records import query_filter

    if values["period"] and (values["op_from"] or values["op_to"]):
        raise Failed("--period 不能与 --from/--to 同用", ExitCode.USAGE)
    if values["status"] and not _known_status(values["status"]):
        # the query pane's own wording speaks of the space key: not on the command line
        raise Failed("状态应为0-8或其名称，如 暂存、已提交", ExitCode.USAGE)
    return query_filter(
        unified_no=values["unified_no"],
        import_decl_no=values["import_decl_no"],
        status=values["status"],
        consignee=values["consignee"],
        producer=values["producer"],
        op_from=values["op_from"],
        op_to=values["op_to"],
        period=values["period"] or "",
    ).validated()


def _known_status(text: str) -> bool:
    """A status code (0-8) or a label as `declarant.records.status_code` reads it."""
    from declarant.records import status_code
    from store.status import Status

    code = status_code(text).split("-")[0]  # "1-已提交" as the query pane shows it
    return code.isdigit() and int(code) in {int(s) for s in Status}
