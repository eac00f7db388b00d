"""Declaration files the office has: each kind backfills the form's fields, old codes are turned
into today's (an unknown one kept and flagged), each bad file is refused in Chinese naming it,
the watched folders' index finds a number without parsing every file again, and the command's
headless report says what the backfill would fill in with the manual's labels."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from customs.declfiles import DeclarationFileError, DeclarationIndex, read_declaration
from customs.declfiles.codes import Kind, old_codes
from customs.declfiles.report import describe, describe_json, render
from customs.mapping import backfill
from store.params import table
from store.record import RecordData
from tests import declfiles_samples as s


def _filled(path: Path) -> RecordData:
    filled, refused = backfill(RecordData(), read_declaration(path).declaration)
    assert refused == []
    return filled


def _assert_backfills_the_form(path: Path, *, lacks: tuple[str, ...] = ()) -> None:
    filled = _filled(path)
    for key, value in s.EXPECTED_HEADER.items():
        assert getattr(filled, key) == ("" if key in lacks else value), key
    rows = [row.model_dump(include=set(s.EXPECTED_GOODS[0])) for row in filled.goods]
    assert rows == s.EXPECTED_GOODS
    assert filled.consignee_address is None and filled.consumer_district is None  # no file has it
    assert all(row.reg_category == "" for row in filled.goods)


# the web JSON's name for 报关人员 is in no public material we found: that field stays empty
@pytest.mark.parametrize(
    ("name", "data", "lacks"),
    [
        ("dec48.xml", s.xml_message(), ()),
        ("dec31.xml", s.xml_message(version="3.1"), ()),
        ("web.json", s.web_json(), ("declarant_person",)),
        ("web-string-goods.json", s.web_json(goods_as_string=True), ("declarant_person",)),
        ("printed.xlsx", s.printed_xlsx(), ()),
    ],
    ids=["xml-4.8", "xml-3.1", "json", "json-goods-as-string", "xlsx"],
)
def test_each_kind_backfills_the_forms_fields(
    tmp_path: Path, name: str, data: bytes, lacks: tuple[str, ...]
) -> None:
    _assert_backfills_the_form(s.write(tmp_path, name, data), lacks=lacks)


def test_a_wrapped_message_and_a_misleading_suffix_are_read_by_their_content(
    tmp_path: Path,
) -> None:
    body = s.xml_message().split(b"?>", 1)[1]
    wrapped = b"<ImportMessage><SWImpData>" + body + b"</SWImpData></ImportMessage>"
    _assert_backfills_the_form(s.write(tmp_path, "InBox/wrapped.txt.xml", wrapped))
    _assert_backfills_the_form(s.write(tmp_path, "named.xml", s.printed_xlsx()))


def test_old_numeric_codes_become_todays_and_say_so(tmp_path: Path) -> None:
    found = read_declaration(s.write(tmp_path, "old.xml", s.xml_message(version="3.1")))
    assert found.declaration.departure_country == "USA"
    assert [g.currency for g in found.declaration.goods] == ["USD", "USD"]
    assert "退货国家(地区)：旧国别(地区)代码502已换为USA" in found.notes
    assert "第1项退货金额单位：旧币制代码502已换为USD" in found.notes


@pytest.mark.parametrize(
    ("old", "new"), [("142", "CNY"), ("502", "USD"), ("110", "HKD"), ("116", "JPY")]
)
def test_the_issues_old_currency_codes(tmp_path: Path, old: str, new: str) -> None:
    found = read_declaration(s.write(tmp_path, "c.xml", s.xml_message(currency=old)))
    assert {g.currency for g in found.declaration.goods} == {new}


def test_an_unknown_code_is_kept_and_flagged_not_dropped(tmp_path: Path) -> None:
    path = s.write(tmp_path, "odd.xml", s.xml_message(currency="999", country="Q77"))
    found = read_declaration(path)
    assert {g.currency for g in found.declaration.goods} == {"999"}
    assert found.declaration.departure_country == "Q77"
    assert "第1项退货金额单位：币制代码“999”不在参数表中，原样保留" in found.notes
    assert "退货国家(地区)：国别(地区)代码“Q77”不在参数表中，原样保留" in found.notes
    assert "注意：第2项退货金额单位：币制代码“999”不在参数表中，原样保留" in describe(path)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE DecMessage [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<DecMessage xmlns="http://www.chinaport.gov.cn/dec"><DecHead><EntryId>&g;</EntryId></DecHead>
</DecMessage>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE DecMessage [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<DecMessage xmlns="http://www.chinaport.gov.cn/dec"><DecHead><EntryId>1</EntryId>
<TradeName>&secret;</TradeName></DecHead></DecMessage>"""

