"""Cases: creation with a reference, routing, the referral push, status changes, SLAs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import Services
from handlers import cards, routing
from models import Case, CaseEvent, Office, OutboxMessage
from models.outbox import enqueue

log = logging.getLogger(__name__)
BANGKOK = ZoneInfo("Asia/Bangkok")
STATUSES = ("new", "accepted", "contacted", "enrolled", "closed")


def make_ref(case_id: int, created_at: datetime) -> str:
    return f"RT-{created_at.astimezone(BANGKOK).year + 543}-{case_id:06d}"


def linked_groups(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Office.code, Office.line_group_id).where(Office.line_group_id.is_not(None))).all())


def create_case(session: Session, slots: dict[str, Any], *, line_user_id: str, now: datetime, settings: Any) -> Case:
    age = slots.get("age")
    if age is None and slots.get("birth_year_be"):
        age = now.astimezone(BANGKOK).year + 543 - int(slots["birth_year_be"])
    province = slots.get("province") or (slots.get("district") or "")[:2] or None
    flags = routing.referral_fields({**slots, "age": age})
    case = Case(
        status="new",
        line_user_id=line_user_id,
        name=slots.get("name"),
        phone=slots.get("phone"),
        role=slots.get("role"),
        age=age,
        grade=slots.get("grade"),
        grade_status=slots.get("grade_status"),
        next_level=flags["next_level"],
        province_code=province,
        district_code=slots.get("district"),
        subdistrict_code=slots.get("subdistrict"),
        reason=slots.get("reason"),
        path=slots.get("path"),
        compulsory_age=flags["compulsory_age"],
        created_at=now,
        delivery_status="pending",
    )
    session.add(case)
    session.flush()
    case.ref = make_ref(case.id, now)
    session.add(CaseEvent(case_id=case.id, actor="applicant", at=now, from_status=None, to_status="new"))
    deliver_referral(session, case, now, settings)
    return case


def office_of(session: Session, code: str | None) -> Office | None:
    return session.get(Office, code) if code else None


def deliver_referral(session: Session, case: Case, now: datetime, settings: Any) -> routing.RoutingDecision:
    """Route the case and queue its one referral push (or leave it pending and visible)."""
    decision = routing.route(case.province_code, case.district_code, linked_groups=linked_groups(session), admin_group=settings.ADMIN_GROUP_ID)
    case.office_code = decision.office_code
    case.routing_reason = decision.reason[:200]
    if decision.group_id is None:
        log.warning("case %s: no group to deliver to; pending", case.id)
        return decision
    office = office_of(session, decision.office_code)
    card = cards.referral_card(case, office.name if office else decision.office_code)
    enqueue(session, decision.group_id, [card], kind="referral", now=now, case_id=case.id, target=decision.delivered_to)
    case.delivered_to = None
    return decision


def mark_delivered(session: Session, row: OutboxMessage, now: datetime) -> None:
    case = session.get(Case, row.case_id) if row.case_id else None
    if case is not None:
        case.delivery_status = "delivered"
        case.delivered_to = row.target


def queue_pending_for(session: Session, office: Office, now: datetime, settings: Any) -> int:
    """After a group links: queue the referrals that had nowhere to go."""
    waiting = session.scalars(
        select(Case).where(Case.delivery_status == "pending", Case.status != "closed", Case.province_code == office.province_code)
    ).all()
    queued = 0
    for case in waiting:
        already = session.scalar(select(OutboxMessage.id).where(OutboxMessage.case_id == case.id, OutboxMessage.kind == "referral", OutboxMessage.status == "pending"))
        if already:
            continue
        if office.kind == "district" and case.district_code != office.code:
            continue
        if deliver_referral(session, case, now, settings).group_id:
            queued += 1
    return queued


def change_status(session: Session, case: Case, to_status: str, *, actor: str, now: datetime, note: str | None = None) -> None:
    session.add(CaseEvent(case_id=case.id, actor=actor[:120], at=now, from_status=case.status, to_status=to_status, note=note))
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


def _sla_text(case: Case, hours: float) -> str:
    return f"⏰ เตือน: เรื่อง {case.ref} ({case.name or 'ผู้สมัคร'}) ยังไม่มีผู้รับเรื่องเกิน {hours:g} ชั่วโมง กด \"รับเรื่อง\" ที่การ์ดเดิมได้เลยค่ะ"


def check_slas(services: Services) -> int:
    """Remind the office and escalate once to the province for referrals not accepted in time."""
    settings = services.settings
    now = services.clock.now()
    limit = now - timedelta(hours=settings.REFERRAL_SLA_HOURS)
    actions = 0
    with services.db.transaction() as session:
        overdue = session.scalars(
            select(Case).where(Case.status == "new", Case.escalated_at.is_(None), Case.created_at <= limit, Case.delivery_status == "delivered").limit(50)
        ).all()
        groups = linked_groups(session)
        for case in overdue:
            office = office_of(session, case.office_code)
            office_group = groups.get(case.delivered_to) if case.delivered_to != "admin" else settings.ADMIN_GROUP_ID
            if office_group:
                reminder = cards.referral_card(case, office.name if office else "", heading="⏰ เตือน: เรื่องนี้ยังไม่มีผู้รับ")
                enqueue(session, office_group, [{"type": "text", "text": _sla_text(case, settings.REFERRAL_SLA_HOURS)}, reminder], kind="reminder", now=now, case_id=case.id)
                case.reminded_at = now
            province_group = groups.get(case.province_code or "")
            target = province_group if province_group and province_group != office_group else settings.ADMIN_GROUP_ID
            if target and target != office_group:
                text = (
                    f"🔺 ส่งต่อเพื่อติดตาม: เรื่อง {case.ref} ของ {office.name if office else case.office_code} "
                    f"ยังไม่มีผู้รับเรื่องเกิน {settings.REFERRAL_SLA_HOURS:g} ชั่วโมง รบกวนช่วยประสานด้วยค่ะ"
                )
                enqueue(session, target, [{"type": "text", "text": text}], kind="escalation", now=now, case_id=case.id)
            case.escalated_at = now
            actions += 1
    return actions
