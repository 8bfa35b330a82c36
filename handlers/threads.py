"""Threads: a conversation between an applicant and their office, carried by the bot (DESIGN §9).

The applicant writes 1:1 to the bot; each message goes to the office's LINE group as one
outbox push, labelled with the case's reference (or the enquiry number) and the learner's
nickname. Staff answer by LINE's quote-reply on a forwarded message (the webhook's
`quotedMessageId`, matched against the ids LINE gave what the bot sent: `record_sent`) or by
`ตอบ REF ข้อความ`; the applicant gets "เจ้าหน้าที่ศูนย์…: ข้อความ" as a push. Every function
here works inside the caller's transaction (the event's unit or a worker cycle) and only
queues pushes; nothing here calls LINE.

The dialogue learns that a thread is open from a fact in the conversation state
(`FACT_THREAD`); staff actions and the worker set and drop it under the conversation's lock.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from handlers import referrals, routing, texts
from handlers.dialogue.state import dump_state, load_state
from handlers.messages import text
from handlers.ports import Services, Settings
from models import Case, Conversation, Office
from models.inbound import lock_conversation, save_conversation
from models.outbox import enqueue
from models.threads import SentMessage, Thread, ThreadMessage
from nlp.thaitime import be_year

if TYPE_CHECKING:
    from handlers.erasure import Scope  # erasure calls into this module

log = logging.getLogger(__name__)

QUIET_CLOSE = timedelta(hours=72)
MAX_FORWARDED = 2000  # characters of one applicant or staff message carried over
FACT_THREAD = "thread"
FACT_CLOSED_CASE = "closed_case"
FACT_HAS_CASE = "has_case"
LABEL = re.compile(r"(?:RT|EQ)-\d{4}-\d{1,8}", re.IGNORECASE)
ENQUIRY = "enquiry"


# -- labels and groups -------------------------------------------------------------------------


def make_number(thread_id: int, at: datetime) -> str:
    """An enquiry's number, e.g. EQ-2569-000012 (Buddhist-era year of opening)."""
    return f"EQ-{be_year(at)}-{thread_id:06d}"


def label_of(session: Session, thread: Thread) -> str:
    if thread.number:
        return thread.number
    case = session.get(Case, thread.case_id) if thread.case_id else None
    return (case.ref if case is not None else None) or f"#{thread.id}"


def who_of(thread: Thread) -> str:
    return thread.nickname or (texts.THREAD_ENQUIRER if thread.kind == ENQUIRY else texts.THREAD_APPLICANT)


def office_name(session: Session, code: str | None) -> str:
    office = session.get(Office, code) if code else None
    return office.name if office is not None else texts.OFFICE_FALLBACK_FULL


def group_of(session: Session, thread: Thread, settings: Settings) -> str | None:
    """Where a thread's messages go: the case's staff group (as its referral card), or for an
    enquiry the office's group, else its province's, else the admin group (DESIGN §4 rule 4)."""
    if thread.case_id:
        case = session.get(Case, thread.case_id)
        if case is not None:
            group = referrals.staff_group(session, case, settings)
            if group:
                return group
    return group_for_office(session, thread.office_code, settings)


def group_for_office(session: Session, code: str | None, settings: Settings) -> str | None:
    """Where an office's thread messages go, as its cards do (DESIGN §4 rule 4, `routing.route_to`):
    its linked group, else its province's, else the admin group."""
    if not code:
        return settings.ADMIN_GROUP_ID or None
    linked = session.execute(
        select(Office.code, Office.line_group_id).where(
            Office.code.in_({code, code[:2]}), Office.line_group_id.is_not(None)
        )
    ).all()
    groups = {office: group for office, group in linked if group}
    return routing.route_to(code, "thread", linked_groups=groups, admin_group=settings.ADMIN_GROUP_ID or None).group_id


def find_by_label(session: Session, label: str) -> tuple[Thread | None, Case | None]:
    """The thread (None when the case has none yet) and case of `RT-…` or `EQ-…`."""
    label = label.upper()
    if label.startswith("EQ-"):
        return session.scalar(select(Thread).where(Thread.number == label)), None
    case = session.scalar(select(Case).where(Case.ref == label))
    if case is None:
        return None, None
    return session.scalar(select(Thread).where(Thread.case_id == case.id)), case


# -- the conversation state's facts ----------------------------------------------------------


