"""`tuihuo params import|list` as a real process: exit 0 with the site's rows listed (and found by
`params search`), 1 for a refused file with each bad row named, 2 for usage, 3 for a database away;
on PostgreSQL a second process sees the first one's import."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.cli_harness import cli_env, run_tuihuo
from tests.fixtures_db import fresh_pg_database


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "data" / "tuihuo").mkdir(parents=True, mode=0o700)
    return tmp_path


def test_import_csv_then_list_and_search(home: Path) -> None:
    env = cli_env(home)
    site = home / "福州关区.csv"
    site.write_text("代码,名称,停用\n3501,马尾海关,否\n5301,皇岗海关,是\n", encoding="utf-8")
    ran = run_tuihuo(["params", "import", "关区代码", str(site)], env)
    assert ran.code == 0, ran.stderr
    assert "已导入2行到关区代码" in ran.stdout
    local = run_tuihuo(["params", "list", "customs_districts", "--local"], env)
    assert local.code == 0
    lines = local.stdout.splitlines()
    assert lines[0].startswith("3501  马尾海关  [本站参数，") and "导入自 福州关区.csv]" in lines[0]
    assert lines[1].startswith("5301  皇岗海关（停用）  [本站参数，")
    whole = run_tuihuo(["params", "list", "关区代码"], env)
    assert "3500  福州海关" in whole.stdout and "3501  马尾海关  [本站参数" in whole.stdout
    assert "5301  " not in whole.stdout  # withdrawn
    found = run_tuihuo(["params", "search", "customs_districts", "mwhg"], env)
    assert found.code == 0 and found.stdout.startswith("3501  马尾海关")


def test_import_xlsx(home: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name"])
    sheet.append(["999", "本站单位"])
    book.save(home / "units.xlsx")
    env = cli_env(home)
    ran = run_tuihuo(["params", "import", "units", str(home / "units.xlsx")], env)
    assert ran.code == 0, ran.stderr
    listed = run_tuihuo(["params", "list", "计量单位", "--local", "--json"], env)
    assert '"code": "999"' in listed.stdout and "导入自 units.xlsx" in listed.stdout


def test_a_bad_file_is_exit_1_naming_rows_and_nothing_is_imported(home: Path) -> None:
    env = cli_env(home)
    site = home / "bad.csv"
    site.write_text("code,name\n3501,马尾海关\n35X1,坏\n3501,重复\n", encoding="utf-8")
    ran = run_tuihuo(["params", "import", "customs_districts", str(site)], env)
    assert ran.code == 1
    assert "bad.csv 第3行：代码“35X1”不符合关区代码代码格式（4位数字）" in ran.stderr
    assert "bad.csv 第4行：代码“3501”重复（第2行已有）" in ran.stderr
    assert "Traceback" not in ran.stderr
    local = run_tuihuo(["params", "list", "customs_districts", "--local"], env)
    assert local.code == 0 and local.stdout == "" and "没有本站参数" in local.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["params", "import", "nosuch", "x.csv"], "没有参数表 nosuch"),
        (["params", "import", "units", "missing.csv"], "does not exist"),
        (["params", "list"], "Missing argument"),
    ],
)
def test_usage_is_exit_2(home: Path, args: list[str], said: str) -> None:
    (home / "x.csv").write_text("code,name\n", encoding="utf-8")
    ran = run_tuihuo(args, cli_env(home))
    assert ran.code == 2
    assert said in ran.stderr and "Traceback" not in ran.stderr


def test_a_database_away_is_exit_3(home: Path) -> None:
    from declarant.runtime import free_port

    site = home / "s.csv"
    site.write_text("code,name\n3501,马尾海关\n", encoding="utf-8")
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    ran = run_tuihuo(
        ["params", "import", "customs_districts", str(site)], cli_env(home, TUIHUO_DATABASE_URL=url)
    )
    assert ran.code == 3
    assert "Traceback" not in ran.stderr and ran.stderr.strip()


def test_postgresql_operators_share_an_import(home: Path, pg_url: str, tmp_path: Path) -> None:
    url = fresh_pg_database(pg_url)
    site = home / "offices.csv"
    site.write_text("代码,名称\n3501,马尾海关\n", encoding="utf-8")
    first = cli_env(home, TUIHUO_DATABASE_URL=url)
    assert run_tuihuo(["params", "import", "customs_districts", str(site)], first).code == 0
    other_home = tmp_path / "colleague"
    (other_home / "data" / "tuihuo").mkdir(parents=True, mode=0o700)
    listed = run_tuihuo(
        ["params", "list", "customs_districts", "--local"],
        cli_env(other_home, TUIHUO_DATABASE_URL=url),
    )
    assert listed.code == 0
    assert (
        listed.stdout.startswith("3501  马尾海关  [本站参数，") and "offices.csv" in listed.stdout
    )
