"""the enterprise book (常用企业)

Every 原生产企业 and 收货联系人 that was saved from now on, per enterprise of the card, newest use
first (store/book.py).

Revision ID: 0005_enterprise_book
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_enterprise_book"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprise_book",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=90), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("division", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("customs", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("initials", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_uscc", "kind", "key"),
    )
    op.create_index("ix_book_scope_used", "enterprise_book", ["enterprise_uscc", "kind", "used_at"])


def downgrade() -> None:
    op.drop_index("ix_book_scope_used", table_name="enterprise_book")
    op.drop_table("enterprise_book")
