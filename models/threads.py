"""Conversations between an applicant and their office through the bot (DESIGN §9).

A `Thread` is either a case's (`kind="case"`, one per case, opened and closed as often as
needed) or an enquiry before any case (`kind="enquiry"`, numbered `EQ-2569-000012`). Each
message is a `ThreadMessage` (who, when, the text). `SentMessage` records the id LINE gave
every message the bot sent to a group, so that a staff member's quote-reply
(`quotedMessageId`) can be matched to the applicant message it answers.

Personal data here: `Thread.line_user_id`, `Thread.nickname` and the texts; erasure
(`handlers.threads.erase_user`) blanks them and drops the ids of what was forwarded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.schema import Base, utcnow


class Thread(Base):
    """An applicant ↔ office conversation, carried by the bot."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # case | enquiry
    # The enquiry number (EQ-…); None for a case's thread, which goes by the case's ref.
    number: Mapped[str | None] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    office_code: Mapped[str | None] = mapped_column(String(4), index=True)
    # Personal (erased on request).
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    nickname: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # staff | quiet | applicant | erased
    close_reason: Mapped[str | None] = mapped_column(String(20))
    closed_by: Mapped[str | None] = mapped_column(String(120))
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The first applicant message not yet answered by staff (None when all are answered), and
    # whether that wait was reminded in the group / escalated to the province.
    waiting_since: Mapped[datetime | None] = mapped_column(default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        UniqueConstraint("number", name="uq_threads_number"),
        UniqueConstraint("case_id", name="uq_threads_case_id"),
        Index("ix_threads_status_waiting", "status", "waiting_since"),
    )


class ThreadMessage(Base):
    """One message of a thread: the applicant's, a staff member's, or the bot's own notice."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))  # applicant | staff | bot
    staff_id: Mapped[str | None] = mapped_column(String(64))
    staff_name: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)  # None once erased
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # The outbox row that carries it to the other side (the group, or the applicant).
    outbox_id: Mapped[str | None] = mapped_column(String(36), index=True)


class SentMessage(Base):
    """The id LINE gave a message the bot sent to a group or room (reply or push)."""

    __tablename__ = "sent_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_message_id: Mapped[str] = mapped_column(String(32), index=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    outbox_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # The applicant message this forwarded, when it was one.
    thread_message_id: Mapped[int | None] = mapped_column(ForeignKey("thread_messages.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
