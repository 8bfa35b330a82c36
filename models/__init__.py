"""Persistence: typed SQLAlchemy models, engine set-up and Alembic migrations."""

from models.console import CaseTransfer, ConsoleAudit, ConsoleToken
from models.db import Database, make_engine, migrate
from models.faults import ChannelState, OutboxSubject, Throttle, WebhookBacklog
from models.richmenu import RichMenu
from models.schema import (
    Base,
    Case,
    CaseEvent,
    Consent,
    Conversation,
    InboundEvent,
    LinkAttempt,
    LinkCode,
    Office,
    OutboxMessage,
    utcnow,
)
from models.threads import SentMessage, Thread, ThreadMessage

__all__ = [
    "Base",
    "Case",
    "CaseEvent",
    "CaseTransfer",
    "ChannelState",
    "ConsoleAudit",
    "ConsoleToken",
    "Consent",
    "Conversation",
    "Database",
    "InboundEvent",
    "LinkAttempt",
    "LinkCode",
    "Office",
    "OutboxMessage",
    "OutboxSubject",
    "Throttle",
    "WebhookBacklog",
    "RichMenu",
    "make_engine",
    "migrate",
    "utcnow",
    "SentMessage",
    "Thread",
    "ThreadMessage",
]
