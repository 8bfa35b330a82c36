"""What every event handler receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from handlers.ports import Message, Services
from models.db import Transaction
from nlp.understanding import Understanding

# A 1:1 event as the dialogue reads it: the understanding, plus notices to send before the
# reply (e.g. "I can only read text"). Computed before the event's transaction.
Reading = tuple[Understanding, list[Message]]


class Prefetched(TypedDict, total=False):
    """What was asked of LINE before the event's transaction (no network call happens inside it);
    a key is absent when it was not asked, None when LINE did not tell."""

    actor_name: str | None  # a group member's display name
    friend: bool | None  # `เข้าระบบ`: whether the sender is a friend of the account


@dataclass
class Context:
    """One event being handled inside its one database transaction (`unit`)."""

    services: Services
    unit: Transaction  # the event's unit of work: committed after the handler returns
    now: datetime
    event: dict[str, Any]
    source_type: str | None  # user | group | room
    chat_id: str | None  # the userId, groupId or roomId to answer
    user_id: str | None  # the sender, when LINE tells it
    reading: Reading | None = None  # 1:1 events only
    prefetched: Prefetched = field(default_factory=lambda: Prefetched())
    # Facts for the sender's conversation state, written by effects (None drops the key);
    # `conversation.handle` applies them to the state it saves.
    state_updates: dict[str, Any] = field(default_factory=dict)

    @property
    def session(self) -> Session:
        """The event's transaction as an ORM session (made on first use: see `models.db.Transaction`)."""
        return self.unit.session

    @property
    def connection(self) -> Connection:
        """The event's transaction, for Core statements. They do not autoflush the ORM
        session: `unit.flush()` first where one must come after what went through the ORM."""
        return self.unit.connection


@dataclass
class Reply:
    """Messages to send back with the event's reply token after the transaction commits."""

    messages: list[Message] = field(default_factory=list)
    # The user's data were erased in this turn: a fallback push of these messages must not
    # keep their LINE user id once it is delivered (models.outbox.ERASED_RECIPIENT_KIND).
    recipient_erased: bool = False


__all__ = ["Context", "Message", "Prefetched", "Reading", "Reply"]
