"""Settings: defaults mean sandbox + SQLite; the TOML file and TUIHUO_ variables override them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tui.settings import load_settings


def test_defaults_are_sandbox_and_sqlite_in_the_data_dir() -> None:
    settings = load_settings()
    assert settings.sandbox and settings.gateway_url is None
    assert settings.resolved_database_url().endswith("/tuihuo/tuihuo.db")
    assert settings.page_size == 20 and not settings.mouse and not settings.cursor_blink


def test_toml_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'gateway_url = "https://gw.example/v1"\npage_size = 50\n[keymap]\nsave = "f2,ctrl+s"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("TUIHUO_CONFIG", str(config))
    settings = load_settings()
    assert settings.gateway_url == "https://gw.example/v1" and not settings.sandbox
    assert settings.page_size == 50 and settings.keymap == {"save": "f2,ctrl+s"}
    monkeypatch.setenv("TUIHUO_PAGE_SIZE", "100")
    monkeypatch.setenv("TUIHUO_DATABASE_URL", "postgresql+psycopg://u@h/tuihuo")
    settings = load_settings()
    assert settings.page_size == 100
    assert settings.resolved_database_url() == "postgresql+psycopg://u@h/tuihuo"


def test_bad_value_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUIHUO_PAGE_SIZE", "30")
    with pytest.raises(ValidationError, match="page_size"):
        load_settings()


def test_an_http_gateway_is_refused_unless_allowed_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TUIHUO_GATEWAY_URL", "http://gw.example:8080")
    with pytest.raises(ValidationError, match="明文传输") as caught:
        load_settings()
    assert "allow_insecure_gateway" in str(caught.value)
    monkeypatch.setenv("TUIHUO_ALLOW_INSECURE_GATEWAY", "true")
    assert load_settings().gateway_url == "http://gw.example:8080"


def test_settings_command_masks_the_database_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    monkeypatch.setenv("TUIHUO_DATABASE_URL", "postgresql+psycopg://clerk:Tz9-q!wS@db.lan/tuihuo")
    assert main(["settings"]) == 0
    printed = capsys.readouterr().out
    assert "Tz9-q!wS" not in printed
    assert "postgresql+psycopg://clerk:***@db.lan/tuihuo" in printed
    assert "# log: " in printed and printed.rstrip().endswith("tuihuo.log")


async def _until_the_runtime_is_refused(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if app.runtime_error:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def test_an_http_gateway_at_start_is_said_on_the_login_screen_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The refusal's own words reach the operator; Textual's markup never reads them (it did:
    the `[...]` of the old message crashed the toast) and pydantic's English wrapper is gone."""
    from tui.app import TuihuoApp
    from tui.early import read_early

    monkeypatch.setenv("TUIHUO_GATEWAY_URL", "http://example.invalid")
    app = TuihuoApp(early=read_early())
    async with app.run_test(size=(80, 24)) as pilot:
        await _until_the_runtime_is_refused(app, pilot)
        assert app.is_running and app.return_code is None
        assert app.runtime_error is not None
        assert "明文传输" in app.runtime_error and "allow_insecure_gateway" in app.runtime_error
        assert "validation error" not in app.runtime_error
        assert "Value error" not in app.runtime_error


def test_settings_command_says_the_refusal_in_its_own_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    monkeypatch.setenv("TUIHUO_GATEWAY_URL", "http://example.invalid")
    assert main(["settings"]) == 2
    said = capsys.readouterr().err
    assert "明文传输" in said and "validation error" not in said and "errors.pydantic" not in said


def test_a_config_path_that_names_no_file_is_refused_not_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped TUIHUO_CONFIG ran the app on the defaults (the sandbox) without a word."""
    from tui.settings import ConfigFileRefused

    missing = tmp_path / "tuihuo-prod.toml"
    monkeypatch.setenv("TUIHUO_CONFIG", str(missing))
    with pytest.raises(ConfigFileRefused) as caught:
        load_settings()
    assert str(caught.value) == f"TUIHUO_CONFIG 指定的配置文件 {missing} 不存在"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"page_size = [\n", "不是有效的 TOML 文件（在文件末尾）"),
        (b'gateway_url = "https://x"\npage_size 20\n', "不是有效的 TOML 文件（第2行第11列）"),
        (
            "gateway_url = 'https://网关'\n# 海关\n".encode("gbk"),
            "不是 UTF-8 编码的文件（TOML 须为 UTF-8）",
        ),
    ],
)
def test_a_config_file_that_cannot_be_read_is_said_with_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, said: str
) -> None:
    from tui.settings import ConfigFileRefused, describe_settings_refusal

    config = tmp_path / "config.toml"
    config.write_bytes(content)
    monkeypatch.setenv("TUIHUO_CONFIG", str(config))
    with pytest.raises(ConfigFileRefused) as caught:
        load_settings()
    assert describe_settings_refusal(caught.value) == f"{config} {said}"


def test_a_mistyped_config_path_is_exit_2_in_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    monkeypatch.setenv("TUIHUO_CONFIG", str(tmp_path / "nope.toml"))
    assert main(["settings"]) == 2
    said = capsys.readouterr().err
    assert said.startswith(
        f"设置有误：TUIHUO_CONFIG 指定的配置文件 {tmp_path / 'nope.toml'} 不存在"
    )


async def test_a_config_file_that_is_not_toml_is_said_on_the_login_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was the raw English parser message after 启动失败."""
    from tui.app import TuihuoApp
    from tui.early import read_early

    config = tmp_path / "config.toml"
    config.write_text("page_size = [\n", encoding="utf-8")
    monkeypatch.setenv("TUIHUO_CONFIG", str(config))
    app = TuihuoApp(early=read_early())
    async with app.run_test(size=(80, 24)) as pilot:
        await _until_the_runtime_is_refused(app, pilot)
        assert app.is_running
        assert app.runtime_error == (
            f"设置有误，请检查配置文件或 TUIHUO_ 环境变量：{config} 不是有效的 TOML 文件（在文件末尾）"
        )


def test_the_output_layer_is_on_unless_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """diff_output: on by default; off by the variable or the file, for the first frame too."""
    from tui.early import read_early

    assert load_settings().diff_output and read_early().diff_output
    monkeypatch.setenv("TUIHUO_DIFF_OUTPUT", "0")
    assert not load_settings().diff_output and not read_early().diff_output
    monkeypatch.delenv("TUIHUO_DIFF_OUTPUT")
    config = tmp_path / "config.toml"
    config.write_text("diff_output = false\n", encoding="utf-8")
    monkeypatch.setenv("TUIHUO_CONFIG", str(config))
    assert not load_settings().diff_output and not read_early().diff_output