HOSTILE = "XML中含有DTD或实体声明（可被用来无限膨胀或读取其他文件），为安全起见未读取"


def _truncated_xlsx() -> bytes:
    data = s.printed_xlsx()
    return data[: len(data) * 2 // 3]  # a copy from the client's folder cut short


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        (
            "export.xml",
            s.xml_message(ie_flag="E"),
            "是出口报关单（进出口标志为E），进口报关单号只能从进口报关单返填",
        ),
        (
            "export-number.xml",
            s.xml_message(number="223320250000456789"),
            "海关编号223320250000456789第9位为0，是出口报关单，进口报关单号只能从进口报关单返填",
        ),
        (
            "export.json",
            s.web_json(ie_flag="E"),
            "是出口报关单（进出口标志为E），进口报关单号只能从进口报关单返填",
        ),
        (
            "export.xlsx",
            s.printed_xlsx(title="中华人民共和国海关出口货物报关单"),
            "是出口报关单（进出口标志为E），进口报关单号只能从进口报关单返填",
        ),
        (
            "no-number.xml",
            s.xml_message(number=""),
            "没有海关编号（报关单尚未被海关接受，或不是报关单），无法返填进口报关单号",
        ),
        (
            "other-ns.xml",
            s.xml_message(namespace="http://www.chinaport.gov.cn/xxx"),
            "报文的命名空间“http://www.chinaport.gov.cn/xxx”，"
            "报关单报文应为 http://www.chinaport.gov.cn/dec",
        ),
        (
            "no-ns.xml",
            s.xml_message(namespace=None),
            "报文的命名空间为空，报关单报文应为 http://www.chinaport.gov.cn/dec",
        ),
        (
            "cut.xml",
            s.xml_message()[:700],
            "不是完整有效的XML（第2行",
        ),
        ("receipt.xml", b"<DecImportResponse/>", "不是报关单报文：根元素为 DecImportResponse"),
        ("laughs.xml", BILLION_LAUGHS, HOSTILE),
        ("external.xml", EXTERNAL_ENTITY, HOSTILE),
        ("cut.xlsx", _truncated_xlsx(), "Excel文件不完整或已损坏（可能未复制完），无法读取"),
        (
            "invoice.xlsx",
            s.printed_xlsx(labels=False),
            "表格中找不到报关单的栏目：海关编号、项号、商品编号",
        ),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "是旧版Excel（.xls）文件，请在Excel中另存为 .xlsx 后再读取",
        ),
        ("cut.json", s.web_json()[:300], "不是完整有效的JSON（第1行"),
        ("other.json", json.dumps({"code": 0}).encode(), "不是单一窗口报关单数据"),
        ("empty.xml", b"", "文件是空的"),
        ("notes.txt", "备忘".encode(), "不是报关单文件"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_each_bad_file_is_refused_in_chinese_naming_it(
    tmp_path: Path, name: str, data: bytes, problem: str
) -> None:
    path = s.write(tmp_path, name, data)
    with pytest.raises(DeclarationFileError) as caught:
        read_declaration(path)
    assert caught.value.message.startswith(f"文件“{name}”：{problem}")
    assert "root:" not in caught.value.message  # nothing of /etc/passwd


def test_a_zip_bomb_sheet_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/sharedStrings.xml", b"0" * (120 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(DeclarationFileError, match="Excel文件解压后过大"):
        read_declaration(path)


def test_missing_unreadable_and_huge_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DeclarationFileError, match=re.escape("文件“gone.xml”：文件不存在")):
        read_declaration(tmp_path / "gone.xml")
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    with pytest.raises(DeclarationFileError, match=re.escape("文件“huge.xml”：文件过大（21 MB）")):
        read_declaration(huge)
    if os.geteuid() != 0:
        locked = s.write(tmp_path, "locked.xml", s.xml_message())
        locked.chmod(0)
        with pytest.raises(DeclarationFileError, match=re.escape("文件“locked.xml”：没有读取权限")):
            read_declaration(locked)


