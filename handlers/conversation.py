"""1:1 chat events → the dialogue. The I/O around the pure `step`: read, lock, load, step, save.

`read` (the NLU) runs before the event's transaction; `handle` then does the rest under the lock.

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

import nlp
from handlers import effects, system_texts
from handlers.context import Context, Message, Reading, Reply
from handlers.dialogue import initial_state, step
from models.hotpath import ConversationRow, delete_conversation, lock_conversation, save_conversation
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


def _allow(ctx: Context, conversation: ConversationRow) -> bool:
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


def read(event: dict[str, Any], now: datetime) -> Reading | None:
    """What a 1:1 event means to the dialogue. Pure (the NLU runs here), so the caller does
    it before taking any lock; None when the event asks nothing of the dialogue."""
    kind = event.get("type")
    if kind == "message":
        message = event.get("message")
        return understanding_of_message(message, now) if isinstance(message, dict) else None
    if kind == "follow":
        return Understanding("follow", 1.0, {}, ""), []
    if kind == "postback":
        # A postback in 1:1 chat (e.g. a rich menu): `data` = "intent=<name>" or plain text.
        postback = event.get("postback")
        data = postback.get("data") if isinstance(postback, dict) else None
        if not isinstance(data, str):
            return None
        intent = data.removeprefix("intent=") if data.startswith("intent=") else None
        if intent in nlp.INTENTS:
            return Understanding(intent, 1.0, {}, ""), []
        return understanding_of_message({"type": "text", "text": data}, now)
    return None


def handle(ctx: Context) -> Reply | None:
    """Apply the event's reading (see `read`) to the user's conversation, under its lock."""
    if ctx.reading is None or not ctx.user_id:
        return None
    understanding, notices = ctx.reading
    connection = ctx.connection
    conversation = ctx.conversation or lock_conversation(
        connection, ctx.user_id, now=ctx.now, flood_tokens=float(ctx.services.settings.FLOOD_BURST)
    )
    if not _allow(ctx, conversation):
        first_refusal = not conversation.state.get("_throttled")
        conversation.state = {**conversation.state, "_throttled": True}
        save_conversation(connection, conversation, now=ctx.now)
        log.info("conversation %s throttled", conversation.id)
        return Reply([system_texts.slow_down()] if first_refusal else [])
    state = {k: v for k, v in conversation.state.items() if k != "_throttled"} or initial_state()
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
        delete_conversation(connection, conversation)
        return Reply(messages[:5])
    conversation.state = dict(new_state)
    conversation.last_activity_at = ctx.now
    save_conversation(connection, conversation, now=ctx.now)
    if len(messages) > 5:
        log.warning("conversation %s: %d reply messages trimmed to 5", conversation.id, len(messages))
    return Reply(messages[:5])


def handle_unfollow(ctx: Context) -> Reply | None:
    # Blocked: nothing can be sent. The state stays, so a re-follow can pick up.
    return None
