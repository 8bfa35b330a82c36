"""The webhook answers within 2 s even when the database keeps an event waiting (issue 10 §5):
another transaction holds the lock the event needs (a long console action, a stuck worker), on
a real SQLite file and a real PostgreSQL database. The event is filed in the webhook backlog
and answered 200 in time; after the lock is released the worker handles it exactly once, in
order with the chat's later message. If nothing can be written in time at all (the database
wholly locked), the answer is 500 in time, nothing is stored, and LINE's redelivery is handled
once."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, make_url

from bot.worker import drain
from handlers import events
from models import Database, InboundEvent, WebhookBacklog
from tests.support.line_events import base_event, text_message, texts_of, user_source

# LINE gives up on a webhook after 2 s.
LINE_WAITS_SECONDS = 2.0

Hold = Callable[[threading.Event, threading.Event], None]


@contextmanager
def held(hold: Hold) -> Iterator[Callable[[], None]]:
    """`hold(held, free)` run in a thread of its own: it takes a lock, sets `held`, and keeps the
    lock until `free` is set. Yields the release (it returns once the lock is let go)."""
    taken, free = threading.Event(), threading.Event()
    thread = threading.Thread(target=hold, args=(taken, free), daemon=True)
    thread.start()

    def release() -> None:
        free.set()
        thread.join(10)
        assert not thread.is_alive(), "the lock holder did not let go"

    try:
        assert taken.wait(10), "the lock was not taken"
        yield release
    finally:
        release()


def _in_a_transaction(url: str, lock: Callable[[Connection], object]) -> Hold:
    """A hold by one write transaction of the app's own kind, which first runs `lock` on its connection."""

    def hold(taken: threading.Event, free: threading.Event) -> None:
        db = Database(url)
        try:
            with db.transaction() as tx:
                lock(tx.connection)
                taken.set()
                free.wait(30)
        finally:
            db.dispose()

    return hold


def a_write_transaction(url: str) -> Hold:
    """The app's own kind of writer (another process's worker or console action): on SQLite it
    holds the writer file lock and SQLite's write lock."""

    return _in_a_transaction(url, lambda connection: connection.exec_driver_sql("SELECT 1"))