def set_fact(session: Session, line_user_id: str | None, key: str, value: Any) -> None:
    """Set (or drop, with None) a fact in a user's conversation state, under its lock. Used by
    staff actions and the worker, which run outside that user's own turn (the turn itself takes
    facts from effects through `Context.state_updates`). Through the typed state, as the turn
    reads and writes it: older versions migrated, and a newer release's state refused
    (`NewerStateVersion`), never rewritten in a shape this release does not know."""
    if not line_user_id:
        return
    conversation = lock_conversation(session, line_user_id, create=False)
    if conversation is None:
        return
    state = load_state(conversation.state, owned=True)
    if value is None:
        if key not in state.facts:
            return
        state.facts.pop(key)
    else:
        state.facts[key] = value
    conversation.state = dump_state(state, owned=True)
    save_conversation(session, conversation)


def thread_fact(session: Session, thread: Thread) -> dict[str, Any]:
    return {"id": thread.id, "label": label_of(session, thread), "office": thread.office_code}


# -- opening -----------------------------------------------------------------------------------


def open_for_case(session: Session, case: Case, now: datetime) -> Thread:
    """The case's thread, opened (created the first time)."""
    thread = session.scalar(select(Thread).where(Thread.case_id == case.id))
    if thread is None:
        thread = Thread(kind="case", case_id=case.id, opened_at=now, last_message_at=now, status="open")
        session.add(thread)
    elif thread.status != "open":
        thread.status, thread.opened_at, thread.closed_at, thread.close_reason, thread.closed_by = (
            "open",
            now,
            None,
            None,
            None,
        )
        thread.last_message_at = now
    thread.office_code = case.office_code
    thread.line_user_id = case.line_user_id
    thread.nickname = case.name
    session.flush()
    return thread


def open_enquiry(session: Session, line_user_id: str, office_code: str | None, now: datetime) -> Thread:
    thread = Thread(
        kind=ENQUIRY,
        office_code=office_code,
        line_user_id=line_user_id,
        opened_at=now,
        last_message_at=now,
        status="open",
    )
    session.add(thread)
    session.flush()
    thread.number = make_number(thread.id, now)
    return thread


def open_thread_of_user(session: Session, line_user_id: str) -> Thread | None:
    return session.scalar(
        select(Thread)
        .where(Thread.line_user_id == line_user_id, Thread.status == "open")
        .order_by(Thread.last_message_at.desc())
        .limit(1)
    )


def announce_opened(session: Session, thread: Thread, now: datetime, settings: Settings) -> bool:
    """Tell the office group a thread was opened (one push, quotable). False: no group."""
    group = group_of(session, thread, settings)
    if group is None:
        return False
    label = label_of(session, thread)
    case = session.get(Case, thread.case_id) if thread.case_id else None
    notice = texts.group_thread_opened(
        label, who_of(thread), thread.kind == ENQUIRY, case.phone if case is not None else None
    )
    _bot_message(session, thread, group, notice, now)
    return True


def _bot_message(
    session: Session, thread: Thread, group: str, body: str, now: datetime, kind: str = "thread"
) -> ThreadMessage:
    """A notice of the bot's in a group about a thread, kept with the thread so that a
    quote-reply on it answers the thread too."""
    row = enqueue(session, group, [text(body)], kind=kind, now=now, case_id=thread.case_id, about_users=_about(thread))
    session.flush()
    message = ThreadMessage(thread_id=thread.id, sender="bot", text=body, at=now, outbox_id=row.id)
    session.add(message)
    return message


# -- applicant → office --------------------------------------------------------------------------


def describe(message: dict[str, Any], masked_text: str | None) -> tuple[str, bool]:
    """What to forward for a LINE message (the text, or what was sent), and whether it was
    something other than text."""
    kind = message.get("type")
    if kind == "text" and masked_text is not None:
        return masked_text[:MAX_FORWARDED], False
    if kind == "sticker":
        return texts.FORWARDED_STICKER, False
    if kind == "location":
        place = " ".join(p for p in (message.get("title"), message.get("address")) if isinstance(p, str))
        return texts.forwarded_location(place)[:MAX_FORWARDED], False
    return texts.forwarded_media(kind), True


