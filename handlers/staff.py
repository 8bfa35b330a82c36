"""Office staff in LINE groups: linking a group to an office, and the referral card buttons.

In a group the bot answers only its commands (`ลงทะเบียน CODE`, `เรื่องค้าง`) and button
taps, never chatter.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import cards, console_signin, followup, lifecycle, referrals, texts, threads
from handlers.context import Context, Reply
from handlers.messages import text
from handlers.ports import Services
from models import Case, CaseEvent, LinkAttempt, LinkCode, Office
from models.faults import reset_attempts, take_attempt
from models.outbox import enqueue
from nlp.answers import group_command

log = logging.getLogger(__name__)

LINK_CODE_TTL = timedelta(minutes=30)
MAX_FAILED_LINKS = 5
FAILED_LINK_WINDOW = timedelta(minutes=15)
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
    session.add(
        LinkCode(office_code=office_code, code_hash=_hash(code), created_at=now, expires_at=now + LINK_CODE_TTL)
    )
    return code


def _link(ctx: Context, code: str) -> Reply:
    session, group, now = ctx.session, ctx.chat_id or "", ctx.now
    # Counted atomically before the code is looked at (parallel guesses cannot slip through);
    # a successful link starts the count afresh.
    if not take_attempt(session, f"link:{group}", now, limit=MAX_FAILED_LINKS, window=FAILED_LINK_WINDOW):
        return Reply([text(texts.link_too_many_tries())])
    link = session.scalar(select(LinkCode).where(LinkCode.code_hash == _hash(code)))
    if link is None or link.used_at is not None or link.expires_at < now:
        session.add(LinkAttempt(group_id=group, at=now))
        why = "expired" if link is not None and link.expires_at < now else ("used" if link is not None else "wrong")
        return Reply([text(texts.link_code_refused(why))])
    office = session.get(Office, link.office_code)
    assert office is not None
    previous = session.scalar(select(Office).where(Office.line_group_id == group))
    # Lock the office rows in code order, as routing does (`referrals._routing_offices`); a
    # plain SELECT on SQLite, whose write transaction is already exclusive.
    codes = sorted({office.code} | ({previous.code} if previous is not None else set()))
    session.execute(select(Office.code).where(Office.code.in_(codes)).order_by(Office.code).with_for_update())
    session.refresh(office)
    notes = []
    if previous is not None and previous.code != office.code:
        previous.line_group_id = None
        session.flush()  # free the group id (unique) before the new office takes it
        notes.append(texts.link_previous_office_dropped(previous.name))
    if office.line_group_id and office.line_group_id != group:
        notes.append(texts.link_moved_from_other_group())
    office.line_group_id, office.linked_at = group, now
    reset_attempts(session, f"link:{group}")
    link.used_at, link.used_by_group = now, group
    session.flush()
    queued = referrals.queue_pending_for(session, office, now, ctx.services.settings)
    if queued:
        notes.append(texts.link_queued_cases(queued))
    log.info("office %s linked to a group", office.code)
    return Reply([text(texts.group_linked(office.name, notes))])


def _responsible_office(ctx: Context) -> Office | None:
    return ctx.session.scalar(select(Office).where(Office.line_group_id == ctx.chat_id)) if ctx.chat_id else None


def _open_cases(ctx: Context) -> Reply | None:
    """`เรื่องค้าง`: the open cases of this group's office (of the province, for a provincial
    group; those delivered to it or still undelivered, for the admin group), as a list and as
    cards with their buttons — a reply, so it costs nothing and is not a second referral push."""
    office = _responsible_office(ctx)
    query = select(Case).where(Case.status.in_(lifecycle.OPEN_STATUSES))
    if office is not None:
        query = (
            query.where(Case.office_code == office.code)
            if office.kind == "district"
            else query.where(Case.province_code == office.code)
        )
        title = office.name
    elif ctx.services.settings.ADMIN_GROUP_ID and ctx.chat_id == ctx.services.settings.ADMIN_GROUP_ID:
        query = query.where((Case.delivered_to == "admin") | (Case.delivery_status == "pending"))
        title = texts.ADMIN_GROUP_TITLE
    else:
        return None  # not a group of ours: stay quiet
    total = ctx.session.scalar(select(func.count()).select_from(query.subquery()))
    # Applicants' messages no one has answered yet (threads), after the cases.
    waiting = threads.waiting_lines(ctx.session, office.code if office is not None else None)
    extra = [text(texts.waiting_threads(waiting))] if waiting else []
    if not total:
        return Reply([text(texts.no_open_cases(title)), *extra])
    cases = ctx.session.scalars(query.order_by(Case.status != "new", Case.id).limit(20)).all()
    lines = []
    for case in cases:
        lines.append(texts.open_case_line(case.ref or "", case.name, case.status, case.delivery_status == "pending"))
    summary = text(texts.open_cases(title, total, lines))
    names = {
        o.code: o.name
        for o in ctx.session.scalars(
            select(Office).where(Office.code.in_({c.office_code for c in cases if c.office_code}))
        )
    }
    carousel = cards.cards_carousel(list(cases), names, alt=texts.open_cases_alt(total))
    return Reply([summary, carousel, *extra])


def _group_help(ctx: Context) -> Reply:
    office = _responsible_office(ctx)
    return Reply([text(texts.group_help(office.name if office is not None else None))])


def _is_ours(ctx: Context) -> bool:
    """A group linked to an office, or the admin group."""
    settings = ctx.services.settings
    return _responsible_office(ctx) is not None or bool(
        settings.ADMIN_GROUP_ID and ctx.chat_id == settings.ADMIN_GROUP_ID
    )


def _may_answer(ctx: Context, thread: threads.Thread, case: Case | None) -> bool:
    if case is not None:
        return _may_act(ctx, case)
    office = _responsible_office(ctx)
    if office is not None:
        return bool(thread.office_code) and office.code in (thread.office_code, (thread.office_code or "")[:2])
    return bool(ctx.services.settings.ADMIN_GROUP_ID and ctx.chat_id == ctx.services.settings.ADMIN_GROUP_ID)


def _answer(ctx: Context, label: str, body: str) -> Reply:
    """`ตอบ REF ข้อความ`: to the applicant of a case (its thread opens when needed) or of an
    enquiry."""
    thread, case = threads.find_by_label(ctx.session, label)
    label = label.upper()
    allowed = _may_act(ctx, case) if case is not None else thread is not None and _may_answer(ctx, thread, None)
    if not allowed:
        return Reply([text(texts.group_unknown_ref(label))])
    if case is not None:
        name, actor_id = _actor(ctx)
        done = threads.answer_case(
            ctx.session, case, body, actor=name, actor_id=actor_id, now=ctx.now, services=ctx.services
        )
        return Reply([text(done)])
    assert thread is not None
    return _staff_answer(ctx, thread, body, label)


def _staff_answer(ctx: Context, thread: threads.Thread, body: str, label: str) -> Reply:
    """A staff member's answer in this group to the applicant of `thread` (typed or quoted)."""
    name, actor_id = _actor(ctx)
    office = _responsible_office(ctx)
    answered = threads.staff_answer(
        ctx.session,
        thread,
        body,
        actor=name,
        actor_id=actor_id,
        now=ctx.now,
        from_office=office.code if office is not None else None,
    )
    return Reply(
        [text(texts.group_answer_sent(answered.label) if answered.delivered else texts.group_applicant_erased(label))]
    )


