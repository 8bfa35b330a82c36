"""LINE events → handlers. Each event is handled in isolation, in its own transaction.

For every event: record it under its unique `webhookEventId` (a redelivery stops here),
record-but-don't-answer `standby` events, run the handler for its type, commit, and only then
send the reply with the reply token. A reply that cannot be sent (expired token, API down,
time budget spent) is queued in the outbox as a push instead, so nothing is lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from handlers import conversation, staff
from handlers.context import Context, Reply
from handlers.ports import LineError, Services
from handlers import system_texts
from models import InboundEvent
from models.hotpath import record_event, record_event_and_lock
from models.outbox import enqueue

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply | None]

# A reply needs at least this much of the webhook's time budget left to be sent inline.
MIN_REPLY_SECONDS = 0.25


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


def _source(event: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    source = event.get("source")
    if not isinstance(source, dict):
        return None, None, None
    kind = source.get("type")
    user_id = source.get("userId") if isinstance(source.get("userId"), str) else None
    chat = {"user": user_id, "group": source.get("groupId"), "room": source.get("roomId")}.get(kind)
    return (kind if isinstance(kind, str) else None), (chat if isinstance(chat, str) else None), user_id


def dispatch(services: Services, event: Any, *, deadline: float) -> None:
    """Handle one webhook event. Never raises: a failure is logged and isolated."""
    if not isinstance(event, dict):
        log.warning("webhook event ignored: not an object")
        return
    event_id = event.get("webhookEventId")
    event_type = event.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        log.warning("webhook event ignored: no webhookEventId or type")
        return
    source_type, chat_id, user_id = _source(event)
    mode = event.get("mode") if event.get("mode") in ("active", "standby") else "active"
    row = {
        "event_type": event_type[:40],
        "source_type": source_type,
        "source_id": chat_id,
        "mode": mode,
        "received_at": services.clock.now(),
    }
    try:
        reply = _retried_once_on_a_lost_connection(
            lambda: _handle(services, event, event_id, row, source_type, chat_id, user_id), event_id
        )
    except Exception:
        log.exception("event %s (%s) failed", event_id, event_type)
        reply = _after_failure(services, event_id, row, source_type)
    if reply and reply.messages and chat_id:
        _send_reply(services, event, chat_id, reply, deadline)


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


def _handle(
    services: Services,
    event: dict[str, Any],
    event_id: str,
    row: dict[str, Any],
    source_type: str | None,
    chat_id: str | None,
    user_id: str | None,
) -> Reply | None:
    handler = _handler_for(event["type"], source_type)
    outcome = "standby" if row["mode"] == "standby" else ("handled" if handler else "ignored")
    # The pure part of a 1:1 event (the NLU) runs before the transaction, so no lock waits on it.
    reading = conversation.read(event, row["received_at"]) if outcome == "handled" and source_type == "user" else None
    with services.db.unit() as unit:
        locked = None
        if handler is conversation.handle and reading is not None and user_id:
            # A 1:1 event for the dialogue: recorded, and its conversation locked, together.
            locked = record_event_and_lock(
                unit.connection, user_id, now=row["received_at"], flood_tokens=float(services.settings.FLOOD_BURST),
                webhook_event_id=event_id, **row, outcome=outcome,
            )
            recorded = locked is not None
        else:
            recorded = record_event(unit.connection, webhook_event_id=event_id, **row, outcome=outcome)
        if not recorded:
            log.info("event %s is a redelivery; already handled", event_id)
            return None
        if outcome != "handled":
            log.info("event %s (%s from %s) recorded, not answered: %s", event_id, event["type"], source_type, outcome)
            return None
        context = Context(
            services=services,
            unit=unit,
            now=row["received_at"],
            event=event,
            source_type=source_type,
            chat_id=chat_id,
            user_id=user_id,
            reading=reading,
            conversation=locked,
        )
        return handler(context) if handler else None


def _after_failure(
    services: Services, event_id: str, row: dict[str, Any], source_type: str | None
) -> Reply | None:
    """Record the failed event (so a redelivery is not retried blindly) and apologise in 1:1."""
    try:
        with services.db.transaction() as session:
            if not record_event(session.connection(), webhook_event_id=event_id, **row, outcome="failed"):
                return None
    except Exception:
        log.exception("event %s: could not record the failure", event_id)
    if source_type == "user":
        return Reply([system_texts.system_error()])
    return None


def _send_reply(
    services: Services, event: dict[str, Any], chat_id: str, reply: Reply, deadline: float
) -> None:
    token = event.get("replyToken")
    messages = reply.messages[:5]
    remaining = deadline - time.monotonic()
    if isinstance(token, str) and token and remaining >= MIN_REPLY_SECONDS:
        try:
            services.line.reply(token, messages, timeout=remaining)
            return
        except LineError as exc:
            log.warning(
                "reply for event %s failed (%s); queued as a push",
                event.get("webhookEventId"),
                type(exc).__name__,
            )
    try:
        with services.db.transaction() as session:
            enqueue(session, chat_id, messages, kind="reply_fallback", now=services.clock.now())
    except Exception:
        log.exception("event %s: reply could not be queued", event.get("webhookEventId"))
        return
    if event.get("source", {}).get("type") == "user" and deadline - time.monotonic() >= MIN_REPLY_SECONDS:
        # The answer now comes by push, a moment later: show the user that the bot is on it.
        try:
            services.line.show_loading(chat_id, 10, timeout=deadline - time.monotonic())
        except LineError as exc:
            log.info("loading animation not shown: %s", type(exc).__name__)


def is_recorded(session: Session, event_id: str) -> bool:
    return session.scalar(select(InboundEvent.id).where(InboundEvent.webhook_event_id == event_id)) is not None
