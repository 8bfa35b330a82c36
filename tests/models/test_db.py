"""The one transaction API (`models.Database.transaction`) on each backend."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from models import Database, InboundEvent
from models.inbound import record_event

NOW = datetime(2026, 12, 6, 2, 0, tzinfo=timezone.utc)


def _record(session, event_id: str) -> bool:
    return bool(
        record_event(
            session,
            webhook_event_id=event_id,
            event_type="message",
            source_type="user",
            source_id="U1",
            mode="active",
            outcome="handled",
            received_at=NOW,
        )
    )


def _count(db: Database) -> int:
    with db.transaction(write=False) as tx:
        session = tx.session
        return session.scalar(select(func.count()).select_from(InboundEvent)) or 0


def test_a_transaction_commits_when_it_ends_well_and_rolls_back_when_it_raises(db):
    with db.transaction() as tx:
        session = tx.session
        _record(session, "kept")
    with pytest.raises(RuntimeError), db.transaction() as tx:
        session = tx.session
        _record(session, "dropped")
        raise RuntimeError("a bug")
    assert _count(db) == 1


def test_a_unit_commits_its_core_and_orm_work_together_and_rolls_both_back_when_it_raises(db):
    from models import WebhookBacklog

    with db.transaction() as unit:
        _record(unit.connection, "core")
        unit.session.add(WebhookBacklog(webhook_event_id="orm", source_id="U1", event={}, received_at=NOW, attempts=0))
    with pytest.raises(RuntimeError), db.transaction() as unit:
        _record(unit.connection, "dropped")
        unit.session.add(WebhookBacklog(webhook_event_id="gone", source_id="U1", event={}, received_at=NOW, attempts=0))
        unit.flush()
        raise RuntimeError("a bug")
    assert _count(db) == 1
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalars(select(WebhookBacklog.webhook_event_id)).all() == ["orm"]


def test_a_unit_flush_puts_the_orm_work_before_the_next_core_statement(db):
    from models import WebhookBacklog

    with db.transaction() as unit:
        unit.session.add(WebhookBacklog(webhook_event_id="b", source_id="U1", event={}, received_at=NOW, attempts=0))
        unit.flush()
        waiting = unit.connection.scalar(select(func.count()).select_from(WebhookBacklog))
    assert waiting == 1


def test_a_read_changes_nothing(db):
    with db.transaction(write=False) as tx:
        session = tx.session
        _record(session, "read-only")
    assert _count(db) == 0


def test_reads_do_not_wait_for_a_writer_and_writers_queue(database_url):
    """Another thread's write transaction is open: a read goes ahead at once; a second
    writer waits its turn (SQLite: BEGIN IMMEDIATE and the writer lock; PostgreSQL: the
    unique index) and then finds the first writer's row."""
    db = Database(database_url)
    started, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.transaction() as tx:
            session = tx.session
            _record(session, "first")
            started.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(10)
        began = time.monotonic()
        assert _count(db) == 0, "the open transaction's row is not seen"
        assert time.monotonic() - began < 1.0, "a read does not wait for the writer"
        outcome: list[bool] = []
        second = threading.Thread(target=lambda: outcome.append(_second_writer(db)))
        second.start()
        time.sleep(0.3)
        assert second.is_alive(), "the second writer waits"
        release.set()
        second.join(10)
        assert outcome == [False], "after the first commits, the same event is a redelivery"
    finally:
        release.set()
        thread.join(10)
        db.dispose()


def _second_writer(db: Database) -> bool:
    with db.transaction() as tx:
        session = tx.session
        return _record(session, "first")


def test_postgresql_prepares_repeated_statements_itself(db):
    if not db.is_postgres:
        pytest.skip("psycopg only")
    with db.engine.connect() as connection:
        assert connection.connection.driver_connection.prepare_threshold is not None
