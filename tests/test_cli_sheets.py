"""`tuihuo template` and `tuihuo import` against the real sandbox gateway server and SQLite."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.cli_harness import gateway_runtime, pin_file, run_cli
from tests.fixtures_gateway import RunningGateway
from tests.test_sheets_import import NUMBERS, client_row, client_workbook


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tuihuo.db'}"


@pytest.fixture
def pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = pin_file(tmp_path)
    monkeypatch.setenv("TUIHUO_PIN_FILE", str(path))
    return path


def test_template_writes_the_workbook_and_refuses_another_suffix(
    tmp_path: Path,
) -> None:
    ran = run_cli(["template", str(tmp_path / "模板.xlsx")])
    assert ran.code == 0 and "模板已写入" in ran.stdout
    assert openpyxl.load_workbook(tmp_path / "模板.xlsx").sheetnames[0] == "出口退货记录"
    wrong = run_cli(["template", str(tmp_path / "模板.xls")])
    assert wrong.code == 2 and ".xlsx" in wrong.stderr
    missing = run_cli(["template", str(tmp_path / "无此目录" / "模板.xlsx")])
    assert missing.code == 3 and "未能写入" in missing.stderr


def test_import_refused_rows_exit_1_then_a_reimport_asks_and_updates(
    tmp_path: Path, db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    path = client_workbook(
        tmp_path / "客户.xlsx",
        [client_row(NUMBERS[0]), client_row(NUMBERS[1], 出口是否法检="X")],
    )
    factory = gateway_runtime(db_url, gateway.url)
    ran = run_cli(["import", str(path)], factory=factory)
    assert ran.code == 1, ran.stderr
    assert "共2行，新建1，更新0，未导入1" in ran.stdout
    assert "✗ 11月退货 第6行 O列：出口是否法检：代码“X”不在参数表中" in ran.stdout
    assert f"结果文件：{tmp_path / '客户.结果.xlsx'}" in ran.stdout
    kept = run_cli(["import", str(path)], factory=factory, stdin="n\n")
    assert "已有暂存记录" in kept.stderr and "新建0，更新0" in kept.stdout
    again = run_cli(["import", str(path)], factory=factory, stdin="y\n")
    assert "更新1" in again.stdout and again.code == 1


def test_import_exit_codes_for_a_bad_file_and_a_gateway_away(
    tmp_path: Path, db_url: str, gateway: RunningGateway, pin: Path
) -> None:
    factory = gateway_runtime(db_url, gateway.url)
    assert run_cli(["import", str(tmp_path / "无.xlsx")], factory=factory).code == 2
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    ran = run_cli(["import", str(broken)], factory=factory)
    assert ran.code == 2 and "无法读取该文件" in ran.stderr
    good = client_workbook(tmp_path / "客户.xlsx", [client_row(NUMBERS[2])])
    assert run_cli(["import", str(good)], factory=factory).code == 0
    gateway.stop()
    ran = run_cli(["import", str(good)], factory=factory)
    assert ran.code == 3, (ran.stdout, ran.stderr)
