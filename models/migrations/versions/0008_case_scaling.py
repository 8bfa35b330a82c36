"""cases at scale: the group queues', pending referrals' and reminders' indexes; nickname search by trigrams (issue 14)

At 1,000,000 cases each of these reads was a scan of most of `cases` (EXPLAIN ANALYZE on
`make bench-console`'s database): `เรื่องค้าง` in the admin group (0.5 s, twice per message) and
in a provincial group (0.1 s count + 0.4 s list), the cases waiting for a group when one links
(0.5 s), the worker's overdue check once every overdue case is escalated, and the console's
nickname search over a province or the country (0.6-0.9 s); the overdue count of the whole
country's list filtered by reason read ~16,000 cases (50-150 ms). A district office's `เรื่องค้าง`
reads its own few hundred cases through ix_cases_office_status_created (0006).

The trigram index needs the pg_trgm extension (in PostgreSQL's contrib, trusted since 13: the
database owner may create it). Where it cannot be created, the index is left out and the search
reads the scope's cases as before; SQLite has no such index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 04:20:00
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

OPEN_CASES = "status IN ('new', 'accepted', 'contacted')"
ADMIN_QUEUE = OPEN_CASES + " AND (delivered_to = 'admin' OR delivery_status = 'pending')"
PENDING_DELIVERY = "delivery_status = 'pending'"
UNESCALATED = "status = 'new' AND escalated_at IS NULL"
QUEUE_ORDER: list[str | sa.TextClause] = [sa.text("(status <> 'new')"), "id"]
PARTIAL: dict[str, tuple[list[str | sa.TextClause], str]] = {
    "ix_cases_open_province_queue": (["province_code", *QUEUE_ORDER], OPEN_CASES),
    "ix_cases_admin_queue": (QUEUE_ORDER, ADMIN_QUEUE),
    "ix_cases_pending_delivery": (["province_code", "district_code"], PENDING_DELIVERY),
    "ix_cases_new_reason": (["reason", "created_at"], "status = 'new'"),
    "ix_cases_unescalated": (["id"], UNESCALATED),
}
NAME_SEARCH_INDEX = "ix_cases_name_trgm"


def _trigrams_available() -> bool:
    """pg_trgm created (or already there); False when this server or role cannot have it."""
    bind = op.get_bind()
    if not bind.scalar(sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")):
        log.warning("pg_trgm is not available on this server: the console's nickname search goes without an index")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm could not be created (%s): the console's nickname search goes without an index", exc)
        return False
    return True


def upgrade() -> None:
    for name, (columns, where) in PARTIAL.items():
        op.create_index(name, "cases", columns, postgresql_where=sa.text(where), sqlite_where=sa.text(where))
    if op.get_bind().dialect.name == "postgresql" and _trigrams_available():
        op.create_index(
            NAME_SEARCH_INDEX,
            "cases",
            [sa.text("lower(name) gin_trgm_ops")],
            postgresql_using="gin",
        )


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {NAME_SEARCH_INDEX}")
    for name in PARTIAL:
        op.drop_index(name, table_name="cases")
