"""The migrations build exactly the schema the models describe, and keep data across revisions."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from models import Base, Case, Database, OutboxMessage, migrate
from models.outbox import enqueue

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def _case(session, **values) -> Case:
    case = Case(status="new", created_at=NOW, province_code="52", district_code="5208", **values)
    session.add(case)
    session.flush()
    return case


def test_one_referral_on_its_way_or_delivered_per_case(db):
    with db.transaction() as tx:
        session = tx.session
        case_id = _case(session).id
        enqueue(session, "Cgroup1", [{"type": "text", "text": "การ์ด"}], kind="referral", now=NOW, case_id=case_id)
    with pytest.raises(IntegrityError), db.transaction() as tx:
        session = tx.session
        enqueue(session, "Cgroup2", [{"type": "text", "text": "การ์ด"}], kind="referral", now=NOW, case_id=case_id)
    # A failed push may be followed by one to the next group; reminders are separate rows.
    with db.transaction() as tx:
        session = tx.session
        (row,) = session.scalars(select(OutboxMessage)).all()
        row.status = "failed"
        session.flush()
        enqueue(session, "Cgroup2", [{"type": "text", "text": "การ์ด"}], kind="referral", now=NOW, case_id=case_id)
        enqueue(session, "Cgroup2", [{"type": "text", "text": "เตือน"}], kind="reminder", now=NOW, case_id=case_id)
    with db.transaction(write=False) as tx:
        session = tx.session
        assert sorted((r.kind, r.status) for r in session.scalars(select(OutboxMessage))) == [
            ("referral", "failed"),
            ("referral", "pending"),
            ("reminder", "pending"),
        ]


def test_upgrade_from_0001_backfills_delivery_times(database_url, request):
    if database_url.startswith("sqlite"):
        url = database_url.replace("test.sqlite3", "old.sqlite3")
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    database = Database(url)
    try:
        migrate(database, "0001")
        delivered = datetime(2026, 11, 30, 5, 0)
        # Raw SQL: SQLite stores naive UTC (as `UTCDateTime` does); PostgreSQL gets the zone.
        raw = (
            (lambda moment: moment)
            if url.startswith("sqlite")
            else (lambda moment: moment.replace(tzinfo=timezone.utc))
        )
        with database.engine.begin() as conn:
            for case_id, status in ((1, "delivered"), (2, "pending")):
                conn.execute(
                    text(
                        "INSERT INTO cases (id, status, compulsory_age, delivery_status, created_at) "
                        "VALUES (:id, 'new', false, :status, :created)"
                    ),
                    {"id": case_id, "status": status, "created": raw(datetime(2026, 11, 29, 5, 0))},
                )
            conn.execute(
                text(
                    'INSERT INTO outbox (id, "to", messages, kind, case_id, status, attempts, next_attempt_at, '
                    "created_at, delivered_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Cg', '[]', "
                    "'referral', 1, 'delivered', 1, :t, :t, :t)"
                ),
                {"t": raw(delivered)},
            )
        migrate(database)
        with database.transaction(write=False) as tx:
            session = tx.session
            one, two = session.get(Case, 1), session.get(Case, 2)
        assert one.delivered_at == delivered.replace(tzinfo=timezone.utc)
        assert two.delivered_at is None
    finally:
        database.dispose()