def _quote_reply(ctx: Context, message: dict[str, Any]) -> Reply | None:
    """A quote-reply on a message the bot forwarded (or a notice about that thread): the
    answer goes to the applicant. A quote of anything else is chatter: no answer."""
    quoted = message.get("quotedMessageId")
    if not isinstance(quoted, str) or not quoted or not ctx.chat_id:
        return None
    thread = threads.thread_of_quote(ctx.session, ctx.chat_id, quoted)
    if thread is None:
        return None
    case = ctx.session.get(Case, thread.case_id) if thread.case_id else None
    label = threads.label_of(ctx.session, thread)
    if not _may_answer(ctx, thread, case):
        return Reply([text(texts.group_not_ours(label))])
    body = message.get("text")
    if message.get("type") != "text" or not isinstance(body, str) or not body.strip():
        return Reply([text(texts.group_media_not_sent())])
    return _staff_answer(ctx, thread, body, label)


def _close_thread(ctx: Context, label: str) -> Reply:
    thread, case = threads.find_by_label(ctx.session, label)
    label = label.upper()
    allowed = _may_act(ctx, case) if case is not None else thread is not None and _may_answer(ctx, thread, None)
    if not allowed:
        return Reply([text(texts.group_unknown_ref(label))])
    if thread is None or thread.status != "open":
        return Reply([text(texts.group_thread_not_open(label))])
    name, _ = _actor(ctx)
    threads.close(ctx.session, thread, ctx.now, why="staff", by=name or texts.UNKNOWN_STAFF)
    return Reply([text(texts.group_thread_closed(label, _called(name)))])


