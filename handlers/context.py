"""What every event handler receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from handlers.ports import Services
from models.db import Unit
from models.hotpath import ConversationRow
from nlp.understanding import Understanding

Message = dict[str, Any]
# A 1:1 event as the dialogue reads it: the understanding, plus notices to send before the
# reply (e.g. "I can only read text"). Computed before the event's transaction.
Reading = tuple[Understanding, list[Message]]


@dataclass
class Context:
    """One event being handled inside one database transaction."""

    services: Services
    unit: Unit  # the event's transaction
    now: datetime
    event: dict[str, Any]
    source_type: str | None  # user | group | room
    chat_id: str | None  # the userId, groupId or roomId to answer
    user_id: str | None  # the sender, when LINE tells it
    reading: Reading | None = None  # 1:1 events only
    conversation: ConversationRow | None = None  # the sender's, when already locked with the event

    @property
    def connection(self) -> Connection:
        """Core statements on the event's transaction."""
        return self.unit.connection

    @property
    def session(self) -> Session:
        """An ORM session on the event's transaction (made on first use)."""
        return self.unit.session


@dataclass
class Reply:
    """Messages to send back with the event's reply token after the transaction commits."""

    messages: list[Message] = field(default_factory=list)
