"""The few options the first frame needs, read with the standard library alone.

Importing pydantic-settings costs ~150 ms before anything is drawn; the full, validated settings
(`tui.settings`) load in the worker thread right after the login screen is up. These few follow
the same sources in the same order (TUIHUO_ variables over the TOML file over defaults); a value
the full settings refuse is reported on the login screen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from tui import locations

_TRUE = {"1", "true", "yes", "on", "y", "t"}


@dataclass(frozen=True, slots=True)
class EarlyOptions:
    sandbox: bool = True
    theme: str | None = None
    mouse: bool = False
    cursor_blink: bool = False
    diff_output: bool = True


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def read_early() -> EarlyOptions:
    values: dict[str, Any] = {}
    path = locations.config_file()
    if path.is_file():
        import tomllib

        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            values = {}  # unreadable: the full settings will say what is wrong
    for name in ("gateway_url", "theme", "mouse", "cursor_blink", "diff_output"):
        env = os.environ.get(f"TUIHUO_{name.upper()}")
        if env is not None:
            values[name] = env
    return EarlyOptions(
        sandbox=not values.get("gateway_url"),
        theme=str(values["theme"]) if values.get("theme") else None,
        mouse=_flag(values.get("mouse", False)),
        cursor_blink=_flag(values.get("cursor_blink", False)),
        diff_output=_flag(values.get("diff_output", True)),
    )
