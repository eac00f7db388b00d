"""What the desk reads of the settings, as a protocol: the layers below `tui` never import it.

`tui.settings.Settings` (pydantic-settings: a TOML file, then TUIHUO_* variables) satisfies it, and so
does any object a script builds itself. Shapes: paths are `pathlib.Path`, sizes in bytes, times in
seconds; `None` means "not configured" (no gateway → the sandbox; no reader → the sandbox card).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class DeskSettings(Protocol):
    """The settings the headless services and the screens consult (read-only)."""

    @property
    def gateway_url(self) -> str | None: ...  # None: run on the sandbox gateway in this process

    @property
    def reader_name(
        self,
    ) -> str | None: ...  # a PC/SC reader; None on the sandbox: the sandbox card

    @property
    def card(self) -> str: ...  # "auto", "control", "pcsc" or "sandbox": which card path

    @property
    def card_control(self) -> str: ...  # the card control: a Unix socket path or ws://127.0.0.1:N

    @property
    def data_dir(self) -> Path: ...  # the database, exports, print-outs, the sandbox's state

    @property
    def sandbox_step_seconds(self) -> float: ...  # the sandbox review's pace

    @property
    def page_size(self) -> int: ...  # rows per page of 查询: 10/20/50/100

    @property
    def attachment_max_bytes(self) -> int: ...

    @property
    def printer(self) -> str | None: ...  # an lp destination; None: the system default

    @property
    def keymap(self) -> dict[str, str]: ...  # action id -> keys, e.g. {"entry.save": "f2,ctrl+s"}

    @property
    def declaration_folders(self) -> Sequence[Path]: ...  # watched for declaration files

    @property
    def sandbox(self) -> bool: ...  # no gateway configured

    def resolved_database_url(self) -> str: ...  # SQLite in data_dir unless a URL is given