def _reopen_command(ctx: Context, ref: str) -> Reply:
    case = ctx.session.scalar(select(Case).where(Case.ref == ref.upper()))
    if case is None or not _may_act(ctx, case):
        return Reply([text(texts.group_unknown_ref(ref.upper()))])
    name, actor_id = _actor(ctx)
    return Reply(
        [
            text(
                apply_action(
                    ctx.session, case, "reopen", actor=name, actor_id=actor_id, now=ctx.now, services=ctx.services
                )
            )
        ]
    )


def handle_group_message(ctx: Context) -> Reply | None:
    message = ctx.event.get("message")
    if not isinstance(message, dict):
        return None
    raw = message.get("text")
    said = raw.strip() if message.get("type") == "text" and isinstance(raw, str) else None
    if said is None:
        return _quote_reply(ctx, message) if _is_ours(ctx) else None
    command, args = group_command(said) or ("", ())  # read in nlp (nlp.answers.group_command)
    if command == "link":
        return _link(ctx, args[0])
    if command == "help":
        return _group_help(ctx)
    if not _is_ours(ctx):
        return None  # an unlinked group: only linking and help
    if command == "open_cases":
        return _open_cases(ctx)
    if command == "sign_in":
        return console_signin.handle(ctx)
    if command == "answer":
        return _answer(ctx, args[0], args[1])
    if command == "answer_usage":
        return Reply([text(texts.group_answer_usage())])
    if command == "close_thread":
        return _close_thread(ctx, args[0])
    if command == "reopen":
        return _reopen_command(ctx, args[0])
    return _quote_reply(ctx, message)  # else chatter: stay quiet


def handle_join(ctx: Context) -> Reply | None:
    return Reply([text(texts.group_joined())])


def handle_leave(ctx: Context) -> Reply | None:
    office = _responsible_office(ctx)
    if office is not None:
        office.line_group_id = None
        log.info("office %s unlinked: the bot left its group", office.code)
    return None


def wants_actor_name(event: dict[str, Any]) -> bool:
    """Whether handling this group event names the staff member who sent it: asked of LINE
    before the event's transaction (`handlers.events`), read here from `ctx.prefetched`."""
    if event.get("type") == "postback":
        return True
    message = event.get("message")
    if not isinstance(message, dict):
        return False
    if message.get("quotedMessageId"):
        return True
    said = message.get("text")
    if not isinstance(said, str):
        return False
    said = said.strip()
    command = group_command(said)
    return (command is not None and command[0] in ("answer", "close_thread", "reopen")) or console_signin.wants_friend(
        event
    )


def _actor(ctx: Context) -> tuple[str | None, str | None]:
    """The tapping staff member's display name (None when LINE does not tell) and user id."""
    name = ctx.prefetched.get("actor_name")
    return (name.strip()[:100] or None) if isinstance(name, str) and name else None, ctx.user_id


def _called(name: str | None) -> str:
    """How the bot refers to a staff member in the group."""
    return texts.staff_called(name if name != texts.UNKNOWN_STAFF else None)


def _may_act(ctx: Context, case: Case) -> bool:
    office = _responsible_office(ctx)
    if office is not None:
        return office.code in (case.office_code, case.province_code) or office.code == case.delivered_to
    return bool(ctx.services.settings.ADMIN_GROUP_ID and ctx.chat_id == ctx.services.settings.ADMIN_GROUP_ID)


def _notify_youth(session: Session, case: Case, body: str, now: datetime) -> None:
    if case.line_user_id:
        enqueue(session, case.line_user_id, [text(body)], kind="notify", now=now, case_id=case.id)


def _office_phone(office: Office | None) -> str:
    return texts.office_phone_after(office.phone) if office is not None and office.phone else ""


def _accepted(session: Session, case: Case, office: Office | None, office_name: str, now: datetime) -> None:
    _notify_youth(session, case, texts.youth_case_accepted(office_name, case.ref or "") + _office_phone(office), now)


def _contact_line(case: Case, office: Office | None) -> str:
    return texts.applicant_contact_line(case.phone, office_has_phone=office is not None and bool(office.phone))


def _acceptor_id(session: Session, case: Case) -> str | None:
    return session.scalar(
        select(CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id, CaseEvent.to_status == "accepted")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )


STAFF_ACTIONS = (*texts.CARD_ACTIONS, "reopen")


