"""LINE events → handlers. Each event is handled in isolation, from start to reply.

For every event, in this order:
1. what needs no lock: the NLU reading of a 1:1 message, and anything asked of LINE (a
   staff member's display name): no network call happens inside the transaction;
2. one database transaction, the event's unit of work: record the event under its unique
   `webhookEventId` (a redelivery stops here), record-but-don't-answer `standby` events, run
   the handler for its type, commit;
3. after the commit, the reply with the event's reply token.

A reply that surely did not reach LINE (expired token, LINE unreachable, the webhook's time
budget spent) is queued in the outbox as a push instead, so nothing is lost. A reply that
may have reached LINE (sent, and no answer in time) is not pushed again: LINE takes a reply
token once and the reply API has no retry key, so a push on top could give the user the same
answer twice; LINE's answer being late does not mean the reply was not delivered.

An event that fails (a bug, the database down) is rolled back, recorded as failed when the
database allows, and answered with an apology where someone waits for an answer: in 1:1, and
after a staff member's tap in a group (so they tap again). Nothing one event does, its reply
included, stops the next event.

The webhook's events (`bounded_waits`) wait for no database lock past their deadline (LINE wants
its answer within 2 s; `models.db.LockTimeout`): an event whose chat stays locked (a long console
action, a stuck worker) is filed in the webhook backlog instead, so the worker handles it, in
order with its chat's other events, and answers it. If even that cannot be written in time,
`dispatch` says so and the webhook has it delivered again (`bot.webhook`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from handlers import console_signin, conversation, staff, texts, threads
from handlers.context import Context, Prefetched, Reading, Reply
from handlers.dialogue.thresholds import MAX_REPLIES
from handlers.ports import LineError, LineTimeout, Message, Services
from models.db import LockTimeout
from models.faults import WebhookBacklog, backlog_chat, backlog_row
from models.inbound import Recorded, record_event
from models.outbox import ERASED_RECIPIENT_KIND, enqueue

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply | None]

# A reply needs at least this much of the webhook's time budget left to be sent inline.
MIN_REPLY_SECONDS = 0.25
# The longest a staff member's display name is waited for before a tap is handled without it.
PROFILE_SECONDS = 0.5
# With `bounded_waits`, an event's transaction waits for a lock until this long before its
# deadline at most; filing the event in the backlog when that wait runs out, until
# `BACKLOG_RESERVE_SECONDS` before it; writes after the reply (pushes owed, ids of a reply) until
# `LATE_WRITE_SECONDS` after it (the webhook's budget, 1.5 s, plus this stays under LINE's 2 s).
LOCK_RESERVE_SECONDS = 0.4
BACKLOG_RESERVE_SECONDS = 0.2
LATE_WRITE_SECONDS = 0.2


class NotStored(Exception):
    """An event neither handled nor filed in the backlog: the database kept it waiting past its
    deadline. Nothing of it is stored; it must be delivered again."""


def _handler_for(event_type: str, source_type: str | None) -> Handler | None:
    if source_type == "user":
        return {
            "message": conversation.handle,
            "follow": conversation.handle,
            "unfollow": conversation.handle_unfollow,
            "postback": conversation.handle,
        }.get(event_type)
    if source_type in ("group", "room"):
        return {
            "message": staff.handle_group_message,
            "postback": staff.handle_postback,
            "join": staff.handle_join,
            "leave": staff.handle_leave,
        }.get(event_type)
    return None


@dataclass(frozen=True)
class Incoming:
    """What the webhook tells of one event, checked."""

    event: dict[str, Any]
    event_id: str
    event_type: str
    source_type: str | None  # user | group | room
    chat_id: str | None  # the userId, groupId or roomId to answer
    user_id: str | None  # the sender, when LINE tells it
    mode: str  # active | standby


def _incoming(event: object) -> Incoming | None:
    if not isinstance(event, dict):
        log.warning("webhook event ignored: not an object")
        return None
    event_id, event_type = event.get("webhookEventId"), event.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        log.warning("webhook event ignored: no webhookEventId or type")
        return None
    source = event.get("source")
    kind = source.get("type") if isinstance(source, dict) else None
    source_type = kind if isinstance(kind, str) else None
    user_id = source.get("userId") if isinstance(source, dict) and isinstance(source.get("userId"), str) else None
    chat = None
    if isinstance(source, dict):
        chat = {"user": user_id, "group": source.get("groupId"), "room": source.get("roomId")}.get(source_type or "")
    mode = event["mode"] if event.get("mode") in ("active", "standby") else "active"
    return Incoming(
        event, event_id, event_type[:40], source_type, chat if isinstance(chat, str) else None, user_id, mode
    )


def dispatch(
    services: Services, event: object, *, deadline: float, behind_backlog: bool = False, bounded_waits: bool = False
) -> bool:
    """Handle one webhook event, its reply included. Never raises: a failure is logged and
    stays with its event. False only when nothing of the event is stored (`NotStored`: with
    `bounded_waits`, the database kept it waiting and it could not be filed for later either):
    the caller must have it delivered again.

    `behind_backlog` (the webhook's events): an event of a chat that still has events in the
    webhook backlog joins them there instead, in its own transaction, so one chat's events are
    applied in order (the worker handles the backlog, with this off).

    `bounded_waits` (the webhook's events): no wait for a database lock lasts past the event's
    share of `deadline` (`LOCK_RESERVE_SECONDS`, ...); an event kept waiting is filed in the
    backlog for the worker. Without it (the worker), waits are the database's defaults."""
    try:
        incoming = _incoming(event)
        if incoming is None:
            return True
        reply = _handled(services, incoming, deadline, behind_backlog, bounded_waits)
        if reply and reply.messages and incoming.chat_id:
            kind = ERASED_RECIPIENT_KIND if reply.recipient_erased else "reply_fallback"
            late = deadline + LATE_WRITE_SECONDS if bounded_waits else None
            _send_reply(services, incoming, incoming.chat_id, reply.messages, deadline, fallback_kind=kind, late=late)
    except NotStored:
        return False
    except LockTimeout:  # only `_send_reply`'s writes can still raise it: the event is handled
        event_id = event.get("webhookEventId") if isinstance(event, dict) else None
        log.error("event %s: the pushes it owes were not queued, the database stayed locked", event_id)
    except Exception:
        log.exception("event %s could not be handled", event.get("webhookEventId") if isinstance(event, dict) else None)
    return True


def _handled(
    services: Services, incoming: Incoming, deadline: float, behind_backlog: bool, bounded: bool
) -> Reply | None:
    """The event through its handler, in its own transaction; the reply it owes. With `bounded`
    waits, an event kept waiting for a lock is filed in the backlog (`NotStored` when that
    cannot be done in time either)."""
    received_at = services.clock.now()
    handler = _handler_for(incoming.event_type, incoming.source_type)
    outcome = "standby" if incoming.mode == "standby" else ("handled" if handler else "ignored")
    row = {
        "webhook_event_id": incoming.event_id,
        "event_type": incoming.event_type,
        "source_type": incoming.source_type,
        "source_id": incoming.chat_id,
        "mode": incoming.mode,
        "received_at": received_at,
    }
    try:
        reading, prefetched = None, Prefetched()
        if outcome == "handled":
            # Before the transaction: the NLU (no lock waits on it), and LINE.
            if incoming.source_type == "user":
                reading = conversation.read(incoming.event, received_at)
            prefetched = _prefetched(services, incoming, deadline)

        lock_deadline = deadline - LOCK_RESERVE_SECONDS if bounded else None

        def attempt() -> Reply | None:
            return _in_transaction(
                services, incoming, handler, outcome, row, reading, prefetched, behind_backlog, lock_deadline
            )

        return _retried_once_on_a_lost_connection(attempt, incoming.event_id)
    except LockTimeout:
        log.warning("event %s: its chat stayed locked past the event's time; filed for the worker", incoming.event_id)
        if _filed_in_backlog(services, incoming, received_at, deadline - BACKLOG_RESERVE_SECONDS):
            return None
        raise NotStored(incoming.event_id) from None
    except Exception:
        log.exception("event %s (%s) failed", incoming.event_id, incoming.event_type)
        return _after_failure(services, incoming, row, deadline if bounded else None)


def _prefetched(services: Services, incoming: Incoming, deadline: float) -> Prefetched:
    """What the handler will want from LINE, asked now, outside the transaction."""
    found: Prefetched = {}
    if (
        incoming.source_type == "group"
        and incoming.chat_id
        and incoming.user_id
        and staff.wants_actor_name(incoming.event)
    ):
        budget = min(PROFILE_SECONDS, deadline - time.monotonic() - MIN_REPLY_SECONDS)
        found["actor_name"] = (
            services.line.group_member_name(incoming.chat_id, incoming.user_id, timeout=budget) if budget > 0 else None
        )
        if console_signin.wants_friend(incoming.event):
            # `เข้าระบบ`: a 1:1 push reaches only a friend of the account (handlers.console_signin).
            budget = min(PROFILE_SECONDS, deadline - time.monotonic() - MIN_REPLY_SECONDS)
            found["friend"] = services.line.is_friend(incoming.user_id, timeout=budget) if budget > 0 else None
    return found


def _in_transaction(
    services: Services,
    incoming: Incoming,
    handler: Handler | None,
    outcome: str,
    row: dict[str, Any],
    reading: Reading | None,
    prefetched: Prefetched,
    behind_backlog: bool,
    lock_deadline: float | None,
) -> Reply | None:
    with services.db.transaction(lock_deadline=lock_deadline) as unit:
        key = backlog_chat(incoming.event) if behind_backlog else None
        recorded = record_event(unit.connection, **row, outcome=outcome, unless_backlog_of=key)
        if recorded is Recorded.BACKLOGGED:
            _queue_behind_backlog(unit.session, incoming.event, row["received_at"])
            log.info("event %s waits behind its chat's events in the backlog", incoming.event_id)
            return None
        if recorded is Recorded.DUPLICATE:
            log.info("event %s is a redelivery; already handled", incoming.event_id)
            return None
        if handler is None or outcome != "handled":
            log.info(
                "event %s (%s from %s) recorded, not answered: %s",
                incoming.event_id,
                incoming.event_type,
                incoming.source_type,
                outcome,
            )
            return None
        context = Context(
            services=services,
            unit=unit,
            now=row["received_at"],
            event=incoming.event,
            source_type=incoming.source_type,
            chat_id=incoming.chat_id,
            user_id=incoming.user_id,
            reading=reading,
            prefetched=prefetched,
        )
        return handler(context)


def _queue_behind_backlog(session: Session, event: dict[str, Any], now: datetime) -> None:
    """File the event behind its chat's events in the webhook backlog (in the caller's
    transaction: committed before the webhook's 200); the worker handles them in order."""
    session.execute(insert(WebhookBacklog), [backlog_row(event, now)])


def _filed_in_backlog(services: Services, incoming: Incoming, now: datetime, lock_deadline: float) -> bool:
    """File an event that waited too long for a lock in the webhook backlog, in a transaction of
    its own (its chat's later events then queue behind it; the worker handles it, reply
    included); False when that too cannot be written by `lock_deadline`."""
    try:
        with services.db.transaction(lock_deadline=lock_deadline) as unit:
            _queue_behind_backlog(unit.session, incoming.event, now)
        return True
    except (LockTimeout, DBAPIError):
        log.exception("event %s could not be filed in the backlog either", incoming.event_id)
        return False


def _retried_once_on_a_lost_connection(handle: Callable[[], Reply | None], event_id: str) -> Reply | None:
    """`handle()`, again once if the database connection turned out to be dead (the server
    restarted since the pool last used it). Nothing was committed then; the pool has thrown
    its stale connections away, so the second attempt gets a fresh one."""
    try:
        return handle()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("event %s: database connection lost; trying again on a new one", event_id)
    return handle()


def _after_failure(
    services: Services, incoming: Incoming, row: dict[str, Any], lock_deadline: float | None
) -> Reply | None:
    """Record the failed event (so a redelivery is not retried blindly; waiting for locks until
    `lock_deadline` at most) and apologise where someone waits for an answer."""
    try:
        with services.db.transaction(lock_deadline=lock_deadline) as tx:
            session = tx.session
            if not record_event(session, **row, outcome="failed"):
                return None
    except (SQLAlchemyError, LockTimeout):
        log.exception("event %s: could not record the failure", incoming.event_id)
    if incoming.source_type == "user":
        return Reply([texts.system_error()])
    if incoming.event_type == "postback" and incoming.source_type in ("group", "room"):
        return Reply([{"type": "text", "text": texts.TAP_NOT_SAVED}])
    return None


def _queue(
    services: Services, chat_id: str, messages: list[Message], kind: str, lock_deadline: float | None = None
) -> None:
    """Messages owed to a chat, queued as pushes of at most `MAX_REPLIES` each, in order (waiting
    for locks until `lock_deadline` at most)."""
    if not messages:
        return
    now = services.clock.now()
    with services.db.transaction(lock_deadline=lock_deadline) as tx:
        session = tx.session
        for index, part in enumerate(conversation.batches(messages)):
            row = enqueue(session, chat_id, part, kind=kind, now=conversation.in_order(now, index))
            row.next_attempt_at = now  # all due now; `created_at` keeps their order


def _record_sent(
    services: Services, chat_id: str, ids: list[str], event_id: str, lock_deadline: float | None = None
) -> None:
    """The ids LINE gave a reply in a group (a staff member may quote-reply it): kept, in a
    short transaction of its own after the reply."""
    try:
        with services.db.transaction(lock_deadline=lock_deadline) as tx:
            session = tx.session
            threads.record_sent(session, chat_id, ids, services.clock.now())
    except (SQLAlchemyError, LockTimeout):
        log.exception("event %s: ids of the reply not recorded", event_id)


def _send_reply(
    services: Services,
    incoming: Incoming,
    chat_id: str,
    messages: list[Message],
    deadline: float,
    *,
    fallback_kind: str = "reply_fallback",
    late: float | None = None,
) -> None:
    """`messages` with the reply token: the first `MAX_REPLIES` (one LINE call) in the reply, the
    rest queued as pushes after it, in order; all of them queued when the reply surely failed.
    Those writes wait for locks until `late` at most (`LockTimeout`)."""
    token = incoming.event.get("replyToken")
    remaining = deadline - time.monotonic()
    first, rest = messages[:MAX_REPLIES], messages[MAX_REPLIES:]
    if isinstance(token, str) and token and remaining >= MIN_REPLY_SECONDS:
        try:
            sent = services.line.reply(token, first, timeout=remaining)
            if sent and incoming.source_type in ("group", "room"):
                _record_sent(services, chat_id, sent, incoming.event_id, late)
            _queue(services, chat_id, rest, fallback_kind, late)
            return
        except LineTimeout as exc:
            if exc.maybe_delivered:
                log.warning("reply for event %s: no answer from LINE in time; not sent again", incoming.event_id)
                _queue(services, chat_id, rest, fallback_kind, late)
                return
            log.warning("reply for event %s did not reach LINE; queued as a push", incoming.event_id)
        except LineError as exc:
            log.warning("reply for event %s failed (%s); queued as a push", incoming.event_id, type(exc).__name__)
    _queue(services, chat_id, messages, fallback_kind, late)
    if incoming.source_type == "user" and deadline - time.monotonic() >= MIN_REPLY_SECONDS:
        # The answer now comes by push, a moment later: show the user that the bot is on it.
        try:
            services.line.show_loading(chat_id, 10, timeout=deadline - time.monotonic())
        except LineError as exc:
            log.info("loading animation not shown: %s", type(exc).__name__)
