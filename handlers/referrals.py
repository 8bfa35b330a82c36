"""Cases: creation with a reference, routing, the referral push, status changes, SLAs
(erasure: `handlers.erasure`).

Delivery (DESIGN §4 rule 4, §7): a case's card goes out as exactly one referral push, to the
first linked group of its office → its provincial office → the admin group. A referral that
LINE refuses for good (the bot was removed from the group, say) falls through to the next
group; with no group left the case stays `pending`, visible in the export and in the groups'
`เรื่องค้าง`, and goes out as soon as a group that may receive it is linked. A case transferred
to another office (`followup.transfer_case`) goes to that office's group the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers import cards, lifecycle, routing, texts
from handlers.lifecycle import OPEN_STATUSES
from handlers.messages import Message, text
from handlers.ports import Services, Settings
from models import Case, CaseEvent, Office, OutboxMessage
from models.outbox import enqueue
from nlp.thaitime import age_from_birth_year, be_year

if TYPE_CHECKING:
    from handlers.dialogue.state import SlotValue

log = logging.getLogger(__name__)
# The pushes that carry a case's card to the office that owns it: its referral, and the card sent
# to the office it was transferred to (the one-referral index admits one `referral` row per
# case). The worker marks the case delivered only when LINE accepts one of them, and passes the
# card to the next group in line when LINE refuses it for good.
DELIVERY_KINDS = ("referral", "transfer")
# The heading and alt-text prefix of the card each kind carries.
_CARD_HEADINGS = {
    "referral": (texts.CARD_HEADING, texts.CARD_NEW),
    "transfer": (texts.TRANSFERRED_CARD_HEADING, texts.TRANSFERRED_CARD_ALT),
}


def make_ref(case_id: int, created_at: datetime) -> str:
    return f"RT-{be_year(created_at)}-{case_id:06d}"


def linked_groups(session: Session) -> dict[str, str]:
    query = select(Office.code, Office.line_group_id).where(Office.line_group_id.is_not(None))
    return {code: group for code, group in session.execute(query) if group}


def group_of_target(session: Session, target: str | None, settings: Settings) -> str | None:
    """The LINE group of a delivery target: an office code (its group now) or "admin"."""
    if not target:
        return None
    if target == "admin":
        return settings.ADMIN_GROUP_ID
    return session.scalar(select(Office.line_group_id).where(Office.code == target))


def _case_values(slots: Mapping[str, SlotValue], *, line_user_id: str, now: datetime) -> dict[str, Any]:
    """A new case's columns, from the intake's slots."""
    age = slots.get("age")
    birth_year = slots.get("birth_year_be")
    if age is None and birth_year:
        age = age_from_birth_year(int(birth_year), now)
    province = slots.get("province") or str(slots.get("district") or "")[:2] or None
    flags = routing.referral_fields({**slots, "age": age})
    return {
        "status": "new",
        "line_user_id": line_user_id,
        "name": slots.get("name"),
        "phone": slots.get("phone"),
        "role": slots.get("role"),
        "age": age,
        "grade": slots.get("grade"),
        "grade_status": slots.get("grade_status"),
        "next_level": flags["next_level"],
        "province_code": province,
        "district_code": slots.get("district"),
        "subdistrict_code": slots.get("subdistrict"),
        "reason": slots.get("reason"),
        "path": slots.get("path"),
        "compulsory_age": flags["compulsory_age"],
        "created_at": now,
        "delivery_status": "pending",
    }


def create_case(
    session: Session, slots: Mapping[str, SlotValue], *, line_user_id: str, now: datetime, settings: Settings
) -> tuple[Case, Office | None]:
    """A submitted intake: the case with its reference, its first status event, and its one
    referral push (or pending), in the caller's transaction. Returns the case and its
    office's row (None for an unknown office)."""
    case = Case(**_case_values(slots, line_user_id=line_user_id, now=now))
    session.add(case)
    session.flush()  # the id, for the reference
    case.ref = make_ref(case.id, now)
    session.add(CaseEvent(case_id=case.id, actor="applicant", at=now, from_status=None, to_status="new"))
    decision, office = _deliver(session, case, now, settings)
    return case, office