def apply_action(
    session: Session,
    case: Case,
    action: str,
    *,
    reason: str | None = None,
    actor: str | None,
    actor_id: str | None = None,
    now: datetime,
    services: Services,
) -> str:
    """A staff member's action on a case (a card button, a group command or the console):
    `accept`, `contacted`, `enrolled`, `close` (with `reason`), `reopen`. Applies the status
    rules (followup), writes the event rows, queues the youth's notices, and returns the Thai
    confirmation (or why nothing changed). The caller checked the case is theirs to act on."""
    who, called = actor or texts.UNKNOWN_STAFF, _called(actor)
    office = referrals.office_of(session, case.office_code)
    office_name = office.name if office else texts.AN_OFFICE

    def change(to_status: str, note: str | None = None) -> None:
        referrals.change_status(session, case, to_status, actor=who, actor_id=actor_id, now=now, note=note)

    if action == "reopen":
        try:
            followup.reopen_case(
                session, case, actor=who, actor_id=actor_id, now=now, settings=services.settings, by_applicant=False
            )
        except followup.NotAllowed as exc:
            return str(exc)
        return texts.group_case_reopened(case.ref or "", called)
    if case.status == "closed":
        why = texts.CLOSE_REASON_NAMES.get(case.close_reason or "", case.close_reason or "-")
        return texts.group_case_closed_already(case.ref or "", why)
    if action == "accept":
        if case.status != "new":
            when = texts.thai_date(case.accepted_at) if case.accepted_at else "-"
            step = texts.GROUP_STEP_NAMES[case.status] if case.status != "accepted" else None
            if actor_id and actor_id == _acceptor_id(session, case):
                return texts.group_taken_by_you(case.ref or "", called)
            tapper = called if actor else None
            return texts.group_already_taken(case.ref or "", _called(case.accepted_by), tapper, when, step)
        change("accepted")
        _accepted(session, case, office, office_name, now)
        return texts.group_case_taken(case.ref or "", called) + _contact_line(case, office)
    if action == "close":
        if reason not in lifecycle.CLOSE_REASONS:
            raise ValueError("a close needs a reason")
        try:
            followup.close_case(session, case, reason, actor=who, actor_id=actor_id, now=now)
        except followup.NotAllowed as exc:
            return str(exc)
        return texts.group_case_closed(case.ref or "", texts.CLOSE_REASON_NAMES[reason], called)
    if action not in lifecycle.STEPS:
        raise ValueError(action)
    if lifecycle.step_index(action) <= lifecycle.step_index(case.status):
        return texts.group_case_at_step(case.ref or "", texts.GROUP_STEP_NAMES[case.status])
    implicit_accept = case.status == "new"
    if implicit_accept:
        # Contacting or enrolling needs an accepted case: the acceptance is recorded first.
        change("accepted")
    change(action)
    if action == "enrolled":
        _notify_youth(session, case, texts.youth_enrolled(office_name), now)
        return texts.group_case_enrolled(case.ref or "", called)
    if implicit_accept:
        _accepted(session, case, office, office_name, now)
    else:
        _notify_youth(session, case, texts.youth_contacted(office_name, case.ref or ""), now)
    return texts.group_case_contacted(case.ref or "", called)


def _reopen_button(case: Case) -> dict[str, Any]:
    data = f"case={case.id}&action=reopen"
    return {
        "type": "action",
        "action": {"type": "postback", "label": texts.REOPEN_LABEL, "data": data, "displayText": texts.REOPEN_LABEL},
    }


def handle_postback(ctx: Context) -> Reply | None:
    postback = ctx.event.get("postback")
    data = postback.get("data") if isinstance(postback, dict) else None
    if not isinstance(data, str):
        return None
    params = {k: v[0] for k, v in parse_qs(data).items()}
    if not params.get("case", "").isdigit() or params.get("action") not in STAFF_ACTIONS:
        return None
    # Ask LINE who tapped before the case row is locked: the lock is held only for the change.
    name, actor_id = _actor(ctx)
    case = ctx.session.get(Case, int(params["case"]), with_for_update=True)
    if case is None or not _may_act(ctx, case):
        # The same answer for every id: a group learns nothing of cases that are not its own.
        return Reply([text(texts.case_not_found_here())])
    action = params["action"]
    if (
        action == "close"
        and case.status not in ("closed", "enrolled")
        and params.get("reason") not in lifecycle.CLOSE_REASONS
    ):
        return Reply([cards.close_reasons_message(case)])
    body = apply_action(
        ctx.session,
        case,
        action,
        reason=params.get("reason"),
        actor=name,
        actor_id=actor_id,
        now=ctx.now,
        services=ctx.services,
    )
    if case.status == "closed" and action != "close":
        # A tap on a closed case's card: it can be opened again from here.
        return Reply([{**text(body), "quickReply": {"items": [_reopen_button(case)]}}])
    return Reply([text(body)])
