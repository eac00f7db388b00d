"""outbox bodies hold documents by reference

The outbox used to keep each waiting submission with its documents inline as base64 (a record of
50 × 4 MB wrote 280 MB into one row). From here on it keeps them as references to `blob`
(customs.wire.SignedSubmission); the bytes are streamed from `blob` at each send. Waiting entries are
rewritten one at a time: each inline document is dropped from the body, its bytes first put into
`blob` if the store somehow no longer held them (only when they match their digest). The schema
does not change. Downgrade puts the bytes back inline.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

outbox = sa.table("outbox", sa.column("record_id", sa.Integer), sa.column("body", sa.JSON))
blob = sa.table(
    "blob",
    sa.column("sha256", sa.String),
    sa.column("size", sa.Integer),
    sa.column("data", sa.LargeBinary),
)


def _documents(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("attachments"), list):
        return []
    return [doc for doc in body["attachments"] if isinstance(doc, dict)]


def _rewrite(change) -> None:  # type: ignore[no-untyped-def]
    """`change(bind, document) -> bool` on every document of every outbox body, one row at a time
    (a body written before this revision may be hundreds of MB)."""
    bind = op.get_bind()
    for record_id in bind.execute(sa.select(outbox.c.record_id)).scalars().all():
        body = bind.execute(
            sa.select(outbox.c.body).where(outbox.c.record_id == record_id)
        ).scalar_one()
        changed = [change(bind, doc) for doc in _documents(body)]
        if any(changed):
            bind.execute(outbox.update().where(outbox.c.record_id == record_id).values(body=body))


def _to_reference(bind, doc: dict[str, Any]) -> bool:  # type: ignore[no-untyped-def]
    if "content_b64" not in doc:
        return False
    content_b64 = doc.pop("content_b64")
    digest = doc.get("sha256")
    if bind.execute(sa.select(blob.c.sha256).where(blob.c.sha256 == digest)).first() is None:
        try:
            content = base64.b64decode(str(content_b64), validate=True)
        except (binascii.Error, ValueError):
            return True  # unreadable: the send fails as 提交失败 and the operator submits again
        if hashlib.sha256(content).hexdigest() == digest:
            bind.execute(blob.insert().values(sha256=digest, size=len(content), data=content))
    return True


def _to_inline(bind, doc: dict[str, Any]) -> bool:  # type: ignore[no-untyped-def]
    if "content_b64" in doc:
        return False
    data = bind.execute(
        sa.select(blob.c.data).where(blob.c.sha256 == doc.get("sha256"))
    ).scalar_one_or_none()
    doc["content_b64"] = base64.b64encode(bytes(data or b"")).decode()
    return True


def upgrade() -> None:
    _rewrite(_to_reference)


def downgrade() -> None:
    _rewrite(_to_inline)
