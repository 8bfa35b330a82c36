"""Typed SQLAlchemy 2 models. Every schema change is an Alembic migration in `migrations/`.

Personal data lives only in `Case` (name, phone, line_user_id) and `Conversation`
(line_user_id, slot values). Deletion (DESIGN §6) blanks those fields and keeps the
statistical ones.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class InboundEvent(Base):
    """One webhook event, recorded once. The unique `webhook_event_id` de-duplicates redeliveries.

    No message text is stored here: only ids and what happened.
    """

    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    source_type: Mapped[str | None] = mapped_column(String(10))
    source_id: Mapped[str | None] = mapped_column(String(64), index=True)
    mode: Mapped[str] = mapped_column(String(10), default="active")
    # handled | standby | ignored | failed | throttled
    outcome: Mapped[str] = mapped_column(String(12), default="handled")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conversation(Base):
    """The dialogue state of one LINE user (1:1 chat). Locked while a message is applied."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Token bucket for flood control (DESIGN §6).
    flood_tokens: Mapped[float] = mapped_column(default=0.0)
    flood_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set while answers beyond the flood budget wait in the outbox (`handlers.conversation`).
    answers_held_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Consent(Base):
    """A recorded answer to the privacy notice: which text version, when, and the answer."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Nulled on deletion together with the rest of the user's link.
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    text_version: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Office(Base):
    """A district office (4-digit district code) or provincial office (2-digit province code)."""

    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # district | province
    name: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[str | None] = mapped_column(String(200))
    map_url: Mapped[str | None] = mapped_column(String(500))
    line_group_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    linked_at: Mapped[datetime | None] = mapped_column(default=None)
    # True while phone/address/hours/map_url hold local mode's demo directory (never shown
    # outside local mode); an `offices import` of real values clears it.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class LinkCode(Base):
    """A one-time code that binds a LINE group to an office. Only its hash is stored."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    used_by_group: Mapped[str | None] = mapped_column(String(64))


class LinkAttempt(Base):
    """A failed `ลงทะเบียน CODE` in a group, for per-group rate limiting."""

    __tablename__ = "link_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A referral. Statuses: new → accepted → contacted → enrolled, or closed from any."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="new")
    close_reason: Mapped[str | None] = mapped_column(String(20))
    # Personal fields (erased on request).
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    # Statistical fields (kept on erasure).
    role: Mapped[str | None] = mapped_column(String(10))
    age: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(20))
    grade_status: Mapped[str | None] = mapped_column(String(12))
    next_level: Mapped[str | None] = mapped_column(String(20))
    province_code: Mapped[str | None] = mapped_column(String(2))
    district_code: Mapped[str | None] = mapped_column(String(4))
    subdistrict_code: Mapped[str | None] = mapped_column(String(6))
    reason: Mapped[str | None] = mapped_column(String(20))
    path: Mapped[str | None] = mapped_column(String(12))
    compulsory_age: Mapped[bool] = mapped_column(Boolean, default=False)
    # Routing (DESIGN §4): the owning office, where the card went, and why.
    office_code: Mapped[str | None] = mapped_column(String(4), index=True)
    routing_reason: Mapped[str | None] = mapped_column(String(200))
    delivery_status: Mapped[str] = mapped_column(String(10), default="pending")
    delivered_to: Mapped[str | None] = mapped_column(String(10))
    human_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_by: Mapped[str | None] = mapped_column(String(120))
    contacted_at: Mapped[datetime | None] = mapped_column(default=None)
    enrolled_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the referral push reached a group; the SLA counts from here (a case that waited
    # for a group to be linked gets its full SLA once it is delivered).
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    erased_at: Mapped[datetime | None] = mapped_column(default=None)

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseEvent(Base):
    """One status change of a case: who, when, from, to."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    # The LINE user id of the staff member who tapped (display names change and repeat);
    # None for the applicant and the system.
    actor_id: Mapped[str | None] = mapped_column(String(64), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(200))

    case: Mapped[Case] = relationship(back_populates="events")


ONE_REFERRAL_WHERE = "kind = 'referral' AND status IN ('pending', 'delivered')"


def new_outbox_id() -> str:
    return str(uuid.uuid4())


class OutboxMessage(Base):
    """A push message waiting for the worker, written in the transaction of the change it
    announces. Its id is the `X-Line-Retry-Key`, so a redelivery after a crash is not doubled.
    """

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_outbox_id)
    to: Mapped[str] = mapped_column(String(64))
    messages: Mapped[list[Any]] = mapped_column()
    # reply_fallback | referral | notify | reminder | escalation | staff
    kind: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # For referrals: the office code whose group this goes to, or "admin".
    target: Mapped[str | None] = mapped_column(String(10))
    # pending | delivered | failed | cancelled (withdrawn before delivery, e.g. on erasure)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # Exactly one referral push per case (DESIGN §7): at most one referral row per case
        # is on its way or delivered. A failed one may be followed by one to the next group.
        Index(
            "uq_outbox_one_referral_per_case",
            "case_id",
            unique=True,
            sqlite_where=text(ONE_REFERRAL_WHERE),
            postgresql_where=text(ONE_REFERRAL_WHERE),
        ),
    )
