"""1:1 chat events → the dialogue. The I/O around the pure `step`: lock, load, step, save.

The conversation row is locked while a message is applied (`SELECT … FOR UPDATE` on
PostgreSQL; on SQLite the write transaction itself is exclusive), so two quick messages from
one user are applied one after the other and never lose a slot.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

import nlp
from handlers import effects, system_texts
from handlers.context import Context, Message, Reply
from handlers.dialogue import initial_state, step
from models import Conversation
from nlp.understanding import Understanding

log = logging.getLogger(__name__)
BANGKOK = ZoneInfo("Asia/Bangkok")

# Sticker keywords (LINE sends them with sticker messages) that carry a plain meaning.
_STICKER_INTENTS = {
    "ok": "affirm",
    "yes": "affirm",
    "good": "affirm",
    "thumbs up": "affirm",
    "like": "affirm",
    "thanks": "thanks",
    "thank you": "thanks",
    "hello": "greet",
    "hi": "greet",
    "no": "deny",
}


def lock_conversation(ctx: Context, user_id: str) -> Conversation:
    session = ctx.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.connection().execute(
        insert(Conversation.__table__)
        .values(
            line_user_id=user_id,
            state={},
            last_activity_at=ctx.now,
            flood_tokens=float(ctx.services.settings.FLOOD_BURST),
            flood_checked_at=ctx.now,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
        .on_conflict_do_nothing(index_elements=["line_user_id"])
    )
    query = select(Conversation).where(Conversation.line_user_id == user_id)
    if dialect == "postgresql":
        query = query.with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()


def _allow(ctx: Context, conversation: Conversation) -> bool:
    """Token bucket: FLOOD_BURST messages at once, refilled at FLOOD_RATE_PER_SECOND."""
    settings = ctx.services.settings
    last = conversation.flood_checked_at or ctx.now
    elapsed = max(0.0, (ctx.now - last).total_seconds())
    tokens = min(float(settings.FLOOD_BURST), conversation.flood_tokens + elapsed * settings.FLOOD_RATE_PER_SECOND)
    conversation.flood_checked_at = ctx.now
    if tokens < 1.0:
        conversation.flood_tokens = tokens
        return False
    conversation.flood_tokens = tokens - 1.0
    return True


def understanding_of_message(message: dict[str, Any], now: datetime) -> tuple[Understanding, list[Message]]:
    """What a LINE message means to the dialogue, plus any notice to send before its reply."""
    today = now.astimezone(BANGKOK).date()
    kind = message.get("type")
    if kind == "text" and isinstance(message.get("text"), str):
        text = nlp.mask_national_ids(message["text"])
        return replace(nlp.understand(text, today=today), text=text), []
    if kind == "location":
        address = " ".join(
            part for part in (message.get("title"), message.get("address")) if isinstance(part, str)
        )
        read = nlp.understand(nlp.mask_national_ids(address), today=today)
        return Understanding("inform", 1.0, dict(read.entities), ""), []
    if kind == "sticker":
        keywords = message.get("keywords") if isinstance(message.get("keywords"), list) else []
        for keyword in keywords:
            intent = _STICKER_INTENTS.get(str(keyword).strip().lower())
            if intent:
                return Understanding(intent, 1.0, {}, ""), []
        return Understanding("out_of_scope", 1.0, {}, ""), []
    return Understanding("out_of_scope", 1.0, {}, ""), [system_texts.text_only()]


def _apply(ctx: Context, understanding: Understanding, notices: list[Message]) -> Reply:
    assert ctx.user_id is not None
    conversation = lock_conversation(ctx, ctx.user_id)
    if not _allow(ctx, conversation):
        first_refusal = not (conversation.state or {}).get("_throttled")
        conversation.state = {**(conversation.state or {}), "_throttled": True}
        log.info("conversation %s throttled", conversation.id)
        return Reply([system_texts.slow_down()] if first_refusal else [])
    state = {k: v for k, v in (conversation.state or {}).items() if k != "_throttled"} or initial_state()
    new_state, replies, to_do = step(state, understanding, ctx.now)
    # Effect replies (status, office, submit …) come first: the dialogue's own reply, when it
    # has one, asks the pending question again and carries the quick replies, which LINE shows
    # only on the last message.
    effect_replies: list[Message] = []
    for effect in to_do:
        effect_replies.extend(effects.execute(ctx, conversation, effect))
    messages: list[Message] = [*notices, *effect_replies, *replies]
    if any(effect.type == "erase" for effect in to_do):
        # The link between this LINE user and anything stored goes with the conversation row.
        ctx.session.delete(conversation)
        return Reply(messages[:5])
    conversation.state = dict(new_state)
    conversation.last_activity_at = ctx.now
    conversation.updated_at = ctx.now
    if len(messages) > 5:
        log.warning("conversation %s: %d reply messages trimmed to 5", conversation.id, len(messages))
    return Reply(messages[:5])


def handle_message(ctx: Context) -> Reply | None:
    message = ctx.event.get("message")
    if not isinstance(message, dict) or not ctx.user_id:
        return None
    understanding, notices = understanding_of_message(message, ctx.now)
    return _apply(ctx, understanding, notices)


def handle_follow(ctx: Context) -> Reply | None:
    if not ctx.user_id:
        return None
    return _apply(ctx, Understanding("follow", 1.0, {}, ""), [])


def handle_unfollow(ctx: Context) -> Reply | None:
    # Blocked: nothing can be sent. The state stays, so a re-follow can pick up.
    return None


def handle_postback(ctx: Context) -> Reply | None:
    """A postback in 1:1 chat (e.g. a rich menu): `data` = "intent=<name>" or plain text."""
    postback = ctx.event.get("postback")
    data = postback.get("data") if isinstance(postback, dict) else None
    if not isinstance(data, str) or not ctx.user_id:
        return None
    if data.startswith("intent="):
        intent = data.removeprefix("intent=")
        if intent in nlp.INTENTS:
            return _apply(ctx, Understanding(intent, 1.0, {}, ""), [])
    return _apply(ctx, *understanding_of_message({"type": "text", "text": data}, ctx.now))
