"""XDG locations of tuihuo's configuration, data and log, in one place.

On Linux (the operators' SSH hosts) the XDG rules are applied here directly, as platformdirs does,
to keep its import (~5 ms) off the path to the first frame; elsewhere platformdirs decides.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "tuihuo"


def _xdg(variable: str, default: str) -> Path:
    base = os.environ.get(variable, "").strip() or os.path.expanduser(default)
    return Path(base) / APP_NAME


def config_dir() -> Path:
    """Directory of `config.toml` (e.g. ~/.config/tuihuo)."""
    if sys.platform.startswith("linux"):
        return _xdg("XDG_CONFIG_HOME", "~/.config")
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The settings' TOML file: TUIHUO_CONFIG when set, else config.toml in the config dir."""
    override = os.environ.get("TUIHUO_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def data_dir() -> Path:
    """Default directory of the SQLite database, the sandbox state and exports."""
    if sys.platform.startswith("linux"):
        return _xdg("XDG_DATA_HOME", "~/.local/share")
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def state_dir() -> Path:
    """Directory of the log (e.g. ~/.local/state/tuihuo): XDG's place for what support reads."""
    if sys.platform.startswith("linux"):
        return _xdg("XDG_STATE_HOME", "~/.local/state")
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False)


def log_file() -> Path:
    """The rotating log (tuihuo.log, then tuihuo.log.1 … .5), 0600 in a 0700 state dir."""
    return state_dir() / "tuihuo.log"


CARD_SOCKET_NAME = "tuihuo-card.sock"


def card_control_socket() -> Path:
    """Where an SSH forward of the operator's card control is looked for: tuihuo-card.sock in the
    user's runtime dir ($XDG_RUNTIME_DIR, else /run/user/UID: the user's own, mode 0700)."""
    base = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if not base:
        base = f"/run/user/{os.getuid()}" if hasattr(os, "getuid") else os.path.expanduser("~")
    return Path(base) / CARD_SOCKET_NAME
