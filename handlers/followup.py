"""A case after its referral (DESIGN §2 step 6, §5): the status rules, closing with the youth
told why and what next, reopening (by the youth or by staff), the transfer to another office (from the
staff console), and the timeline the youth sees for "เรื่องถึงไหนแล้ว".

Statuses (`handlers.lifecycle`): new → accepted → contacted → enrolled, or closed (with a reason)
from any state before enrolled. `contacted` and `enrolled` need an accepted case (a tap on them on a new case
records the acceptance first, by the same person). `enrolled` is the successful end: it is
never closed. A closed case reopens to `new` and goes to its office again, with a fresh SLA.
Every change is a `CaseEvent` (who, when, from, to), written by `referrals.change_status`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import cards, lifecycle, menus, referrals, texts, threads
from handlers.messages import Message, text
from handlers.ports import Settings
from models import Case, CaseEvent, Office, OutboxMessage
from models.console import CaseTransfer
from models.outbox import enqueue

log = logging.getLogger(__name__)

REOPENED = "reopened"


class NotAllowed(Exception):
    """The change is not allowed from the case's status; `str(exc)` is the Thai reason for staff."""


class TransferRefused(Exception):
    """The transfer cannot be made; `str(exc)` says why, in Thai, for the console's page."""


def _office(session: Session, case: Case) -> Office | None:
    return session.get(Office, case.office_code) if case.office_code else None


def close_case(
    session: Session,
    case: Case,
    reason: str,
    *,
    actor: str,
    actor_id: str | None,
    now: datetime,
) -> None:
    """Close a case with a reason; the youth is told in kind words with a next step, and their
    thread with the office (if open) closes with it."""
    if reason not in lifecycle.CLOSE_REASONS:
        raise ValueError(reason)
    if case.status == "enrolled":
        raise NotAllowed(texts.group_cannot_close_enrolled(case.ref or ""))
    if case.status == "closed":
        raise NotAllowed(texts.group_case_already_closed(case.ref or "", case.close_reason))
    referrals.change_status(session, case, "closed", actor=actor, actor_id=actor_id, now=now, note=reason)
    thread = session.scalar(select(threads.Thread).where(threads.Thread.case_id == case.id))
    if thread is not None:
        threads.close(session, thread, now, why="staff", by=actor, tell_user=False)
    if not case.line_user_id:
        return
    office = _office(session, case)
    body = texts.case_closed_for_user(
        case.ref or "", reason, office.name if office else texts.OFFICE_FALLBACK, office.phone if office else None
    )
    choices: dict[str, list[str | dict[str, Any]]] = {
        "unreachable": [texts.CALL_ME_BACK, texts.STATUS],
        "enrolled_elsewhere": [texts.STATUS],
        "duplicate": [texts.STATUS, texts.HUMAN],
    }
    quick = choices.get(reason, [texts.STILL_WANT, texts.HUMAN])
    enqueue(session, case.line_user_id, [text(body, quick)], kind="notify", now=now, case_id=case.id)
    menus.queue_link(session, case.line_user_id, now)  # the menu of their state now (no open case: no_case)
    threads.set_fact(
        session, case.line_user_id, threads.FACT_CLOSED_CASE, {"id": case.id, "ref": case.ref, "reason": reason}
    )


def reopen_case(
    session: Session,
    case: Case,
    *,
    actor: str,
    actor_id: str | None,
    now: datetime,
    settings: Settings,
    by_applicant: bool,
) -> str:
    """A closed case back to `new`: its card goes to its office again (a separate message,
    not a second referral push), and the SLA counts from now. The youth is told (by the
    caller's reply when they asked; by push when staff reopened). Returns the office's name."""
    if case.status != "closed":
        raise NotAllowed(texts.group_case_not_closed(case.ref or ""))
    referrals.change_status(session, case, "new", actor=actor, actor_id=actor_id, now=now, note=REOPENED)
    case.close_reason = None
    case.closed_at = None
    case.accepted_at, case.accepted_by, case.contacted_at = None, None, None
    case.reminded_at, case.escalated_at = None, None
    office = _office(session, case)
    name = office.name if office else texts.OFFICE_FALLBACK
    if by_applicant:
        heading = texts.group_reopened_by_applicant(case.ref or "")
    else:
        heading = texts.group_reopened_by_staff(actor)
    if case.delivery_status == "delivered":
        group = referrals.staff_group(session, case, settings)
        if group:
            card = cards.referral_card(case, name, heading=heading, alt_prefix=texts.REOPENED_CARD_ALT)
            enqueue(session, group, [card], kind="reopen", now=now, case_id=case.id)
        case.delivered_at = now  # the SLA starts again
    else:
        on_the_way = session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.case_id == case.id,
                OutboxMessage.kind.in_(referrals.DELIVERY_KINDS),
                OutboxMessage.status == "pending",
            )
        )
        if on_the_way is None:
            referrals.deliver_referral(session, case, now, settings)
    if case.line_user_id:
        menus.queue_link(session, case.line_user_id, now, menus.CASE_OPEN)
        threads.set_fact(session, case.line_user_id, threads.FACT_CLOSED_CASE, None)
        if not by_applicant:
            enqueue(
                session,
                case.line_user_id,
                [text(texts.user_case_reopened_by_staff(case.ref or "", name))],
                kind="notify",
                now=now,
                case_id=case.id,
            )
    log.info("case %s reopened (%s)", case.id, "applicant" if by_applicant else "staff")
    return name


