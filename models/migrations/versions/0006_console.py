"""staff console: sign-in links, sessions, audit, transfers (issue 14)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 00:50:00
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
