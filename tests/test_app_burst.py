"""Every action of the registry acts on what was typed before it, in one burst of raw bytes.

The bursts go through the driver's own parser (tests/app_harness.feed) as one read, the way one SSH
packet brings text and a key together. The first test is generated from the action registry: an
action added later is covered without a word here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TabbedContent

from sandbox.gateway.config import Fault
from screens.book import BookPane
from screens.entry import EntryPane
from screens.keys import KeysScreen
from screens.main import MainScreen
from screens.query import QueryPane
from tests.app_harness import entry, feed, hint, login, make_app, wait_for
from tests.fixtures_gateway import GatewayFactory, RunningGateway, declarations, with_faults
from tui.app import TuihuoApp
from tui.keyparser import AltSafeXTermParser, keys_of, parser_class
from widgets.actions import ACTIONS

SIZE = (80, 24)
F2, F1, DOWN, ENTER = "\x1bOQ", "\x1bOP", "\x1b[B", "\r"

# the bytes an xterm-like terminal (xterm, tmux, PuTTY in xterm mode) sends for a key name
_F = {1: "P", 2: "Q", 3: "R", 4: "S"}
_F_TILDE = {5: 15, 6: 17, 7: 18, 8: 19, 9: 20, 10: 21, 11: 23, 12: 24}
# F13-F20: PuTTY's and the Linux console's Shift+F3 … Shift+F10
_F_TILDE.update({13: 25, 14: 26, 15: 28, 16: 29, 17: 31, 18: 32, 19: 33, 20: 34})
_NAMED = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "ctrl+home": "\x1b[1;5H",
    "ctrl+end": "\x1b[1;5F",
    "insert": "\x1b[2~",
    "delete": "\x1b[3~",
}


def key_bytes(key: str) -> str | None:
    """The terminal's bytes for a Textual key name; None for keys a terminal cannot tell apart
    (shift+enter is Enter's byte) or that type text in a field (space)."""
    if key in _NAMED:
        return _NAMED[key]
    mods, _, name = key.rpartition("+")
    if name.startswith("f") and name[1:].isdigit():
        n = int(name[1:])
        code = {"": 1, "shift": 2, "ctrl": 5}.get(mods)
        if code is None:
            return None
        if n in _F:
            return f"\x1bO{_F[n]}" if code == 1 else f"\x1b[1;{code}{_F[n]}"
        return f"\x1b[{_F_TILDE[n]}~" if code == 1 else f"\x1b[{_F_TILDE[n]};{code}~"
    if mods == "alt" and len(name) == 1:
        return "\x1b" + name
    if mods == "ctrl" and len(name) == 1 and name.isalpha():
        return chr(ord(name) - ord("a") + 1)
    return None


# where each scope's actions live, and the field typed into before the key: (tab, field, text)
NAMESPACE = {
    "shell": TuihuoApp,
    "app": MainScreen,
    "entry": EntryPane,
    "query": QueryPane,
    "book": BookPane,
}
TYPED = {
    "shell": ("entry", "#f-contact_person", "赵六X"),
    "app": ("entry", "#f-contact_person", "赵六X"),
    "entry": ("entry", "#f-contact_person", "赵六X"),
    "query": ("tab-query", "#consignee", "AB12"),
    "book": ("tab-book", "#book-search", "szy"),
}
# scopes of dialogs and panels without a typed field before their keys: their own tests
OTHER_SCOPES = {"receipts", "attachments", "print", "popup", "book_edit"}


def test_every_scope_is_covered_here_or_named() -> None:
    assert {a.scope for a in ACTIONS} <= set(TYPED) | OTHER_SCOPES


def test_the_test_sends_the_keys_the_parser_reads() -> None:
    for action in ACTIONS:
        for key in action.keys.split(","):
            data = key_bytes(key)
            if (data is not None and not data.startswith("\x1b")) or (data and len(data) > 2):
                assert keys_of(parser_class()(), data) == [key], (action.id, key, data)


def _bursts() -> list[tuple[str, str, str, str]]:
    cases = []
    for action in ACTIONS:
        if action.scope not in TYPED:
            continue
        sendable = [k for k in action.keys.split(",") if key_bytes(k) is not None]
        # "" is a menu-only action (导入电子表格): its key comes from a site's keymap, its own test
        assert sendable or action.keys in ("space", ""), f"{action.id}: no key a terminal sends"
        cases += [(action.id, action.scope, action.action, key) for key in sendable]
    return sorted(cases, key=lambda case: TYPED[case[1]][0])  # one tab after the other


async def test_every_registry_action_sees_the_keys_typed_before_it(
    tmp_path: Path, gateway: RunningGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []
    ran = set()
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        tabs = app.screen.query_one(TabbedContent)
        ids = {"entry": tabs.active, "tab-query": "tab-query", "tab-book": "tab-book"}
        await app.screen.action_open_book()  # type: ignore[attr-defined]  # from the menu
        await feed(app, pilot, "\x06")  # Ctrl+F: the query tab
        await wait_for(pilot, lambda: tabs.active == "tab-query")
        for action_id, scope, name, key in _bursts():
            tab, selector, text = TYPED[scope]
            tabs.active = ids[tab]
            await pilot.pause()
            pane = tabs.get_pane(ids[tab])
            field = pane.query_one(selector, Input)
            app.screen.set_focus(field)
            field.value = ""
            await pilot.pause()
            target = app if scope == "shell" else app.screen
            if scope in ("entry", "query", "book"):
                target = pane.query_one(NAMESPACE[scope])
            if not target.check_action(name, ()):
                continue  # not an action where this field is (Space 勾选 is the grid's)

            def spy(*_args: object, _id: str = action_id, _field: Input = field) -> None:
                seen.append((_id, _field.value))  # what the action would read

            # only this action is replaced (the keys of others sharing it still reach theirs)
            monkeypatch.setattr(NAMESPACE[scope], f"action_{name}", spy)
            seen.clear()
            await feed(app, pilot, text + (key_bytes(key) or ""))
            monkeypatch.undo()
            assert (action_id, text) in seen, (action_id, key, seen, field.value)
            ran.add(action_id)
        assert {"entry.save", "app.tab_prev", "query.run", "app.logout"} <= ran


async def test_digits_and_f2_in_one_packet_are_saved_and_stay(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        phone = pane.fields["contact_phone"]
        pane.screen.set_focus(phone)
        await pilot.pause()
        await feed(app, pilot, "13700137000" + F2)
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        assert phone.value == "13700137000"
        stored = app.runtime.worker.store.load(pane.record.unified_no)  # type: ignore[union-attr,arg-type]
        assert stored.contact_phone == "13700137000"
        # the last digit of a retyped value and F2 in one packet: the save reads all eleven
        await feed(app, pilot, "\x15" + "1370013700")
        await feed(app, pilot, "1" + F2)
        await wait_for(pilot, lambda: stored.version != pane.record.version)
        assert "暂存成功" in hint(app)
        assert app.runtime.worker.store.load(pane.record.unified_no).contact_phone == (  # type: ignore[union-attr,arg-type]
            "13700137001"
        )
        # a key typed after F2 in the same packet lands after the save's reload
        await feed(app, pilot, "Z" + F2 + "9")
        assert phone.value == "13700137001Z9"


async def test_alt_s_then_down_saves_and_types_nothing(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        person = pane.fields["contact_person"]
        pane.screen.set_focus(person)
        await pilot.pause()
        await feed(app, pilot, "赵六" + "\x1bs" + DOWN)
        await wait_for(pilot, lambda: "暂存成功" in hint(app))
        assert person.value == "赵六"
        assert app.focused is pane.fields["contact_phone"]  # ↓ is the next field (issue 12)
        pane.screen.set_focus(person)
        await pilot.pause()
        saved = pane.record.version
        await feed(app, pilot, "七" + "\x1bs" + F1)
        await wait_for(pilot, lambda: isinstance(app.screen, KeysScreen))
        assert pane.record.version != saved  # saved before the key list opened
        assert person.value == "赵六七"


def test_the_parser_reads_alt_then_a_sequence_in_one_read() -> None:
    for data, wanted in (
        ("\x1bs\x1b[B", ["alt+s", "down"]),
        ("\x1bs\x1bOP", ["alt+s", "f1"]),
        ("\x1bp\x1b[15;2~", ["alt+p", "shift+f5"]),
        ("a\x1bs\x1b[Bb", ["a", "alt+s", "down", "b"]),
        ("\x1b\x1b[B", ["escape", "down"]),  # a lone Escape stays Escape
        ("\x1bs", ["alt+s"]),
    ):
        assert keys_of(AltSafeXTermParser(), data) == wanted, data


async def test_text_typed_while_the_declaration_is_fetched_is_kept(
    tmp_path: Path, gateway_factory: GatewayFactory
) -> None:
    number = sorted(declarations())[0]
    slow = gateway_factory(step_seconds=0, faults=with_faults(declaration=Fault(delay=0.8)))
    app = make_app(tmp_path, slow.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        # the number, Enter, then 收货人所在地 typed over the backfill while it is on its way
        await feed(app, pilot, number + ENTER + "上海市自填地址")
        await wait_for(pilot, lambda: "已获取进口报关单数据" in hint(app))
        assert pane.fields["consignee_address"].raw() == "上海市自填地址"


async def test_ctrl_e_from_a_field_opens_a_form_and_the_next_keys_land_there(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        first = entry(app)
        first.screen.set_focus(first.fields["contact_person"])
        await pilot.pause()
        await feed(app, pilot, "赵六" + "\x05" + "0101")
        second = entry(app)
        assert second is not first
        assert first.fields["contact_person"].value == "赵六"
        assert second.fields["import_decl_no"].value == "0101"


async def test_shift_f5_on_the_query_tab_goes_to_the_previous_tab(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    from textual.widgets import TabbedContent

    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, "\x06")  # Ctrl+F: 出口退货信息查询
        tabs = app.screen.query_one(TabbedContent)
        await wait_for(pilot, lambda: tabs.active == "tab-query")
        await feed(app, pilot, "\x1b[15;2~")  # Shift+F5 as xterm and tmux send it
        assert tabs.active != "tab-query"
        assert isinstance(app.focused, type(entry(app).fields["import_decl_no"]))
