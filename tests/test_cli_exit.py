"""The exit codes of `tuihuo` as a script sees them: the installed command run as a real process,
on the sandbox (no gateway configured: the sandbox gateway server and card inside the process)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from store.status import Status
from tests.cli_harness import cli_env, pin_file, run_tuihuo, seed_drafts
from tests.fixtures_gateway import GatewayFactory


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "data" / "tuihuo").mkdir(parents=True, mode=0o700)
    return tmp_path


def _db(home: Path) -> str:
    return f"sqlite:///{home / 'data' / 'tuihuo' / 'tuihuo.db'}"


def test_help_documents_the_exit_codes(home: Path) -> None:
    ran = run_tuihuo(["--help"], cli_env(home))
    assert ran.code == 0
    for line in ("0  完成", "1  被拒绝", "2  用法", "3  服务不可用"):
        assert line in ran.stdout
    for name in ("records", "submit", "receipts", "declaration", "params", "print", "db"):
        assert f"  {name} " in ran.stdout
    submit = run_tuihuo(["submit", "--help"], cli_env(home))
    assert submit.code == 0 and "3  服务不可用" in submit.stdout and "--all-drafts" in submit.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["records", "list", "--nope"], "No such option"),
        (["records", "list", "--status", "9"], "状态应为0-8"),
        (["submit"], "--all-drafts"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_is_exit_2(home: Path, args: list[str], said: str) -> None:
    ran = run_tuihuo(args, cli_env(home, TUIHUO_PIN_FILE=str(pin_file(home))))
    assert ran.code == 2
    assert said in ran.stderr and "Traceback" not in ran.stderr


@pytest.mark.parametrize("args", [["settings"], ["records", "list"], ["db", "current"], ["login"]])
def test_a_config_file_that_is_not_toml_is_exit_2_naming_the_file(
    home: Path, args: list[str]
) -> None:
    config = home / "config" / "tuihuo" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("page_size = [\n", encoding="utf-8")
    ran = run_tuihuo(args, cli_env(home, TUIHUO_PIN_FILE=str(pin_file(home))))
    assert ran.code == 2, ran
    assert ran.stderr.startswith(f"设置有误：{config}")
    assert "意外错误" not in ran.stderr and "Traceback" not in ran.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://clerk:secret@db/tuihuo", "不支持 mysql"),
        ("garbage", "无法解析"),
        ("postgresql+nosuchdriver://clerk:secret@db/tuihuo", "postgresql+nosuchdriver"),
    ],
)
@pytest.mark.parametrize("args", [["settings"], ["records", "list"], ["db", "upgrade"]])
def test_an_unsupported_database_url_is_exit_2_in_chinese(
    home: Path, args: list[str], url: str, said: str
) -> None:
    env = cli_env(home, TUIHUO_PIN_FILE=str(pin_file(home)), TUIHUO_DATABASE_URL=url)
    ran = run_tuihuo(args, env)
    assert ran.code == 2, ran
    assert ran.stderr.startswith("数据库地址无效：") and said in ran.stderr
    assert "secret" not in ran.stderr and "Traceback" not in ran.stderr


def test_a_pin_file_others_can_read_is_exit_2(home: Path) -> None:
    path = pin_file(home, mode=0o644)
    ran = run_tuihuo(["login"], cli_env(home, TUIHUO_PIN_FILE=str(path)))
    assert ran.code == 2
    assert "权限过宽" in ran.stderr and f"chmod 600 {path}" in ran.stderr


def test_a_refused_record_is_exit_1_with_the_reason_in_chinese(home: Path) -> None:
    seed_drafts(_db(home), 1, contact_phone="")
    ran = run_tuihuo(["submit", "--all-drafts"], cli_env(home, TUIHUO_PIN_FILE=str(pin_file(home))))
    assert ran.code == 1, ran.stderr
    number = ran.stdout.split()[1]  # the 统一编号 it was given before the rules refused it
    assert len(number) == 18 and number.isdigit()
    assert ran.stdout.startswith(f"✗ {number} 未通过校验：") and "联系电话" in ran.stdout
    assert "Traceback" not in ran.stdout + ran.stderr


def test_a_wrong_pin_is_exit_1(home: Path) -> None:
    path = pin_file(home, pin="12345678")
    ran = run_tuihuo(["login"], cli_env(home, TUIHUO_PIN_FILE=str(path)))
    assert ran.code == 1
    assert "口令错误，还可尝试" in ran.stderr


def test_a_malformed_pin_is_exit_1_not_a_service_fault(home: Path) -> None:
    path = pin_file(home, pin="abc")
    ran = run_tuihuo(["login"], cli_env(home, TUIHUO_PIN_FILE=str(path)))
    assert ran.code == 1, ran
    assert "口令格式不正确" in ran.stderr and "Traceback" not in ran.stderr


def test_an_unreachable_database_is_exit_3_in_its_own_words(home: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = cli_env(
        home,
        TUIHUO_PIN_FILE=str(pin_file(home)),
        TUIHUO_DATABASE_URL=f"postgresql+psycopg://clerk@127.0.0.1:{port}/tuihuo",
    )
    ran = run_tuihuo(["records", "list"], env)
    assert ran.code == 3
    assert "无法连接数据库" in ran.stderr and "Traceback" not in ran.stderr


def test_a_corrupt_database_is_exit_3_in_its_own_words(home: Path) -> None:
    db = home / "data" / "tuihuo" / "tuihuo.db"
    db.write_bytes(b"garbage " * 500)
    ran = run_tuihuo(["records", "list"], cli_env(home, TUIHUO_PIN_FILE=str(pin_file(home))))
    assert ran.code == 3
    assert f"数据库文件损坏：{db}" in ran.stderr and "Traceback" not in ran.stderr


def test_the_pin_prompt_takes_a_piped_pin_and_submits(home: Path) -> None:
    keys = seed_drafts(_db(home), 1)
    ran = run_tuihuo(["submit", *keys, "--json"], cli_env(home), stdin="88888888\n")
    assert ran.code == 0, ran.stderr
    assert "88888888" not in ran.stdout + ran.stderr
    assert (
        '"outcome": "accepted"' in ran.stdout
        and f'"status": "{Status.SUBMITTED.label}"' in ran.stdout
    )


def test_without_pin_file_or_terminal_the_pin_is_a_stdin_line_or_exit_2(home: Path) -> None:
    """Nothing on stdin (`tuihuo login </dev/null`): one Chinese line naming TUIHUO_PIN_FILE, exit 2,
    never getpass's English warning; a piped line is the PIN (`echo PIN | tuihuo login`)."""
    ran = run_tuihuo(["login"], cli_env(home))  # stdin: an empty pipe
    assert ran.code == 2, ran
    assert ran.stderr.strip() == "无法读取口令：请设置 TUIHUO_PIN_FILE"
    piped = run_tuihuo(["login"], cli_env(home), stdin="88888888\n")
    assert piped.code == 0, piped
    assert "Warning" not in piped.stderr and "88888888" not in piped.stdout + piped.stderr


