"""What the entry-form tests of the book and the backfill share: a producer the book knows, and
"number, Enter, wait for the answer" typed as raw bytes."""

from __future__ import annotations

from textual.pilot import Pilot

from screens.entry import EntryPane
from screens.main import MainScreen
from store.book import PRODUCER, EnterpriseBook
from tests.app_harness import entry, feed, hint, wait_for
from tests.factories import _uscc
from tui.app import TuihuoApp

SUZHOU = _uscc("91320500MA1MXXXX0")
# a producer as the book keeps it (store/book.py's PRODUCER fields)
PRODUCER_VALUES = {
    "uscc": SUZHOU,
    "code": "3205960001",
    "name": "苏州原生产制造有限公司",
    "contact": "钱七",
    "phone": "0512-66881234",
    "division": "320505",
    "customs": "2201",
}


def book_knows_producer(screen: MainScreen) -> EnterpriseBook:
    """The logged-in enterprise's book, holding PRODUCER_VALUES."""
    book = EnterpriseBook(screen.ctx.engine, screen.ctx.operator)
    book.put(PRODUCER, PRODUCER_VALUES)
    return book


async def fetched(app: TuihuoApp, pilot: Pilot, number: str) -> EntryPane:
    """`number` and Enter typed on the focused form's 进口报关单号; returns once its answer shows."""
    pane = entry(app)
    await feed(app, pilot, number + "\r")
    await wait_for(pilot, lambda: pane._fetched_no == number and "已获取" in hint(app))
    await pilot.pause()
    return pane
