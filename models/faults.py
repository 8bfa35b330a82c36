"""Tables for surviving faults: what each outbox row is about (so erasure reaches
every copy), per-key attempt counters (atomic rate limits), the channel's state (the LINE
monthly-quota pause, shared by every process), and the webhook backlog (events of a batch
too large to handle within LINE's 2 s, recorded before the answer and handled by the worker).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Table, case, delete, literal
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.schema import Base, utcnow


class OutboxSubject(Base):
    """One thing an outbox row is about: a case, or an applicant's LINE user id (an enquiry
    before any case). Erasure finds every stored copy of a card or notice through these."""

    __tablename__ = "outbox_subjects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[str] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)


class Throttle(Base):
    """Attempts of one key (e.g. `link:<group id>`) in the current window, counted by one
    atomic upsert so that parallel attempts cannot slip past the limit."""

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)


class ChannelState(Base):
    """A named state of the LINE channel, shared by the web processes and the workers.

    `quota`: `since` is when LINE first answered the monthly-quota 429 (None: not paused),
    `retry_at` when the worker tries again, `noticed_at` when the admin group (or, failing that,
    the log) was told, `resumed_at` when LINE last accepted again."""

    __tablename__ = "channel_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    since: Mapped[datetime | None] = mapped_column(default=None)
    retry_at: Mapped[datetime | None] = mapped_column(default=None)
    noticed_at: Mapped[datetime | None] = mapped_column(default=None)
    notice: Mapped[str | None] = mapped_column(String(40), default=None)
    resumed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookBacklog(Base):
    """A webhook event recorded but not yet handled (its batch ran out of the 2 s budget).
    Holds the event as LINE sent it (so possibly message text) only until the worker handles
    it; erasure deletes a user's rows."""

    __tablename__ = "webhook_backlog"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_event_id: Mapped[str | None] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(64), index=True)
    event: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


def backlog_chat(event: Any) -> str | None:
    """The chat a webhook event is filed under in the backlog (`WebhookBacklog.source_id`): the
    sender first, so a staff member's events in a group are filed under the staff member, else
    the group or room. The webhook's deferral and a handler's check for events waiting before
    one both use it: one chat's events stay in order only while the two agree."""
    source = event.get("source") if isinstance(event, dict) else None
    if not isinstance(source, dict):
        return None
    chat = next((source[key] for key in ("userId", "groupId", "roomId") if isinstance(source.get(key), str)), None)
    return chat[:64] if chat else None


def backlog_row(event: dict[str, Any], received_at: datetime) -> dict[str, Any]:
    """The columns of a `WebhookBacklog` row for `event` (filed under `backlog_chat`)."""
    event_id = event.get("webhookEventId")
    return {
        "webhook_event_id": event_id[:64] if isinstance(event_id, str) else None,
        "source_id": backlog_chat(event),
        "event": event,
        "received_at": received_at,
        "attempts": 0,
    }


def take_attempt(session: Session, key: str, now: datetime, *, limit: int, window: timedelta) -> bool:
    """Count one attempt of `key` and say whether it may go on: True while at most `limit`
    attempts fell in the current window (which starts at the first attempt and lasts `window`).

    One upsert statement, in the caller's transaction: on PostgreSQL it locks the key's row, so
    parallel attempts are counted one after the other and never slip past the limit together;
    SQLite's write transaction is exclusive anyway."""
    table = Throttle.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stamp = table.c.window_start.type
    at, cutoff = literal(now, stamp), literal(now - window, stamp)
    expired = table.c.window_start <= cutoff
    statement = (
        insert(table)
        .values(key=key[:100], attempts=1, window_start=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "attempts": case((expired, 1), else_=table.c.attempts + 1),
                "window_start": case((expired, at), else_=table.c.window_start),
            },
        )
        .returning(table.c.attempts)
    )
    return int(session.execute(statement).scalar_one()) <= limit


def reset_attempts(session: Session, key: str) -> None:
    session.execute(delete(Throttle).where(Throttle.key == key[:100]))
