"""Every action of the registry acts on the form as the keys typed before it left it.

Textual 8.2.8 hands a typed character to the focused widget's own message queue, but runs a priority
binding (F2, Alt+S, Enter, Shift+F5 …) at once in the App's queue. In one SSH packet
"13700137000 F2" the save ran while the eleven digits still waited in the Input's queue: it stored
an empty field and its reload blanked the digits. The cure is one mechanism for every action:
before a priority key of the registry is matched, the App waits until the focused widget has
handled every key already handed to it (`settle`). The App reads no further key meanwhile, so the
keys typed after the action still come after it.

An action that starts work of its own after returning (a reload, a fetch) keeps to the same order
by awaiting it or by keeping what was typed meanwhile; see the entry form.

Keys may also be held while the screen they are meant for is not there yet (`hold_keys`): the
keys typed after the PIN's Enter wait through the login and the main screen's first frame, and
`release_keys` then hands them, in the order typed, to the field that has the cursor.

`SettlingApp.keys_read` counts every key and paste the App reads, wherever it goes: a screen
compares it to know that no key came meanwhile (the entry form's backfill, entry_backfill.py).
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App
from textual.widget import Widget

from widgets.actions import ACTIONS

SETTLE_TIMEOUT = 2.0  # seconds; a widget that never answers (being removed) must not hang the keys


async def settle(widget: Widget | None) -> None:
    """Return once `widget` has handled every message already in its queue.

    A callback queued behind them resolves a future; a widget that is closing (its queue no longer
    read) or stuck longer than SETTLE_TIMEOUT is not waited for.
    """
    if widget is None or not widget.is_running:
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def reached() -> None:
        if not done.done():
            done.set_result(None)

    if not widget.call_later(reached):
        return
    try:
        await asyncio.wait_for(done, SETTLE_TIMEOUT)
    except TimeoutError:
        widget.log.warning(f"settle: {widget!r} did not answer in {SETTLE_TIMEOUT}s")


class SettlingApp(App[None]):
    """An App whose registry keys wait for the focused widget (the app and the test hosts)."""

    action_keys: frozenset[str] = frozenset()
    # keys (and pastes) read while held, in order; None: keys go where they are meant to
    _held_keys: list[events.Key | events.Paste] | None = None
    # keys and pastes read so far (a held one counts again when replayed): only ever grows
    keys_read: int = 0

    def hold_keys(self, earlier: list[events.Key | events.Paste]) -> None:
        """From now on keep every key and paste read, after `earlier` (fresh events, not yet
        dispatched), until `release_keys`."""
        self._held_keys = list(earlier)

    def release_keys(self) -> None:
        """End the hold, in the App's own queue: the keys held go first, to the focused widget,
        as if typed now; a key read after this call comes after them."""
        self.call_later(self._replay_held)

    async def _replay_held(self) -> None:
        held, self._held_keys = self._held_keys or [], None
        for event in held:  # inline: nothing else is read from the queue until they are all in
            event.set_sender(self)
            await self.on_event(event)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self.keys_read += 1
        if (
            self._held_keys is not None
            and isinstance(event, events.Key | events.Paste)
            and not event.is_forwarded
        ):
            self._held_keys.append(
                events.Key(event.key, event.character)
                if isinstance(event, events.Key)
                else events.Paste(event.text)
            )
            return
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key in (self.action_keys or _DEFAULT_KEYS)
        ):
            await settle(self.focused)
        await super().on_event(event)


def registry_keys(keymap: dict[str, str] | None = None) -> frozenset[str]:
    """Every key some action of the registry is bound to (the settings' keymap applied)."""
    keymap = keymap or {}
    keys: set[str] = set()
    for action in ACTIONS:
        for key in keymap.get(action.id, action.keys).split(","):
            if key.strip():
                keys.add(key.strip())
    return frozenset(keys)


_DEFAULT_KEYS = registry_keys()