def office_of(session: Session, code: str | None) -> Office | None:
    return session.get(Office, code) if code else None


def _routing_offices(session: Session, owner: str) -> dict[str, Office]:
    """The rows of the owner office and its province's, read under a share lock on PostgreSQL.

    The lock closes a race with a group being linked at the same moment: linking updates the
    office row (and then queues the pending cases), so either this waits for the link and sees
    the group, or the link waits for this case's transaction and then finds the case pending.
    Rows are locked in code order, as `staff._link` does, so the two never deadlock."""
    query = select(Office).where(Office.code.in_(sorted({owner, owner[:2]}))).order_by(Office.code)
    return {office.code: office for office in session.scalars(query.with_for_update(read=True))}


def _owner(case: Case) -> tuple[str, str]:
    """The office that owns the case and why: the one routing or a transfer gave it, or rule 1
    for a case not routed yet."""
    if case.office_code and (case.province_code or case.district_code):
        placed, why = routing.owner_office(case.province_code, case.district_code)
        if placed == case.office_code:
            return placed, why
    if case.office_code:
        return case.office_code, f"office {case.office_code} owns the case (transferred by staff)"
    return routing.owner_office(case.province_code, case.district_code)


def _decide(
    owner: str,
    why: str,
    offices: dict[str, Office],
    settings: Settings,
    skip_groups: Collection[str] = (),
) -> tuple[routing.RoutingDecision, str]:
    """Where the card goes (routing's rules over the linked groups that may receive it), and
    the reason to record."""
    groups = {
        code: row.line_group_id
        for code, row in offices.items()
        if row.line_group_id and row.line_group_id not in skip_groups
    }
    admin = settings.ADMIN_GROUP_ID if settings.ADMIN_GROUP_ID not in skip_groups else None
    decision = routing.route_to(owner, why, linked_groups=groups, admin_group=admin)
    reason = decision.reason + (
        f" (after {len(skip_groups)} refused push{'es' if len(skip_groups) > 1 else ''})" if skip_groups else ""
    )
    return decision, reason[:200]


def may_reach_a_group(session: Session, owner: str, settings: Settings) -> bool:
    """Whether a card for this owner office would go to some group now (rule 4)."""
    query = select(Office.code, Office.line_group_id).where(
        Office.code.in_({owner, owner[:2]}), Office.line_group_id.is_not(None)
    )
    groups = {code: group for code, group in session.execute(query) if group}
    return routing.route_to(owner, "", linked_groups=groups, admin_group=settings.ADMIN_GROUP_ID).group_id is not None


def _failed_referral_groups(session: Session, case_id: int) -> set[str]:
    return set(
        session.scalars(
            select(OutboxMessage.to).where(
                OutboxMessage.case_id == case_id,
                OutboxMessage.kind.in_(DELIVERY_KINDS),
                OutboxMessage.status == "failed",
            )
        )
    )


def _push_kind(session: Session, case: Case) -> str:
    """`referral` for a case whose referral has not gone out (or failed), else `transfer`."""
    sent = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.case_id == case.id,
            OutboxMessage.kind == "referral",
            OutboxMessage.status.in_(("pending", "delivered")),
        )
    )
    return "referral" if sent is None else "transfer"


def deliver_referral(
    session: Session,
    case: Case,
    now: datetime,
    settings: Settings,
    *,
    skip_groups: Collection[str] = (),
    owner: tuple[str, str] | None = None,
    kind: str | None = None,
    lead: Sequence[Message] = (),
) -> routing.RoutingDecision:
    """Route the case and queue its one card push (or leave it pending and visible).

    `skip_groups` are groups whose push of this card LINE refused for good; `owner` (code,
    why) names the owning office when it is not the case's own (a transfer); `kind` is one of
    `DELIVERY_KINDS` (by default what the case's pushes so far allow); `lead` goes before the
    card in the same push."""
    kind = kind or _push_kind(session, case)
    return _deliver(session, case, now, settings, skip_groups, owner=owner, kind=kind, lead=lead)[0]


