"""Running the whole app in Pilot against the sandbox gateway (a real uvicorn server) and SQLite.

`make_app(tmp_path, gateway)` builds a TuihuoApp whose runtime uses the test's gateway and a SQLite
file under tmp_path; `login(app, pilot)` types the sandbox PIN and waits for the main screen.
`feed(app, pilot, data)` sends raw terminal bytes through Textual's own parser, as a terminal would.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.pilot import Pilot

from customs.client import GatewayClient
from declarant.runtime import Runtime
from declarant.worker import SandboxSlot, Worker
from sandbox.card import SANDBOX_PIN
from screens.entry import EntryPane
from screens.main import MainScreen
from store.engine import open_engine
from tui.app import TuihuoApp
from tui.keyparser import parser_class
from tui.settings import Settings

ESC_WAIT = 0.15  # past Textual's lone-ESC wait (~100 ms): an Alt key then decodes


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", **overrides)  # type: ignore[arg-type]


def make_app(tmp_path: Path, gateway_url: str, **overrides: object) -> TuihuoApp:
    settings = make_settings(tmp_path, **overrides)

    def factory(s: Settings) -> Runtime:
        engine = open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")
        client = GatewayClient(gateway_url, timeout=3.0, retries=1, backoff=0.01)
        worker = Worker(
            engine,
            client,
            SandboxSlot(),
            gateway_name="test",
            declaration_folders=s.declaration_folders,
        )
        return Runtime(s, engine, worker, True, gateway_url)

    return TuihuoApp(settings, runtime_factory=factory)


async def wait_for(pilot: Pilot, condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


async def login(app: TuihuoApp, pilot: Pilot, pin: str = SANDBOX_PIN) -> MainScreen:
    await app.runtime_ready()
    await wait_for(pilot, lambda: app.screen.query("#pin"))
    await pilot.press(*pin, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
    await wait_for(pilot, lambda: bool(app.screen.query(EntryPane)) and app.focused is not None)
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


def entry(app: TuihuoApp) -> EntryPane:
    """The entry form of the active tab."""
    from textual.widgets import TabbedContent

    active = app.screen.query_one(TabbedContent).active_pane
    assert active is not None
    return active.query_one(EntryPane)


async def focus_field(app: TuihuoApp, pilot: Pilot, key: str) -> EntryPane:
    """The active form with the cursor put on its field `key` (as a click would); returns the form."""
    pane = entry(app)
    pane.screen.set_focus(pane.fields[key])
    await pilot.pause()
    return pane


def hint(app: TuihuoApp) -> str:
    return str(app.screen.query_one("#hint").text)  # type: ignore[attr-defined]


def hints_seen(app: TuihuoApp) -> list[str]:
    """Every text the hint bar shows from now on, in order: a message the operator saw stays
    seen even when the worker's next notice replaces it before the test looks."""
    seen: list[str] = []
    bar = app.screen.query_one("#hint")
    app.screen.watch(bar, "text", lambda text: seen.append(str(text)), init=True)
    return seen


async def feed(app: TuihuoApp, pilot: Pilot, data: str, *more: str) -> None:
    """Raw terminal input, parsed by the driver's parser (Textual's XTermParser, tui/keyparser.py)
    and delivered as the driver does: `data` is one read, as one SSH packet brings it; `more` are
    the next reads, through the same parser (a paste split over packets)."""
    parser = parser_class()()
    for read in (data, *more):
        for message in parser.feed(read):
            message.set_sender(app)
            app.post_message(message)
    await asyncio.sleep(ESC_WAIT)
    for message in parser.tick():
        message.set_sender(app)
        app.post_message(message)
    await pilot.pause()
    await pilot.pause()
