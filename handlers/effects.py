"""The dialogue's effects (`handlers.dialogue.EffectType`), executed inside the message's
transaction. Each returns the reply messages it adds (a status timeline may be several); the
whole answer is fitted to one LINE call by `handlers.conversation` (`handlers.messages.fitted`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select

from handlers import (
    cards,
    erasure,
    followup,
    menus,
    offices,
    referrals,
    routing,
    texts,
    threads,
)
from handlers.context import Context, Message
from handlers.dialogue import Effect, EffectData, EffectType
from handlers.messages import text
from models import Case, Consent
from models.inbound import LockedConversation

log = logging.getLogger(__name__)


_INSERT_CONSENT = insert(Consent)


def _consent(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    # One Core statement: nothing else in this event needs an ORM session.
    ctx.connection.execute(
        _INSERT_CONSENT,
        {
            "line_user_id": ctx.user_id,
            "text_version": effect.data.get("version") or texts.CONSENT_VERSION,
            "granted": bool(effect.data.get("granted")),
            "at": ctx.now,
        },
    )
    return []


def _submit(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    slots = dict(effect.data.get("slots") or {})
    case, office = referrals.create_case(
        ctx.session, slots, line_user_id=ctx.user_id or "", now=ctx.now, settings=ctx.services.settings
    )
    menus.queue_link(ctx.connection, ctx.user_id, ctx.now, menus.CASE_OPEN)  # the rich menu of a user with a case
    ctx.state_updates[threads.FACT_HAS_CASE] = case.ref  # "คุยกับเจ้าหน้าที่" goes to this case's office
    contact = offices.contact_of(office, local_mode=ctx.services.settings.LOCAL_MODE)
    card = cards.confirmation_card(case, contact)
    return [card, text(texts.after_submission(), [texts.ANOTHER, texts.STATUS, texts.HUMAN])]


def _status(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    """ "เรื่องถึงไหนแล้ว": the timeline of the user's cases, with Thai dates (handlers.followup)."""
    shown = followup.timeline(ctx.session, ctx.user_id or "")
    if not shown:
        return [text(texts.no_case_yet(), [texts.ENROLL, texts.ASK_INFO])]
    return shown


