"""What every webhook event does first: record the event under its unique `webhookEventId`,
and, for a 1:1 message, lock the sender's conversation for the rest of the transaction (and
write it back at the end of the turn)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import lru_cache
from typing import Any, Literal, overload

from sqlalchemy import Connection, Executable, Table, bindparam, delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.faults import WebhookBacklog
from models.schema import Conversation, InboundEvent

# Where the statements run: the event's `Transaction.connection` (the webhook), or an ORM session.
Executor = Connection | Session


def _dialect(executor: Executor) -> str:
    return executor.dialect.name if isinstance(executor, Connection) else executor.get_bind().dialect.name


def _flushed(executor: Executor) -> None:
    """An ORM session's pending changes written first (a Core statement does not autoflush).
    A connection has none; its unit's session is the caller's to flush (`Transaction.flush`)."""
    if isinstance(executor, Session):
        executor.flush()


class Recorded(Enum):
    """What `record_event` did with an event."""

    RECORDED = "recorded"
    DUPLICATE = "duplicate"  # its webhook_event_id is already recorded: a redelivery
    BACKLOGGED = "backlogged"  # its chat has events waiting in the webhook backlog: not recorded

    def __bool__(self) -> bool:
        return self is Recorded.RECORDED


@dataclass
class LockedConversation:
    """A user's conversation row as the user's own turn reads and writes it: plain values read
    by one Core `SELECT … FOR UPDATE` (`lock_conversation`) and written back by one prebuilt
    Core `UPDATE` (`save_conversation`), or deleted (`delete_conversation`).

    Not an ORM object on purpose: the turn holds the row's lock and is its only writer, so the
    ORM's identity map, attribute history and unit-of-work flush (about a third of a
    millisecond of CPU per message) buy nothing here. Changing a field changes nothing stored
    until `save_conversation`."""

    id: int
    line_user_id: str
    state: dict[str, Any]
    flood_tokens: float
    flood_checked_at: datetime | None
    answers_held_until: datetime | None
    last_activity_at: datetime
    created_at: datetime
    updated_at: datetime


# The columns a turn writes back (all of them but the keys, and `created_at`).
_SAVED_COLUMNS = ("state", "flood_tokens", "flood_checked_at", "answers_held_until", "last_activity_at", "updated_at")


@lru_cache(maxsize=8)
def _statements(dialect: str) -> tuple[Executable, Executable, Executable, Executable]:
    """The statements of every event, built once per dialect (their values are bound at
    execution): record an event, record it unless its chat has events in the backlog, lock a
    conversation, create a conversation."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # On the table (Core), not the mapped class: the row is never loaded as an object, and the
    # ORM's bulk-insert layer around an entity insert cost ~0.3 ms of CPU per event for nothing.
    events = InboundEvent.__table__
    assert isinstance(events, Table)
    record = (
        insert(events)
        .values({name: bindparam(name) for name in _EVENT_COLUMNS})
        .on_conflict_do_nothing(index_elements=["webhook_event_id"])
        .returning(events.c.id)
    )
    # The same insert, taken only while the chat has nothing waiting in the backlog: one
    # statement where a check and an insert would be two round trips on every event.
    backlog = WebhookBacklog.__table__
    assert isinstance(backlog, Table)
    unless_backlogged = (
        insert(events)
        .from_select(
            list(_EVENT_COLUMNS),
            select(*(bindparam(name, type_=events.c[name].type) for name in _EVENT_COLUMNS)).where(
                ~exists().where(backlog.c.source_id == bindparam("chat"))
            ),
        )
        .on_conflict_do_nothing(index_elements=["webhook_event_id"])
        .returning(events.c.id)
    )
    conversations = _conversations()
    lock = (
        select(*(conversations.c[name] for name in _LOCKED_COLUMNS))
        .where(conversations.c.line_user_id == bindparam("user_id"))
        .with_for_update()
    )
    create = (
        insert(conversations)
        .values({name: bindparam(name) for name in _CONVERSATION_COLUMNS})
        .on_conflict_do_nothing(index_elements=["line_user_id"])
    )
    return record, unless_backlogged, lock, create


@lru_cache(maxsize=8)
def _lock_skipping(dialect: str) -> Executable:
    """`_statements`' lock, skipping a row another transaction holds (PostgreSQL; SQLite has no
    row locks: its write transaction is exclusive)."""
    conversations = _conversations()
    return (
        select(*(conversations.c[name] for name in _LOCKED_COLUMNS))
        .where(conversations.c.line_user_id == bindparam("user_id"))
        .with_for_update(skip_locked=True)
    )


def _conversations() -> Table:
    table = Conversation.__table__
    assert isinstance(table, Table)
    return table


# `LockedConversation`'s fields, in order: the columns its SELECT reads.
_LOCKED_COLUMNS = tuple(LockedConversation.__dataclass_fields__)


