"""Typed settings: environment (prefix TUIHUO_) over a TOML file in the XDG config dir over defaults.

Every option is documented here, once; `tuihuo settings` prints the effective values.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from tui import locations

PAGE_SIZES = (10, 20, 50, 100)


class Settings(BaseSettings):
    """tuihuo's settings. Unset options mean: sandbox gateway, SQLite in the data dir."""

    model_config = SettingsConfigDict(env_prefix="TUIHUO_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/tuihuo. "
        "Unset: SQLite file tuihuo.db in data_dir.",
    )
    gateway_url: str | None = Field(
        default=None,
        description="Base URL of the customs gateway, https://. Unset: the built-in sandbox gateway.",
    )
    allow_insecure_gateway: bool = Field(
        default=False,
        description="Accept an http:// gateway_url (a test gateway on a trusted network only: the "
        "session token, the signatures and the records then travel in clear).",
    )
    reader_name: str | None = Field(
        default=None,
        description="PC/SC reader to use (substring of its name). Unset: the first reader with a "
        "card; with no PC/SC at all in sandbox mode, the in-process sandbox card.",
    )
    card: Literal["auto", "control", "pcsc", "sandbox"] = Field(
        default="auto",
        description="Which card to log in with: control = the e-port card's local control "
        "(客户端控件) at card_control, e.g. forwarded over SSH from the operator's PC; pcsc = a "
        "reader of this machine; sandbox = the in-process sandbox card. auto: a reader when "
        "reader_name is set, else the control when card_control's socket exists, else the sandbox "
        "card in sandbox mode, else a reader.",
    )
    card_control: str = Field(
        default_factory=lambda: str(locations.card_control_socket()),
        description="The card control's address: a Unix socket path (default "
        "$XDG_RUNTIME_DIR/tuihuo-card.sock, where `ssh -R` puts it) or ws://127.0.0.1:PORT.",
    )
    theme: str | None = Field(
        default=None,
        description="Textual theme name. Unset: textual-dark, or textual-ansi on 16 colours.",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Action id -> keys (comma separated), overriding the default bindings.",
    )
    page_size: int = Field(default=20, description="Rows per page of the query grid: 10/20/50/100.")
    data_dir: Path = Field(
        default_factory=locations.data_dir,
        description="Directory of the SQLite database, drafts, sandbox state and exports.",
    )
    mouse: bool = Field(default=False, description="Mouse reporting (off saves bytes over SSH).")
    cursor_blink: bool = Field(default=False, description="Blinking cursor (off saves bytes).")
    diff_output: bool = Field(
        default=True,
        description="Send the terminal only what changed, scrolling a moved pane with the "
        "terminal's scroll region (tui/output.py). Off: Textual's own output, for a terminal "
        "that shows the screen wrong with it.",
    )
    attachment_max_bytes: int = Field(
        default=4 * 1024 * 1024, gt=0, description="Largest attached document accepted."
    )
    sandbox_step_seconds: float = Field(
        default=5.0,
        ge=0,
        description="Sandbox only: seconds between two receipts of the built-in gateway's review.",
    )
    declaration_folders: list[Path] = Field(
        default_factory=list,
        description="Folders holding the office's declaration files (the Single Window client's "
        "ImpPath with its InBox and SentBox, an export folder …), searched with their subfolders: "
        "Enter on 进口报关单号 backfills from the file whose 海关编号 it is when the gateway does "
        "not know the number. XML messages, web JSON and printed-form .xlsx are read.",
    )
    printer: str | None = Field(
        default=None, description="Printer name for `lp -d`; unset: printing to a printer is off."
    )

    @field_validator("page_size")
    @classmethod
    def _page_size_offered(cls, value: int) -> int:
        if value not in PAGE_SIZES:
            raise ValueError(f"page_size must be one of {PAGE_SIZES}")
        return value

    @field_validator("card_control")
    @classmethod
    def _control_on_this_machine(cls, value: str) -> str:
        value = value.strip()
        if value.startswith(("ws://", "wss://")):
            host = urlsplit(value).hostname or ""
            if host not in ("127.0.0.1", "localhost", "::1"):
                raise ValueError(
                    "card_control 只能是本机地址（卡口令经它传给电子口岸卡）：请用 ssh -R "
                    "转发到本机的 Unix 套接字或 ws://127.0.0.1:端口"
                )
            return value
        if not value.startswith("/"):
            raise ValueError("card_control 应为 Unix 套接字的绝对路径或 ws://127.0.0.1:端口")
        return value

    @model_validator(mode="after")
    def _gateway_over_tls(self) -> Settings:
        url = (self.gateway_url or "").strip()
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        if url and scheme == "http" and not self.allow_insecure_gateway:
            raise ValueError(
                "gateway_url 使用 http://：会话令牌、电子口岸卡签名和申报数据将以明文传输。"
                "请改用 https://；仅在可信的测试网络中可设置 allow_insecure_gateway = true"
            )
        if url and scheme not in ("http", "https"):
            raise ValueError("gateway_url 应以 https:// 开头")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = locations.config_file()
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    @property
    def sandbox(self) -> bool:
        """True when no gateway is configured: the app runs against the sandbox."""
        return self.gateway_url is None

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'tuihuo.db'}"


class ConfigFileRefused(ValueError):
    """The settings file cannot be read: TUIHUO_CONFIG names no file, the file is unreadable or
    not TOML. `str()` is the operator's message, naming the file (and the line and column)."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings now (never at import time).

    Raises `ConfigFileRefused` for the file, pydantic's `ValidationError` for a refused option
    (`describe_settings_refusal` words either for the operator)."""
    path = locations.config_file()
    if os.environ.get("TUIHUO_CONFIG") and not path.is_file():
        # a path set on purpose and mistyped would silently run on the defaults (the sandbox)
        raise ConfigFileRefused(f"TUIHUO_CONFIG 指定的配置文件 {path} 不存在")
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileRefused(f"{path} 不是有效的 TOML 文件{_where(error)}") from error
    except UnicodeDecodeError as error:  # saved as GBK by a Windows editor
        raise ConfigFileRefused(f"{path} 不是 UTF-8 编码的文件（TOML 须为 UTF-8）") from error
    except OSError as error:  # a directory, no read permission
        reason = "没有读取权限" if isinstance(error, PermissionError) else error.strerror or error
        raise ConfigFileRefused(f"无法读取配置文件 {path}：{reason}") from error


def _where(error: tomllib.TOMLDecodeError) -> str:
    # Python 3.11's message ends "(at line L, column C)"; the rest of it is English
    found = re.search(r"line (\d+), column (\d+)", str(error))
    if found:
        return f"（第{found[1]}行第{found[2]}列）"
    return "（在文件末尾）" if "end of document" in str(error) else ""


def describe_settings_refusal(error: ValueError) -> str:
    """What `load_settings` refused, as the operator reads it (one or more lines)."""
    if isinstance(error, ValidationError):
        return describe_invalid(error)
    return str(error)


def describe_invalid(error: ValidationError) -> str:
    """A settings refusal as the operator reads it: `option：reason` a line, in our words, without
    pydantic's English wrapper ("1 validation error…", "Value error, ", its documentation link)."""
    lines = []
    for item in error.errors():
        option = ".".join(str(part) for part in item.get("loc", ()))
        reason = str(item.get("msg", "")).removeprefix("Value error, ")
        lines.append(f"{option}：{reason}" if option else reason)
    return "\n".join(lines)
