"""PuTTY's default function keys and the Linux console, byte for byte: through the app's parser
and into the app. Both send Shift+F1 … Shift+F10 as F11 … F20 (`ESC[23~` … `ESC[34~`), PuTTY its
F1-F5 as `ESC[11~` … `ESC[15~`, the Linux console as `ESC[[A` … `ESC[[E`; each tab and menu action
also has a Ctrl key that needs no Shift+F."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TabbedContent

from screens.confirm import ConfirmScreen
from screens.keys import KeysScreen
from screens.main import MainScreen, Menu
from tests.app_harness import entry, feed, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tui.keyparser import keys_of, parser_class

SIZE = (80, 24)
CTRL_E = "\x05"
PUTTY = {
    "\x1b[11~": "f1",
    "\x1b[12~": "f2",
    "\x1b[13~": "f3",
    "\x1b[14~": "f4",
    "\x1b[15~": "f5",
    "\x1b[23~": "f11",  # Shift+F1
    "\x1b[24~": "f12",  # Shift+F2
    "\x1b[25~": "f13",  # Shift+F3
    "\x1b[26~": "f14",  # Shift+F4
    "\x1b[28~": "f15",  # Shift+F5
    "\x1b[29~": "f16",  # Shift+F6
    "\x1b[31~": "f17",  # Shift+F7
    "\x1b[32~": "f18",  # Shift+F8
    "\x1b[33~": "f19",  # Shift+F9
    "\x1b[34~": "f20",  # Shift+F10
}
LINUX_CONSOLE = {
    "\x1b[[A": "f1",
    "\x1b[[B": "f2",
    "\x1b[[C": "f3",
    "\x1b[[D": "f4",
    "\x1b[[E": "f5",
}
SHIFT_F5, SHIFT_F6, SHIFT_F8, SHIFT_F9, SHIFT_F10 = (
    "\x1b[28~",
    "\x1b[29~",
    "\x1b[32~",
    "\x1b[33~",
    "\x1b[34~",
)
CTRL_G, CTRL_P, CTRL_T, CTRL_L, CTRL_W, CTRL_Y = "\x07", "\x10", "\x14", "\x0c", "\x17", "\x19"


@pytest.mark.parametrize("code", [*PUTTY, *LINUX_CONSOLE])
def test_every_putty_and_linux_console_code_is_its_function_key(code: str) -> None:
    wanted = {**PUTTY, **LINUX_CONSOLE}[code]
    assert keys_of(parser_class()(), code) == [wanted]
    # the same code in a burst with text around it
    assert keys_of(parser_class()(), "a" + code + "b") == ["a", wanted, "b"]


def panes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.id for p in app.screen.query_one(TabbedContent).query("TabPane") if p.id]


def active(app) -> str | None:  # type: ignore[no-untyped-def]
    return app.screen.query_one(TabbedContent).active  # type: ignore[no-any-return]


async def three_forms(app, pilot) -> list[str]:  # type: ignore[no-untyped-def]
    await login(app, pilot)
    await feed(app, pilot, CTRL_E)
    await feed(app, pilot, CTRL_E)
    await wait_for(pilot, lambda: len(panes(app)) == 3)
    ids = panes(app)
    assert active(app) == ids[2]
    return ids


@pytest.mark.parametrize(
    ("prev", "next_", "close", "others", "all_"),
    [
        (SHIFT_F5, SHIFT_F6, SHIFT_F8, SHIFT_F9, SHIFT_F10),  # PuTTY, the Linux console
        ("\x1b[15;2~", "\x1b[17;2~", "\x1b[19;2~", "\x1b[20;2~", "\x1b[21;2~"),  # xterm
        (CTRL_P, CTRL_T, CTRL_L, CTRL_W, CTRL_Y),  # no Shift+F at all
    ],
    ids=["putty", "xterm", "ctrl"],
)
async def test_tab_keys_from_every_terminal(
    tmp_path: Path,
    gateway: RunningGateway,
    prev: str,
    next_: str,
    close: str,
    others: str,
    all_: str,
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        ids = await three_forms(app, pilot)
        await feed(app, pilot, prev)
        assert active(app) == ids[1]
        await feed(app, pilot, prev)
        assert active(app) == ids[0]
        await feed(app, pilot, next_)
        assert active(app) == ids[1]
        assert app.focused is entry(app).fields["import_decl_no"]
        assert entry(app).fields["import_decl_no"].value == ""  # nothing typed by the keys
        await feed(app, pilot, close)
        await wait_for(pilot, lambda: panes(app) == [ids[0], ids[2]])
        await feed(app, pilot, CTRL_E)
        await wait_for(pilot, lambda: len(panes(app)) == 3)
        await feed(app, pilot, others)
        await wait_for(pilot, lambda: len(panes(app)) == 1)
        await feed(app, pilot, all_)
        await wait_for(pilot, lambda: panes(app) == [])


@pytest.mark.parametrize("menu_key", ["\x1b[1;2Q", CTRL_G], ids=["xterm-shift-f2", "ctrl-g"])
async def test_the_menu_folds_and_unfolds(
    tmp_path: Path, gateway: RunningGateway, menu_key: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=(120, 30)) as pilot:
        await login(app, pilot)
        menu = app.screen.query_one(Menu)
        assert not menu.has_class("-folded")
        await feed(app, pilot, menu_key)
        assert menu.has_class("-folded")
        await feed(app, pilot, menu_key)
        assert not menu.has_class("-folded")
        assert entry(app).fields["import_decl_no"].value == ""


@pytest.mark.parametrize("f1", ["\x1b[11~", "\x1b[[A"], ids=["putty", "linux"])
async def test_f1_of_putty_and_the_linux_console_lists_the_keys(
    tmp_path: Path, gateway: RunningGateway, f1: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        await feed(app, pilot, f1)
        await wait_for(pilot, lambda: isinstance(app.screen, KeysScreen))
        rows = {label: keys for _scope, label, keys in app.screen.rows}  # type: ignore[attr-defined]
        assert rows["上一页签"] == "Shift+F5/Ctrl+P"
        assert rows["折叠/展开菜单"] == "Shift+F2/Ctrl+G"
        await feed(app, pilot, "\x1b")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


@pytest.mark.parametrize("f3", ["\x1b[13~", "\x1b[[C"], ids=["putty", "linux"])
async def test_f3_of_putty_and_the_linux_console_asks_before_a_new_record(
    tmp_path: Path, gateway: RunningGateway, f3: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        await feed(app, pilot, "12345")
        assert pane.fields["import_decl_no"].value == "12345"
        await feed(app, pilot, f3)  # 新增 over typed text: asked first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
