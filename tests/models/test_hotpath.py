"""The webhook's hot-path statements, against each backend."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Conversation
from models.hotpath import lock_conversation, record_event, record_event_and_lock, save_conversation

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
USER = "U" + "7" * 32


def _event(event_id: str) -> dict:
    return {
        "webhook_event_id": event_id,
        "event_type": "message",
        "source_type": "user",
        "source_id": USER,
        "mode": "active",
        "outcome": "handled",
        "received_at": NOW,
    }


def test_a_locked_turn_round_trips_through_the_orm(db):
    with db.unit() as unit:
        row = lock_conversation(unit.connection, USER, now=NOW, flood_tokens=6.0)
        assert row.state == {} and row.flood_tokens == 6.0
        row.state = {"stage": "ask_name", "slots": {"age": 17}}
        save_conversation(unit.connection, row, now=NOW + timedelta(seconds=1))
        assert record_event(unit.connection, **_event("e1"))
    with db.unit() as unit:
        assert not record_event(unit.connection, **_event("e1")), "a redelivery is refused"
    with db.read() as session:
        stored = session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).one()
        assert stored.state == {"stage": "ask_name", "slots": {"age": 17}}
        assert stored.updated_at.replace(tzinfo=timezone.utc) == NOW + timedelta(seconds=1)


def test_a_driver_error_comes_out_as_sqlalchemys(db):
    # Callers catch SQLAlchemy's exception tree (e.g. `connection_invalidated` to retry),
    # whichever driver ran the statement.
    with pytest.raises(IntegrityError):
        with db.unit() as unit:
            record_event(unit.connection, **{**_event("e2"), "event_type": None})
    with db.unit() as unit:
        assert record_event(unit.connection, **_event("e2")), "the failed statement left nothing behind"


def test_recording_a_dialogue_event_locks_its_conversation_and_a_redelivery_locks_nothing(db):
    # New user: the event is recorded and a fresh conversation made (and locked).
    with db.unit() as unit:
        first = record_event_and_lock(unit.connection, USER, now=NOW, flood_tokens=6.0, **_event("e3"))
        assert first is not None and first.state == {} and first.flood_tokens == 6.0
        first.state = {"stage": "collecting", "slots": {"name": "ต้น"}}
        save_conversation(unit.connection, first, now=NOW)
    # Known user: the same row comes back with what was saved.
    with db.unit() as unit:
        again = record_event_and_lock(unit.connection, USER, now=NOW, flood_tokens=6.0, **_event("e4"))
        assert again is not None and again.id == first.id
        assert again.state == {"stage": "collecting", "slots": {"name": "ต้น"}}
    # A redelivery: nothing recorded twice, no conversation handed out.
    with db.unit() as unit:
        assert record_event_and_lock(unit.connection, USER, now=NOW, flood_tokens=6.0, **_event("e4")) is None
        assert not record_event(unit.connection, **_event("e3"))
    with db.read() as session:
        assert len(session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).all()) == 1


def _postgres_only(db) -> None:
    if not db.is_postgres:
        pytest.skip("PostgreSQL runs the hot path on libpq; SQLite has no prepared statements to keep")


def test_the_hot_path_statements_outlive_a_rollback_on_their_connection(db):
    # psycopg would answer the rollback below with DEALLOCATE ALL had it prepared anything
    # itself (it does after 5 runs of a query), which would drop the hot path's statements
    # too; our engines have its automatic preparation off.
    _postgres_only(db)
    with db.unit() as unit:
        assert record_event(unit.connection, **_event("p1"))
    with pytest.raises(IntegrityError):  # a failed unit hands its connection back to the pool
        with db.unit() as unit:
            record_event(unit.connection, **{**_event("p2"), "event_type": None})
    with db.read() as session:  # the same connection, from the pool
        for _ in range(8):
            session.scalars(select(Conversation.id).where(Conversation.line_user_id == USER)).all()
    with db.unit() as unit:  # and the same again
        assert record_event(unit.connection, **_event("p3"))
        assert lock_conversation(unit.connection, USER, now=NOW, flood_tokens=6.0).state == {}


def test_a_unit_whose_statement_failed_is_not_committed(db):
    # The unit commits on libpq itself; PostgreSQL answers COMMIT of a failed transaction
    # with ROLLBACK, and that must not pass for a commit.
    _postgres_only(db)
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError):
        with db.unit() as unit:
            assert record_event(unit.connection, **_event("f1"))
            with pytest.raises(IntegrityError):
                record_event(unit.connection, **{**_event("f2"), "event_type": None})
            # the caller swallowed the error and carries on to the end of the unit
    with db.unit() as unit:
        assert record_event(unit.connection, **_event("f1")), "nothing of the failed unit was kept"
