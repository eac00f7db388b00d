"""The PIN field: once Enter submits a PIN, it takes no more keys until the login has ended.

Over SSH an operator's "PIN, Enter, first declaration number, Enter" arrives in one packet. A
live PIN field took the number as a second PIN, and its Enter restarted the login with it: the
correct login was cancelled and the card counted a wrong try (a card blocks after a few). Here
the keys (and pastes) after the submitting Enter are held, in order (`held`), not typed: the login
screen hands them on to the entry form after a successful login, drops them after a failed one.
"""

from __future__ import annotations

from textual import events

from widgets.ordered_input import OrderedInput


class PinInput(OrderedInput):
    # the keys typed after the submitting Enter, while the login runs; None: the field is live
    held: list[events.Key | events.Paste] | None = None

    async def _on_key(self, event: events.Key) -> None:
        if self.held is not None:
            event.stop()
            event.prevent_default()
            # a fresh event: this one is spent (stopped) and cannot be dispatched again
            self.held.append(events.Key(event.key, event.character))
            return
        if event.key == "enter" and self.value:
            self.held = []  # from this Enter on, keys are held (the submit itself still runs)
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        if self.held is not None:  # a paste during the login is no PIN either: held like a key
            event.stop()
            event.prevent_default()
            self.held.append(events.Paste(event.text))
            return
        super()._on_paste(event)

    def release(self) -> list[events.Key | events.Paste]:
        """End the hold: the keys held, in the order typed; the field is live again, empty."""
        held, self.held = self.held or [], None
        self.value = ""
        return held
