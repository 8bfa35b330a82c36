"""The one transaction API (`models.Database.transaction`) on each backend."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


# --- bounded lock waits (the webhook's events: issue 10 §5) ------------------------------------


def test_a_timed_file_lock_is_taken_when_free_gives_up_at_its_deadline_and_wakes_on_release(tmp_path):
    import fcntl
    import os

    from models.db import LockTimeout, flock_until

    path = str(tmp_path / "db.writelock")
    holder = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        began = time.monotonic()
        with pytest.raises(LockTimeout):
            flock_until(path, began + 0.2)
        waited = time.monotonic() - began
        assert 0.2 <= waited < 0.4, f"gave up after {waited:.3f}s"

        # Released while it waits: taken at once (a few milliseconds), not at the deadline. The
        # wait given up on above gets the lock first and lets it go at once.
        threading.Timer(0.1, lambda: fcntl.flock(holder, fcntl.LOCK_UN)).start()
        began = time.monotonic()
        waiter = flock_until(path, began + 5)
        took = time.monotonic() - began
        assert 0.09 < took < 0.2, f"took {took:.3f}s"
        with pytest.raises(BlockingIOError):
            fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the waiter has it now
        os.close(waiter)

        # Past its deadline, a free lock is still tried once, and taken.
        os.close(flock_until(path, time.monotonic() - 1))
    finally:
        os.close(holder)


def _lock_wait_setting(db: Database) -> str:
    with db.transaction(write=False) as tx:
        query = "SHOW lock_timeout" if db.is_postgres else "PRAGMA busy_timeout"
        return str(tx.connection.exec_driver_sql(query).scalar())


@contextmanager
def _first_writer_holding(db: Database) -> Iterator[threading.Event]:
    """Another thread's write transaction, holding its row "first" until the yielded event is set
    (at the end of the block, at the latest)."""
    started, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.transaction() as tx:
            _record(tx.connection, "first")
            started.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(10)
        yield release
    finally:
        release.set()
        thread.join(10)


def test_a_bounded_writer_gives_up_on_a_held_lock_in_time_and_writes_nothing(database_url):
    """Another thread's write transaction holds what a second writer needs (SQLite: the writer
    lock; PostgreSQL: the unique index entry of the same event). With a `lock_deadline` the
    second gives up by then (`LockTimeout`), rolled back; transactions without one get their
    long waits back on the same pooled connections."""
    from models.db import LockTimeout

    db = Database(database_url)
    default = _lock_wait_setting(db)
    with _first_writer_holding(db):
        began = time.monotonic()
        with pytest.raises(LockTimeout), db.transaction(lock_deadline=began + 0.35) as tx:
            _record(tx.connection, "second")
            _record(tx.connection, "first")
        waited = time.monotonic() - began
        assert 0.15 < waited < 0.6, f"gave up after {waited:.3f}s"
    try:
        assert _count(db) == 1, "the bounded writer's rows were rolled back"
        for _ in range(3):  # every pooled connection is back to the default
            assert _lock_wait_setting(db) == default
            with db.transaction() as tx:
                assert not _record(tx.connection, "first")
    finally:
        db.dispose()


def test_a_bounded_writer_with_time_left_waits_its_turn(database_url):
    """A lock released before the deadline is taken: the bounded writer goes on."""
    db = Database(database_url)
    try:
        with _first_writer_holding(db) as release:
            threading.Timer(0.2, release.set).start()
            with db.transaction(lock_deadline=time.monotonic() + 5) as tx:
                assert not _record(tx.connection, "first"), "it waited, then found the first writer's row"
                _record(tx.connection, "second")
        assert _count(db) == 2
    finally:
        db.dispose()


def test_sqlite_busy_wait_is_bounded_too_and_set_back_after(database_url):
    """A writer outside the app's file lock (the sqlite3 shell, a script) holds SQLite's write
    lock: a bounded transaction waits in SQLite's busy handler until its deadline only, and
    the pooled connection gets SQLite's long busy timeout back for the next transaction."""
    import sqlite3

    from sqlalchemy.engine import make_url

    from models.db import SQLITE_BUSY_TIMEOUT_MS, LockTimeout

    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's busy handler")
    db = Database(database_url)
    outside = sqlite3.connect(str(make_url(database_url).database), isolation_level=None)
    try:
        outside.execute("BEGIN IMMEDIATE")
        began = time.monotonic()
        with pytest.raises(LockTimeout), db.transaction(lock_deadline=began + 0.35) as tx:
            _record(tx.connection, "blocked")
        waited = time.monotonic() - began
        assert 0.15 < waited < 0.6, f"gave up after {waited:.3f}s"
        outside.execute("ROLLBACK")
        assert _lock_wait_setting(db) == str(SQLITE_BUSY_TIMEOUT_MS)
        with db.transaction() as tx:
            assert _record(tx.connection, "after")
        assert _count(db) == 1
    finally:
        outside.close()
        db.dispose()


def test_a_bounded_transaction_gives_up_when_no_pooled_connection_is_free(database_url):
    """Every pooled PostgreSQL connection is held by slow work: a transaction with a
    `lock_deadline` gives up after `POOL_TIMEOUT_SECONDS` (`LockTimeout`) instead of waiting for
    one past LINE's 2 s; the pool's own error stays for callers without a deadline."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no connection pool to wait for")
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from models.db import POOL_TIMEOUT_SECONDS, LockTimeout, make_engine

    db = Database(database_url, engine=make_engine(database_url, pool_size=1))
    held = [db.engine.connect(), db.engine.connect()]  # the pool and its overflow
    try:
        began = time.monotonic()
        with pytest.raises(LockTimeout), db.transaction(lock_deadline=began + 1.5):
            pass
        waited = time.monotonic() - began
        assert POOL_TIMEOUT_SECONDS - 0.1 < waited < POOL_TIMEOUT_SECONDS + 0.5, f"gave up after {waited:.3f}s"
        with pytest.raises(PoolTimeout), db.transaction():
            pass
    finally:
        for connection in held:
            connection.close()
        db.dispose()
