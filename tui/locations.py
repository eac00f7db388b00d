"""XDG locations of tuihuo's configuration and data, in one place."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "tuihuo"


def config_dir() -> Path:
    """Directory of `config.toml` (e.g. ~/.config/tuihuo)."""
    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def data_dir() -> Path:
    """Default directory of the SQLite database, the sandbox state and exports."""
    return user_data_path(APP_NAME, appauthor=False)
