"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unified_no", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("from_status", sa.Integer(), nullable=True),
        sa.Column("to_status", sa.Integer(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_unified_no"), ["unified_no"], unique=False)

    op.create_table(
        "blob",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "draft",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("operator_card", sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
        sa.Column("unified_no", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(
            "ix_draft_owner", ["enterprise_uscc", "operator_card", "updated_at"], unique=False
        )

    op.create_table(
        "gateway_cursor",
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("gateway", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("cursor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_uscc", "gateway"),
    )
    op.create_table(
        "return_record",
        sa.Column("return_no", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("collector_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("collector_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("collector_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column(
            "collector_org_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True
        ),
        sa.Column(
            "collector_category", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False
        ),
        sa.Column("info_source", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("collected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("import_decl_no", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("declarant_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("declarant_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("declarant_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("declarant_person", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("consignee_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("consignee_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("consignee_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("consignee_address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("contact_person", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("return_date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("consumer_district", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("consumer_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("consumer_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("consumer_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("declared_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("arrived_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("return_country", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("accepting_customs", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("trade_mode", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("bill_of_lading", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("destination_customs", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("disposal_methods", sa.JSON(), nullable=False),
        sa.Column(
            "disposal_other_text", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column("export_decl_nos", sqlmodel.sql.sqltypes.AutoString(length=950), nullable=True),
        sa.Column("producer_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("producer_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("producer_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("producer_contact", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("producer_phone", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("producer_division", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("producer_customs", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("export_inspected", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("export_trade_modes", sa.JSON(), nullable=False),
        sa.Column("reason_categories", sa.JSON(), nullable=False),
        sa.Column("specific_reasons", sa.JSON(), nullable=False),
        sa.Column("other_reason_text", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("reason_detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unified_no", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submission_round", sa.Integer(), nullable=False),
        sa.Column("accepted_round", sa.Integer(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unified_no"),
    )
    with op.batch_alter_table("return_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_scope_consignee_code", ["enterprise_uscc", "consignee_code"], unique=False
        )
        batch_op.create_index(
            "ix_record_scope_consignee_uscc", ["enterprise_uscc", "consignee_uscc"], unique=False
        )
        batch_op.create_index(
            "ix_record_scope_import", ["enterprise_uscc", "import_decl_no"], unique=False
        )
        batch_op.create_index(
            "ix_record_scope_producer_code", ["enterprise_uscc", "producer_code"], unique=False
        )
        batch_op.create_index(
            "ix_record_scope_producer_uscc", ["enterprise_uscc", "producer_uscc"], unique=False
        )
        batch_op.create_index(
            "ix_record_scope_status_time",
            ["enterprise_uscc", "status", "updated_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_record_scope_time", ["enterprise_uscc", "updated_at", "id"], unique=False
        )

    op.create_table(
        "unified_no_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("doc_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["return_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["blob.sha256"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "sha256"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_record_id"), ["record_id"], unique=False)

    op.create_table(
        "goods_row",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hs_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("reg_category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("goods_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("amount", sqlmodel.sql.sqltypes.AutoString(length=25), nullable=True),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("quantity", sqlmodel.sql.sqltypes.AutoString(length=25), nullable=True),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("weight", sqlmodel.sql.sqltypes.AutoString(length=25), nullable=True),
        sa.Column("weight_unit", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("industrial", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["return_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "seq"),
    )
    with op.batch_alter_table("goods_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goods_row_record_id"), ["record_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["return_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["return_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "receipt_id"),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_record_id"), ["record_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_record_id"))

    op.drop_table("receipt")
    op.drop_table("outbox")
    with op.batch_alter_table("goods_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_row_record_id"))

    op.drop_table("goods_row")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_record_id"))

    op.drop_table("attachment")
    op.drop_table("unified_no_counter")
    with op.batch_alter_table("return_record", schema=None) as batch_op:
        batch_op.drop_index("ix_record_scope_time")
        batch_op.drop_index("ix_record_scope_status_time")
        batch_op.drop_index("ix_record_scope_producer_uscc")
        batch_op.drop_index("ix_record_scope_producer_code")
        batch_op.drop_index("ix_record_scope_import")
        batch_op.drop_index("ix_record_scope_consignee_uscc")
        batch_op.drop_index("ix_record_scope_consignee_code")

    op.drop_table("return_record")
    op.drop_table("gateway_cursor")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index("ix_draft_owner")

    op.drop_table("draft")
    op.drop_table("blob")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_unified_no"))

    op.drop_table("audit_entry")
