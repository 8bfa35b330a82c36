"""The staff console's tables (DESIGN §10): one-time sign-in links, the audit record, transfers,
and the indexes on `cases` that the console's lists and figures read through.

Sign-in links are stored hashed, like group link codes: a database dump holds no usable link.
Audit rows name the staff member (display name and LINE user id) and the case id, never an
applicant's personal data.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, Integer, String, func, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.schema import Base, Case, utcnow

SIGN_IN_TTL = timedelta(minutes=10)
SCOPE_KINDS = ("office", "province", "admin")


class ConsoleToken(Base):
    """A one-time sign-in link: who asked for it, the scope it grants, until when."""

    __tablename__ = "console_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # office (a district or provincial office's own cases) | province | admin
    scope_kind: Mapped[str] = mapped_column(String(10))
    scope_code: Mapped[str | None] = mapped_column(String(4))
    # The staff member: display name as LINE gave it (or the operator), and LINE user id.
    issued_to: Mapped[str] = mapped_column(String(120))
    issued_to_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class ConsoleAudit(Base):
    """One look at a case page, one export, one sign-in or transfer: who, when, what."""

    __tablename__ = "console_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(20))  # e.g. office:5208, province:52, admin
    # sign_in | view_case | export_csv | export_xlsx | action | transfer | answer
    action: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    detail: Mapped[str | None] = mapped_column(String(300))


class CaseTransfer(Base):
    """A case moved from one office to another by staff, with the reason they gave."""

    __tablename__ = "case_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_office: Mapped[str | None] = mapped_column(String(4))
    to_office: Mapped[str] = mapped_column(String(4), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    actor: Mapped[str] = mapped_column(String(120))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


# What the console reads cases through (migration 0006). A scope is a set of offices, so a list
# reads (office_code, status, created_at); the overdue segment of the whole country's list
# (status = 'new', oldest first), (status, created_at); the rest of it, created_at. Open
# compulsory-age cases, listed second, have partial indexes of their own. Figures read a
# province's cases by (province_code, created_at).
FIGURE_COLUMNS = ("district_code", "status", "accepted_at", "compulsory_age", "reason", "age", "next_level")
NEW_CASES = "status = 'new'"
COMPULSORY_OPEN = "compulsory_age AND status IN ('new', 'accepted', 'contacted')"
COMPULSORY_OPEN_SQLITE = "compulsory_age = 1 AND status IN ('new', 'accepted', 'contacted')"
CASE_INDEXES = (
    # Covering (PostgreSQL): a province's figures are read from the index alone.
    Index("ix_cases_province_created", Case.province_code, Case.created_at, postgresql_include=list(FIGURE_COLUMNS)),
    # Covering too: the whole country's figures over a period are read from it alone.
    Index("ix_cases_created", Case.created_at, postgresql_include=["province_code", *FIGURE_COLUMNS]),
    Index("ix_cases_status_created", Case.status, Case.created_at),
    Index("ix_cases_office_status_created", Case.office_code, Case.status, Case.created_at),
    # The reason filter of a list (an office's, a province's or the country's).
    Index("ix_cases_reason_office_created", Case.reason, Case.office_code, Case.created_at),
    # The overdue segment of an office's or a province's list: its new cases, oldest first.
    Index(
        "ix_cases_new_office",
        Case.office_code,
        Case.created_at,
        postgresql_where=text(NEW_CASES),
        sqlite_where=text(NEW_CASES),
    ),
    Index(
        "ix_cases_compulsory_open_office",
        Case.office_code,
        Case.created_at,
        postgresql_where=text(COMPULSORY_OPEN),
        sqlite_where=text(COMPULSORY_OPEN_SQLITE),
    ),
    Index(
        "ix_cases_compulsory_open_created",
        Case.created_at,
        postgresql_where=text(COMPULSORY_OPEN),
        sqlite_where=text(COMPULSORY_OPEN_SQLITE),
    ),
)


# Migration 0008: what keeps the webhook's and the worker's reads of `cases` independent of how
# many cases there are (each was a sequential scan at 1 M cases), and the nickname search.
OPEN_CASES = "status IN ('new', 'accepted', 'contacted')"
ADMIN_QUEUE = OPEN_CASES + " AND (delivered_to = 'admin' OR delivery_status = 'pending')"
PENDING_DELIVERY = "delivery_status = 'pending'"
UNESCALATED = "status = 'new' AND escalated_at IS NULL"
# `เรื่องค้าง` in a group (handlers.staff): the open cases of an office, of a province, or the
# admin group's, counted and listed new first, then by id: `ORDER BY status <> 'new', id`.
QUEUE_ORDER = (text("(status <> 'new')"), Case.id)
NAME_SEARCH_INDEX = "ix_cases_name_trgm"
# (An office's queue is read through ix_cases_office_status_created: a few hundred cases at most.
# An index of its own made PostgreSQL prefer it for the console's overdue segment, 5 times slower.)
QUEUE_INDEXES = (
    Index(
        "ix_cases_open_province_queue",
        Case.province_code,
        *QUEUE_ORDER,
        postgresql_where=text(OPEN_CASES),
        sqlite_where=text(OPEN_CASES),
    ),
    Index("ix_cases_admin_queue", *QUEUE_ORDER, postgresql_where=text(ADMIN_QUEUE), sqlite_where=text(ADMIN_QUEUE)),
    # Referrals waiting for a group (queued when one links: handlers.referrals.queue_pending_for).
    Index(
        "ix_cases_pending_delivery",
        Case.province_code,
        Case.district_code,
        postgresql_where=text(PENDING_DELIVERY),
        sqlite_where=text(PENDING_DELIVERY),
    ),
    # The overdue segment of the whole country's list filtered by reason (a province's or an
    # office's has ix_cases_reason_office_created).
    Index(
        "ix_cases_new_reason",
        Case.reason,
        Case.created_at,
        postgresql_where=text(NEW_CASES),
        sqlite_where=text(NEW_CASES),
    ),
    # The worker's reminders and escalations: new cases not escalated yet, by id.
    Index("ix_cases_unescalated", Case.id, postgresql_where=text(UNESCALATED), sqlite_where=text(UNESCALATED)),
)
# The console's nickname search, `lower(name) LIKE '%…%'`: a trigram index (pg_trgm), on
# PostgreSQL only, where the extension can be created (migration 0008; elsewhere, and on
# SQLite, the search reads the scope's cases, as before).
NAME_SEARCH = Index(
    NAME_SEARCH_INDEX,
    func.lower(Case.name).label("lower_name"),
    postgresql_using="gin",
    postgresql_ops={"lower_name": "gin_trgm_ops"},
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_sign_in_token(
    session: Session,
    scope_kind: str,
    scope_code: str | None,
    *,
    now: datetime,
    issued_to: str,
    issued_to_id: str | None = None,
) -> str:
    """A new one-time sign-in token (URL-safe, 256 bits); only its hash is stored."""
    if scope_kind not in SCOPE_KINDS:
        raise ValueError(scope_kind)
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleToken(
            token_hash=_hash(token),
            scope_kind=scope_kind,
            scope_code=scope_code if scope_kind != "admin" else None,
            issued_to=issued_to[:120],
            issued_to_id=issued_to_id,
            created_at=now,
            expires_at=now + SIGN_IN_TTL,
        )
    )
    return token


class SignInRefused(Exception):
    """The link is unknown, already used, or expired. `reason` is one of those words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def peek_sign_in_token(session: Session, token: str, now: datetime) -> ConsoleToken:
    """The token's row if it can still be used (nothing is changed); else SignInRefused."""
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token)))
    if row is None:
        raise SignInRefused("unknown")
    if row.used_at is not None:
        raise SignInRefused("used")
    if row.expires_at <= now:
        raise SignInRefused("expired")
    return row


def use_sign_in_token(session: Session, token: str, now: datetime) -> ConsoleToken:
    """Spend the token. Two tabs racing for one link: one wins (a conditional update), the
    other is refused as used."""
    row = peek_sign_in_token(session, token, now)
    spent = session.execute(
        update(ConsoleToken)
        .where(ConsoleToken.id == row.id, ConsoleToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise SignInRefused("used")
    row.used_at = now
    return row


def erase_transfer_reasons(session: Session, case_ids: tuple[int, ...] | list[int], *, placeholder: str) -> None:
    """Erasure (DESIGN §6): a transfer's reason is staff's free text about the applicant, so it
    goes with the case's personal data; `placeholder` (the catalog's words, from the caller) is
    what the console shows instead. Sign-in links and audit rows name staff, not applicants
    (the audit never records a search text)."""
    if case_ids:
        session.execute(
            update(CaseTransfer)
            .where(CaseTransfer.case_id.in_(list(case_ids)))
            .values(reason=placeholder)
            .execution_options(synchronize_session=False)
        )