@lru_cache(maxsize=1)
def _write_statements() -> tuple[Executable, Executable]:
    """Write back a locked conversation, delete it: the same on every backend, built once."""
    conversations = _conversations()
    save = (
        update(conversations)
        .where(conversations.c.id == bindparam("conversation_id"))
        .values({name: bindparam(name) for name in _SAVED_COLUMNS})
    )
    remove = delete(conversations).where(conversations.c.id == bindparam("conversation_id"))
    return save, remove


_EVENT_COLUMNS = ("webhook_event_id", "event_type", "source_type", "source_id", "mode", "outcome", "received_at")
_CONVERSATION_COLUMNS = (
    "line_user_id",
    "state",
    "flood_tokens",
    "flood_checked_at",
    "last_activity_at",
    "created_at",
    "updated_at",
)


def record_event(
    session: Executor,
    *,
    webhook_event_id: str,
    event_type: str,
    source_type: str | None,
    source_id: str | None,
    mode: str,
    outcome: str,
    received_at: datetime,
    unless_backlog_of: str | None = None,
) -> Recorded:
    """Insert the event's row: `Recorded.DUPLICATE` when its `webhook_event_id` is already there
    (a redelivery; the unique constraint decides, so concurrent redeliveries are safe).

    With `unless_backlog_of` (a chat, the backlog's `source_id` key), the row is not inserted
    while that chat has events waiting in the webhook backlog (`Recorded.BACKLOGGED`): the event
    must wait its turn behind them (the caller files it there). The backlog is checked in the
    insert itself; only when nothing was inserted does a second query tell a backlogged chat
    from a redelivery. A `Recorded` is true only when the row was inserted."""
    record, unless_backlogged, _, _ = _statements(_dialect(session))
    values = {
        "webhook_event_id": webhook_event_id,
        "event_type": event_type,
        "source_type": source_type,
        "source_id": source_id,
        "mode": mode,
        "outcome": outcome,
        "received_at": received_at,
    }
    if unless_backlog_of is None:
        return Recorded.RECORDED if session.execute(record, values).first() is not None else Recorded.DUPLICATE
    if session.execute(unless_backlogged, {**values, "chat": unless_backlog_of}).first() is not None:
        return Recorded.RECORDED
    waiting = session.scalar(select(exists().where(WebhookBacklog.source_id == unless_backlog_of)))
    return Recorded.BACKLOGGED if waiting else Recorded.DUPLICATE


@overload
def lock_conversation(session: Executor, user_id: str, *, now: datetime, flood_tokens: float) -> LockedConversation: ...


@overload
def lock_conversation(
    session: Executor, user_id: str, *, create: Literal[False], skip_locked: bool = False
) -> LockedConversation | None: ...


def lock_conversation(
    session: Executor,
    user_id: str,
    *,
    now: datetime | None = None,
    flood_tokens: float = 0.0,
    create: bool = True,
    skip_locked: bool = False,
) -> LockedConversation | None:
    """The user's conversation, created when new (`now`, `flood_tokens`: the new row's), locked
    until the transaction ends (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has no row locks and
    needs none: its write transaction is exclusive, see `models.db`). Changes to it are stored by
    `save_conversation`. The one way to lock a conversation: the user's own turn, and anything
    else that changes it (staff actions, the worker), which lock it before the user's thread.

    `create=False`: None when the user has none; with `skip_locked`, None too when another
    transaction holds it (the worker passes over a user who is writing right now)."""
    _, _, lock, create_row = _statements(_dialect(session))
    found = session.execute(_lock_skipping(_dialect(session)) if skip_locked else lock, {"user_id": user_id}).first()
    if found is not None:
        return LockedConversation(*found)
    if not create:
        return None
    if now is None:
        raise TypeError("a new conversation needs `now`")
    # A concurrent first message of the same user conflicts here, and then waits on the lock.
    values = {
        "line_user_id": user_id,
        "state": {},
        "flood_tokens": flood_tokens,
        "flood_checked_at": now,
        "last_activity_at": now,
        "created_at": now,
        "updated_at": now,
    }
    session.execute(create_row, values)
    return LockedConversation(*session.execute(lock, {"user_id": user_id}).one())


def save_conversation(session: Executor, conversation: LockedConversation) -> None:
    """Write the turn's changes to the locked conversation back, in one UPDATE by its id.

    The ORM's pending changes are written first (done here for a session; on a unit's
    connection, `Transaction.flush` before), so nothing the same transaction did through the ORM is
    written after this. A fact set by an effect in the user's own turn
    (`handlers.threads.set_fact`, which saves through here too) is saved before the turn's own
    values, which win, as the turn decides the state last."""
    save, _ = _write_statements()
    _flushed(session)
    values = {name: getattr(conversation, name) for name in _SAVED_COLUMNS}
    session.execute(save, {**values, "conversation_id": conversation.id})


def delete_conversation(session: Executor, conversation: LockedConversation) -> None:
    """Delete the locked conversation (the user asked for their data to be erased); the ORM's
    pending changes first, as for `save_conversation`."""
    _, remove = _write_statements()
    _flushed(session)
    session.execute(remove, {"conversation_id": conversation.id})
