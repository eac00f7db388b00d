"""PC/SC fixtures: the real pcscd with vsmartcard's vpcd reader, and sandbox cards inserted into it.

Import explicitly in a test module: `from tests.fixtures_pcsc import *  # noqa: F403`.

- `pcscd` (session): the running pcscd, or `/usr/sbin/pcscd --foreground` started here as a direct
  child (root only) and stopped at the end; waits for the vpcd reader in
  `smartcard.System.readers()`. When the stack cannot be had, `tests.services.missing_service`
  skips (laptop) or fails (CI).
- `vpcd_reader`: the name of a vpcd reader with no card in it.
- `insert_virtual_card(applet=None) -> VirtualCard`: plugs a sandbox card (a fresh `Applet` with
  the default identity and `SANDBOX_PIN` unless given) into `vpcd_reader` and waits until pcscd sees
  it; every card it inserted is pulled at teardown, even when the test failed, and teardown waits
  for pcscd's event counter to move so the next test's card is seen.
- `virtual_card`: one such card, already inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sandbox.card.applet import Applet
from sandbox.card.pcscd import (
    StackUnavailable,
    ensure_pcscd,
    free_vpcd_reader,
    insert_card,
    remove_card,
)
from sandbox.card.vpcd import VirtualCard
from tests.services import missing_service

__all__ = ["insert_virtual_card", "pcscd", "virtual_card", "vpcd_reader"]

InsertCard = Callable[..., VirtualCard]


@pytest.fixture(scope="session")
def pcscd() -> Iterator[None]:
    try:
        stack = ensure_pcscd()
        stack.__enter__()
    except StackUnavailable as exc:
        missing_service(f"pcscd with vpcd: {exc}")
    try:
        yield None
    finally:
        stack.__exit__(None, None, None)


@pytest.fixture
def vpcd_reader(pcscd: None) -> str:
    try:
        return free_vpcd_reader()
    except StackUnavailable as exc:
        missing_service(f"vpcd reader: {exc}")


@pytest.fixture
def insert_virtual_card(vpcd_reader: str) -> Iterator[InsertCard]:
    inserted: list[VirtualCard] = []

    def insert(applet: Applet | None = None) -> VirtualCard:
        card = insert_card(applet if applet is not None else Applet(), vpcd_reader)
        inserted.append(card)
        return card

    try:
        yield insert
    finally:
        failures = []
        for card in reversed(inserted):
            try:
                remove_card(card)
            except Exception as exc:  # pull every card even when one removal misbehaves
                failures.append(exc)
        if failures:
            raise failures[0]


@pytest.fixture
def virtual_card(insert_virtual_card: InsertCard) -> VirtualCard:
    return insert_virtual_card()
