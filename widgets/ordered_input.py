"""An Input that acts on its editing keys in the order they were typed.

Textual 8.2.8 inserts a printable key in the Input's own key handler but runs the Input's editing
bindings (Backspace, Delete, Ctrl+U, arrows …) only when the key has bubbled back up to the App, so
in one burst "abc⌫d" the ⌫ deletes the d (measured: the Input ends as "abc"). Over a slow SSH link
a correction typed quickly arrives in one packet. Here the Input's own bindings run in its key
handler, in the order the keys came, and nothing typed is reordered.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input


class OrderedInput(Input):
    # A blinking cursor costs 150-200 B/s over SSH while idle (terminal.md): off unless the
    # settings turn it on (the app sets this class default once, before any input exists).
    cursor_blink = reactive(False, init=False)

    @classmethod
    @cache
    def _own_keys(cls) -> dict[str, str]:
        """Key -> action of the Input's own bindings (not the app's, not the screen's)."""
        table: dict[str, str] = {}
        for base in reversed(cls.__mro__):
            if not issubclass(base, Input):
                continue
            for binding in base.__dict__.get("BINDINGS", []):
                key, action = (
                    (binding.key, binding.action)
                    if isinstance(binding, Binding)
                    else (
                        binding[0],
                        binding[1],
                    )
                )
                for name in key.split(","):
                    table[name.strip()] = action
        return table

    async def _on_key(self, event: events.Key) -> None:
        action = None if event.is_printable else self._own_keys().get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
            return
        await super()._on_key(event)
