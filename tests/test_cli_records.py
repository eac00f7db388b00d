"""`tuihuo records list|show|export`, `print`, `declaration show`, `params search`: the commands
against a real SQLite store (and PostgreSQL), the sandbox gateway server and the sandbox card."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from declarant.printout import text_width
from store.engine import open_engine
from store.numbering import Numbering
from tests.cli_harness import gateway_runtime, pin_file, run_cli, seed_drafts
from tests.fixtures_db import fresh_pg_database
from tests.fixtures_gateway import RunningGateway, declarations
from tests.seed import sandbox_operator


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tuihuo.db'}"


@pytest.fixture(autouse=True)
def pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = pin_file(tmp_path)
    monkeypatch.setenv("TUIHUO_PIN_FILE", str(path))
    return path


def _numbered(db_url: str, draft_no: str, unified_no: str) -> None:
    engine = open_engine(db_url)
    Numbering(engine, sandbox_operator()).assign(draft_no, unified_no)
    engine.dispose()


def _list(db_url: str, url: str, *args: str) -> list[dict[str, object]]:
    ran = run_cli(["records", "list", "--json", *args], factory=gateway_runtime(db_url, url))
    assert ran.code == 0, ran.stderr
    return json.loads(ran.stdout)  # type: ignore[no-any-return]


def test_list_filters_as_the_query_pane_and_json_reads_back(
    db_url: str, gateway: RunningGateway
) -> None:
    first, second, third = seed_drafts(db_url, 3)
    _numbered(db_url, first, "202600000000000777")
    numbers = sorted(declarations())

    rows = _list(db_url, gateway.url)  # default: today's, newest first
    assert [r["key"] for r in rows] == [third, second, "202600000000000777"]
    assert rows[0]["status"] == "暂存" and rows[0]["status_code"] == 0
    assert rows[0]["unified_no"] is None and rows[0]["draft_no"] == third

    assert [r["key"] for r in _list(db_url, gateway.url, "--unified-no", second)] == [second]
    by_unified = _list(db_url, gateway.url, "--unified-no", "202600000000000777")
    assert [r["draft_no"] for r in by_unified] == [first]
    by_decl = _list(db_url, gateway.url, "--import-decl-no", numbers[1])
    assert [r["import_decl_no"] for r in by_decl] == [numbers[1]]
    assert len(_list(db_url, gateway.url, "--status", "暂存", "--period", "本周")) == 3
    assert _list(db_url, gateway.url, "--status", "已提交") == []
    assert _list(db_url, gateway.url, "--from", "2020-01-01", "--to", "2020-01-05") == []


def test_list_as_text_aligns_the_grid_columns(db_url: str, gateway: RunningGateway) -> None:
    [key] = seed_drafts(db_url, 1)
    ran = run_cli(["records", "list"], factory=gateway_runtime(db_url, gateway.url))
    assert ran.code == 0, ran.stderr
    header, row, total = ran.stdout.splitlines()
    assert header.startswith("统一编号") and "最近操作时间" in header
    assert row.startswith(f"草稿{key}") and "暂存" in row
    assert total == "共1条"


def test_list_as_text_fits_80_columns_aligned_by_display_width(
    db_url: str, gateway: RunningGateway
) -> None:
    """A long 收发货人名称 ends in … and every column starts at the same cell on every line."""
    long_name = "厦门市某某某某国际贸易进出口股份有限公司第一分公司"
    seed_drafts(db_url, 1, consignee_name=long_name)
    seed_drafts(db_url, 1, consignee_name="短名")
    ran = run_cli(["records", "list"], factory=gateway_runtime(db_url, gateway.url))
    assert ran.code == 0, ran.stderr
    header, *rows, total = ran.stdout.splitlines()
    assert total == "共2条" and len(rows) == 2
    for line in [header, *rows]:
        assert text_width(line) <= 80, line
    assert any("…" in row and long_name[:5] in row for row in rows)

    status_at = text_width(header[: header.index("状态")])
    time_at = text_width(header[: header.index("最近操作时间")])
    for row in rows:
        assert text_width(row[: row.index("暂存")]) == status_at, row
        when = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row)
        assert when is not None and text_width(row[: when.start()]) == time_at, row


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--status", "9"], "状态应为0-8或其名称，如 暂存、已提交"),
        (["--status", "草稿"], "状态应为0-8或其名称，如 暂存、已提交"),
        (["--from", "2026-01-01", "--to", "2026-03-01"], "不能超过30天"),
        (["--import-decl-no", "123"], "进口报关单号"),
        (["--period", "当天", "--from", "2026-01-01"], "--period 不能与 --from/--to 同用"),
        (["--period", "本月", "--to", "2026-01-01"], "--period 不能与 --from/--to 同用"),
    ],
)
def test_a_bad_filter_is_usage_in_the_query_panes_words(
    db_url: str, gateway: RunningGateway, args: list[str], said: str
) -> None:
    ran = run_cli(["records", "list", *args], factory=gateway_runtime(db_url, gateway.url))
    assert ran.code == 2
    assert said in ran.stderr and "Traceback" not in ran.stderr
    assert "空格键" not in ran.stderr  # the query pane's key, not the command line's


def test_show_gives_every_field_with_the_manuals_labels(
    db_url: str, gateway: RunningGateway
) -> None:
    [key] = seed_drafts(db_url, 1)
    factory = gateway_runtime(db_url, gateway.url)
    ran = run_cli(["records", "show", key, "--json"], factory=factory)
    assert ran.code == 0, ran.stderr
    shown = json.loads(ran.stdout)
    declaration = declarations()[sorted(declarations())[0]]
    assert shown["draft_no"] == key and shown["status"] == "暂存"
    assert shown["fields"]["consignee_name"] == declaration.consignee.name
    assert shown["labels"]["consignee_name"] == "收货人名称"
    assert shown["texts"]["accepting_customs"].startswith(declaration.accepting_customs + " ")
    assert len(shown["goods"]) == len(declaration.goods)

    text = run_cli(["records", "show", key], factory=factory)
    assert text.code == 0 and "出口退货信息" in text.stdout
    assert f"暂无（本地草稿号{key}）" in text.stdout

    missing = run_cli(["records", "show", "202699999999999999"], factory=factory)
    assert missing.code == 1 and "记录不存在或无权访问" in missing.stderr


def test_export_csv_and_xlsx_hold_the_rows_of_the_filters(
    db_url: str, gateway: RunningGateway, tmp_path: Path
) -> None:
    keys = seed_drafts(db_url, 3)
    factory = gateway_runtime(db_url, gateway.url)
    target = tmp_path / "out" / "today.csv"
    ran = run_cli(
        ["records", "export", "--format", "csv", "--period", "当天", "-o", str(target)],
        factory=factory,
    )
    assert ran.code == 0, ran.stderr
    assert f"已导出3条：{target}" in ran.stdout
    assert "导出" in ran.stderr  # the progress bar, on stderr
    with target.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][0] == "统一编号" and [r[0] for r in table[1:]] == [
        f"草稿{k}" for k in keys[::-1]
    ]
    assert target.stat().st_mode & 0o077 == 0

    from openpyxl import load_workbook

    book_path = tmp_path / "drafts.xlsx"
    ran = run_cli(
        ["records", "export", "--format", "xlsx", "--status", "0", "-o", str(book_path)],
        factory=factory,
    )
    assert ran.code == 0, ran.stderr
    sheet = load_workbook(book_path).active
    assert sheet is not None and sheet.max_row == 4

    wrong = run_cli(
        ["records", "export", "--format", "xlsx", "-o", str(tmp_path / "x.csv")], factory=factory
    )
    assert wrong.code == 2 and "请以 .xlsx 结尾" in wrong.stderr


def test_print_writes_the_pdf_or_the_text_of_the_record(
    db_url: str, gateway: RunningGateway, tmp_path: Path
) -> None:
    [key] = seed_drafts(db_url, 1)
    factory = gateway_runtime(db_url, gateway.url)
    pdf = tmp_path / "p" / "r.pdf"
    ran = run_cli(["print", key, "--pdf", str(pdf)], factory=factory)
    assert ran.code == 0, ran.stderr
    assert ran.stdout.startswith(f"已保存PDF：{pdf}（共") and pdf.read_bytes()[:5] == b"%PDF-"
    text = tmp_path / "r.txt"
    assert run_cli(["print", key, "--text", str(text)], factory=factory).code == 0
    assert f"暂无（本地草稿号{key}）" in text.read_text(encoding="utf-8")
    both = run_cli(["print", key], factory=factory)
    assert both.code == 2 and "--pdf FILE 或 --text FILE" in both.stderr

    [odd] = seed_drafts(db_url, 1, contact_person="\U0002a6a5田")  # CJK Ext B, in no font
    refused = run_cli(["print", odd, "--pdf", str(tmp_path / "odd.pdf")], factory=factory)
    assert (
        refused.code == 1
        and refused.stderr.startswith("无法生成PDF：")
        and "U+2A6A5" in refused.stderr
    )
    assert not (tmp_path / "odd.pdf").exists()


def test_declaration_show_is_what_the_backfill_fills_in(
    db_url: str, gateway: RunningGateway
) -> None:
    number = sorted(declarations())[0]
    declaration = declarations()[number]
    ran = run_cli(
        ["declaration", "show", number, "--json"], factory=gateway_runtime(db_url, gateway.url)
    )
    assert ran.code == 0, ran.stderr
    shown = json.loads(ran.stdout)
    fields = {f["key"]: f for f in shown["fields"]}
    assert fields["consignee_name"]["value"] == declaration.consignee.name
    assert fields["consignee_name"]["label"] == "收货人名称"
    assert fields["accepting_customs"]["text"].startswith(declaration.accepting_customs + " ")
    assert "collector_name" not in fields  # the card's, not the declaration's
    assert [row[0]["value"] for row in shown["goods"]] == [g.seq for g in declaration.goods]
    assert shown["refused"] == []

    text = run_cli(["declaration", "show", number], factory=gateway_runtime(db_url, gateway.url))
    assert text.code == 0 and declaration.consignee.name in text.stdout

    unknown = run_cli(
        ["declaration", "show", "999920241000000001"], factory=gateway_runtime(db_url, gateway.url)
    )
    assert unknown.code == 1 and unknown.stderr.strip()


def test_params_search_is_the_popups_search() -> None:
    from store.params import table

    ran = run_cli(["params", "search", "countries", "日本", "--json"])
    assert ran.code == 0
    assert json.loads(ran.stdout)[0] == {"code": "JPN", "name": "日本", "source": ""}
    by_title = run_cli(["params", "search", "关区代码", "0101"])
    expected = table("customs_districts").search("0101", limit=50)
    assert by_title.stdout.splitlines() == [f"{e.code}  {e.name}" for e in expected]
    unknown = run_cli(["params", "search", "nosuch", "x"])
    assert unknown.code == 2 and "没有参数表 nosuch" in unknown.stderr


@pytest.mark.postgres
def test_list_on_postgresql(pg_url: str, gateway: RunningGateway) -> None:
    url = fresh_pg_database(pg_url)
    keys = seed_drafts(url, 2)
    rows = _list(url, gateway.url, "--status", "暂存")
    assert [r["key"] for r in rows] == keys[::-1]
