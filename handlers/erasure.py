"""Erasure and retention (DESIGN §6): every stored copy of an applicant's personal data.

Three ways in:
- `erase_user` — "ลบข้อมูลของฉัน": the user's cases keep only their statistical fields (open
  ones are closed as `withdrawn` and their office is told), and every copy of the user's name,
  phone, LINE user id and message text goes: consents, inbound events, the conversation, the
  webhook backlog, and every outbox row about them (reply fallbacks included).
- `anonymise_closed_cases` — the worker, for cases finished (closed or enrolled) more than
  `RETENTION_DAYS` ago: personal fields and every copy about the case, without notices.
- `erase_abandoned_intakes` — the worker, for conversations silent for
  `ABANDONED_INTAKE_DAYS` (7): the conversation (its slot values and the LINE user id) goes,
  even if the user never writes again.

Every table holding personal data of an applicant (name, phone, LINE user id, message text) has
an eraser in `ERASERS` below: a function `(session: Session, scope: Scope) -> None` that blanks or
deletes its rows for `scope.case_ids` (the cases being erased) and, when `scope.line_user_id` is
set, for that user (`scope.user_request` tells a request from retention). A new such table adds
its eraser there. Each
eraser runs in the caller's transaction; never send anything from one (queue a notice with
`models.outbox.enqueue` if an office must be told). tests/bot/test_erasure.py dumps every
table after erasure, so a table missed here fails there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from handlers import referrals, texts, threads
from handlers.lifecycle import FINISHED_STATUSES, OPEN_STATUSES
from handlers.messages import text
from handlers.ports import Settings
from models import (
    Case,
    Consent,
    Conversation,
    InboundEvent,
    OutboxMessage,
    OutboxSubject,
    WebhookBacklog,
)
from models.console import erase_transfer_reasons
from models.outbox import enqueue

log = logging.getLogger(__name__)

# What an erased outbox row says instead of the card, notice or reply it carried.
ERASED_MESSAGES = [{"type": "text", "text": texts.ERASED_PLACEHOLDER}]
BATCH = 200


@dataclass(frozen=True)
class Scope:
    """What is being erased: these cases, and (on a user's request or an abandoned intake)
    everything stored under this LINE user id."""

    case_ids: tuple[int, ...]
    line_user_id: str | None
    now: datetime
    user_request: bool = False


Eraser = Callable[[Session, Scope], None]


def _outbox(session: Session, scope: Scope) -> None:
    """Outbox rows about the cases or the user: those addressed to the user go whole; the
    others (cards, reminders, group replies, `เรื่องค้าง` lists) keep only their delivery
    record, blanked, and are cancelled when not yet sent."""
    about = []
    if scope.case_ids:
        about.append(OutboxMessage.case_id.in_(scope.case_ids))
        about.append(
            OutboxMessage.id.in_(select(OutboxSubject.outbox_id).where(OutboxSubject.case_id.in_(scope.case_ids)))
        )
    if scope.line_user_id:
        about.append(
            OutboxMessage.id.in_(
                select(OutboxSubject.outbox_id).where(OutboxSubject.line_user_id == scope.line_user_id)
            )
        )
    if not about:
        return
    if scope.line_user_id:
        # Everything ever addressed to the user.
        _delete_rows(session, OutboxMessage.to == scope.line_user_id)
    elif scope.case_ids:
        # Retention: the applicant's own notices about these cases (their address is the user).
        owners = select(Case.line_user_id).where(Case.id.in_(scope.case_ids), Case.line_user_id.is_not(None))
        _delete_rows(session, OutboxMessage.to.in_(owners), or_(*about))
    for row in session.scalars(select(OutboxMessage).where(or_(*about))):
        if row.status == "pending":
            row.status = "cancelled"
        row.messages = [dict(m) for m in ERASED_MESSAGES]
    if scope.line_user_id:
        session.execute(delete(OutboxSubject).where(OutboxSubject.line_user_id == scope.line_user_id))


def _delete_rows(session: Session, *where: ColumnElement[bool]) -> None:
    doomed = select(OutboxMessage.id).where(*where)
    session.execute(delete(OutboxSubject).where(OutboxSubject.outbox_id.in_(doomed)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(doomed)))


def _consents(session: Session, scope: Scope) -> None:
    if scope.line_user_id:
        session.execute(update(Consent).where(Consent.line_user_id == scope.line_user_id).values(line_user_id=None))


def _inbound_events(session: Session, scope: Scope) -> None:
    if scope.line_user_id:
        session.execute(update(InboundEvent).where(InboundEvent.source_id == scope.line_user_id).values(source_id=None))


def _conversation(session: Session, scope: Scope) -> None:
    # On a user's request the dialogue deletes its own conversation row (it holds it locked).
    if scope.line_user_id and not scope.user_request:
        session.execute(delete(Conversation).where(Conversation.line_user_id == scope.line_user_id))


def _backlog(session: Session, scope: Scope) -> None:
    """Events of the user recorded before now and not handled yet (their text goes)."""
    if scope.line_user_id:
        session.execute(
            delete(WebhookBacklog).where(
                WebhookBacklog.source_id == scope.line_user_id, WebhookBacklog.received_at <= scope.now
            )
        )


def _cases(session: Session, scope: Scope) -> None:
    if scope.case_ids:
        session.execute(
            update(Case)
            .where(Case.id.in_(scope.case_ids))
            .values(name=None, phone=None, line_user_id=None, erased_at=scope.now)
        )


def _console_transfers(session: Session, scope: Scope) -> None:
    """The reasons staff gave when transferring these cases (models.console)."""
    erase_transfer_reasons(session, scope.case_ids, placeholder=texts.CARD_ERASED)


# The cases' own fields go last: the erasers before them may still read `Case.line_user_id`.
ERASERS: list[Eraser] = [
    _outbox,
    _consents,
    _inbound_events,
    _conversation,
    _backlog,
    threads.erase_scope,
    _console_transfers,
    _cases,
]


def erase(session: Session, scope: Scope) -> None:
    """Run every eraser over `scope`, in the caller's transaction."""
    session.flush()
    for eraser in ERASERS:
        eraser(session, scope)
    session.expire_all()  # ORM objects loaded before see the erased values


def _withdrawal_notice(case: Case) -> str | None:
    if case.status in OPEN_STATUSES:
        return texts.withdrawal_notice(case.ref or "")
    if case.status == "enrolled":
        return texts.erased_after_enrolment(case.ref or "")
    return None


def erase_user(session: Session, line_user_id: str, now: datetime, settings: Settings) -> int:
    """A user's request: erase everything about them. Open cases are closed as `withdrawn` and
    their office is told (an enrolled case keeps its status, a statistic; its office is told the
    details were erased). Returns the number of cases."""
    cases = list(session.scalars(select(Case).where(Case.line_user_id == line_user_id).order_by(Case.id)))
    # Which group has (or is being sent) each card, before the rows are blanked.
    told: dict[int, str | None] = {}
    for case in cases:
        if case.delivery_status == "delivered":
            told[case.id] = referrals.staff_group(session, case, settings)
        else:
            # A worker may be pushing the card right now: its group is told, as it may get it.
            told[case.id] = session.scalar(
                select(OutboxMessage.to).where(
                    OutboxMessage.case_id == case.id,
                    OutboxMessage.kind == "referral",
                    OutboxMessage.status == "pending",
                    OutboxMessage.lease_until.is_not(None),
                    OutboxMessage.lease_until > now,
                )
            )
    notices: list[tuple[str, str, int]] = []
    for case in cases:
        notice = _withdrawal_notice(case)
        if case.status in OPEN_STATUSES:
            referrals.change_status(session, case, "closed", actor="applicant", now=now, note="withdrawn")
        group = told[case.id]
        if notice and group:
            notices.append((group, notice, case.id))
    erase(session, Scope(tuple(case.id for case in cases), line_user_id, now, user_request=True))
    for group, notice, case_id in notices:
        enqueue(session, group, [text(notice)], kind="notify", now=now, case_id=case_id)
    log.info("personal data erased on request (%d cases)", len(cases))
    return len(cases)


def _finished_before(cutoff: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        Case.erased_at.is_(None),
        Case.status.in_(FINISHED_STATUSES),
        or_(
            (Case.status == "closed") & (Case.closed_at <= cutoff),
            (Case.status == "enrolled") & (Case.enrolled_at <= cutoff),
        ),
    )


def retention_due(session: Session, now: datetime, settings: Settings) -> bool:
    """Whether `anonymise_closed_cases` or `erase_abandoned_intakes` has anything to do (a
    read, so that an idle worker takes no write lock)."""
    idle = now - timedelta(days=settings.ABANDONED_INTAKE_DAYS)
    old = now - timedelta(days=settings.RETENTION_DAYS)
    return bool(
        session.scalar(select(exists().where(Conversation.last_activity_at <= idle)))
        or session.scalar(select(exists().where(*_finished_before(old))))
    )


def anonymise_closed_cases(session: Session, now: datetime, settings: Settings) -> int:
    """Cases finished (closed, or enrolled) more than `RETENTION_DAYS` ago keep only their
    statistical fields."""
    cutoff = now - timedelta(days=settings.RETENTION_DAYS)
    ids = tuple(session.scalars(select(Case.id).where(*_finished_before(cutoff)).order_by(Case.id).limit(BATCH)))
    if ids:
        erase(session, Scope(ids, None, now))
        log.info("retention: %d finished cases reduced to their statistical fields", len(ids))
    return len(ids)


def erase_abandoned_intakes(session: Session, now: datetime, settings: Settings) -> int:
    """Conversations silent for `ABANDONED_INTAKE_DAYS` go whole (slot values, LINE user id);
    for a user with no case, so does every other trace of them (consents' link, events' source,
    queued messages). A user who writes again later starts afresh."""
    cutoff = now - timedelta(days=settings.ABANDONED_INTAKE_DAYS)
    users = list(
        session.scalars(
            select(Conversation.line_user_id)
            .where(Conversation.last_activity_at <= cutoff)
            .order_by(Conversation.id)
            .limit(BATCH)
        )
    )
    for user in users:
        if session.scalar(select(exists().where(Case.line_user_id == user))):
            # The user's cases keep them reachable; only the intake goes.
            session.execute(delete(Conversation).where(Conversation.line_user_id == user))
        else:
            # Nothing else of theirs is kept: every trace of the LINE user id goes.
            erase(session, Scope((), user, now))
    if users:
        log.info("retention: %d abandoned conversations erased", len(users))
    return len(users)