def test_a_configured_gateway_takes_the_drafts_and_a_stopped_one_is_exit_3(
    home: Path, gateway_factory: GatewayFactory
) -> None:
    gateway = gateway_factory(step_seconds=0)
    env = cli_env(
        home,
        TUIHUO_GATEWAY_URL=gateway.url,
        TUIHUO_ALLOW_INSECURE_GATEWAY="true",  # the test's gateway on loopback
        TUIHUO_CARD="sandbox",
        TUIHUO_PIN_FILE=str(pin_file(home)),
    )
    keys = seed_drafts(_db(home), 1)
    ran = run_tuihuo(["submit", "--all-drafts"], env)
    assert ran.code == 0, ran.stderr
    assert gateway.submission_count() == 1

    later = seed_drafts(_db(home), 1)
    gateway.stop()
    down = run_tuihuo(["submit", *later], env)
    assert down.code == 3
    assert "未连接海关网关" in down.stderr and "Traceback" not in down.stderr
    again = run_tuihuo(["records", "list", "--status", "暂存", "--json"], env)  # reads go on
    assert again.code == 0 and later[0] in again.stdout and keys[0] not in again.stdout


def test_python_dash_m_tui_is_the_same_command(home: Path) -> None:
    """A checkout run without the installed script: `python -m tui` (a tester reached for it)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = cli_env(home, PYTHONPATH=str(root))

    def python_m_tui(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=home,
            timeout=120,
            check=False,
        )

    helped = python_m_tui("--help")
    assert helped.returncode == 0 and "2  用法" in helped.stdout
    assert python_m_tui("frobnicate").returncode == 2