def transfer_case(
    session: Session,
    case: Case,
    to_code: str,
    reason: str,
    *,
    actor: str,
    actor_id: str | None,
    now: datetime,
    settings: Settings,
) -> Office:
    """Transfer an open case to another office (DESIGN §10), in the caller's transaction.

    The receiving office becomes the case's office (so it sees the case in its scope) and the
    case starts again at `new`, with its SLA counted from now. Its card goes to the receiving
    office as a referral does (`referrals.deliver_referral`: its group, its province's, the
    admin group), and the case counts as delivered only when LINE accepts it; a card on its way
    to the former office is withdrawn. The former office's group and the youth are told; an
    event row and a transfer row record who did it, when and why. Returns the receiving office."""
    to_code = to_code.strip()
    target = session.get(Office, to_code)
    if target is None:
        raise TransferRefused(texts.transfer_unknown_office(to_code))
    if case.status not in lifecycle.OPEN_STATUSES:
        raise TransferRefused(texts.TRANSFER_CLOSED)
    if target.code == case.office_code:
        raise TransferRefused(texts.TRANSFER_SAME_OFFICE)
    if not referrals.may_reach_a_group(session, target.code, settings):
        raise TransferRefused(texts.TRANSFER_NO_GROUP)
    former = referrals.office_of(session, case.office_code)
    former_group = referrals.staff_group(session, case, settings)
    from_code = case.office_code
    reason = reason.strip()[:300]
    referrals.change_status(
        session,
        case,
        "new",
        actor=actor,
        actor_id=actor_id,
        now=now,
        note=f"transfer {from_code or '-'}>{target.code}"[:200],
    )
    case.accepted_at, case.accepted_by = None, None
    case.reminded_at, case.escalated_at = None, None
    # Pending until LINE accepts the new card; the SLA counts from now (the worker sets the
    # delivery time when it is delivered), as after a reopening.
    case.delivery_status, case.delivered_at = "pending", now
    session.add(
        CaseTransfer(
            case_id=case.id,
            from_office=from_code,
            to_office=target.code,
            reason=reason,
            actor=actor[:120],
            actor_id=actor_id,
            at=now,
        )
    )
    referrals.withdraw_card(session, case)
    from_name = former.name if former is not None else (from_code or "-")
    decision = referrals.deliver_referral(
        session,
        case,
        now,
        settings,
        owner=(target.code, f"transferred by staff from {from_code or '-'} to {target.code}"),
        kind="transfer",
        lead=[text(texts.case_transferred_in(case.ref or "", from_name, reason, actor))],
    )
    if former_group and former_group != decision.group_id:
        enqueue(
            session,
            former_group,
            [text(texts.case_transferred_out(case.ref or "", target.name, actor))],
            kind="notify",
            now=now,
            case_id=case.id,
        )
    if case.line_user_id:
        enqueue(
            session,
            case.line_user_id,
            [text(texts.case_transferred_to_youth(case.ref or "", target.name, target.phone))],
            kind="notify",
            now=now,
            case_id=case.id,
        )
    log.info("case %s transferred from %s to %s", case.id, from_code, target.code)
    return target


def latest_closed_case(session: Session, line_user_id: str) -> Case | None:
    return session.scalar(
        select(Case)
        .where(Case.line_user_id == line_user_id, Case.status == "closed")
        .order_by(Case.closed_at.desc(), Case.id.desc())
        .limit(1)
    )


def timeline(session: Session, line_user_id: str) -> list[Message]:
    """ "เรื่องถึงไหนแล้ว": each of the user's latest cases (up to 3) with its steps and Thai dates,
    where it stands now, and its office's contact."""
    cases = list(
        session.scalars(select(Case).where(Case.line_user_id == line_user_id).order_by(Case.id.desc()).limit(3))
    )
    if not cases:
        return []
    blocks = []
    any_closed = False
    for case in cases:
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
        lines = [texts.timeline_header(case.ref or "", case.name)]
        lines += [texts.timeline_line(e.at, e.to_status, e.note) for e in events][-8:]
        lines.append(texts.timeline_next(case.status, case.delivery_status == "pending"))
        office = _office(session, case)
        if office is not None:
            lines.append(texts.timeline_office(office.name, office.phone))
        if case.status == "closed":
            any_closed = True
        blocks.append("\n".join(line for line in lines if line))
    quick: list[str | dict[str, Any]] = [texts.STILL_WANT, texts.HUMAN] if any_closed else [texts.HUMAN]
    return [text("\n\n".join(blocks)[:5000], quick)]
