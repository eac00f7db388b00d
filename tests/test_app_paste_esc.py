"""A bracketed paste holding an ESC is one paste of text, never keys (issue 10 §1 and §3).

Textual 8.2.8's parser ended a paste at the first ESC inside it: what followed was run as keys
(Alt+S saved, Alt+R opened 删除) ahead of the text, and the text came later or was lost. The bytes
are fed through the app's own parser (tui/keyparser.py) as one burst, or as two reads.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual import constants, events
from textual._xterm_parser import XTermParser
from textual.screen import ModalScreen

from store.text import inert
from tests.app_harness import entry, feed, hint, hints_seen, login, make_app, wait_for
from tests.fixtures_gateway import RunningGateway
from tests.test_app_text import frame, paste
from tui.keyparser import AltSafeXTermParser, pasted_of

SIZE = (80, 24)
PASTES = [
    ("contact_person", "E\x1bF"),  # was typed as "F", then pasted "E": the field showed "FE"
    ("consignee_address", "测试地址2\x1bs"),  # Alt+S (暂存) ran first, on an empty field
    ("contact_person", "abc\x1br"),  # Alt+R opened the 删除 dialog and "abc" was lost
    ("contact_person", "X\x1b]0;PWNED\x07\x1b[2JY"),  # the field got "]0;PWNED[2JYX"
]


def test_the_parser_gives_a_paste_with_an_esc_whole_and_in_order() -> None:
    for _, text in PASTES:
        assert pasted_of(AltSafeXTermParser(), "a" + paste(text) + "b") == [text]
    # keys on both sides keep their place; a pending Alt+S before the paste stays before it
    parser = AltSafeXTermParser()
    tokens = [*parser.feed("z\x1bs" + paste("q\x1bw") + "\x1b[B"), *parser.feed("")]
    assert [t.key if isinstance(t, events.Key) else t.text for t in tokens] == [  # type: ignore[attr-defined]
        "z",
        "alt+s",
        "q\x1bw",
        "down",
    ]


def test_the_parser_collects_a_paste_cut_anywhere_across_reads() -> None:
    data = "k" + paste("甲\x1br乙\r\n丙") + "m"
    for cut in range(1, len(data)):
        parser = AltSafeXTermParser()
        tokens = [*parser.feed(data[:cut]), *parser.feed(data[cut:]), *parser.feed("")]
        got = [t.key if isinstance(t, events.Key) else t.text for t in tokens]  # type: ignore[attr-defined]
        assert got == ["k", "甲\x1br乙\r\n丙", "m"], cut


@pytest.mark.parametrize(("name", "text"), PASTES)
async def test_a_paste_with_an_esc_is_text_refused_and_runs_no_key(
    tmp_path: Path, gateway: RunningGateway, name: str, text: str
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields[name]
        pane.screen.set_focus(field)
        await pilot.pause()
        seen = hints_seen(app)
        await feed(app, pilot, paste(text))
        assert not isinstance(app.screen, ModalScreen)  # no 删除 dialog
        assert field.raw() == text  # every character, in order
        assert inert(text) in frame(app)  # the ESC shown as ␛, nothing of it reaches the terminal
        await pilot.press("enter")
        await wait_for(pilot, lambda: "控制字符" in hint(app))
        assert "U+001B" in hint(app)
        assert not any("暂存成功" in said for said in seen)  # no Alt+S save ran
        assert pane.record.unified_no is None  # nothing stored


async def test_a_paste_with_an_esc_split_over_two_reads_is_one_paste(
    tmp_path: Path, gateway: RunningGateway
) -> None:
    app = make_app(tmp_path, gateway.url)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot)
        pane = entry(app)
        field = pane.fields["contact_person"]
        pane.screen.set_focus(field)
        await pilot.pause()
        seen = hints_seen(app)
        data = paste("赵六\x1bs七")
        await feed(app, pilot, data[:9], data[9:])  # the second read starts at the "s" of Alt+S
        assert field.raw() == "赵六\x1bs七"
        assert not any("暂存成功" in said for said in seen)
        assert pane.record.unified_no is None


def test_a_lone_escape_held_for_a_cut_marker_is_escape_after_the_stock_wait() -> None:
    for read in ("\x1b", "a\x1b[20"):
        ours, stock = AltSafeXTermParser(), XTermParser()
        ours_keys = [t.key for t in ours.feed(read) if isinstance(t, events.Key)]
        stock_keys = [t.key for t in stock.feed(read) if isinstance(t, events.Key)]
        time.sleep(constants.ESCAPE_DELAY + 0.05)
        ours_keys += [t.key for t in ours.tick() if isinstance(t, events.Key)]
        stock_keys += [t.key for t in stock.tick() if isinstance(t, events.Key)]
        assert ours_keys == stock_keys, read
    assert stock_keys[-1] != "a"  # the wait produced something to compare