def an_outside_sqlite_writer(url: str) -> Hold:
    """A writer that does not queue on the app's file lock (the sqlite3 shell, a script): only
    SQLite's own lock, which the app waits for with SQLite's busy timeout."""

    def hold(taken: threading.Event, free: threading.Event) -> None:
        connection = sqlite3.connect(str(make_url(url).database), isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            taken.set()
            free.wait(30)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    return hold


def a_conversation_lock(url: str, user_id: str) -> Hold:
    """A PostgreSQL transaction holding the user's conversation row (`SELECT … FOR UPDATE`), as a
    staff action or the worker does before it changes a conversation."""

    def lock(connection: Connection) -> None:
        locked = connection.execute(
            text("SELECT id FROM conversations WHERE line_user_id = :user FOR UPDATE"), {"user": user_id}
        ).all()
        assert len(locked) == 1

    return _in_a_transaction(url, lock)


def a_locked_backlog(url: str) -> Hold:
    """A PostgreSQL transaction holding the webhook backlog table exclusively (a migration, say):
    every event checks it, and nothing can be filed in it."""

    return _in_a_transaction(url, lambda connection: connection.exec_driver_sql(
        "LOCK TABLE webhook_backlog IN ACCESS EXCLUSIVE MODE"
    ))


def _message(line, user_id: str, said: str) -> dict:
    return {
        **base_event("message", user_source(user_id), message=text_message(said)),
        "replyToken": line.fake.issue_reply_token(user_id),
    }


def _count(services, model, *where) -> int:
    with services.db.transaction(write=False) as tx:
        return tx.connection.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _timed_post(line, events_: list[dict]) -> tuple[int, float]:
    started = time.monotonic()
    response = line.post(events_)
    return response.status_code, time.monotonic() - started


@pytest.mark.parametrize("holder", ["app-writer", "outside-writer"])
def test_an_event_kept_waiting_for_its_chat_is_answered_in_time_and_handled_once_in_order(
    line, services, database_url, monkeypatch, holder
):
    postgres = services.db.is_postgres
    if postgres and holder == "outside-writer":
        pytest.skip("an outside writer is a SQLite case (PostgreSQL: row locks, the other case)")
    chat = line.user()
    chat.say("สวัสดีค่ะ")  # the conversation exists: there is a row to lock
    if postgres:
        hold = a_conversation_lock(database_url, chat.user_id)
    elif holder == "app-writer":
        hold = a_write_transaction(database_url)
    else:
        hold = an_outside_sqlite_writer(database_url)
    first, second = _message(line, chat.user_id, "อยากกลับไปเรียน"), _message(line, chat.user_id, "ยินยอม")

    with held(hold) as release:
        if not postgres:
            # SQLite has one writer at a time: the lock is let go once the event has waited its
            # share and is being filed (as a long transaction ends); PostgreSQL's row lock does
            # not stop the filing, and is kept until both messages are in.
            filed = events._filed_in_backlog

            def released_then_filed(*args, **kwargs):
                release()
                return filed(*args, **kwargs)

            monkeypatch.setattr(events, "_filed_in_backlog", released_then_filed)
        status, elapsed = _timed_post(line, [first])
        assert status == 200 and elapsed < LINE_WAITS_SECONDS, f"{status} after {elapsed:.2f}s"
        assert elapsed > 0.5, "the event did wait for the lock (the test holds the right one)"
        assert _count(services, WebhookBacklog) == 1, "filed for the worker"
        assert _count(services, InboundEvent, InboundEvent.webhook_event_id == first["webhookEventId"]) == 0
        # The chat's next message queues behind it, and is answered at once.
        status, elapsed = _timed_post(line, [second])
        assert status == 200 and elapsed < LINE_WAITS_SECONDS, f"{status} after {elapsed:.2f}s"
        assert _count(services, WebhookBacklog) == 2
        assert len(line.fake.sent(chat.user_id)) == 1, "only the greeting is answered yet"

    drain(services)
    assert _count(services, WebhookBacklog) == 0
    with services.db.transaction(write=False) as tx:
        recorded = tx.connection.execute(
            select(InboundEvent.webhook_event_id, InboundEvent.outcome)
            .where(InboundEvent.source_id == chat.user_id)
            .order_by(InboundEvent.id)
        ).all()
    assert [row[0] for row in recorded[1:]] == [first["webhookEventId"], second["webhookEventId"]], "once, in order"
    assert {row[1] for row in recorded} == {"handled"}
    replies = [texts_of(sent.messages) for sent in line.fake.sent(chat.user_id)]
    assert len(replies) == 3
    # In order: the first asked for consent, the second took it (nothing asked for it again).
    assert "ยินยอม" in replies[1] and "ขัดข้อง" not in replies[1] + replies[2]
    assert "ยินยอม" not in replies[2]


def test_a_wholly_locked_database_is_answered_500_in_time_and_the_redelivery_handled_once(line, services, database_url):
    chat = line.user()
    chat.say("สวัสดีค่ะ")
    hold = a_locked_backlog(database_url) if services.db.is_postgres else a_write_transaction(database_url)
    event = _message(line, chat.user_id, "อยากกลับไปเรียน")
    with held(hold):
        status, elapsed = _timed_post(line, [event])
        assert status == 500 and elapsed < LINE_WAITS_SECONDS, f"{status} after {elapsed:.2f}s"
    assert _count(services, WebhookBacklog) == 0
    assert _count(services, InboundEvent, InboundEvent.webhook_event_id == event["webhookEventId"]) == 0
    assert len(line.fake.sent(chat.user_id)) == 1, "no apology: LINE delivers the event again"
    # LINE's redelivery, the lock gone: handled, once.
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    status, elapsed = _timed_post(line, [redelivered])
    assert status == 200
    assert _count(services, InboundEvent, InboundEvent.webhook_event_id == event["webhookEventId"]) == 1
    replies = [texts_of(sent.messages) for sent in line.fake.sent(chat.user_id)]
    assert len(replies) == 2 and "ยินยอม" in replies[1]


def test_the_worker_keeps_its_long_wait_and_answers_once_the_lock_is_let_go(line, services, database_url, monkeypatch):
    """Only the webhook's waits are bounded: the worker, handling the backlog, waits for a lock
    held longer than any webhook wait, then handles the event (no apology)."""
    from bot import webhook

    chat = line.user()
    chat.say("สวัสดีค่ะ")
    monkeypatch.setattr(webhook, "DEFER_AFTER_SECONDS", 0.0)  # the event goes to the backlog
    assert line.post([_message(line, chat.user_id, "อยากกลับไปเรียน")]).status_code == 200
    monkeypatch.undo()
    assert _count(services, WebhookBacklog) == 1
    if services.db.is_postgres:
        hold = a_conversation_lock(database_url, chat.user_id)
    else:
        hold = a_write_transaction(database_url)
    worker = threading.Thread(target=drain, args=(services,), daemon=True)
    with held(hold):
        worker.start()
        worker.join(LINE_WAITS_SECONDS + 0.5)
        assert worker.is_alive(), "the worker waits for the lock"
        assert len(line.fake.sent(chat.user_id)) == 1
    worker.join(20)
    assert not worker.is_alive()
    assert _count(services, WebhookBacklog) == 0
    replies = [texts_of(sent.messages) for sent in line.fake.sent(chat.user_id)]
    assert len(replies) == 2 and "ยินยอม" in replies[1] and "ขัดข้อง" not in replies[1]
