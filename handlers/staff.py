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
    if previous is not None and previous.code != office.code:
        previous.line_group_id = None
    office.line_group_id, office.linked_at = group, now
    link.used_at, link.used_by_group = now, group
    session.flush()
    queued = referrals.queue_pending_for(session, office, now, ctx.services.settings)
    extra = f"\nมีเรื่องที่รออยู่ {queued} เรื่อง กำลังส่งเข้ากลุ่มนี้ค่ะ" if queued else ""
    log.info("office %s linked to a group", office.code)
    return Reply([text(f"✅ เชื่อมกลุ่มนี้กับ {office.name} เรียบร้อยแล้วค่ะ\nเรื่องสมัครเรียนในพื้นที่จะส่งเข้ากลุ่มนี้ กด \"รับเรื่อง\" ที่การ์ดเพื่อดูแลได้เลยค่ะ{extra}")])


def _open_cases(ctx: Context) -> Reply | None:
    office = ctx.session.scalar(select(Office).where(Office.line_group_id == ctx.chat_id))
    if office is None:
        return None
    query = select(Case).where(Case.status.in_(("new", "accepted", "contacted")))
    query = query.where(Case.office_code == office.code) if office.kind == "district" else query.where(Case.province_code == office.code)
    cases = ctx.session.scalars(query.order_by(Case.id).limit(20)).all()
    if not cases:
        return Reply([text(f"{office.name}: ไม่มีเรื่องค้างค่ะ 👍")])
    names = {"new": "รอรับเรื่อง", "accepted": "รับแล้ว", "contacted": "ติดต่อแล้ว"}
    lines = [f"• {c.ref} {c.name or '-'} — {names[c.status]}" for c in cases]
    return Reply([text(f"เรื่องที่ยังเปิดอยู่ของ {office.name} ({len(cases)})\n" + "\n".join(lines))])


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
    office = ctx.session.scalar(select(Office).where(Office.line_group_id == ctx.chat_id))
    if office is not None:
        office.line_group_id = None
        log.info("office %s unlinked: the bot left its group", office.code)
    return None


def _actor(ctx: Context) -> str:
    name = None
    if ctx.chat_id and ctx.user_id and ctx.source_type == "group":
        name = ctx.services.line.group_member_name(ctx.chat_id, ctx.user_id)
    return name or "เจ้าหน้าที่"


def _may_act(ctx: Context, case: Case) -> bool:
    office = ctx.session.scalar(select(Office).where(Office.line_group_id == ctx.chat_id))
    if office is not None:
        return office.code in (case.office_code, case.province_code) or office.code == case.delivered_to
    return bool(ctx.services.settings.ADMIN_GROUP_ID and ctx.chat_id == ctx.services.settings.ADMIN_GROUP_ID)


def _notify_youth(ctx: Context, case: Case, body: str) -> None:
    if case.line_user_id:
        enqueue(ctx.session, case.line_user_id, [text(body)], kind="notify", now=ctx.now, case_id=case.id)


def handle_postback(ctx: Context) -> Reply | None:
    postback = ctx.event.get("postback")
    data = postback.get("data") if isinstance(postback, dict) else None
    if not isinstance(data, str):
        return None
    params = {k: v[0] for k, v in parse_qs(data).items()}
    if not params.get("case", "").isdigit() or params.get("action") not in cards.ACTIONS:
        return None
    case = ctx.session.get(Case, int(params["case"]), with_for_update=ctx.session.get_bind().dialect.name == "postgresql")
    if case is None:
        return Reply([text("ไม่พบเรื่องนี้ในระบบค่ะ")])
    if not _may_act(ctx, case):
        return Reply([text(f"กลุ่มนี้ไม่ได้ดูแลเรื่อง {case.ref} ค่ะ")])
    action, who = params["action"], _actor(ctx)
    office = referrals.office_of(ctx.session, case.office_code)
    office_name = office.name if office else "ศูนย์ สกร."
    if case.status == "closed":
        return Reply([text(f"เรื่อง {case.ref} ปิดไปแล้วค่ะ ({cards.CLOSE_REASONS.get(case.close_reason or '', case.close_reason or '-')})")])
    if action == "accept":
        if case.status != "new":
            when = case.accepted_at.astimezone(referrals.BANGKOK).strftime("%d/%m %H:%M") if case.accepted_at else "-"
            return Reply([text(f"เรื่อง {case.ref} คุณ{case.accepted_by or 'เจ้าหน้าที่'} รับไปแล้วเมื่อ {when} ค่ะ")])
        referrals.change_status(ctx.session, case, "accepted", actor=who, now=ctx.now)
        _notify_youth(ctx, case, f"ข่าวดีค่ะ 🎉 เจ้าหน้าที่ {office_name} รับเรื่อง {case.ref} แล้ว จะติดต่อกลับเร็ว ๆ นี้นะคะ")
        return Reply([text(f"✅ คุณ{who} รับเรื่อง {case.ref} แล้วค่ะ" + (f"\nโทร {case.phone}" if case.phone else "\nผู้สมัครสะดวกติดต่อทางไลน์ (ตอบผ่านบอท)"))])
    if action == "close":
        reason = params.get("reason")
        if reason not in cards.CLOSE_REASONS:
            return Reply([cards.close_reasons_message(case)])
        referrals.change_status(ctx.session, case, "closed", actor=who, now=ctx.now, note=reason)
        return Reply([text(f"ปิดเรื่อง {case.ref} แล้วค่ะ ({cards.CLOSE_REASONS[reason]})")])
    if case.status == "new":
        # Contacting or enrolling implies someone took the case: record the acceptance too.
        referrals.change_status(ctx.session, case, "accepted", actor=who, now=ctx.now)
    order = ["new", "accepted", "contacted", "enrolled"]
    if order.index(action) <= order.index(case.status):
        names = {"accepted": "รับเรื่องแล้ว", "contacted": "ติดต่อแล้ว", "enrolled": "ลงทะเบียนเรียนแล้ว"}
        return Reply([text(f"เรื่อง {case.ref} อยู่ในสถานะ \"{names.get(case.status, case.status)}\" แล้วค่ะ")])
    referrals.change_status(ctx.session, case, action, actor=who, now=ctx.now)
    if action == "enrolled":
        _notify_youth(ctx, case, f"ยินดีด้วยค่ะ 🎓 ลงทะเบียนเรียนกับ {office_name} เรียบร้อยแล้ว ขอให้สนุกกับการเรียนนะคะ")
        return Reply([text(f"🎓 บันทึกแล้วค่ะ {case.ref} ลงทะเบียนเรียนแล้ว (โดยคุณ{who})")])
    return Reply([text(f"📞 บันทึกแล้วค่ะ {case.ref} ติดต่อผู้สมัครแล้ว (โดยคุณ{who})")])
