"""The entry forms' drafts: what is on screen, kept under a key until it is saved or dropped.

A form writes its draft at every field exit and within a second of the last keystroke
(screens/entry_draft.py): one small upsert per write. Drafts belong to the operator's card and
enterprise; they are offered back at the next start (screens/drafts.py) and dropped at 暂存 or 新增.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from store.errors import RecordNotFound
from store.models import Draft
from store.record_access import RecordAccess


class DraftStore(RecordAccess):
    """The drafts of this operator (a part of `RecordStore`, store/records.py)."""

    def save_draft(
        self,
        key: str,
        payload: dict[str, object],
        *,
        unified_no: str | None = None,
        base_version: int | None = None,
    ) -> None:
        """Keep the form's state under `key` (called at every field exit: one small upsert)."""
        with Session(self.engine) as session, session.begin():
            draft = session.get(Draft, key)
            if draft is None:
                draft = Draft(
                    key=key,
                    enterprise_uscc=self.operator.enterprise_uscc,
                    operator_card=self.operator.card_no,
                    updated_at=self._now(),
                )
            elif draft.enterprise_uscc != self.operator.enterprise_uscc:
                raise RecordNotFound(detail=f"draft {key} belongs to another enterprise")
            draft.payload = dict(payload)
            draft.unified_no = unified_no
            draft.base_version = base_version
            draft.updated_at = self._now()
            session.add(draft)

    def drafts(self) -> list[Draft]:
        """This operator's unsaved drafts, newest first (offered back at start)."""
        with Session(self.engine) as session:
            result = session.scalars(
                select(Draft)
                .where(
                    Draft.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                    Draft.operator_card == self.operator.card_no,  # type: ignore[arg-type]
                )
                .order_by(Draft.updated_at.desc())  # type: ignore[attr-defined]
            )
            return list(result.all())

    def discard_draft(self, key: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                delete(Draft).where(
                    Draft.key == key,  # type: ignore[arg-type]
                    Draft.enterprise_uscc == self.operator.enterprise_uscc,  # type: ignore[arg-type]
                )
            )
