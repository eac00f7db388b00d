"""Limits that hold everywhere: the store refuses past them and the wire (customs.wire) says the same.

Declared here once, in a module with no imports, so the gateway protocol and the sandbox server can
read them without loading the store.
"""

from __future__ import annotations

MAX_ATTACHMENTS = 50
"""随附单据 per record: adding the 51st is refused; a submission carries at most this many."""

__all__ = ["MAX_ATTACHMENTS"]