def withdraw_card(session: Session, case: Case) -> None:
    """Cancel the case's card pushes still on their way (the case now goes elsewhere)."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.case_id == case.id,
            OutboxMessage.kind.in_(DELIVERY_KINDS),
            OutboxMessage.status == "pending",
        )
        .values(status="cancelled")
    )


def _deliver(
    session: Session,
    case: Case,
    now: datetime,
    settings: Settings,
    skip_groups: Collection[str] = (),
    *,
    owner: tuple[str, str] | None = None,
    kind: str = "referral",
    lead: Sequence[Message] = (),
) -> tuple[routing.RoutingDecision, Office | None]:
    code, why = owner or _owner(case)
    offices = _routing_offices(session, code)
    decision, reason = _decide(code, why, offices, settings, skip_groups)
    case.office_code = decision.office_code
    case.routing_reason = reason
    case.delivered_to = None
    office = offices.get(decision.office_code)
    if decision.group_id is None:
        log.warning("case %s: no group to deliver to; pending", case.id)
        return decision, office
    heading, alt_prefix = _CARD_HEADINGS[kind]
    card = cards.referral_card(
        case, office.name if office else decision.office_code, heading=heading, alt_prefix=alt_prefix
    )
    enqueue(
        session,
        decision.group_id,
        [*lead, card],
        kind=kind,
        now=now,
        case_id=case.id,
        target=decision.delivered_to,
    )
    return decision, office


def mark_delivered(session: Session, row: OutboxMessage, now: datetime) -> None:
    case = session.get(Case, row.case_id) if row.case_id else None
    if case is not None:
        case.delivery_status = "delivered"
        case.delivered_to = row.target
        case.delivered_at = now


def referral_refused(
    session: Session, row: OutboxMessage, now: datetime, settings: Settings
) -> routing.RoutingDecision | None:
    """LINE refused a card push (`DELIVERY_KINDS`) for good: send the card, with what came
    before it, to the next group in line."""
    case = session.get(Case, row.case_id) if row.case_id else None
    if case is None or case.status == "closed" or case.delivery_status == "delivered":
        return None
    session.flush()  # the refused row is `failed` before the next one is written
    decision = deliver_referral(
        session,
        case,
        now,
        settings,
        skip_groups=_failed_referral_groups(session, case.id),
        kind=row.kind,
        lead=list(row.messages or [])[:-1],
    )
    log.warning(
        "case %s: referral push refused; now %s",
        case.id,
        f"to {decision.delivered_to}" if decision.group_id else "pending",
    )
    return decision


def queue_pending_for(session: Session, office: Office, now: datetime, settings: Settings) -> int:
    """After a group links: queue the referrals that had nowhere to go and that this office's
    group may receive (its own cases; for a provincial office, every case in the province).
    Whatever happened before: a group linked again gets the cards it once refused (the bot
    had been removed from it, say), since linking says it wants them now."""
    # A case's owner office (`office_code`) is set when it is first routed, even while it waits.
    query = select(Case).where(Case.delivery_status == "pending", Case.status.in_(OPEN_STATUSES))
    if office.kind == "district":
        query = query.where(Case.office_code == office.code)
    else:
        query = query.where(Case.office_code.startswith(office.province_code, autoescape=True))
    on_the_way = select(OutboxMessage.case_id).where(
        OutboxMessage.kind.in_(DELIVERY_KINDS), OutboxMessage.status == "pending", OutboxMessage.case_id.is_not(None)
    )
    queued = 0
    for case in session.scalars(query.where(Case.id.not_in(on_the_way)).order_by(Case.id)):
        if deliver_referral(session, case, now, settings).group_id:
            queued += 1
    return queued


def change_status(
    session: Session,
    case: Case,
    to_status: str,
    *,
    actor: str,
    now: datetime,
    note: str | None = None,
    actor_id: str | None = None,
) -> None:
    session.add(
        CaseEvent(
            case_id=case.id,
            actor=actor[:120],
            actor_id=actor_id,
            at=now,
            from_status=case.status,
            to_status=to_status,
            note=note,
        )
    )
    case.status = to_status
    if to_status == "accepted":
        case.accepted_at, case.accepted_by = now, actor[:120]
    elif to_status == "contacted":
        case.contacted_at = now
    elif to_status == "enrolled":
        case.enrolled_at = now
    elif to_status == "closed":
        case.closed_at = now
        case.close_reason = note


def staff_group(session: Session, case: Case, settings: Settings) -> str | None:
    """The group to tell about a case: its own office's group when linked, else the group
    that has its card (or is about to get it)."""
    own = group_of_target(session, case.office_code, settings) if case.office_code else None
    if own:
        return own
    if case.delivery_status == "delivered":
        return group_of_target(session, case.delivered_to, settings)
    return session.scalar(
        select(OutboxMessage.to).where(
            OutboxMessage.case_id == case.id,
            OutboxMessage.kind.in_(DELIVERY_KINDS),
            OutboxMessage.status == "pending",
        )
    )


# -- SLA ------------------------------------------------------------------------------------


def check_slas(services: Services) -> int:
    """Referrals delivered but not accepted within `REFERRAL_SLA_HOURS`: the card is sent again
    to the case's office (its own group when linked now, else the group that got the card),
    and the case is escalated, once, to the provincial group (the admin group when the
    province has none or already got the reminder)."""
    settings = services.settings
    now = services.clock.now()
    # Overdue (`lifecycle.overdue`), with its card in a group, and not escalated yet.
    overdue_now = (
        lifecycle.overdue(now, settings.REFERRAL_SLA_HOURS),
        Case.escalated_at.is_(None),
        Case.delivery_status == "delivered",
    )
    # This runs every worker cycle: a read first, so an idle worker takes no write lock.
    with services.db.transaction(write=False) as tx:
        session = tx.session
        if session.scalar(select(Case.id).where(*overdue_now).limit(1)) is None:
            return 0
    actions = 0
    with services.db.transaction() as tx:
        session = tx.session
        # Workers on several machines: each overdue case is reminded by one of them, and never
        # while a staff tap holds it.
        query = select(Case).where(*overdue_now).order_by(Case.id).limit(50).with_for_update(skip_locked=True)
        overdue = session.scalars(query).all()
        if not overdue:
            return 0
        groups = linked_groups(session)
        for case in overdue:
            office = office_of(session, case.office_code)
            office_name = office.name if office else (case.office_code or "")
            reminder_to = groups.get(case.office_code or "") or group_of_target(session, case.delivered_to, settings)
            card_heading = texts.reminder_card_heading(settings.REFERRAL_SLA_HOURS)
            if reminder_to:
                card = cards.referral_card(case, office_name, heading=card_heading, alt_prefix=texts.REMINDER_CARD_ALT)
                enqueue(
                    session,
                    reminder_to,
                    [text(texts.sla_reminder(case.ref or "", case.name, settings.REFERRAL_SLA_HOURS)), card],
                    kind="reminder",
                    now=now,
                    case_id=case.id,
                )
                case.reminded_at = now
            province_group = groups.get(case.province_code or "")
            escalate_to = next((g for g in (province_group, settings.ADMIN_GROUP_ID) if g and g != reminder_to), None)
            if escalate_to:
                card = cards.referral_card(
                    case, office_name, heading=texts.ESCALATION_CARD_HEADING, alt_prefix=texts.ESCALATION_CARD_HEADING
                )
                enqueue(
                    session,
                    escalate_to,
                    [text(texts.sla_escalation(case.ref or "", office_name, settings.REFERRAL_SLA_HOURS)), card],
                    kind="escalation",
                    now=now,
                    case_id=case.id,
                )
            if not reminder_to and not escalate_to:
                log.warning("case %s: overdue, but no group to remind or escalate to", case.id)
            case.escalated_at = now
            actions += 1
    return actions
