"""What every webhook event does first: record the event under its unique `webhookEventId`,
and, for a 1:1 message, lock the sender's conversation for the rest of the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.schema import Conversation, InboundEvent


def _insert(session: Session, table: type[InboundEvent] | type[Conversation]) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT, which knows ON CONFLICT."""
    return postgresql.insert(table) if session.get_bind().dialect.name == "postgresql" else sqlite.insert(table)


def record_event(
    session: Session,
    *,
    webhook_event_id: str,
    event_type: str,
    source_type: str | None,
    source_id: str | None,
    mode: str,
    outcome: str,
    received_at: datetime,
) -> bool:
    """Insert the event's row; False when its `webhook_event_id` is already there (a
    redelivery). The unique constraint decides, so concurrent redeliveries are safe."""
    statement = (
        _insert(session, InboundEvent)
        .values(
            webhook_event_id=webhook_event_id,
            event_type=event_type,
            source_type=source_type,
            source_id=source_id,
            mode=mode,
            outcome=outcome,
            received_at=received_at,
        )
        .on_conflict_do_nothing(index_elements=["webhook_event_id"])
        .returning(InboundEvent.id)
    )
    return session.execute(statement).first() is not None


def lock_conversation(session: Session, user_id: str, *, now: datetime, flood_tokens: float) -> Conversation:
    """The user's conversation, created when new, locked until the transaction ends
    (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has no row locks and needs none: its write
    transaction is exclusive, see `models.db`)."""
    query = select(Conversation).where(Conversation.line_user_id == user_id).with_for_update()
    found = session.scalars(query).first()
    if found is not None:
        return found
    # A concurrent first message of the same user conflicts here, and then waits on the lock.
    session.execute(
        _insert(session, Conversation)
        .values(
            line_user_id=user_id,
            state={},
            flood_tokens=flood_tokens,
            flood_checked_at=now,
            last_activity_at=now,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["line_user_id"])
    )
    return session.scalars(query).one()