def forward(session: Session, thread: Thread, body: str, now: datetime, settings: Settings) -> bool:
    """An applicant's message into the thread and onto the office group (one push). Returns
    whether it was the first of a wait (staff had answered everything before it); raises
    `NoGroup` when no group can receive it."""
    group = group_of(session, thread, settings)
    if group is None:
        raise NoGroup(thread.id)
    label = label_of(session, thread)
    row = enqueue(
        session,
        group,
        [text(texts.group_forward(label, who_of(thread), body))],
        kind="thread",
        now=now,
        case_id=thread.case_id,
        about_users=_about(thread),
    )
    session.flush()
    session.add(ThreadMessage(thread_id=thread.id, sender="applicant", text=body, at=now, outbox_id=row.id))
    first = thread.waiting_since is None
    if first:
        thread.waiting_since, thread.reminded_at, thread.escalated_at = now, None, None
    thread.last_message_at = now
    return first


def _about(thread: Thread) -> list[str]:
    """The applicant a group push about this thread concerns (erasure finds it by them)."""
    return [thread.line_user_id] if thread.line_user_id else []


class NoGroup(Exception):
    """No LINE group can receive this thread's messages (no office, province or admin group)."""


# -- office → applicant --------------------------------------------------------------------------


@dataclass
class Answered:
    label: str
    delivered: bool  # False: the applicant erased their data (or never had a LINE id)


def staff_answer(
    session: Session,
    thread: Thread,
    body: str,
    *,
    actor: str | None,
    actor_id: str | None,
    now: datetime,
    from_office: str | None,
) -> Answered:
    """A staff member's answer: kept in the thread and pushed to the applicant as
    "เจ้าหน้าที่ศูนย์…: ข้อความ". A closed thread opens again (the applicant's replies go to
    staff). `from_office`: the office code of the group that answered (its name is shown)."""
    label = label_of(session, thread)
    if not thread.line_user_id:
        return Answered(label, False)
    body = body.strip()[:MAX_FORWARDED]
    # The conversation first (lock order, see `lock_conversation`): its thread is open again.
    set_fact(session, thread.line_user_id, FACT_THREAD, thread_fact(session, thread))
    reopened = thread.status != "open"
    if reopened:
        thread.status, thread.opened_at, thread.closed_at, thread.close_reason, thread.closed_by = (
            "open",
            now,
            None,
            None,
            None,
        )
    first = reopened or not session.scalar(
        select(ThreadMessage.id).where(ThreadMessage.thread_id == thread.id, ThreadMessage.sender == "staff").limit(1)
    )
    name = office_name(session, from_office or thread.office_code)
    row = enqueue(
        session,
        thread.line_user_id,
        [text(texts.staff_says(name, body, first=first), [texts.LEAVE_THREAD])],
        kind="thread",
        now=now,
        case_id=thread.case_id,
    )
    session.flush()
    session.add(
        ThreadMessage(
            thread_id=thread.id,
            sender="staff",
            staff_id=actor_id,
            staff_name=(actor or None),
            text=body,
            at=now,
            outbox_id=row.id,
        )
    )
    thread.waiting_since, thread.reminded_at, thread.escalated_at = None, None, None
    thread.last_message_at = now
    return Answered(label, True)


def answer_case(
    session: Session,
    case: Case,
    body: str,
    *,
    actor: str | None,
    actor_id: str | None,
    now: datetime,
    services: Services,
) -> str:
    """What `ตอบ REF ข้อความ` does for a case (the console's answer box too): the case's thread,
    opened when needed, and the answer pushed. Returns the confirmation text for staff."""
    if not case.line_user_id:
        return texts.group_applicant_erased(case.ref or "")
    lock_conversation(session, case.line_user_id, create=False)  # before the thread (lock order)
    thread = open_for_case(session, case, now)
    answered = staff_answer(
        session, thread, body, actor=actor, actor_id=actor_id, now=now, from_office=case.office_code
    )
    return texts.group_answer_sent(answered.label)


def record_sent(session: Session, chat_id: str, ids: list[str], now: datetime, outbox_id: str | None = None) -> None:
    """Keep the ids LINE gave messages the bot sent to a group or room (any reply or push),
    linked to the thread message they carried when there is one."""
    if not ids:
        return
    carried = (
        session.scalar(select(ThreadMessage.id).where(ThreadMessage.outbox_id == outbox_id)) if outbox_id else None
    )
    for message_id in ids:
        if isinstance(message_id, str) and message_id:
            session.add(
                SentMessage(
                    line_message_id=message_id[:32],
                    chat_id=chat_id,
                    outbox_id=outbox_id,
                    thread_message_id=carried,
                    at=now,
                )
            )


