"""delivery time on cases, staff ids on case events, one referral row per case

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 19:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ONE_REFERRAL_WHERE = "kind = 'referral' AND status IN ('pending', 'delivered')"


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_id", sa.String(length=64), nullable=True))
    # Cases delivered before this revision: the time their referral push was delivered.
    op.execute(
        "UPDATE cases SET delivered_at = (SELECT MAX(outbox.delivered_at) FROM outbox"
        " WHERE outbox.case_id = cases.id AND outbox.kind = 'referral' AND outbox.status = 'delivered')"
        " WHERE delivery_status = 'delivered'"
    )
    op.execute(
        "UPDATE cases SET delivered_at = created_at WHERE delivery_status = 'delivered' AND delivered_at IS NULL"
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "uq_outbox_one_referral_per_case",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text(ONE_REFERRAL_WHERE),
            postgresql_where=sa.text(ONE_REFERRAL_WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("uq_outbox_one_referral_per_case")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_column("actor_id")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("delivered_at")
