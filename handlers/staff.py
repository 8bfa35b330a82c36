"""Office staff in LINE groups: linking a group to an office, and the referral card buttons.

In a group the bot answers only its commands (`ลงทะเบียน CODE`, `เรื่องค้าง`) and button
taps, never chatter.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import cards, referrals
from handlers.context import Context, Reply
from handlers.messages import text
from models import Case, LinkAttempt, LinkCode, Office
from models.outbox import enqueue

log = logging.getLogger(__name__)

LINK_CODE_TTL = timedelta(minutes=30)
MAX_FAILED_LINKS = 5
FAILED_LINK_WINDOW = timedelta(minutes=15)
_LINK = re.compile(r"^\s*ลงทะเบียน\s*([A-Za-z0-9]{4,16})\s*$")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class UnknownOffice(Exception):
    """No office has that code."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def create_link_code(session: Session, office_code: str, now: datetime) -> str:
    """A one-time code for `ลงทะเบียน CODE`; only its hash is stored; valid 30 minutes."""
    if session.get(Office, office_code) is None:
        raise UnknownOffice(office_code)
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    session.add(LinkCode(office_code=office_code, code_hash=_hash(code), created_at=now, expires_at=now + LINK_CODE_TTL))
    return code


def _link(ctx: Context, code: str) -> Reply:
    session, group, now = ctx.session, ctx.chat_id or "", ctx.now
    recent_failures = session.scalar(
        select(func.count()).select_from(LinkAttempt).where(LinkAttempt.group_id == group, LinkAttempt.at > now - FAILED_LINK_WINDOW)
    )
    if recent_failures >= MAX_FAILED_LINKS:
        return Reply([text("ลองรหัสผิดหลายครั้งเกินไปค่ะ กรุณารอ 15 นาทีแล้วลองใหม่ หรือขอรหัสใหม่จากผู้ดูแลระบบนะคะ")])
    link = session.scalar(select(LinkCode).where(LinkCode.code_hash == _hash(code)))
    if link is None or link.used_at is not None or link.expires_at < now:
        session.add(LinkAttempt(group_id=group, at=now))
        why = "หมดอายุแล้ว" if link is not None and link.expires_at < now else ("ถูกใช้ไปแล้ว" if link is not None else "ไม่ถูกต้อง")
        return Reply([text(f"รหัสนี้{why}ค่ะ ตรวจสอบรหัสอีกครั้ง หรือขอรหัสใหม่จากผู้ดูแลระบบนะคะ")])
    office = session.get(Office, link.office_code)
    assert office is not None
    previous = session.scalar(select(Office).where(Office.line_group_id == group))
    if session.get_bind().dialect.name == "postgresql":
        # Lock the office rows in code order, as routing does (`referrals._routing_offices`).
        codes = sorted({office.code} | ({previous.code} if previous is not None else set()))
        session.execute(select(Office.code).where(Office.code.in_(codes)).order_by(Office.code).with_for_update())
        session.refresh(office)
    notes = []
    if previous is not None and previous.code != office.code:
        previous.line_group_id = None
        session.flush()  # free the group id (unique) before the new office takes it
        notes.append(f"กลุ่มนี้เลิกรับเรื่องของ{previous.name}แล้วนะคะ")
    if office.line_group_id and office.line_group_id != group:
        notes.append("ก่อนหน้านี้ศูนย์นี้เชื่อมกับอีกกลุ่มหนึ่ง ตอนนี้ย้ายมารับเรื่องที่กลุ่มนี้แทนแล้วค่ะ")
    office.line_group_id, office.linked_at = group, now
    link.used_at, link.used_by_group = now, group
    session.flush()
    queued = referrals.queue_pending_for(session, office, now, ctx.services.settings)
    if queued:
        notes.append(f"มีเรื่องที่รออยู่ {queued} เรื่อง กำลังส่งการ์ดเข้ากลุ่มนี้ค่ะ")
    log.info("office %s linked to a group", office.code)
    lines = [
        f"✅ เชื่อมกลุ่มนี้กับ{office.name} เรียบร้อยแล้วค่ะ",
        "เรื่องสมัครเรียนในพื้นที่จะส่งเข้ากลุ่มนี้ กด \"รับเรื่อง\" ที่การ์ดเพื่อดูแลได้เลยค่ะ",
        "พิมพ์ \"เรื่องค้าง\" เมื่อไหร่ก็ได้ เพื่อดูเรื่องที่ยังเปิดอยู่นะคะ",
        *notes,
    ]
    return Reply([text("\n".join(lines))])


def _responsible_office(ctx: Context) -> Office | None:
    return ctx.session.scalar(select(Office).where(Office.line_group_id == ctx.chat_id)) if ctx.chat_id else None