def _client_folders(root: Path) -> Path:
    """The Single Window client's ImpPath: InBox (receipts, an import declaration pulled back),
    SentBox (messages as sent, no 海关编号 yet), and files that are no declaration."""
    imp = root / "ImpPath"
    s.write(
        imp,
        "InBox/Receipt_0001.xml",
        b"<DecImportResponse xmlns='http://www.chinaport.gov.cn/dec'/>",
    )
    s.write(imp, "InBox/dec_2233.xml", s.xml_message())
    s.write(imp, "SentBox/dec_sent.xml", s.xml_message(number=""))
    s.write(imp, "SentBox/readme.txt", b"not a declaration")
    s.write(root / "export", "2025/11/other.json", s.web_json(ie_flag="E"))
    return imp


def test_the_index_finds_a_number_and_parses_only_what_changed(tmp_path: Path) -> None:
    imp = _client_folders(tmp_path)
    index = DeclarationIndex([imp, tmp_path / "export", tmp_path / "unmounted"])
    found = index.find(s.NUMBER)
    assert found is not None and found.path == imp / "InBox" / "dec_2233.xml"
    first = index.parsed
    assert first == 4  # the .txt is never opened
    assert index.find("223320251000000001") is None
    assert index.find(s.NUMBER) is not None
    assert index.parsed == first  # nothing changed: nothing parsed again
    later = s.write(imp, "SentBox/pulled.json", s.web_json())
    (imp / "InBox" / "dec_2233.xml").unlink()
    again = index.find(s.NUMBER)
    assert again is not None and again.path == later
    assert index.parsed == first + 1
    s.write(imp, "InBox/printed.xlsx", s.printed_xlsx())  # the same declaration as a sheet
    s.write(imp, "InBox/message.xml", s.xml_message())  # and as the message: that one is read
    best = index.find(s.NUMBER)
    assert best is not None and best.path == imp / "InBox" / "message.xml"


def test_the_report_names_each_field_with_the_manuals_label(tmp_path: Path) -> None:
    path = s.write(tmp_path, "dec.xml", s.xml_message(version="3.1"))
    lines = describe(path)
    assert lines[0] == f"文件：{path}（报关单报文XML 3.1）"
    assert "进口报关单号：223320251000456789" in lines
    assert "收货人社会信用代码：" + s.CONSIGNEE[0] in lines
    assert "收货人所在地：（空）" in lines
    assert "海关贸易方式：0110" in lines
    assert "  退货金额单位：USD" in lines
    assert "注意：第1项退货金额单位：旧币制代码502已换为USD" in lines
    data = describe_json(path)
    json.dumps(data, ensure_ascii=False)  # JSON-ready
    header = {item["key"]: item for item in data["header"]}  # type: ignore[union-attr]
    assert header["return_country"] == {
        "label": "退货国家(地区)",
        "key": "return_country",
        "value": "USA",
    }
    assert len(data["goods"]) == 2  # type: ignore[arg-type]


def test_a_file_keeps_what_the_operator_typed_where_it_has_nothing(tmp_path: Path) -> None:
    """收货人所在地 and 消费使用单位所在地关区 are editable backfilled fields no file holds: the
    operator's text stays (the gateway's backfill would replace it; an empty file value must not)."""
    typed = RecordData(consignee_address="上海市浦东新区试样路1号", consumer_district="2201")
    path = s.write(tmp_path, "dec.xml", s.xml_message())
    filled, _ = backfill(typed, read_declaration(path).declaration)
    assert filled.consignee_address == "上海市浦东新区试样路1号"
    assert filled.consumer_district == "2201"
    assert filled.consignee_name == s.CONSIGNEE[2]


def test_the_command_prints_the_report_or_its_json(tmp_path: Path) -> None:
    """`tuihuo declaration read FILE [--json]` prints `render`: every label once, valid JSON."""
    path = s.write(tmp_path, "web.json", s.web_json())
    text = render(path)
    assert text.splitlines()[1] == "进口报关单号：223320251000456789"
    assert "报关员：（空）" in text.splitlines()  # the web JSON names no 报关人员
    data = json.loads(render(path, as_json=True))
    assert data["kind"] == "单一窗口报关单JSON"
    assert [item["value"] for item in data["goods"][1] if item["key"] == "amount"] == ["860.50"]
    bad = s.write(tmp_path, "export.json", s.web_json(ie_flag="E"))
    with pytest.raises(DeclarationFileError, match="是出口报关单"):
        render(bad, as_json=True)


def test_every_old_code_maps_to_a_code_of_todays_table() -> None:
    for kind in (Kind.COUNTRY, Kind.CURRENCY):
        mapping = old_codes(kind)
        assert mapping and all(code in table(kind.value) for code in mapping.values()), kind
    assert old_codes(Kind.COUNTRY)["142"] == "CHN" and old_codes(Kind.CURRENCY)["142"] == "CNY"