def _human(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    """ "คุยกับเจ้าหน้าที่": a thread with the office (see `_open_thread`)."""
    return _open_thread(ctx, conversation, effect)


def _erase(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    user = ctx.user_id
    # Every copy (cases, consents, events, outbox rows, …): handlers/erasure.py.
    erased = erasure.erase_user(ctx.session, user, ctx.now, ctx.services.settings) if user else 0
    conversation.state = {}
    log.info("conversation %s: personal data erased (%d cases)", conversation.id, erased)
    return [text(texts.data_erased(), [texts.ENROLL])]


def _office_info(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    office = referrals.office_of(ctx.session, effect.data.get("district")) or referrals.office_of(
        ctx.session, effect.data.get("province")
    )
    return [text(texts.office_answer(offices.contact_text(office, local_mode=ctx.services.settings.LOCAL_MODE)))]


# -- threads with staff and the follow-up of a case (DESIGN §2 step 6-7, §9) -------------------


def _latest_case(ctx: Context) -> Case | None:
    return ctx.session.scalar(select(Case).where(Case.line_user_id == ctx.user_id).order_by(Case.id.desc()).limit(1))


def _thread_opened(ctx: Context, thread: threads.Thread) -> None:
    ctx.state_updates[threads.FACT_THREAD] = threads.thread_fact(ctx.session, thread)


def _office_of_place(data: EffectData) -> str | None:
    """The office of the place an enquiry gave (None: no place; its group is then the admin group)."""
    try:
        return routing.owner_office(data.get("province"), data.get("district"))[0]
    except routing.NoProvince:
        return None


def _open_thread(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    """A thread with the office of the user's case; with no case, an enquiry with the office of
    the place in `effect.data` (`province`, `district`). `question` (optional): the first
    message to send in it (a question the bot could not answer)."""
    session, settings, user = ctx.session, ctx.services.settings, ctx.user_id or ""
    question = effect.data.get("question")
    thread = threads.open_thread_of_user(session, user)
    case = _latest_case(ctx) if thread is None else None
    if thread is not None:
        _thread_opened(ctx, thread)
        if not question:
            return [
                text(texts.thread_already_open(threads.office_name(session, thread.office_code)), [texts.LEAVE_THREAD])
            ]
        opened = None
    else:
        # `Effect.data` holds `EffectData` (`Turn.effect`); the cast goes once `Effect.data` is typed so.
        office_code = case.office_code if case is not None else _office_of_place(effect.data)
        group = threads.group_for_office(session, office_code, settings) if case is None else None
        if case is None and group is None:
            # No office group to reach (or no place known and no admin group): its contact instead.
            office = referrals.office_of(session, office_code)
            contact = offices.contact_text(office, local_mode=settings.LOCAL_MODE)
            return [text(texts.no_staff_group(contact), [texts.ENROLL])]
        thread = (
            threads.open_for_case(session, case, ctx.now)
            if case is not None
            else threads.open_enquiry(session, user, office_code, ctx.now)
        )
        if threads.group_of(session, thread, settings) is None:
            threads.close(session, thread, ctx.now, why="applicant", tell_user=False)
            office = referrals.office_of(session, office_code)
            return [text(texts.no_staff_group(offices.contact_text(office, local_mode=settings.LOCAL_MODE)))]
        if case is not None:
            case.human_requested_at = ctx.now
        if not question:
            threads.announce_opened(session, thread, ctx.now, settings)
        _thread_opened(ctx, thread)
        name = threads.office_name(session, thread.office_code)
        label = threads.label_of(session, thread)
        opened = texts.enquiry_opened(name, label) if case is None else texts.thread_opened(name, label)
    replies = [text(opened)] if opened else []
    if question:
        threads.forward(session, thread, str(question)[: threads.MAX_FORWARDED], ctx.now, settings)
        replies.append(text(texts.forwarded(True), [texts.LEAVE_THREAD]))
    else:
        replies[-1] = text(replies[-1]["text"], [texts.LEAVE_THREAD])
    return replies


def _thread_message(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    """A message of the user's while their thread is open: forwarded to the office group."""
    session = ctx.session
    thread = threads.open_thread_of_user(session, ctx.user_id or "")
    if thread is None:
        ctx.state_updates[threads.FACT_THREAD] = None
        return [text(texts.thread_gone(), [texts.HUMAN])]
    raw = ctx.event.get("message")
    message: dict[str, Any] = raw if isinstance(raw, dict) else {"type": "text"}
    masked = ctx.reading[0].text if ctx.reading is not None else None
    body, media = threads.describe(message, masked)
    if not body.strip():
        return [text(texts.forwarded(False), [texts.LEAVE_THREAD])]
    try:
        first = threads.forward(session, thread, body, ctx.now, ctx.services.settings)
    except threads.NoGroup:
        office = referrals.office_of(session, thread.office_code)
        contact = offices.contact_text(office, local_mode=ctx.services.settings.LOCAL_MODE)
        return [text(texts.no_staff_group(contact), [texts.LEAVE_THREAD])]
    return [text(texts.media_forwarded() if media else texts.forwarded(first), [texts.LEAVE_THREAD])]


def _leave_thread(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    """ "กลับไปคุยกับบอท": the user's thread closes (staff may still answer: it opens again)."""
    thread = threads.open_thread_of_user(ctx.session, ctx.user_id or "")
    if thread is not None:
        threads.close(ctx.session, thread, ctx.now, why="applicant", tell_user=False)
    ctx.state_updates[threads.FACT_THREAD] = None
    return [text(texts.thread_left(), list(texts.MENU))]


def _reopen(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    """ "ยังอยากเรียน" / "ให้ติดต่อกลับ" on a closed case: it opens again and goes to its office."""
    case = followup.latest_closed_case(ctx.session, ctx.user_id or "")
    ctx.state_updates[threads.FACT_CLOSED_CASE] = None
    if case is None:
        # "ให้ติดต่อกลับ" with no closed case (an old button, typed words): a person is asked for.
        return _open_thread(ctx, conversation, effect)
    reason = case.close_reason
    name = followup.reopen_case(
        ctx.session,
        case,
        actor="applicant",
        actor_id=None,
        now=ctx.now,
        settings=ctx.services.settings,
        by_applicant=True,
    )
    return [text(texts.case_reopened_for_user(case.ref or "", name, reason), [texts.STATUS, texts.HUMAN])]


Executor = Callable[[Context, LockedConversation, Effect], list[Message]]

# One executor for each effect the dialogue emits (tests/handlers/test_review_fixes_core.py checks both ways).
EXECUTORS: dict[EffectType, Executor] = {
    "consent": _consent,
    "submit": _submit,
    "status": _status,
    "human": _human,
    "erase": _erase,
    "office_info": _office_info,
    "ask_staff": _open_thread,
    "thread_message": _thread_message,
    "leave_thread": _leave_thread,
    "reopen": _reopen,
}


def execute(ctx: Context, conversation: LockedConversation, effect: Effect) -> list[Message]:
    return EXECUTORS[effect.type](ctx, conversation, effect)
