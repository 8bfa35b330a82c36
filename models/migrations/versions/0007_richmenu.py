"""rich menus per user state; demo office data marked (issue 13)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rich_menus",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("rich_menu_id", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Local mode's demo directory fills offices' contact fields; this marks the rows it filled,
    # so their values are never shown outside local mode and a real import replaces them.
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("demo")
    op.drop_table("rich_menus")
