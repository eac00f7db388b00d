"""the 统一编号 comes from the gateway; local draft numbers; receipts kept aside

Records that customs never accepted lose the number this database made up (it may be another
installation's too) and get a local draft number; the gateway issues their 统一编号 at the next
contact. Records customs holds keep theirs. Drafts of the form follow their record's new key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# 暂存 and 提交失败 with no round accepted: customs never held the record under its number
_NEVER_ACCEPTED = (0, 2)


def upgrade() -> None:
    with op.batch_alter_table("return_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("draft_no", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True)
        )
        batch_op.alter_column("unified_no", existing_type=sa.String(length=18), nullable=True)
        batch_op.create_unique_constraint("return_record_draft_no_key", ["draft_no"])

    op.create_table(
        "draft_no_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "stray_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("receipt_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("unified_no", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_uscc", "receipt_id"),
    )
    _give_draft_numbers()
    op.drop_table("unified_no_counter")


def _give_draft_numbers() -> None:
    bind = op.get_bind()
    record = sa.table(
        "return_record",
        sa.column("id", sa.Integer),
        sa.column("unified_no", sa.String),
        sa.column("draft_no", sa.String),
        sa.column("status", sa.Integer),
        sa.column("accepted_round", sa.Integer),
        sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime),
    )
    draft = sa.table("draft", sa.column("unified_no", sa.String))
    counter = sa.table(
        "draft_no_counter", sa.column("year", sa.Integer), sa.column("last", sa.Integer)
    )
    rows = bind.execute(
        sa.select(record.c.id, record.c.unified_no, record.c.created_at)
        .where(record.c.accepted_round == 0, record.c.status.in_(_NEVER_ACCEPTED))
        .order_by(record.c.id)
    ).all()
    last: dict[int, int] = {}
    for record_id, old_no, created_at in rows:
        year = created_at.year if isinstance(created_at, datetime) else int(str(created_at)[:4])
        last[year] = last.get(year, 0) + 1
        draft_no = f"{year:04d}{last[year]:08d}"
        bind.execute(
            record.update()
            .where(record.c.id == record_id)
            .values(unified_no=None, draft_no=draft_no)
        )
        bind.execute(draft.update().where(draft.c.unified_no == old_no).values(unified_no=draft_no))
    for year, value in last.items():
        bind.execute(counter.insert().values(year=year, last=value))


def downgrade() -> None:
    op.create_table(
        "unified_no_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    bind = op.get_bind()
    # a record without a 统一编号 gets its draft number back as one (the old scheme's only key)
    bind.execute(
        sa.text(
            "UPDATE return_record SET unified_no = draft_no || '000000' WHERE unified_no IS NULL"
        )
    )
    op.drop_table("stray_receipt")
    op.drop_table("draft_no_counter")
    with op.batch_alter_table("return_record", schema=None) as batch_op:
        batch_op.drop_constraint("return_record_draft_no_key", type_="unique")
        batch_op.alter_column("unified_no", existing_type=sa.String(length=18), nullable=False)
        batch_op.drop_column("draft_no")
