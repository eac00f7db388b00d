"""`tuihuo declaration read FILE [--json]`: a declaration on file, field by field, as a real process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_harness import cli_env, run_tuihuo
from tests.declfiles_samples import CONSIGNEE, NUMBER, printed_xlsx, web_json, write, xml_message


def test_read_prints_each_kind_field_by_field_and_json_reads_back(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    for name, data in (
        ("dec.xml", xml_message()),
        ("dec.json", web_json()),
        ("dec.xlsx", printed_xlsx()),
    ):
        path = write(tmp_path, name, data)
        shown = run_tuihuo(["declaration", "read", str(path)], env)
        assert shown.code == 0, shown.stderr
        assert NUMBER in shown.stdout and "进口报关单号" in shown.stdout, shown.stdout
        assert "Traceback" not in shown.stderr
        as_json = run_tuihuo(["declaration", "read", str(path), "--json"], env)
        assert as_json.code == 0, as_json.stderr
        assert NUMBER in json.dumps(json.loads(as_json.stdout), ensure_ascii=False)


def test_an_export_declaration_or_hostile_xml_is_refused_in_chinese_exit_1(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path)
    export = write(tmp_path, "export.json", web_json(ie_flag="E"))
    refused = run_tuihuo(["declaration", "read", str(export)], env)
    assert refused.code == 1 and "export.json" in refused.stderr and refused.stdout == ""
    bomb = write(
        tmp_path,
        "bomb.xml",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><DecMessage>&b;</DecMessage>',
    )
    hostile = run_tuihuo(["declaration", "read", str(bomb)], env)
    assert hostile.code == 1 and "bomb.xml" in hostile.stderr
    assert "Traceback" not in refused.stderr + hostile.stderr
    missing = run_tuihuo(["declaration", "read"], env)
    assert missing.code == 2


def test_a_gb_encoded_message_is_read_and_a_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    gb = write(tmp_path, "gb.xml", xml_message(encoding="GB18030"))
    shown = run_tuihuo(["declaration", "read", str(gb)], env)
    assert shown.code == 0, shown.stderr
    assert NUMBER in shown.stdout and CONSIGNEE[2] in shown.stdout
    folder = tmp_path / "InBox"
    folder.mkdir()
    refused = run_tuihuo(["declaration", "read", str(folder)], env)
    assert refused.code == 1, refused.stderr
    assert "文件“InBox”：是文件夹，不是文件" in refused.stderr
    assert "Invalid value" not in refused.stderr and "Traceback" not in refused.stderr