def sent_ids_of(body: str) -> list[str]:
    """The `sentMessages` ids in an error body of LINE's (a 409 on a retry key already
    accepted carries the ids of that first delivery)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return []
    sent = parsed.get("sentMessages") if isinstance(parsed, dict) else None
    if not isinstance(sent, list):
        return []
    return [str(m["id"]) for m in sent if isinstance(m, dict) and isinstance(m.get("id"), (str, int))]


def thread_of_quote(session: Session, chat_id: str, quoted_id: str) -> Thread | None:
    """The thread a quote-reply in `chat_id` answers, or None when the quoted message was not
    one the bot sent there about a thread."""
    message_id = session.scalar(
        select(SentMessage.thread_message_id)
        .where(SentMessage.line_message_id == quoted_id, SentMessage.chat_id == chat_id)
        .limit(1)
    )
    if message_id is None:
        return None
    thread_id = session.scalar(select(ThreadMessage.thread_id).where(ThreadMessage.id == message_id))
    return session.get(Thread, thread_id) if thread_id is not None else None


# -- closing ---------------------------------------------------------------------------------------


def close(
    session: Session, thread: Thread, now: datetime, *, why: str, by: str | None = None, tell_user: bool = True
) -> None:
    """Close a thread (`why`: staff | quiet | applicant | erased); the applicant is told (push),
    unless they closed it themselves."""
    if thread.status == "closed":
        return
    if thread.line_user_id:
        set_fact(session, thread.line_user_id, FACT_THREAD, None)  # the conversation first (lock order)
    thread.status, thread.closed_at, thread.close_reason, thread.closed_by = "closed", now, why, (by or None)
    thread.waiting_since = None
    if thread.line_user_id and tell_user:
        enqueue(
            session,
            thread.line_user_id,
            [text(texts.thread_closed_for_user(why), [texts.HUMAN, texts.STATUS])],
            kind="thread",
            now=now,
            case_id=thread.case_id,
        )
        session.add(ThreadMessage(thread_id=thread.id, sender="bot", text=texts.thread_closed_note(why), at=now))


# -- the worker: reminders, escalations, quiet threads ------------------------------------------


def check_threads(services: Services) -> int:
    """Every worker cycle: an applicant message unanswered for `REFERRAL_SLA_HOURS` is reminded
    once in its group and escalated once to the provincial group (or the admin group); a thread
    quiet for 72 hours closes and the applicant is told. Returns the number of actions."""
    settings = services.settings
    now = services.clock.now()
    limit = now - timedelta(hours=settings.REFERRAL_SLA_HOURS)
    overdue = (
        Thread.status == "open",
        Thread.waiting_since.is_not(None),
        Thread.waiting_since <= limit,
        Thread.escalated_at.is_(None),
    )
    quiet = (Thread.status == "open", Thread.last_message_at <= now - QUIET_CLOSE)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        due = session.scalar(select(Thread.id).where(*overdue).limit(1)) or session.scalar(
            select(Thread.id).where(*quiet).limit(1)
        )
    if due is None:
        return 0
    actions = 0
    with services.db.transaction() as tx:
        session = tx.session
        postgres = session.get_bind().dialect.name == "postgresql"
        query = select(Thread).where(*overdue).order_by(Thread.id).limit(50)
        for thread in session.scalars(query.with_for_update(skip_locked=True) if postgres else query).all():
            _remind(session, thread, now, settings)
            actions += 1
        for thread_id, user in session.execute(
            select(Thread.id, Thread.line_user_id).where(*quiet).order_by(Thread.id).limit(50)
        ).all():
            # The user's conversation first, as their own turn does (skipped while they write).
            if user and _busy(session, user):
                continue
            query = select(Thread).where(Thread.id == thread_id, *quiet)
            quiet_thread = session.scalar(query.with_for_update(skip_locked=True) if postgres else query)
            if quiet_thread is None:
                continue
            close(session, quiet_thread, now, why="quiet")
            log.info("thread %s closed after 72 hours without messages", thread_id)
            actions += 1
    return actions


def _busy(session: Session, line_user_id: str) -> bool:
    """The user has a conversation and another transaction holds its lock (they are writing)."""
    if session.scalar(select(Conversation.id).where(Conversation.line_user_id == line_user_id)) is None:
        return False
    return lock_conversation(session, line_user_id, create=False, skip_locked=True) is None


def _remind(session: Session, thread: Thread, now: datetime, settings: Settings) -> None:
    label, who = label_of(session, thread), who_of(thread)
    waited = texts.duration(settings.REFERRAL_SLA_HOURS)
    group = group_of(session, thread, settings)
    if group:
        _bot_message(session, thread, group, texts.group_thread_reminder(label, who, waited), now, kind="reminder")
        thread.reminded_at = now
    province = (thread.office_code or "")[:2]
    province_group = session.scalar(select(Office.line_group_id).where(Office.code == province)) if province else None
    escalate_to = next((g for g in (province_group, settings.ADMIN_GROUP_ID) if g and g != group), None)
    if escalate_to:
        name = office_name(session, thread.office_code)
        _bot_message(
            session, thread, escalate_to, texts.group_thread_escalation(label, name, waited), now, kind="escalation"
        )
    thread.escalated_at = now
    log.info("thread %s: unanswered message reminded%s", thread.id, " and escalated" if escalate_to else "")


def waiting_lines(session: Session, office_code: str | None, limit: int = 10) -> list[str]:
    """`เรื่องค้าง`: the open threads of an office (a provincial office: of its province; None:
    the admin group's, those of no office) whose applicant waits for an answer, oldest first."""
    query = select(Thread).where(Thread.status == "open", Thread.waiting_since.is_not(None))
    if office_code is None:
        query = query.where(Thread.office_code.is_(None))
    elif len(office_code) == 2:
        query = query.where(Thread.office_code.like(f"{office_code}%"))
    else:
        query = query.where(Thread.office_code == office_code)
    found = session.scalars(query.order_by(Thread.waiting_since).limit(limit)).all()
    return [
        texts.waiting_thread_line(label_of(session, t), who_of(t), t.waiting_since) for t in found if t.waiting_since
    ]


# -- reading and erasure ---------------------------------------------------------------------------


def messages_of(session: Session, case_id: int) -> list[ThreadMessage]:
    """A case's thread, oldest first (for the console's case page)."""
    return list(
        session.scalars(
            select(ThreadMessage)
            .join(Thread, Thread.id == ThreadMessage.thread_id)
            .where(Thread.case_id == case_id)
            .order_by(ThreadMessage.id)
        )
    )


def erase(
    session: Session, *, case_ids: Sequence[int], line_user_id: str | None, now: datetime, user_request: bool
) -> int:
    """The erasure of threads (an eraser of `handlers.erasure`): the threads of `case_ids`, and
    of `line_user_id` its enquiries (on the user's own request, every thread of theirs). Their
    texts, nickname, LINE user id and the ids of what was forwarded go; the rows stay, closed
    as `erased`, for the figures. The outbox copies are the outbox eraser's (each push names
    its case or user). Returns the number of threads."""
    about: list[ColumnElement[bool]] = []
    if case_ids:
        about.append(Thread.case_id.in_(list(case_ids)))
    if line_user_id:
        mine = Thread.line_user_id == line_user_id
        about.append(mine if user_request else (mine & (Thread.kind == ENQUIRY)))
    if not about:
        return 0
    threads = list(session.scalars(select(Thread).where(or_(*about))))
    ids = [t.id for t in threads]
    if not ids:
        return 0
    message_ids = select(ThreadMessage.id).where(ThreadMessage.thread_id.in_(ids))
    session.execute(delete(SentMessage).where(SentMessage.thread_message_id.in_(message_ids)))
    session.execute(update(ThreadMessage).where(ThreadMessage.thread_id.in_(ids)).values(text=None))
    for thread in threads:
        if thread.status == "open":
            thread.status, thread.closed_at, thread.close_reason = "closed", now, "erased"
        thread.waiting_since = None
        thread.line_user_id = None
        thread.nickname = None
    return len(threads)


def erase_scope(session: Session, scope: Scope) -> None:
    """`erase` for what `handlers.erasure` is erasing."""
    erase(
        session,
        case_ids=scope.case_ids,
        line_user_id=scope.line_user_id,
        now=scope.now,
        user_request=scope.user_request,
    )
