"""Drafts kept on purpose: the forms an operator closed (关闭页签, 退出) with unsaved content.

A draft row is written at every change, so at the next login every draft is offered back. Those
left by a crash or a dropped connection are news to the operator (上次异常退出或连接中断); those of
forms closed by 关闭页签 or 退出 were announced when they were kept, and are offered as such. The
store cannot tell them apart (a draft row is the same either way), so the keys of the kept ones are
listed in `kept-drafts.json` in the data dir (0600): a JSON list of draft keys.

    kept = KeptDrafts(data_dir)
    kept.keep(["3f2a…"])        # closed on purpose
    kept.forget(["3f2a…"])      # restored or discarded: a later crash makes it news again
    kept.keys()                 # set of draft keys

An unreadable or damaged file counts as empty (the drafts are then offered as after a crash, never
lost); a file that cannot be written is left as it was (OSError is not raised).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path

from store.private import ensure_dir, write_private_text

FILE_NAME = "kept-drafts.json"


class KeptDrafts:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    def keys(self) -> set[str]:
        """The keys of the drafts kept on purpose (empty when the file is missing or damaged)."""
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {k for k in loaded if isinstance(k, str)} if isinstance(loaded, list) else set()

    def keep(self, keys: Iterable[str]) -> None:
        self._write(self.keys() | set(keys))

    def forget(self, keys: Iterable[str]) -> None:
        current = self.keys()
        remaining = current - set(keys)
        if remaining != current:
            self._write(remaining)

    def _write(self, keys: set[str]) -> None:
        with contextlib.suppress(OSError):  # the drafts themselves are in the store either way
            ensure_dir(self.path.parent)
            write_private_text(self.path, json.dumps(sorted(keys)))
