"""applicant-office threads, enquiries and the ids of messages sent to groups (issue 13)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 00:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "threads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("office_code", sa.String(length=4), nullable=True),
        sa.Column("line_user_id", sa.String(length=64), nullable=True),
        sa.Column("nickname", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.String(length=20), nullable=True),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("number", name="uq_threads_number"),
        sa.UniqueConstraint("case_id", name="uq_threads_case_id"),
    )
    op.create_index("ix_threads_office_code", "threads", ["office_code"])
    op.create_index("ix_threads_line_user_id", "threads", ["line_user_id"])
    op.create_index("ix_threads_status_waiting", "threads", ["status", "waiting_since"])
    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("thread_id", sa.Integer(), sa.ForeignKey("threads.id"), nullable=False),
        sa.Column("sender", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.Column("staff_name", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outbox_id", sa.String(length=36), nullable=True),
    )
    op.create_index("ix_thread_messages_thread_id", "thread_messages", ["thread_id"])
    op.create_index("ix_thread_messages_outbox_id", "thread_messages", ["outbox_id"])
    op.create_table(
        "sent_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("line_message_id", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("outbox_id", sa.String(length=36), nullable=True),
        sa.Column("thread_message_id", sa.Integer(), sa.ForeignKey("thread_messages.id"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sent_messages_line_message_id", "sent_messages", ["line_message_id"])
    op.create_index("ix_sent_messages_outbox_id", "sent_messages", ["outbox_id"])
    op.create_index("ix_sent_messages_thread_message_id", "sent_messages", ["thread_message_id"])


def downgrade() -> None:
    op.drop_table("sent_messages")
    op.drop_table("thread_messages")
    op.drop_table("threads")
