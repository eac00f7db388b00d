"""The submission body as a stream: the `Submission` JSON built piece by piece while it is sent.

A record may carry 50 documents of 4 MB: as one JSON value that is 280 MB of base64 text, several
copies of it in memory and seconds of the event loop spent encoding. Instead the request body is an
async iterator of chunks: first the small part (round, record, signature, certificate), then each
document in turn, its bytes fetched by `read(sha256)` only when its turn comes and base64-encoded in
a thread, piece by piece, then sent in those `CHUNK_BYTES` pieces. One document's bytes (and their
base64) are in memory at a time; the loop only frames the pieces.

The bytes are the same JSON a `Submission.model_dump_json()` would give (member order aside), so
the gateway sees no difference; the signature covers the documents' digests, not this encoding.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from customs.wire import Attachment, AttachmentRef, SignedSubmission

DocumentReader = Callable[[str], Awaitable[bytes]]
"""`await read(sha256)` -> the document's bytes (its caller reads them off the event loop)."""

CHUNK_BYTES = 256 * 1024  # of base64 text: 192 KiB of a document
_RAW_PIECE = CHUNK_BYTES // 4 * 3  # a multiple of 3: the pieces' base64 joins into the whole's


def _base64_pieces(content: bytes) -> list[bytes]:
    """The base64 of `content` in `CHUNK_BYTES` pieces, encoded piece by piece: one call on 4 MB
    holds the GIL for tens of ms on a busy machine, and the UI loop would wait that long."""
    view = memoryview(content)
    return [
        base64.b64encode(view[start : start + _RAW_PIECE])
        for start in range(0, len(content), _RAW_PIECE)
    ]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


async def submission_chunks(
    submission: SignedSubmission,
    attachments: Sequence[AttachmentRef],
    read: DocumentReader | None,
) -> AsyncIterator[bytes]:
    """The `Submission` JSON of `submission` with `attachments` (refs read through `read`, or full
    `Attachment`s carrying their own base64), in chunks of at most about `CHUNK_BYTES`.

    Raises whatever `read` raises (the request is then abandoned half sent) and `ValueError` for a
    reference without a reader.
    """
    head = _json(submission.model_dump(mode="json", exclude={"attachments"}))
    yield head[:-1] + b',"attachments":['
    for index, attachment in enumerate(attachments):
        meta = _json(attachment.model_dump(mode="json", exclude={"content_b64"}))
        yield (b"," if index else b"") + meta[:-1] + b',"content_b64":'
        if isinstance(attachment, Attachment):
            yield _json(attachment.content_b64) + b"}"
            continue
        if read is None:
            raise ValueError(f"no reader for the bytes of {attachment.filename}")
        content = await read(attachment.sha256)
        pieces = await asyncio.to_thread(_base64_pieces, content)
        del content
        yield b'"'
        while pieces:
            yield pieces.pop(0)  # each piece freed once sent
        yield b'"}'
    yield b"]}"


__all__ = ["CHUNK_BYTES", "DocumentReader", "submission_chunks"]
