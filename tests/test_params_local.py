"""A site's own parameter rows (store/params/local.py): import from CSV and XLSX, refusals that keep
nothing, the overlay that the search, the labels and the validators see, sharing on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, text

from store import params
from store.catalogue import GOODS_BY_KEY, field
from store.engine import open_engine
from store.params.local import import_file, list_rows
from store.params.site_file import SHAPES, SiteFileError
from store.rules import FieldError, validate_field

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_site_rows_after() -> Iterator[None]:
    """The overlay is the process's: a test's site rows never reach the next test."""
    yield
    params.set_local({})


def write_csv(path: Path, body: str, encoding: str = "utf-8") -> Path:
    path.write_text(body, encoding=encoding)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def stored(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("select count(*) from local_param")).scalar_one()


def test_every_table_has_a_code_shape() -> None:
    assert set(SHAPES) == set(params.TABLE_NAMES)


def test_csv_import_adds_renames_and_withdraws(engine: Engine, tmp_path: Path) -> None:
    assert params.table("customs_districts").get("3501") is None
    assert params.table("customs_districts").label("0101") == "0101 机场货管"
    path = write_csv(
        tmp_path / "福州关区.csv",
        "代码,名称,停用\n3501,马尾海关,否\n0101,首都机场海关,\n5301,,是\n",
    )
    assert import_file(engine, "customs_districts", path) == 3
    districts = params.table("customs_districts")
    mawei = districts.get("3501")
    assert mawei is not None and mawei.parent == "3500" and mawei.initials == "MWHG"
    assert "导入自 福州关区.csv" in mawei.source and "本站参数" in mawei.source
    assert districts.label("0101") == "0101 首都机场海关"  # the site's name wins
    assert districts.get("5301") is None and districts.withdrawn("5301")
    assert districts.search("mw", limit=3)[0].code == "3501"
    local = list_rows(engine, "customs_districts", local_only=True)
    assert [(r.code, r.name, r.withdrawn) for r in local] == [
        ("0101", "首都机场海关", False),
        ("3501", "马尾海关", False),
        ("5301", "皇岗海关", True),  # withdrawn without a name keeps the shipped name
    ]
    assert stored(engine) == 3


def test_xlsx_import_with_english_headers_and_a_number_cell(engine: Engine, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "units.xlsx",
        [["code", "name", "withdrawn"], ["999", "本站单位", "N"], [168, "盘", None]],
    )
    assert import_file(engine, "units", path) == 2
    units = params.table("units")
    assert units.label("999") == "999 本站单位"
    assert units.label("168") == "168 盘"  # a number cell whose digits are the whole code
    assert "导入自 units.xlsx" in (units.get("168") or params.Entry("", "", None, "")).source


def test_xlsx_number_cell_that_lost_its_zero_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["代码", "名称"], [101, "机场货管"]])
    with pytest.raises(SiteFileError) as caught:
        import_file(engine, "customs_districts", path)
    assert caught.value.problems == [
        "d.xlsx 第2行：代码“101”是数字单元格，前导0已丢失；请把代码列设为文本"
    ]


def test_bad_rows_refuse_the_whole_file_with_rows_named(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        "code,name\n3501,马尾海关\n35A1,坏代码\n3501,又一个马尾\n3502,\n3503,福州机场,\n",
    )
    with pytest.raises(SiteFileError) as caught:
        import_file(engine, "customs_districts", path)
    assert caught.value.problems == [
        "bad.csv 第3行：代码“35A1”不符合关区代码代码格式（4位数字）",
        "bad.csv 第4行：代码“3501”重复（第2行已有）",
        "bad.csv 第5行：名称为空",
    ]
    assert stored(engine) == 0  # not even the good rows
    assert params.table("customs_districts").get("3501") is None


@pytest.mark.parametrize(
    ("name", "body", "problem"),
    [
        ("x.txt", b"code,name\n", "x.txt：只能导入 .csv 或 .xlsx 文件"),
        (
            "h.csv",
            "编号,名字\n1,a\n".encode(),
            "h.csv：第1行应为表头，缺少列：代码(code)、名称(name)",
        ),
        ("e.csv", b"", "e.csv：文件是空的"),
        ("o.csv", b"code,name\n", "o.csv：只有表头，没有参数行"),
        ("z.xlsx", b"PK\x03\x04 truncated", "z.xlsx：不是有效的 Excel（.xlsx）文件"),
        ("w.csv", "code,name,停用\n3501,马尾,也许\n".encode(), "停用一栏应为“是”或“否”"),
    ],
)
def test_unusable_files_are_refused_in_chinese(
    tmp_path: Path, engine: Engine, name: str, body: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(SiteFileError) as caught:
        import_file(engine, "customs_districts", path)
    assert problem in str(caught.value)
    assert stored(engine) == 0


def test_excel_gb18030_csv_is_read(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", "代码,名称\n3501,马尾海关\n", encoding="gb18030")
    import_file(engine, "customs_districts", path)
    assert params.table("customs_districts").label("3501") == "3501 马尾海关"


def test_validators_accept_a_site_code_and_refuse_a_withdrawn_one(
    engine: Engine, tmp_path: Path
) -> None:
    unit = GOODS_BY_KEY["unit"]
    producer = field("producer_customs")
    with pytest.raises(FieldError):
        validate_field(unit, "999")  # not in the shipped table
    assert validate_field(producer, "5301") == "5301"
    assert validate_field(producer, "3577") == "3577"  # a well-formed office outside the table
    import_file(engine, "units", write_csv(tmp_path / "u.csv", "code,name\n999,本站单位\n"))
    import_file(
        engine,
        "customs_districts",
        write_csv(tmp_path / "c.csv", "code,name,withdrawn\n5301,皇岗海关,是\n3577,旧办事处,是\n"),
    )
    assert validate_field(unit, "999") == "999"
    for code in ("5301", "3577"):
        with pytest.raises(FieldError) as caught:
            validate_field(producer, code)
        assert f"代码“{code}”已停用（本站参数，" in caught.value.message
        assert "导入自 c.csv" in caught.value.message


def test_a_new_engine_loads_the_site_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    first = open_engine(url)
    import_file(first, "countries", write_csv(tmp_path / "c.csv", "code,name\nXKX,科索沃\n"))
    first.dispose()
    params.set_local({})
    assert params.table("countries").get("XKX") is None
    second = open_engine(url)
    assert params.table("countries").label("XKX") == "XKX 科索沃"
    second.dispose()
    fresh = open_engine(f"sqlite:///{tmp_path / 'other.db'}")  # another database: not its rows
    assert params.table("countries").get("XKX") is None
    fresh.dispose()


def test_postgresql_operators_share_the_site_rows(pg_url: str, tmp_path: Path) -> None:
    from tests.fixtures_db import fresh_pg_database

    url = fresh_pg_database(pg_url)
    engine = open_engine(url)
    path = write_csv(tmp_path / "offices.csv", "代码,名称\n3501,马尾海关\n")
    import_file(engine, "customs_districts", path)
    engine.dispose()
    # another operator: another process on the same database
    script = (
        "from store.engine import open_engine\n"
        "from store import params\n"
        f"open_engine({url!r})\n"
        "entry = params.table('customs_districts').get('3501')\n"
        "print(entry.name, entry.source)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("马尾海关 本站参数，")
    assert "导入自 offices.csv" in done.stdout
