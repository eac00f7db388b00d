"""A script's session at the desk: card login on a runtime, the work, the logout, without a screen.

    runtime = build_runtime(settings)
    async with logged_in(runtime, pin, online=True) as session:
        results = await submit_records(session, keys)      # declarant.submission
    runtime.close()

`logged_in` raises what the login screen shows: a `customs.card` error (no reader, no card, a wrong
PIN with the tries left, a blocked card); with `online=True`, `NotConnected` when the card is good
but the gateway cannot be reached (the app would work offline on drafts; a script that must reach
customs stops there). The gateway session is ended at the way out, whatever happened inside.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from declarant.runtime import Runtime
from declarant.session import Session
from declarant.worker import NotConnected, SessionState


@asynccontextmanager
async def logged_in(runtime: Runtime, pin: str, *, online: bool) -> AsyncIterator[Session]:
    """The card login of `runtime.worker` with `pin`, as the login screen does it; logout after."""
    worker = runtime.worker
    await worker.login(pin)
    try:
        if online and worker.state != SessionState.ACTIVE:
            raise NotConnected(worker.state)
        yield Session(
            runtime.settings, runtime.engine, worker, runtime.sandbox, runtime.gateway_url
        )
    finally:
        await worker.logout()