OPEN_NAMES = {"new": "รอรับเรื่อง", "accepted": "รับแล้ว", "contacted": "ติดต่อแล้ว"}


def _open_cases(ctx: Context) -> Reply | None:
    """`เรื่องค้าง`: the open cases of this group's office (of the province, for a provincial
    group; those delivered to it or still undelivered, for the admin group), as a list and as
    cards with their buttons — a reply, so it costs nothing and is not a second referral push."""
    office = _responsible_office(ctx)
    query = select(Case).where(Case.status.in_(referrals.OPEN_STATUSES))
    if office is not None:
        query = query.where(Case.office_code == office.code) if office.kind == "district" else query.where(Case.province_code == office.code)
        title = office.name
    elif ctx.services.settings.ADMIN_GROUP_ID and ctx.chat_id == ctx.services.settings.ADMIN_GROUP_ID:
        query = query.where((Case.delivered_to == "admin") | (Case.delivery_status == "pending"))
        title = "กลุ่มผู้ดูแลระบบ"
    else:
        return None  # not a group of ours: stay quiet
    total = ctx.session.scalar(select(func.count()).select_from(query.subquery()))
    if not total:
        return Reply([text(f"{title}: ไม่มีเรื่องค้างค่ะ 👍")])
    cases = ctx.session.scalars(query.order_by(Case.status != "new", Case.id).limit(20)).all()
    lines = []
    for case in cases:
        pending = " (การ์ดยังไม่ถึงกลุ่มใด)" if case.delivery_status == "pending" else ""
        lines.append(f"• {case.ref} {case.name or '-'} — {OPEN_NAMES[case.status]}{pending}")
    more = f"\n…และอีก {total - len(cases)} เรื่อง" if total > len(cases) else ""
    summary = text(f"เรื่องที่ยังเปิดอยู่ของ{title} ({total} เรื่อง)\n" + "\n".join(lines) + more)
    names = {o.code: o.name for o in ctx.session.scalars(select(Office).where(Office.code.in_({c.office_code for c in cases if c.office_code})))}
    carousel = cards.cards_carousel(list(cases), names, alt=f"เรื่องที่ยังเปิดอยู่ {total} เรื่อง")
    return Reply([summary, carousel])


def handle_group_message(ctx: Context) -> Reply | None:
    message = ctx.event.get("message")
    if not isinstance(message, dict) or message.get("type") != "text" or not isinstance(message.get("text"), str):
        return None
    said = message["text"].strip()
    match = _LINK.match(said)
    if match:
        return _link(ctx, match.group(1))
    if said in ("เรื่องค้าง", "สรุปเรื่อง"):
        return _open_cases(ctx)
    return None  # chatter: stay quiet


def handle_join(ctx: Context) -> Reply | None:
    return Reply([text("สวัสดีค่ะ 😊 น้องบอทเรียนต่อ ยินดีช่วยงานค่ะ\nให้ผู้ดูแลระบบออกรหัสให้ แล้วพิมพ์ \"ลงทะเบียน รหัส\" ในกลุ่มนี้ เพื่อรับเรื่องสมัครเรียนของศูนย์ค่ะ")])


def handle_leave(ctx: Context) -> Reply | None:
    office = _responsible_office(ctx)
    if office is not None:
        office.line_group_id = None
        log.info("office %s unlinked: the bot left its group", office.code)
    return None


def _actor(ctx: Context) -> tuple[str | None, str | None]:
    """The tapping staff member's display name (None when LINE does not tell) and user id."""
    name = None
    if ctx.chat_id and ctx.user_id and ctx.source_type == "group":
        name = ctx.services.line.group_member_name(ctx.chat_id, ctx.user_id)
    return (name.strip()[:100] or None) if name else None, ctx.user_id


def _called(name: str | None) -> str:
    """How the bot refers to a staff member in the group."""
    return f"คุณ{name}" if name and name != UNKNOWN_STAFF else "เจ้าหน้าที่"


UNKNOWN_STAFF = "เจ้าหน้าที่"


def _may_act(ctx: Context, case: Case) -> bool:
    office = _responsible_office(ctx)
    if office is not None:
        return office.code in (case.office_code, case.province_code) or office.code == case.delivered_to
    return bool(ctx.services.settings.ADMIN_GROUP_ID and ctx.chat_id == ctx.services.settings.ADMIN_GROUP_ID)


def _notify_youth(ctx: Context, case: Case, body: str) -> None:
    if case.line_user_id:
        enqueue(ctx.session, case.line_user_id, [text(body)], kind="notify", now=ctx.now, case_id=case.id)


def _office_phone(office: Office | None) -> str:
    return f"\nติดต่อศูนย์ได้ที่ โทร {office.phone}" if office is not None and office.phone else ""


