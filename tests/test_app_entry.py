"""The app as the operator meets it in Pilot: login, the entry form, its refusals, save and submit.

The gateway is the sandbox as a real uvicorn server; the card is the sandbox card in process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.entry import EntryPane
from screens.main import MainScreen
from screens.popups import CalendarPopup, ParamPopup
from store.ids import uscc_check_char
from store.status import Status
from tests.app_harness import entry, hint, hints_seen, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway, declarations
from widgets.fields import CheckGroup, ParamInput

SIZE = (80, 24)


def number() -> str:
    return sorted(declarations())[0]


def producer_uscc() -> str:
    return "91320500MA1MXXXX0" + uscc_check_char("91320500MA1MXXXX0")


async def focus(pilot, pane: EntryPane, key: str) -> None:  # type: ignore[no-untyped-def]
    pane.screen.set_focus(pane.fields[key])
    await pilot.pause()


async def test_wrong_pin_then_login_shows_the_sandbox_and_the_holder(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await app.runtime_ready()
        await wait_for(pilot, lambda: "持卡人" in str(app.screen.query_one("#card-state").render()))
        await pilot.press(*"11111111", "enter")
        message = app.screen.query_one("#login-message")
        await wait_for(pilot, lambda: "还可尝试2次" in str(message.render()))
        assert app.screen.query_one("#pin").value == ""  # type: ignore[attr-defined]
        screen = await login(app, pilot)
        status = str(screen.query_one("#status-line").render())
        assert "【沙箱】" in status and "张三" in status and "网关：已连接" in status
        assert app.focused is entry(app).fields["import_decl_no"]


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("import_decl_no", "220120250000000892", "进口报关单号第9位应为1（进口报关单）"),
        ("import_decl_no", "1234", "进口报关单号应为18位数字"),
        ("contact_phone", "12345", "联系电话格式不正确"),
        ("return_date", "20250230", "退货日期不存在：20250230"),
        ("return_date", "2025/11-03", "格式应为 20251103、2025-11-03、2025/11/03 或 2025.11.03"),
        ("consumer_district", "9999x", "代码“9999x”不在参数表中，请按空格键检索"),
        ("export_decl_nos", "220120241000001234", "原出口报关单号第9位应为0（出口报关单）"),
        ("producer_uscc", "91320500MA1MXXXX0Y", "原生产企业社会信用代码校验位错误"),
        ("producer_code", "32059", "原生产企业海关编码应为10位"),
        ("producer_phone", "0512", "原生产企业联系电话格式不正确"),
        ("producer_customs", "2200", "不能选择直属海关"),
        ("export_inspected", "X", "代码“X”不在参数表中，请按空格键检索"),
        ("consignee_address", "路" * 201, "收货人所在地不能超过200个字符"),
        ("contact_person", "赵" * 51, "收货联系人及联系电话不能超过50个字符"),
        ("producer_name", "厂" * 101, "原生产企业名称不能超过100个字符"),
        ("producer_contact", "钱" * 51, "原生产企业联系人不能超过50个字符"),
        ("producer_division", "999999", "代码“999999”不在参数表中，请按空格键检索"),
        ("reason_detail", "说" * 501, "退货原因具体说明不能超过500个字符"),
        ("return_date", "20991231", "年份不合理"),
    ],
)
async def test_each_refusal_is_said_at_the_field(
    tmp_path: Path, gateway: RunningGateway, key: str, typed: str, message: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, key)
        await pilot.press(*typed)
        await pilot.press("enter")
        await wait_for(pilot, lambda: message in hint(app))
        assert hint(app).startswith("✗")
        assert pane.fields[key].has_class("-refused")
        assert pane.fields[key].raw() in (
            typed,
            typed.upper(),
        )  # nothing the operator typed is lost


async def test_goods_row_refusals_are_said_at_the_row(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await pilot.press(*number(), "enter")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        weight = pane.query_one("#g-weight-1")
        pane.screen.set_focus(weight)
        await pilot.press(*"1.2345", "enter")
        await wait_for(pilot, lambda: "退货重量最多3位小数" in hint(app))
        assert weight.has_class("-refused")
        assert app.focused is pane.query_one("#g-weight-2")  # Enter passes over 工业品 (Y)
        await pilot.press("shift+tab")  # back to it: still within reach
        assert app.focused is pane.query_one("#g-industrial-1")
        await pilot.press("ctrl+u", "x", "enter")  # 是否属于工业品: only Y or N
        await wait_for(pilot, lambda: "不在参数表中，请按空格键检索" in hint(app))
        await pilot.press("f2")
        await wait_for(pilot, lambda: "第1项：退货重量最多3位小数" in hint(app))
        assert app.focused is weight


async def test_enter_on_import_number_backfills_grey_fields_and_goods(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    decl = declarations()[number()]
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await pilot.press(*number(), "enter")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        assert pane.record.consignee_name == decl.consignee.name
        assert decl.consignee.name in str(pane.greys["consignee_name"].render())
        assert len(pane.query("GoodsRowView")) == len(decl.goods)
        assert pane.fields["consignee_address"].raw() == decl.consignee_address
        # the answer, no key pressed since the Enter, moved the cursor past what it filled
        assert app.focused is pane.fields["contact_person"]


async def test_unknown_declaration_says_so_and_f5_retries(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press(*"010120251999999999", "enter")
        await wait_for(pilot, lambda: "未找到该进口报关单" in hint(app))
        assert "F5" in hint(app)
        pane = entry(app)
        await focus(pilot, pane, "import_decl_no")
        pane.fields["import_decl_no"].show(number())
        await pilot.press("f5")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))


async def test_parameter_popup_filters_confirms_and_refuses_direct_customs(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, "producer_customs")
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ParamPopup))
        await pilot.press(*"2200")
        await pilot.press("enter")  # 上海海关 is a 直属海关: refused in the popup
        await wait_for(
            pilot, lambda: "不能选择直属海关" in str(app.screen.query_one("#popup-note").render())
        )
        await pilot.press("backspace", "backspace", "4", "4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        field = pane.fields["producer_customs"]
        assert isinstance(field, ParamInput) and field.code == "2244"
        assert field.value == "2244 上海快件"
        assert app.focused is pane.fields["export_inspected"]
        await pilot.press("space")  # Esc cancels and keeps what was there
        await wait_for(pilot, lambda: isinstance(app.screen, ParamPopup))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("y", "enter")  # a code typed straight resolves without the popup
        await pilot.pause()
        assert pane.fields["export_inspected"].raw() == "Y"
        assert isinstance(app.screen, MainScreen)


async def test_pinyin_initials_find_a_division(tmp_path: Path, gateway: RunningGateway) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, "producer_division")
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ParamPopup))
        await pilot.press(*"hqq")  # 红桥区, 虎丘区, 红旗区
        await pilot.pause()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert pane.fields["producer_division"].raw() == "320505"


async def test_date_typed_or_picked_from_the_calendar(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, "return_date")
        await pilot.press(*"20251103", "enter")
        await pilot.pause()
        assert pane.fields["return_date"].raw() == "2025-11-03"
        await focus(pilot, pane, "return_date")
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, CalendarPopup))
        await pilot.press("right", "down", "enter")  # a day on, a week on
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert pane.fields["return_date"].raw() == "2025-11-11"


async def test_check_groups_toggle_and_drive_their_dependants(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        disposal = pane.fields["disposal_methods"]
        assert isinstance(disposal, CheckGroup)
        await focus(pilot, pane, "disposal_methods")
        assert pane.fields["disposal_other_text"].disabled
        await pilot.press("right", "right", "right", "right", "space", "left", "left", "space")
        assert disposal.raw() == ["3", "5"]
        assert not pane.fields["disposal_other_text"].disabled
        await pilot.press("enter")
        assert app.focused is pane.fields["disposal_other_text"]
        await focus(pilot, pane, "reason_categories")
        await pilot.press("space", "enter")  # 质量原因
        reasons = pane.fields["specific_reasons"]
        assert isinstance(reasons, CheckGroup)
        assert [code for code, _ in reasons.options] == ["11", "12", "13", "14", "15"]
        await pilot.press("right", "space")
        assert reasons.raw() == ["12"]
        await focus(pilot, pane, "reason_categories")
        await pilot.press("space")  # untick 质量原因: its reasons go with it
        assert reasons.options == [] and reasons.raw() == []


async def fill_record(app, pilot) -> EntryPane:  # type: ignore[no-untyped-def]
    """Every R field by keys, as an operator types them."""
    pane = entry(app)
    await pilot.press(*number(), "enter")
    await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
    # the answer moved the cursor past 收货人所在地 (backfilled) to 收货联系人
    await pilot.press(*"赵六", "enter", *"13812345678", "enter")
    await pilot.press(*"20251103", "enter")  # 退货日期; on past 关区 (backfilled)
    await pilot.press("space", "enter")  # 拟处理方式: 内销
    for _ in pane.record.goods:
        await pilot.press(*"12.5", "enter")  # 是否属于工业品 keeps its default (Y)
    await pilot.press(*"220120240000001234/220120240000001235", "enter")
    await pilot.press(*producer_uscc(), "enter", *"3205960001", "enter")
    await pilot.press(*"苏州原生产制造有限公司", "enter", *"钱七", "enter")
    await pilot.press(*"0512-66881234", "enter", *"320505", "enter", *"2201", "enter")
    await pilot.press("n", "enter", "space", "enter")  # 法检 N, 一般贸易
    await pilot.press("right", "space", "enter")  # 贸易原因
    await pilot.press("right", "right", "space", "enter")  # 客户需求更改
    await pilot.press(*"客户更改需求退回", "enter")
    await pilot.pause()
    return pane


async def test_whole_record_by_keys_saves_then_submits(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = await fill_record(app, pilot)
        await pilot.press("alt+s")
        await wait_for(pilot, lambda: f"暂存成功  统一编号：{pane.record.unified_no}" in hint(app))
        unified_no = pane.record.unified_no  # the gateway's, right after the first 暂存 online
        assert unified_no and len(unified_no) == 18
        assert pane.status == Status.DRAFT and not pane.dirty
        stored = app.runtime.worker.store.load(unified_no)  # type: ignore[union-attr]
        assert stored.contact_phone == "13812345678" and stored.specific_reasons == ["23"]
        assert [g.weight for g in stored.goods] == ["12.5"] * len(stored.goods)
        assert stored.producer_division == "320505" and stored.return_date == "2025-11-03"
        seen = hints_seen(app)
        await pilot.press("f6")
        await wait_for(pilot, lambda: any("提交成功" in text for text in seen), timeout=15)
        # the worker's own receipt poll may already have moved it on: customs holds it either way
        assert pane.status in (
            Status.SUBMITTED,
            Status.RECEIVED,
            Status.E_REVIEWED,
            Status.APPROVED,
        )
        assert pane.query_one("#btn-save").disabled and pane.fields["contact_phone"].disabled
        await app.runtime.worker.refresh_receipts()  # type: ignore[union-attr]
        await wait_for(pilot, lambda: pane.status == Status.APPROVED)
        assert "人工审核通过" in str(pane.greys["status"].render())
        assert pane.record.return_no


async def test_refused_save_puts_the_cursor_on_the_first_broken_field(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, "producer_phone")
        await pilot.press(*"123")
        await focus(pilot, pane, "contact_phone")
        await pilot.press(*"456")
        await focus(pilot, pane, "producer_contact")
        await pilot.press("f2")
        await wait_for(pilot, lambda: "（共2处）" in hint(app))
        assert app.focused is pane.fields["contact_phone"]
        assert pane.record.unified_no is None
        assert pane.fields["producer_phone"].has_class("-refused")


async def test_submit_of_an_incomplete_record_names_what_is_missing(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await pilot.press(*number(), "enter")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        await pilot.press("f6")
        await wait_for(pilot, lambda: "收货联系人及联系电话为必填项" in hint(app))
        assert app.focused is pane.fields["contact_person"]
        assert pane.status == Status.DRAFT and pane.record.key  # saved, not submitted


async def test_new_warns_before_dropping_unsaved_work_and_delete_asks(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    from screens.confirm import ConfirmScreen

    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, "contact_person")
        await pilot.press(*"赵六", "enter")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert pane.fields["contact_person"].raw() == "赵六"
        await pilot.press("alt+s")
        await wait_for(pilot, lambda: pane.record.unified_no is not None)  # the gateway's
        unified_no = pane.record.unified_no
        await pilot.press("alt+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: f"已删除 {unified_no}" in hint(app))
        assert pane.record.unified_no is None and pane.fields["contact_person"].raw() == ""


async def test_key_list_shows_every_shortcut(tmp_path: Path, gateway: RunningGateway) -> None:
    from screens.keys import KeysScreen

    app = make_app(tmp_path, gateway.url, keymap={"entry.save": "f2,ctrl+s"})
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await pilot.press("alt+k")
        await wait_for(pilot, lambda: isinstance(app.screen, KeysScreen))
        text = " ".join(" ".join(row) for row in app.screen.rows)  # type: ignore[attr-defined]
        for shown in ("Alt+R/F8", "Alt+P/F9", "Alt+U/F7", "F2/Ctrl+S", "新增", "提交"):
            assert shown in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        pane = entry(app)
        await focus(pilot, pane, "contact_person")
        await pilot.press(*"赵六", "ctrl+s")  # remapped through the settings' keymap
        await wait_for(pilot, lambda: "暂存成功" in hint(app))


async def test_pulled_card_and_logout_go_back_to_the_login(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    from screens.login import LoginScreen

    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await focus(pilot, pane, "contact_person")
        await pilot.press(*"赵六", "enter")
        app.runtime.worker.slot.pull()  # type: ignore[union-attr]
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        note = app.screen.query_one("#login-message")
        await wait_for(pilot, lambda: "电子口岸卡已拔出" in str(note.render()))
        assert app.runtime.worker.store.drafts()  # type: ignore[union-attr]  # nothing lost
        await pilot.press(*"88888888", "enter")  # the card back in: a new session
        from screens.drafts import DraftsScreen

        await wait_for(pilot, lambda: isinstance(app.screen, DraftsScreen))
        await pilot.press("enter")  # the form as it was when the card was pulled
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: entry(app).fields["contact_person"].raw() == "赵六")
        await pilot.press("ctrl+q")  # 退出
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await wait_for(
            pilot, lambda: "已安全退出" in str(app.screen.query_one("#login-message").render())
        )