def test_a_message_without_dates_leaves_them_empty(tmp_path: Path) -> None:
    """A message as the client sent it has no 申报日期 (customs gives it): the field stays empty."""
    data = s.xml_message().replace(b"<DDate>20251103</DDate>", b"").replace(b"20251030", b"")
    filled = _filled(s.write(tmp_path, "sent.xml", data))
    assert filled.declared_on is None and filled.arrived_on is None
    assert filled.import_decl_no == s.NUMBER


@pytest.mark.parametrize("encoding", ["GBK", "GB2312", "GB18030", "gb18030"])
def test_a_message_the_client_wrote_in_a_gb_encoding_is_read(tmp_path: Path, encoding: str) -> None:
    data = s.xml_message(encoding=encoding)
    assert s.CONSIGNEE[2].encode("utf-8") not in data  # really written in that encoding
    _assert_backfills_the_form(s.write(tmp_path, "gb.xml", data))


def test_a_gb_message_keeps_refusing_a_dtd_and_names_a_broken_or_unknown_encoding(
    tmp_path: Path,
) -> None:
    bomb = s.write(
        tmp_path,
        "bomb.xml",
        '<?xml version="1.0" encoding="GBK"?><!DOCTYPE d [<!ENTITY a "中中中中">]>'
        "<DecMessage>&a;</DecMessage>".encode("gbk"),
    )
    with pytest.raises(DeclarationFileError, match=re.escape("文件“bomb.xml”：XML中含有DTD")):
        read_declaration(bomb)
    broken = s.write(tmp_path, "broken.xml", s.xml_message(encoding="GBK")[:-40] + b"\x81\x20")
    with pytest.raises(
        DeclarationFileError, match=re.escape("文件“broken.xml”：内容不是XML声明的GBK编码")
    ):
        read_declaration(broken)
    odd = s.write(tmp_path, "odd.xml", b'<?xml version="1.0" encoding="x-nonesuch"?><DecMessage/>')
    with pytest.raises(
        DeclarationFileError, match=re.escape("文件“odd.xml”：XML声明的编码“x-nonesuch”无法识别")
    ):
        read_declaration(odd)


def test_any_other_error_reading_a_file_is_refused_naming_it(tmp_path: Path) -> None:
    # goods as a string nested past Python's recursion limit: no reader foresaw this one
    nested = json.dumps({"entryId": s.NUMBER, "decMergeListVo": "[" * 100_000}).encode()
    path = s.write(tmp_path, "nested.json", nested)
    with pytest.raises(DeclarationFileError) as caught:
        read_declaration(path)
    assert caught.value.message.startswith("文件“nested.json”：无法读取")


def test_a_file_with_more_goods_than_a_declaration_holds_is_refused(tmp_path: Path) -> None:
    full = read_declaration(s.write(tmp_path, "full.xml", s.xml_message(items=50)))
    assert [g.seq for g in full.declaration.goods] == list(range(1, 51))
    path = s.write(tmp_path, "many.xml", s.xml_message(items=51))
    with pytest.raises(DeclarationFileError) as caught:
        read_declaration(path)
    assert caught.value.message == "文件“many.xml”：有51项商品，超过一份报关单最多的50项，无法返填"


def test_the_index_skips_a_bad_file_and_names_an_unusable_one_for_its_number(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "InBox"
    s.write(folder, "gb.xml", s.xml_message(encoding="GBK"))
    s.write(
        folder,
        "nested.json",
        json.dumps({"entryId": "1", "decMergeListVo": "[" * 100_000}).encode(),
    )
    export_no = "223320251000000077"  # 9th digit 1 as typed; the file says IEFlag E
    s.write(folder, "exp.xml", s.xml_message(number=export_no, ie_flag="E"))
    truncated_no = "223320251000000088"
    s.write(folder, f"{truncated_no}.xml", s.xml_message(number=truncated_no)[:300])
    index = DeclarationIndex([folder])
    found = index.find(s.NUMBER)
    assert found is not None and found.path == folder / "gb.xml"
    with pytest.raises(DeclarationFileError) as export:
        index.find(export_no)
    assert export.value.message.startswith("文件“exp.xml”：是出口报关单")
    with pytest.raises(DeclarationFileError) as truncated:
        index.find(truncated_no)
    assert truncated.value.message.startswith(f"文件“{truncated_no}.xml”：不是完整有效的XML")
    assert index.find("223320251000000001") is None
    assert index.parsed == 4  # each parsed once, the bad ones remembered