def _accepted(ctx: Context, case: Case, office: Office | None, office_name: str) -> None:
    _notify_youth(ctx, case, f"ข่าวดีค่ะ 🎉 เจ้าหน้าที่{office_name} รับเรื่อง {case.ref} แล้ว จะติดต่อกลับเร็ว ๆ นี้นะคะ" + _office_phone(office))


def _contact_line(case: Case, office: Office | None) -> str:
    if case.phone:
        return f"\nโทร {case.phone}"
    if office is not None and office.phone:
        return "\nผู้สมัครไม่ได้ให้เบอร์โทรไว้ (สะดวกทางไลน์) น้องบอทแจ้งเบอร์ศูนย์ให้ผู้สมัครโทรกลับแล้วค่ะ"
    return "\nผู้สมัครไม่ได้ให้เบอร์โทรไว้ (สะดวกทางไลน์) และยังไม่มีเบอร์ศูนย์ในระบบ รบกวนแจ้งผู้ดูแลระบบเพิ่มเบอร์ศูนย์ด้วยนะคะ"


def handle_postback(ctx: Context) -> Reply | None:
    postback = ctx.event.get("postback")
    data = postback.get("data") if isinstance(postback, dict) else None
    if not isinstance(data, str):
        return None
    params = {k: v[0] for k, v in parse_qs(data).items()}
    if not params.get("case", "").isdigit() or params.get("action") not in cards.ACTIONS:
        return None
    # Ask LINE who tapped before the case row is locked: the lock is held only for the change.
    name, actor_id = _actor(ctx)
    who, called = name or UNKNOWN_STAFF, _called(name)
    case = ctx.session.get(Case, int(params["case"]), with_for_update=ctx.session.get_bind().dialect.name == "postgresql")
    if case is None:
        return Reply([text("ไม่พบเรื่องนี้ในระบบค่ะ")])
    if not _may_act(ctx, case):
        return Reply([text(f"กลุ่มนี้ไม่ได้ดูแลเรื่อง {case.ref} ค่ะ")])
    action = params["action"]
    office = referrals.office_of(ctx.session, case.office_code)
    office_name = office.name if office else "ศูนย์ สกร."

    def change(to_status: str, note: str | None = None) -> None:
        referrals.change_status(ctx.session, case, to_status, actor=who, actor_id=actor_id, now=ctx.now, note=note)

    if case.status == "closed":
        reason = cards.CLOSE_REASONS.get(case.close_reason or "", case.close_reason or "-")
        return Reply([text(f"เรื่อง {case.ref} ปิดไปแล้วค่ะ ({reason})")])
    if action == "accept":
        if case.status != "new":
            when = case.accepted_at.astimezone(referrals.BANGKOK).strftime("%d/%m %H:%M น.") if case.accepted_at else "-"
            now_at = f" ตอนนี้อยู่ในขั้น \"{STEP_NAMES[case.status]}\"" if case.status != "accepted" else ""
            return Reply([text(f"เรื่อง {case.ref} {_called(case.accepted_by)} รับไปแล้วเมื่อ {when} ค่ะ{now_at}")])
        change("accepted")
        _accepted(ctx, case, office, office_name)
        return Reply([text(f"✅ {called} รับเรื่อง {case.ref} แล้วค่ะ" + _contact_line(case, office))])
    if action == "close":
        reason = params.get("reason")
        if reason not in cards.CLOSE_REASONS:
            return Reply([cards.close_reasons_message(case)])
        change("closed", reason)
        return Reply([text(f"ปิดเรื่อง {case.ref} แล้วค่ะ ({cards.CLOSE_REASONS[reason]}) โดย{called}")])
    order = ["new", "accepted", "contacted", "enrolled"]
    if order.index(action) <= order.index(case.status):
        return Reply([text(f"เรื่อง {case.ref} อยู่ในขั้น \"{STEP_NAMES[case.status]}\" แล้วค่ะ")])
    implicit_accept = case.status == "new"
    if implicit_accept:
        # Contacting or enrolling means someone took the case: record the acceptance too.
        change("accepted")
    change(action)
    if action == "enrolled":
        _notify_youth(ctx, case, f"ยินดีด้วยค่ะ 🎓 ลงทะเบียนเรียนกับ{office_name} เรียบร้อยแล้ว ขอให้สนุกกับการเรียนนะคะ")
        return Reply([text(f"🎓 บันทึกแล้วค่ะ {case.ref} ลงทะเบียนเรียนแล้ว (โดย{called})")])
    if implicit_accept:
        _accepted(ctx, case, office, office_name)
    return Reply([text(f"📞 บันทึกแล้วค่ะ {case.ref} ติดต่อผู้สมัครแล้ว (โดย{called})")])


STEP_NAMES = {"accepted": "รับเรื่องแล้ว", "contacted": "ติดต่อแล้ว", "enrolled": "ลงทะเบียนเรียนแล้ว"}
