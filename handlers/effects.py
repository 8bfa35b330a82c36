"""The dialogue's effects, executed inside the message's transaction. Each returns the extra
reply messages it adds (≤ 2)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from handlers import cards, knowledge, menus, offices, referrals, texts
from handlers.context import Context, Message
from handlers.dialogue import Effect
from handlers.messages import text
from models import Case, Consent, InboundEvent, Office
from models import Conversation
from models.outbox import enqueue

log = logging.getLogger(__name__)

STATUS_NAMES = {
    "new": "รอเจ้าหน้าที่รับเรื่อง",
    "accepted": "เจ้าหน้าที่รับเรื่องแล้ว กำลังจะติดต่อกลับ",
    "contacted": "เจ้าหน้าที่ติดต่อแล้ว",
    "enrolled": "ลงทะเบียนเรียนแล้ว 🎉",
    "closed": "ปิดเรื่องแล้ว",
}


def office_contact(office: Any, local_mode: bool = False) -> str:
    """An office's name and how to reach it (`office`: an `Office` or a row of its table)."""
    return offices.contact_text(office, local_mode=local_mode)


_INSERT_CONSENT = insert(Consent.__table__)


def _consent(ctx: Context, conversation: Conversation, effect: Effect) -> list[Message]:
    # One Core statement: nothing else in this event needs an ORM session.
    ctx.connection.execute(
        _INSERT_CONSENT,
        {"line_user_id": ctx.user_id, "text_version": ctx.services.settings.CONSENT_TEXT_VERSION, "granted": bool(effect.data.get("granted")), "at": ctx.now},
    )
    return []


def _submit(ctx: Context, conversation: Conversation, effect: Effect) -> list[Message]:
    slots = dict(effect.data.get("slots") or {})
    case, office = referrals.create_case(ctx.session, slots, line_user_id=ctx.user_id or "", now=ctx.now, settings=ctx.services.settings)
    menus.queue_link(ctx.connection, ctx.user_id, ctx.now, menus.CASE_OPEN)  # the rich menu of a user with a case
    contact = offices.contact_of(office, local_mode=ctx.services.settings.LOCAL_MODE)
    card = cards.confirmation_card(case, contact)
    return [card, text(texts.after_submission(), [texts.ANOTHER, texts.STATUS, texts.HUMAN])]


def _cases_of(ctx: Context) -> list[Case]:
    return list(ctx.session.scalars(select(Case).where(Case.line_user_id == ctx.user_id).order_by(Case.id.desc()).limit(3)))


# One read of the columns the answer shows (nothing here changes a case).
_STATUS_OF_USER = (
    select(Case.ref, Case.name, Case.status, Case.delivery_status, Office.name.label("office_name"), Office.phone.label("office_phone"))
    .outerjoin(Office, Office.code == Case.office_code)
    .where(Case.line_user_id == bindparam("user"))
    .order_by(Case.id.desc())
    .limit(3)
)


def _status(ctx: Context, conversation: Conversation, effect: Effect) -> list[Message]:
    cases = ctx.connection.execute(_STATUS_OF_USER, {"user": ctx.user_id}).all()
    if not cases:
        return [text("ยังไม่มีเรื่องที่ส่งไว้ค่ะ ถ้าอยากสมัครเรียน กด \"อยากกลับไปเรียน\" ได้เลยนะคะ", ["อยากกลับไปเรียน", "ถามข้อมูล"])]
    lines = []
    for case in cases:
        state = STATUS_NAMES.get(case.status, case.status)
        if case.status == "new" and case.delivery_status == "pending":
            state = "รอส่งเรื่องให้ศูนย์ (ระบบจะส่งให้อัตโนมัติ)"
        lines.append(f"เรื่อง {case.ref} ({case.name or 'ผู้สมัคร'}): {state}\nศูนย์: {case.office_name or '-'}" + (f" โทร {case.office_phone}" if case.office_phone else ""))
    return [text("\n\n".join(lines))]


def _human(ctx: Context, conversation: Conversation, effect: Effect) -> list[Message]:
    cases = [c for c in _cases_of(ctx) if c.status != "closed"]
    settings = ctx.services.settings
    if cases:
        case = cases[0]
        case.human_requested_at = ctx.now
        group = referrals.staff_group(ctx.session, case, settings)
        if group:
            body = f"🙋 ผู้สมัครเรื่อง {case.ref} ({case.name or '-'}) ขอคุยกับเจ้าหน้าที่ รบกวนติดต่อกลับด้วยค่ะ" + (f" โทร {case.phone}" if case.phone else "")
            enqueue(ctx.session, group, [text(body)], kind="notify", now=ctx.now, case_id=case.id)
        office = referrals.office_of(ctx.session, case.office_code)
        return [text(f"แจ้งเจ้าหน้าที่ให้แล้วค่ะ จะติดต่อกลับโดยเร็วนะคะ 🙏\nหรือติดต่อศูนย์โดยตรง:\n{office_contact(office, ctx.services.settings.LOCAL_MODE)}")]
    if settings.ADMIN_GROUP_ID:
        enqueue(ctx.session, settings.ADMIN_GROUP_ID, [{"type": "text", "text": "🙋 มีผู้ใช้ขอคุยกับเจ้าหน้าที่ (ยังไม่ได้ส่งเรื่องสมัคร) รบกวนตอบในแชต OA ด้วยค่ะ"}], kind="notify", now=ctx.now)
        return [text("แจ้งเจ้าหน้าที่ให้แล้วค่ะ จะตอบกลับในแชตนี้โดยเร็วนะคะ 🙏")]
    return [text(f"ตอนนี้ยังไม่มีเจ้าหน้าที่ออนไลน์ค่ะ 🙏 {knowledge.department_contact()}\nหรือส่งเรื่องสมัครผ่านแชตนี้ แล้วศูนย์ใกล้บ้านจะติดต่อกลับค่ะ", ["อยากกลับไปเรียน"])]


def _erase(ctx: Context, conversation: Conversation, effect: Effect) -> list[Message]:
    user = ctx.user_id
    erased = referrals.erase_user(ctx.session, user, ctx.now, ctx.services.settings) if user else 0
    ctx.session.execute(update(Consent).where(Consent.line_user_id == user).values(line_user_id=None))
    ctx.session.execute(update(InboundEvent).where(InboundEvent.source_id == user).values(source_id=None))
    conversation.state = {}
    log.info("conversation %s: personal data erased (%d cases)", conversation.id, erased)
    return [text("ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้วค่ะ และแจ้งศูนย์ว่าขอถอนการสมัครแล้ว ถ้าอยากกลับมาสมัครใหม่ ทักมาได้ทุกเมื่อนะคะ", ["อยากกลับไปเรียน"])]


def _office_info(ctx: Context, conversation: Conversation, effect: Effect) -> list[Message]:
    office = referrals.office_of(ctx.session, effect.data.get("district")) or referrals.office_of(ctx.session, effect.data.get("province"))
    return [text(texts.office_answer(office_contact(office, ctx.services.settings.LOCAL_MODE)))]


EXECUTORS = {"consent": _consent, "submit": _submit, "status": _status, "human": _human, "erase": _erase, "office_info": _office_info}


def execute(ctx: Context, conversation: Conversation, effect: Effect) -> list[dict[str, Any]]:
    return EXECUTORS[effect.type](ctx, conversation, effect)
