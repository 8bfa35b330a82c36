"""staff console: sign-in links, audit, transfers, and the indexes its lists and figures use (issue 14)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 00:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FIGURE_COLUMNS = ["district_code", "status", "accepted_at", "compulsory_age", "reason", "age", "next_level"]
CASE_INDEXES = {
    "ix_cases_status_created": ["status", "created_at"],
    "ix_cases_office_status_created": ["office_code", "status", "created_at"],
    "ix_cases_reason_office_created": ["reason", "office_code", "created_at"],
}
COMPULSORY_OPEN = "compulsory_age AND status IN ('new', 'accepted', 'contacted')"
COMPULSORY_OPEN_SQLITE = "compulsory_age = 1 AND status IN ('new', 'accepted', 'contacted')"
PARTIAL_INDEXES = {
    "ix_cases_compulsory_open_office": ["office_code", "created_at"],
    "ix_cases_compulsory_open_created": ["created_at"],
}


def upgrade() -> None:
    op.create_table(
        "console_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scope_kind", sa.String(length=10), nullable=False),
        sa.Column("scope_code", sa.String(length=4), nullable=True),
        sa.Column("issued_to", sa.String(length=120), nullable=False),
        sa.Column("issued_to_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=True),
    )
    op.create_index("ix_console_audit_at", "console_audit", ["at"])
    op.create_index("ix_console_audit_case_id", "console_audit", ["case_id"])
    op.create_table(
        "case_transfers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("from_office", sa.String(length=4), nullable=True),
        sa.Column("to_office", sa.String(length=4), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_transfers_case_id", "case_transfers", ["case_id"])
    op.create_index("ix_case_transfers_to_office", "case_transfers", ["to_office"])
    # A province's figures come from this index alone on PostgreSQL (INCLUDE; SQLite ignores it).
    op.create_index(
        "ix_cases_province_created", "cases", ["province_code", "created_at"], postgresql_include=FIGURE_COLUMNS
    )
    op.create_index("ix_cases_created", "cases", ["created_at"], postgresql_include=["province_code", *FIGURE_COLUMNS])
    for name, columns in CASE_INDEXES.items():
        op.create_index(name, "cases", columns)
    op.create_index(
        "ix_cases_new_office",
        "cases",
        ["office_code", "created_at"],
        postgresql_where=sa.text("status = 'new'"),
        sqlite_where=sa.text("status = 'new'"),
    )
    for name, columns in PARTIAL_INDEXES.items():
        op.create_index(
            name,
            "cases",
            columns,
            postgresql_where=sa.text(COMPULSORY_OPEN),
            sqlite_where=sa.text(COMPULSORY_OPEN_SQLITE),
        )


def downgrade() -> None:
    extra = ["ix_cases_province_created", "ix_cases_created", "ix_cases_new_office"]
    for name in [*extra, *CASE_INDEXES, *PARTIAL_INDEXES]:
        op.drop_index(name, table_name="cases")
    op.drop_table("case_transfers")
    op.drop_table("console_audit")
    op.drop_table("console_tokens")
