"""a site's own parameter rows (local_param), beside the shipped tables

Revision ID: 0006_local_params
Revises: 0005_enterprise_book
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_local_params"
down_revision = "0005_enterprise_book"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_param",
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("parent", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("initials", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("source_file", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("imported_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "code"),
    )


def downgrade() -> None:
    op.drop_table("local_param")
