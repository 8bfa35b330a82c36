"""outbox links for erasure, channel quota pause, atomic throttles, webhook backlog (issue 12)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 00:50:00
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_REF = re.compile(r"RT-\d{4}-\d{6}")


def upgrade() -> None:
    op.create_table(
        "outbox_subjects",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("outbox_id", sa.String(length=36), sa.ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("line_user_id", sa.String(length=64), nullable=True),
    )
    op.create_index("ix_outbox_subjects_outbox_id", "outbox_subjects", ["outbox_id"])
    op.create_index("ix_outbox_subjects_case_id", "outbox_subjects", ["case_id"])
    op.create_index("ix_outbox_subjects_line_user_id", "outbox_subjects", ["line_user_id"])
    op.create_table(
        "throttles",
        sa.Column("key", sa.String(length=100), primary_key=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "channel_state",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("noticed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice", sa.String(length=40), nullable=True),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "webhook_backlog",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("webhook_event_id", sa.String(length=64), nullable=True),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_webhook_backlog_source_id", "webhook_backlog", ["source_id"])
    _link_existing_rows()


def _link_existing_rows() -> None:
    """Rows written before this revision: linked to their case (the column) and to every case
    whose reference their messages quote, and to the user they were addressed to."""
    bind = op.get_bind()
    found = bind.execute(sa.text("SELECT ref, id FROM cases WHERE ref IS NOT NULL"))
    refs: dict[str, int] = {ref: case_id for ref, case_id in found}
    links = []
    for outbox_id, to, case_id, messages in bind.execute(sa.text('SELECT id, "to", case_id, messages FROM outbox')):
        body = messages if isinstance(messages, str) else json.dumps(messages, ensure_ascii=False)
        cases = {case_id} if case_id else set()
        cases |= {refs[ref] for ref in _REF.findall(body or "") if ref in refs}
        links += [{"outbox_id": outbox_id, "case_id": c, "line_user_id": None} for c in sorted(cases)]
        if to and to.startswith("U"):
            links.append({"outbox_id": outbox_id, "case_id": None, "line_user_id": to})
    if links:
        table = sa.table(
            "outbox_subjects",
            sa.column("outbox_id", sa.String),
            sa.column("case_id", sa.Integer),
            sa.column(
                "line_user_id",
                sa.String,
            ),
        )
        op.bulk_insert(table, links)


def downgrade() -> None:
    op.drop_index("ix_webhook_backlog_source_id", table_name="webhook_backlog")
    op.drop_table("webhook_backlog")
    op.drop_table("channel_state")
    op.drop_table("throttles")
    op.drop_index("ix_outbox_subjects_line_user_id", table_name="outbox_subjects")
    op.drop_index("ix_outbox_subjects_case_id", table_name="outbox_subjects")
    op.drop_index("ix_outbox_subjects_outbox_id", table_name="outbox_subjects")
    op.drop_table("outbox_subjects")
