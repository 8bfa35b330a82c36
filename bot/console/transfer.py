"""Transfer of a case to another office (DESIGN §10), in the caller's transaction.

The receiving office becomes the case's office (so it sees the case in its scope), the case
starts again at `new` with its SLA counted from now, the receiving office's group gets the card
(its province's group, or the admin group, when it has none), the former office's group is
told, and the youth is told which office has their case now. An event row and a transfer row
record who did it, when and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.console import labels
from bot.console.labels import OPEN_STATUSES
from handlers import cards, referrals, texts
from handlers.messages import text
from handlers.ports import Settings
from models import Case, Office
from models.console import CaseTransfer
from models.outbox import enqueue


class TransferRefused(Exception):
    """The transfer cannot be made; the message says why, in Thai, for the page."""


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
    to_code = to_code.strip()
    target = session.get(Office, to_code)
    if target is None:
        raise TransferRefused(labels.transfer_unknown_office(to_code))
    if case.status not in OPEN_STATUSES:
        raise TransferRefused(labels.TRANSFER_CLOSED)
    if target.code == case.office_code:
        raise TransferRefused(labels.TRANSFER_SAME_OFFICE)
    province_office = session.get(Office, target.province_code) if target.kind == "district" else None
    if target.line_group_id:
        group, delivered_to = target.line_group_id, target.code
    elif province_office is not None and province_office.line_group_id:
        group, delivered_to = province_office.line_group_id, province_office.code
    elif settings.ADMIN_GROUP_ID:
        group, delivered_to = settings.ADMIN_GROUP_ID, "admin"
    else:
        raise TransferRefused(labels.TRANSFER_NO_GROUP)
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
    case.office_code = target.code
    case.routing_reason = f"transferred by staff from {from_code or '-'} to {target.code}"[:200]
    case.accepted_at, case.accepted_by = None, None
    case.delivery_status, case.delivered_to, case.delivered_at = "delivered", delivered_to, now
    case.reminded_at, case.escalated_at = None, None
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
    from_name = former.name if former is not None else (from_code or "-")
    card = cards.referral_card(
        case, target.name, heading=texts.TRANSFERRED_CARD_HEADING, alt_prefix=texts.TRANSFERRED_CARD_ALT
    )
    enqueue(
        session,
        group,
        [text(texts.case_transferred_in(case.ref or "", from_name, reason, actor)), card],
        kind="transfer",
        now=now,
        case_id=case.id,
    )
    if former_group and former_group != group:
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
    return target
