"""Writing to the outbox. Rows are added to the caller's session, so they commit (or roll
back) together with the change they announce; the worker delivers them after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from models.schema import OutboxMessage


def outbox_row(
    to: str,
    messages: list[dict[str, Any]],
    *,
    kind: str,
    now: datetime,
    case_id: int | None = None,
    target: str | None = None,
) -> dict[str, Any]:
    """The columns of a new outbox row (for a Core insert in the caller's transaction); the
    id, status and attempts take the table's defaults."""
    if not 1 <= len(messages) <= 5:
        raise ValueError("a push carries 1 to 5 messages")
    return {
        "to": to,
        "messages": messages,
        "kind": kind,
        "case_id": case_id,
        "target": target,
        "next_attempt_at": now,
        "created_at": now,
    }


def enqueue(session: Session, to: str, messages: list[dict[str, Any]], **fields: Any) -> OutboxMessage:
    """A new outbox row added to `session` (`fields` as `outbox_row`'s)."""
    row = OutboxMessage(**outbox_row(to, messages, **fields))
    session.add(row)
    return row
