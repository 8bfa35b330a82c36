"""The webhook's hot path in SQLAlchemy Core: recording an event and locking, saving or
deleting a conversation, each one prebuilt statement executed with bound parameters.

Every event runs these, so they avoid the ORM's unit of work and statement building per call
(`python -m bench.run` showed those costing more than the NLU and the dialogue together).
The statements are built once per dialect, on first use; nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from models.schema import Conversation, InboundEvent

_events = InboundEvent.__table__
_conversations = Conversation.__table__


@dataclass
class ConversationRow:
    """One user's conversation as the handler sees it while the row is locked."""

    id: int
    state: dict[str, Any]
    flood_tokens: float
    flood_checked_at: datetime | None
    last_activity_at: datetime


@dataclass(frozen=True)
class _Statements:
    record_event: Any
    lock_conversation: Any
    create_conversation: Any
    save_conversation: Any
    delete_conversation: Any


@cache
def _statements(dialect: str) -> _Statements:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = (
        _conversations.c.id,
        _conversations.c.state,
        _conversations.c.flood_tokens,
        _conversations.c.flood_checked_at,
        _conversations.c.last_activity_at,
    )
    return _Statements(
        record_event=insert(_events)
        .on_conflict_do_nothing(index_elements=["webhook_event_id"])
        .returning(_events.c.id),
        # SELECT … FOR UPDATE on PostgreSQL; SQLite has no row locks (the compiler leaves the
        # clause out) and needs none: its write transaction is exclusive (`BEGIN IMMEDIATE`).
        lock_conversation=select(*columns)
        .where(_conversations.c.line_user_id == bindparam("user_id"))
        .with_for_update(),
        # A new user's row: a concurrent first message of the same user conflicts here and
        # then waits on the lock above instead.
        create_conversation=insert(_conversations)
        .on_conflict_do_nothing(index_elements=["line_user_id"])
        .returning(*columns),
        save_conversation=update(_conversations)
        .where(_conversations.c.id == bindparam("row_id"))
        .values(
            state=bindparam("state"),
            flood_tokens=bindparam("flood_tokens"),
            flood_checked_at=bindparam("flood_checked_at"),
            last_activity_at=bindparam("last_activity_at"),
            updated_at=bindparam("updated_at"),
        ),
        delete_conversation=delete(_conversations).where(_conversations.c.id == bindparam("row_id")),
    )


def record_event(connection: Connection, **values: Any) -> bool:
    """Insert an `inbound_events` row; False when its `webhook_event_id` is already there
    (a redelivery). The unique constraint decides, so concurrent redeliveries are safe."""
    statements = _statements(connection.dialect.name)
    return connection.execute(statements.record_event, values).first() is not None


def lock_conversation(connection: Connection, user_id: str, *, now: datetime, flood_tokens: float) -> ConversationRow:
    """The user's conversation, created when new, locked until the transaction ends."""
    statements = _statements(connection.dialect.name)
    row = connection.execute(statements.lock_conversation, {"user_id": user_id}).first()
    if row is None:
        row = connection.execute(
            statements.create_conversation,
            {
                "line_user_id": user_id,
                "state": {},
                "flood_tokens": flood_tokens,
                "flood_checked_at": now,
                "last_activity_at": now,
                "created_at": now,
                "updated_at": now,
            },
        ).first()
    if row is None:  # created by a concurrent transaction a moment ago: wait for its lock
        row = connection.execute(statements.lock_conversation, {"user_id": user_id}).one()
    return ConversationRow(
        id=row.id,
        state=dict(row.state or {}),
        flood_tokens=row.flood_tokens,
        flood_checked_at=row.flood_checked_at,
        last_activity_at=row.last_activity_at,
    )


def save_conversation(connection: Connection, row: ConversationRow, *, now: datetime) -> None:
    connection.execute(
        _statements(connection.dialect.name).save_conversation,
        {
            "row_id": row.id,
            "state": row.state,
            "flood_tokens": row.flood_tokens,
            "flood_checked_at": row.flood_checked_at,
            "last_activity_at": row.last_activity_at,
            "updated_at": now,
        },
    )


def delete_conversation(connection: Connection, row: ConversationRow) -> None:
    connection.execute(_statements(connection.dialect.name).delete_conversation, {"row_id": row.id})
