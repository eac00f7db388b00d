"""The `tuihuo` command: the app by default; subcommands for the sandbox, the database, settings."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in ([], ["run"]):
        return run_app()
    if args and args[0] == "sandbox":
        from sandbox.__main__ import main as sandbox_main

        return sandbox_main(args[1:])
    import argparse

    parser = argparse.ArgumentParser(
        prog="tuihuo", description="出口退货信息管理 in the terminal (no arguments: the app)"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the app (the default)")
    sub.add_parser("settings", help="print the effective settings")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade", "current"])
    sub.add_parser("sandbox", help="python -m sandbox {serve|card} ...")
    options = parser.parse_args(args)

    from pydantic import ValidationError

    from tui.settings import describe_invalid, load_settings

    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"设置有误：\n{describe_invalid(error)}", file=sys.stderr)
        return 2
    if options.command == "settings":
        from tui.logs import database_password, log_path, mask_secrets, remember_secret

        remember_secret(database_password(settings.resolved_database_url()))

        # a password in a URL is masked: this output ends up in screenshots and support mails
        for name, value in settings.model_dump().items():
            print(mask_secrets(f"{name} = {value!r}"))
        print(mask_secrets(f"# database: {settings.resolved_database_url()}"))
        mode = "sandbox" if settings.sandbox else f"gateway {settings.gateway_url}"
        print(mask_secrets(f"# mode: {mode}"))
        print(f"# log: {log_path()}")
        return 0
    if options.command == "db":
        from store.engine import open_engine
        from store.errors import DatabaseFault
        from store.migrate import current_revision, head_revision

        try:  # a damaged or unreadable database: its path and what to do, no traceback
            engine = open_engine(
                settings.resolved_database_url(), migrate=options.action == "upgrade"
            )
            print(f"current {current_revision(engine)} head {head_revision()}")
        except DatabaseFault as fault:
            print(fault.message, file=sys.stderr)
            return 1
        return 0
    return 2


def run_app() -> int:
    """The app, with nothing imported that its first frame does not need."""
    from tui.app import TuihuoApp
    from tui.early import read_early

    early = read_early()  # the settings themselves load after the first frame
    app = TuihuoApp(early=early)
    app.run(mouse=early.mouse)
    return app.return_code or 0  # 1 after an unexpected error (tui/crash.py)


if __name__ == "__main__":
    raise SystemExit(main())
