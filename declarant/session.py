"""What every screen of a logged-in session shares: settings, the store's engine, the worker."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from declarant.config import DeskSettings
from declarant.kept_drafts import KeptDrafts
from declarant.worker import Worker
from store.operator import Operator
from store.records import RecordStore


@dataclass
class Session:
    settings: DeskSettings
    engine: Engine
    worker: Worker
    sandbox: bool
    gateway_url: str

    @property
    def operator(self) -> Operator:
        if self.worker.operator is None:
            raise RuntimeError("no operator before the card login")
        return self.worker.operator

    @property
    def store(self) -> RecordStore:
        if self.worker.store is None:
            raise RuntimeError("no store before the card login")
        return self.worker.store

    @property
    def kept_drafts(self) -> KeptDrafts:
        """The drafts of forms closed on purpose (declarant/kept_drafts.py)."""
        return KeptDrafts(self.settings.data_dir)

    def discard_draft(self, key: str) -> None:
        """Drop a draft row now, or once the database answers again (`store.pending`)."""
        from functools import partial

        from store.pending import health

        health(self.engine).write(key, partial(self.store.discard_draft, key))
