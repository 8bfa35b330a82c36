"""Recording an event and locking its sender's conversation, against each backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Conversation, InboundEvent
from models.inbound import delete_conversation, lock_conversation, record_event, save_conversation

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
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


def test_a_locked_conversation_round_trips_and_a_redelivery_is_refused(db):
    with db.transaction() as tx:
        session = tx.session
        row = lock_conversation(session, USER, now=NOW, flood_tokens=6.0)
        assert row.state == {} and row.flood_tokens == 6.0
        row.state = {"stage": "ask_name", "slots": {"age": 17}}
        row.updated_at = NOW + timedelta(seconds=1)
        save_conversation(session, row)
        row.flood_tokens = 1.0  # not saved again: stays as stored
        assert record_event(session, **_event("e1"))
    with db.transaction() as tx:
        session = tx.session
        assert not record_event(session, **_event("e1")), "a redelivery is refused"
        again = lock_conversation(session, USER, now=NOW, flood_tokens=6.0)
        assert again.id == row.id and again.state == {"stage": "ask_name", "slots": {"age": 17}}
        assert again.flood_tokens == 6.0
    with db.transaction(write=False) as tx:
        session = tx.session
        stored = session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).one()
        assert stored.updated_at == NOW + timedelta(seconds=1)
        assert session.scalars(select(InboundEvent.webhook_event_id)).all() == ["e1"]


def test_a_failed_transaction_leaves_nothing_behind(db):
    with pytest.raises(IntegrityError), db.transaction() as tx:
        session = tx.session
        assert record_event(session, **_event("e2"))
        record_event(session, **{**_event("e3"), "event_type": None})
    with db.transaction() as tx:
        session = tx.session
        assert record_event(session, **_event("e2")), "the failed transaction was rolled back whole"


def test_a_conversation_is_made_once_per_user(db):
    with db.transaction() as tx:
        session = tx.session
        first = lock_conversation(session, USER, now=NOW, flood_tokens=6.0)
        assert lock_conversation(session, USER, now=NOW, flood_tokens=1.0).id == first.id
    with db.transaction(write=False) as tx:
        session = tx.session
        assert len(session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).all()) == 1


def test_reads_see_committed_work_and_leave_no_transaction_open(db):
    with db.transaction() as tx:
        session = tx.session
        record_event(session, **_event("e4"))
    with db.transaction(write=False) as tx:
        session = tx.session
        event = session.scalars(select(InboundEvent)).one()
    assert event.webhook_event_id == "e4", "what was read stays usable after the read"
    with db.transaction() as tx:  # a write right after a read does not wait on it
        session = tx.session
        assert record_event(session, **_event("e5"))


def test_an_event_of_a_chat_with_events_in_the_backlog_is_not_recorded(db):
    from models import WebhookBacklog
    from models.inbound import Recorded

    with db.transaction() as tx:
        session = tx.session
        assert record_event(session, **_event("b1"), unless_backlog_of=USER) is Recorded.RECORDED
        assert record_event(session, **_event("b1"), unless_backlog_of=USER) is Recorded.DUPLICATE
        session.add(WebhookBacklog(webhook_event_id="b0", source_id=USER, event={}, received_at=NOW, attempts=0))
        session.flush()
        backlogged = record_event(session, **_event("b2"), unless_backlog_of=USER)
        assert backlogged is Recorded.BACKLOGGED and not backlogged
        other = "U" + "8" * 32
        assert record_event(session, **{**_event("b3"), "source_id": other}, unless_backlog_of=other) is (
            Recorded.RECORDED
        ), "another chat's backlog holds nothing back"
    with db.transaction(write=False) as tx:
        session = tx.session
        assert sorted(session.scalars(select(InboundEvent.webhook_event_id)).all()) == ["b1", "b3"]


def test_a_turn_saves_over_orm_changes_made_earlier_in_its_transaction(db):
    """An effect may change the ORM `Conversation` (handlers.threads.set_fact) in the same
    transaction: it is flushed first and the turn's own values, saved last, win."""
    with db.transaction() as tx:
        session = tx.session
        row = lock_conversation(session, USER, now=NOW, flood_tokens=6.0)
        orm = session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).one()
        orm.state = {"facts": {"thread": 1}}
        orm.flood_tokens = 2.0
        row.state = {"stage": "done"}
        save_conversation(session, row)
    with db.transaction(write=False) as tx:
        session = tx.session
        stored = session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).one()
        assert stored.state == {"stage": "done"} and stored.flood_tokens == 6.0


def test_a_deleted_conversation_is_gone(db):
    with db.transaction() as tx:
        session = tx.session
        row = lock_conversation(session, USER, now=NOW, flood_tokens=6.0)
        delete_conversation(session, row)
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalars(select(Conversation).where(Conversation.line_user_id == USER)).all() == []
