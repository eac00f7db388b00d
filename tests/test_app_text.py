"""Text as operators bring it, in the whole app (issue 10 §3 and §4).

Pastes arrive as a terminal sends them: bracketed paste bytes (ESC [200~ … ESC [201~) fed through
Textual's own parser in one burst. A value holding ESC sequences, read back from the database or a
backfill, is shown inert: the frame the driver would write holds none of its bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session

from customs.wire import Party
from screens.print_preview import PrintPreviewScreen
from store.engine import open_engine
from store.models import GoodsRow, ReturnRecord
from store.records import RecordStore
from store.text import unsafe_at
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.factories import record_from_declaration, save_issued
from tests.fixtures_gateway import RunningGateway, declarations
from tests.seed import sandbox_operator
from tests.test_query_support import add_receipt

SIZE = (80, 24)
EVIL = "\x1b]0;pwned\x07\x1b[2J"  # sets the terminal's title, then clears the screen
SHOWN = "␛]0;pwned␇␛[2J"
FIRST, SECOND = "220120240000001234", "220120240000001235"


def paste(text: str) -> str:
    """The bytes a terminal sends for a bracketed paste of `text`."""
    return f"\x1b[200~{text}\x1b[201~"


def frame(app) -> str:  # type: ignore[no-untyped-def]
    """The whole screen as the driver would write it to the terminal (escape codes included)."""
    update = app.screen._compositor.render_update(full=True)
    return str(update.render_segments(app.console))


def assert_inert(output: str) -> None:
    """No byte of EVIL reached the output: no OSC title, no BEL, no erase-display."""
    assert "\x1b]" not in output
    assert "\x07" not in output
    assert "\x1b[2J" not in output
    assert "pwned" not in output or SHOWN[:9] in output


# ---- §3 pastes ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "pasted",
    [
        f"{FIRST}\n{SECOND}",  # a column copied from a text file (LF)
        f"{FIRST}\r\n{SECOND}\r\n",  # a spreadsheet column (CRLF, trailing newline)
        f"{FIRST}\r{SECOND}",  # CR only
        f"{FIRST}\t{SECOND}",  # a spreadsheet row (tab-separated)
        f"\r\n{FIRST}\r\n\r\n {SECOND} \r\n",  # blank lines and spaces around
    ],
)
async def test_a_pasted_column_into_the_list_field_keeps_every_number(
    tmp_path: Path, gateway: RunningGateway, pasted: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["export_decl_nos"]
        pane.screen.set_focus(field)
        await pilot.pause()
        await feed(app, pilot, paste(pasted))
        assert field.raw() == f"{FIRST}/{SECOND}"
        await pilot.press("f2")
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        assert pane.record.export_decl_nos == f"{FIRST}/{SECOND}"


async def test_a_paste_into_a_list_field_meets_what_is_there_with_a_separator(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["export_decl_nos"]
        pane.screen.set_focus(field)
        await pilot.pause()
        await feed(app, pilot, FIRST + paste(f"{SECOND}\r\n220120240000001236\r\n"))
        assert field.raw() == f"{FIRST}/{SECOND}/220120240000001236"


@pytest.mark.parametrize(
    ("pasted", "said"),
    [
        ("赵六\n13812345678", "已粘贴第一行，未粘贴：13812345678"),
        ("赵六\r\n13812345678\r\n上海\r\n", "已粘贴第一行，未粘贴：13812345678  上海"),
        ("赵六\r13812345678", "已粘贴第一行，未粘贴：13812345678"),
        ("赵六\t13812345678\t上海", "已粘贴第一格，未粘贴：13812345678  上海"),
    ],
)
async def test_a_paste_into_a_single_field_takes_the_first_line_and_says_the_rest(
    tmp_path: Path, gateway: RunningGateway, pasted: str, said: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["contact_person"]
        pane.screen.set_focus(field)
        await pilot.pause()
        await feed(app, pilot, paste(pasted))
        assert field.raw() == "赵六"
        assert said in hint(app)


async def test_a_one_line_paste_goes_in_as_typed_and_typing_goes_on(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["contact_person"]
        pane.screen.set_focus(field)
        await pilot.pause()
        await feed(app, pilot, "赵" + paste("六 七") + "八\r")
        assert field.raw() == "赵六 七八"
        assert app.focused is pane.fields["contact_phone"]


async def test_a_pasted_bidi_override_is_shown_inert_and_refused(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    # a bidi override or a C1 control copied from a web page or a document (a pasted ESC: see
    # tests/test_app_paste_esc.py)
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["contact_person"]
        pane.screen.set_focus(field)
        await pilot.pause()
        await feed(app, pilot, paste("赵\u202e六\x9b2J"))
        assert field.raw() == "赵\u202e六\x9b2J"  # nothing lost: the operator sees it, deletes it
        output = frame(app)
        assert "\u202e" not in output and "\x9b" not in output
        assert "赵␦六␦2J" in output
        await pilot.press("enter")
        await wait_for(pilot, lambda: "控制字符" in hint(app))
        assert "收货联系人及联系电话第2个字符是不可见的控制字符（U+202E），请删除" in hint(app)


# ---- §4 full-width codes -----------------------------------------------------------------------
async def test_a_full_width_declaration_number_is_fetched_and_stored_in_ascii(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    number = sorted(declarations())[0]
    typed = "".join(chr(ord(c) + 0xFEE0) for c in number)  # ０１０１… from a full-width IME
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, typed + "\r")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        assert pane.fields["import_decl_no"].raw() == number
        await pilot.press("f2")
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        unified_no = pane.record.unified_no
        assert unified_no is not None
        stored = RecordStore(open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}"), sandbox_operator())
        assert stored.load(unified_no).import_decl_no == number


async def test_phones_and_dates_as_operators_write_them_are_stored_canonical(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        pane.screen.set_focus(pane.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "赵六\r" + "+86-21-1234 5678转12\r" + "２０２５/１１/０３\r")
        assert pane.fields["contact_phone"].raw() == "021-12345678转12"
        assert pane.fields["return_date"].raw() == "2025-11-03"
        await pilot.press("f2")
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        assert pane.record.contact_phone == "021-12345678转12"


# ---- §4 controls in stored and backfilled values -----------------------------------------------
def poisoned_record(db: Path) -> str:
    """A saved record whose text fields, goods name and receipt hold EVIL, written straight to
    the database (a backfill of older code, another client, a restored backup)."""
    engine = open_engine(f"sqlite:///{db}")
    store = RecordStore(engine, sandbox_operator())
    declaration = declarations()[sorted(declarations())[0]]
    saved = save_issued(store, record_from_declaration(store, declaration))
    assert saved.unified_no is not None
    with Session(engine) as session, session.begin():
        record_id = session.execute(
            update(ReturnRecord)
            .where(ReturnRecord.unified_no == saved.unified_no)  # type: ignore[arg-type]
            .values(
                collector_org_name=EVIL,
                consignee_name=EVIL,
                contact_person=EVIL,
                reason_detail=EVIL,
            )
            .returning(ReturnRecord.id)  # type: ignore[arg-type]
        ).scalar_one()
        session.execute(
            update(GoodsRow).where(GoodsRow.record_id == record_id).values(goods_name=EVIL)  # type: ignore[arg-type]
        )
    add_receipt(engine, saved.unified_no, 1, 5, EVIL, datetime.now(UTC))
    engine.dispose()
    return saved.unified_no


async def test_a_stored_value_with_escape_sequences_never_reaches_the_terminal(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    unified_no = poisoned_record(tmp_path / "tuihuo.db")
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: bool(app.screen.query("QueryPane")))
        await pilot.press("f5")
        await wait_for(pilot, lambda: unified_no in frame(app))
        assert_inert(frame(app))  # the query grid
        await pilot.press("f9")  # 回执: the receipt's content in the list and the detail line
        await wait_for(pilot, lambda: "回执内容：" in frame(app))
        assert_inert(frame(app))
        assert SHOWN in frame(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: entry(app).record.unified_no == unified_no)
        await pilot.pause()
        pane = entry(app)
        assert_inert(frame(app))  # the top of the form: 采集机构 in grey
        assert SHOWN in frame(app)
        for key in ("contact_person", "reason_detail"):
            pane.screen.set_focus(pane.fields[key], scroll_visible=True)
            await wait_for(pilot, lambda: SHOWN[:9] in frame(app))  # scrolled into view
            assert_inert(frame(app))
        goods = pane.query_one("#goods-1")
        goods.scroll_visible(animate=False)
        await pilot.pause()
        assert_inert(frame(app))
        await pilot.press("f9")  # 打印
        await wait_for(pilot, lambda: isinstance(app.screen, PrintPreviewScreen))
        preview = app.screen
        assert isinstance(preview, PrintPreviewScreen)
        assert unsafe_at(preview.text.replace("\n", "")) is None
        assert SHOWN in preview.text
        assert_inert(frame(app))
        await pilot.press("f3")  # 保存文本: a terminal printer gets no ESC either
        await wait_for(pilot, lambda: "已保存文本" in frame(app))
        saved = next((tmp_path / "data" / "exports").glob("*.txt")).read_text(encoding="utf-8")
        assert "\x1b" not in saved and SHOWN in saved
        await pilot.press("escape")
        await pilot.press("f2")  # 暂存: the stored control is refused at its field, not kept
        await wait_for(pilot, lambda: "控制字符" in hint(app))
        assert "第1个字符是不可见的控制字符（U+001B）" in hint(app)


async def test_a_backfilled_value_with_controls_is_refused_at_its_field(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    number = sorted(declarations())[0]
    good = gateway.app.state.declarations[number]
    gateway.app.state.declarations[number] = good.model_copy(
        update={
            "consignee": Party(uscc=good.consignee.uscc, code=good.consignee.code, name=EVIL),
            "consignee_address": "上海市\u202e路号",
        }
    )
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, number + "\r")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        assert "返填的收货人名称含不可见的控制字符（U+001B），未采用（共2处）" in hint(app)
        assert pane.record.consignee_name is None
        address = pane.fields["consignee_address"]
        assert address.raw() == ""
        assert address.has_class("-refused")
        assert "U+202E" in str(address.tooltip)
        assert pane.record.consignee_uscc == good.consignee.uscc  # the rest is taken
        assert_inert(frame(app))
