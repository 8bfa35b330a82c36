"""1:1 chat events → the dialogue. The I/O around the pure `step`: read, lock, step, save, reply.

`read` (the NLU) runs before the event's transaction; `handle` then does the rest with the
user's conversation row locked (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the write
transaction itself is exclusive), so two quick messages from one user are applied one after
the other and never lose a slot.

Flood control (DESIGN §6, §7) slows a user and never loses a message. Every message is applied
to the conversation, in order, and recorded as handled. What is rationed is the answers: a
token bucket per user (`FLOOD_BURST` at once, refilled at `FLOOD_RATE_PER_SECOND`) lets a
message be answered at once with its reply token. A message beyond it is applied all the
same, and its answer is held in the user's deferred outbox rows, merged with the answers held
before it, due when the bucket has a token again. Merging drops only an answer said again word
for word later (a flood of "สวัสดี" gets its answer once, the question last); nothing else is
ever cut. The next message answered at once takes the held answers with it; if none comes, the
worker pushes them when due. A person answering quick replies as they appear sends well under
the refill rate, so is never held; a flood gets one merged answer per refill instead of
hundreds.

Every answer, held or not, is fitted to one LINE call (`MAX_REPLIES` messages: consecutive
texts joined, cards into a carousel; `handlers.messages.fitted`), so it arrives whole, in one
reply or push: never a reply followed by pushes that a quick next answer could overtake. Only
what cannot be joined (more than `MAX_REPLIES` cards and long texts) is still split: a reply
then pushes (`handlers.events`), or further held rows, in order.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select

import nlp
from handlers import effects, menus, texts
from handlers.context import Context, Message, Reading, Reply
from handlers.dialogue import NewerStateVersion, dump_state, load_state, step
from handlers.dialogue.thresholds import MAX_REPLIES
from handlers.messages import fitted
from models import OutboxMessage
from models.inbound import LockedConversation, delete_conversation, lock_conversation, save_conversation
from models.outbox import enqueue
from nlp.answers import with_expecting
from nlp.thaitime import bangkok_date
from nlp.understanding import Understanding

log = logging.getLogger(__name__)
# The outbox kind of answers that wait for the user's next reply token or for the worker.
HELD_KIND = "reply_fallback"

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


def understanding_of_message(message: dict[str, Any], now: datetime) -> tuple[Understanding, list[Message]]:
    """What a LINE message means to the dialogue, plus any notice to send before its reply."""
    today = bangkok_date(now)
    kind = message.get("type")
    if kind == "text" and isinstance(message.get("text"), str):
        text = nlp.mask_national_ids(message["text"])
        return replace(nlp.understand(text, today=today), text=text), []
    if kind == "location":
        address = " ".join(part for part in (message.get("title"), message.get("address")) if isinstance(part, str))
        read = nlp.understand(nlp.mask_national_ids(address), today=today)
        return Understanding("inform", 1.0, dict(read.told), ""), []
    if kind == "sticker":
        keywords = message.get("keywords")
        for keyword in keywords if isinstance(keywords, list) else []:
            intent = _STICKER_INTENTS.get(str(keyword).strip().lower())
            if intent:
                return Understanding(intent, 1.0, {}, ""), []
        return Understanding("out_of_scope", 1.0, {}, ""), []
    return Understanding("out_of_scope", 1.0, {}, ""), [texts.text_only()]


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
        # A menu button that is no NLU intent (the rich menu's ถามข้อมูล) reads as its words.
        said = menus.POSTBACK_TEXTS.get(intent or "", data)
        return understanding_of_message({"type": "text", "text": said}, now)
    return None


def handle(ctx: Context) -> Reply | None:
    """Apply the event's reading (see `read`) to the user's conversation, under its lock."""
    if ctx.reading is None or not ctx.user_id:
        return None
    settings = ctx.services.settings
    understanding, notices = ctx.reading
    conversation = lock_conversation(ctx.connection, ctx.user_id, now=ctx.now, flood_tokens=float(settings.FLOOD_BURST))
    if understanding.intent == "follow" and menus.menu_for(ctx.connection, ctx.user_id) != menus.DEFAULT:
        menus.queue_link(ctx.connection, ctx.user_id, ctx.now)  # back with an open case: its rich menu
    # The JSON column (older versions migrated), decoded for this turn alone: taken, not copied.
    try:
        state = load_state(conversation.state, owned=True)
    except NewerStateVersion as exc:
        # Refused: the event fails (rolled back, recorded failed, the usual apology) and the row
        # keeps what the newer release wrote, for when it runs again.
        log.error(
            "conversation %s (event %s): stored state version %d is newer than this release's; turn refused",
            conversation.id,
            ctx.event.get("webhookEventId"),
            exc.version,
        )
        raise
    if state.expecting:
        understanding = with_expecting(understanding, state.expecting)  # a bare answer to the question asked
    new_state, replies, to_do = step(state, understanding, ctx.now, privacy_url=settings.PRIVACY_URL)
    # Effect replies (status, office, submit …) come first: the dialogue's own reply, when it
    # has one, asks the pending question again and carries the quick replies, which LINE shows
    # only on the last message.
    effect_replies: list[Message] = []
    for effect in to_do:
        effect_replies.extend(effects.execute(ctx, conversation, effect))
    messages: list[Message] = [*notices, *effect_replies, *replies]
    if any(effect.type == "erase" for effect in to_do):
        # The link between this LINE user and anything stored goes with the conversation row
        # (and so do answers held for it).
        _take_held(ctx, conversation)
        ctx.unit.flush()  # what went through the ORM first (see `save_conversation`)
        delete_conversation(ctx.connection, conversation)
        return Reply(fitted(messages, MAX_REPLIES), recipient_erased=True)
    if ctx.state_updates:
        facts = {**new_state.facts, **ctx.state_updates}
        new_state.facts = {k: v for k, v in facts.items() if v is not None}
    conversation.state = dump_state(new_state, owned=True)  # written, then dropped
    conversation.last_activity_at = ctx.now
    conversation.updated_at = ctx.now
    reply = _answered(ctx, conversation, messages)
    ctx.unit.flush()  # what went through the ORM first (see `save_conversation`)
    save_conversation(ctx.connection, conversation)  # the state, and the flood control's fields
    return reply


def _answered(ctx: Context, conversation: LockedConversation, messages: list[Message]) -> Reply | None:
    """The reply owed now: `messages` (with the answers held before them), fitted to one LINE
    call (`handlers.messages.fitted`: the whole answer arrives at once, so a quick next answer
    cannot come before its end), or nothing when flood control holds them for later (see
    `_hold`)."""
    if not messages:
        return None
    wait = _answer_wait(ctx, conversation)
    if wait is not None:
        _hold(ctx, conversation, messages, due=ctx.now + wait)
        log.info("conversation %s: answer held %.1f s (flood control)", conversation.id, wait.total_seconds())
        return None
    held = _take_held(ctx, conversation) if conversation.answers_held_until is not None else []
    return Reply(fitted(_merged(held, messages), MAX_REPLIES))


def _answer_wait(ctx: Context, conversation: LockedConversation) -> timedelta | None:
    """Token bucket over the answers sent at once: None when this one may go now (a token is
    taken), else how long until the bucket has a token again."""
    settings = ctx.services.settings
    last = conversation.flood_checked_at or ctx.now
    elapsed = max(0.0, (ctx.now - last).total_seconds())
    tokens = min(float(settings.FLOOD_BURST), conversation.flood_tokens + elapsed * settings.FLOOD_RATE_PER_SECOND)
    conversation.flood_checked_at = ctx.now
    if tokens >= 1.0:
        conversation.flood_tokens = tokens - 1.0
        return None
    conversation.flood_tokens = tokens
    return timedelta(seconds=max(0.5, (1.0 - tokens) / settings.FLOOD_RATE_PER_SECOND))


def _held_query(ctx: Context, user_id: str) -> Select[OutboxMessage]:
    """The user's answers waiting in the outbox and not claimed by a worker (on PostgreSQL a
    row a worker is claiming right now is skipped, and a new one is written instead)."""
    return (
        select(OutboxMessage)
        .where(
            OutboxMessage.to == user_id,
            OutboxMessage.kind == HELD_KIND,
            OutboxMessage.status == "pending",
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < ctx.now),
        )
        .order_by(OutboxMessage.created_at)
        .with_for_update(skip_locked=True)
    )


def _hold(ctx: Context, conversation: LockedConversation, messages: list[Message], *, due: datetime) -> None:
    """Keep `messages` for the user's next answered message, or for the worker at `due`: merged
    with the answers held before them (`_merged`), fitted to one LINE call (one row; more rows,
    in order, only for what cannot be joined: see `handlers.messages.fitted`)."""
    user_id = conversation.line_user_id
    rows = list(ctx.session.scalars(_held_query(ctx, user_id)).all()) if conversation.answers_held_until else []
    merged = fitted(_merged([message for row in rows for message in row.messages], messages), MAX_REPLIES)
    due = max([due, *(row.next_attempt_at for row in rows)])
    parts = batches(merged)
    for row, part in zip(rows, parts, strict=False):
        row.messages = part
    for row in rows[len(parts) :]:  # fewer rows needed once repeats were merged
        ctx.session.delete(row)
    rows = rows[: len(parts)]
    for index, part in enumerate(parts[len(rows) :], start=len(rows)):
        rows.append(enqueue(ctx.session, user_id, part, kind=HELD_KIND, now=in_order(ctx.now, index)))
    for row in rows:
        row.next_attempt_at = due
    conversation.answers_held_until = due


def _take_held(ctx: Context, conversation: LockedConversation) -> list[Message]:
    """The answers held for the user (see `_hold`), taken out of the outbox (those the worker
    has already claimed go their way)."""
    held: list[Message] = []
    for row in ctx.session.scalars(_held_query(ctx, conversation.line_user_id)).all():
        held.extend(row.messages)
        ctx.session.delete(row)
    conversation.answers_held_until = None
    return held


def _merged(earlier: list[Message], later: list[Message]) -> list[Message]:
    """Earlier answers followed by later ones. A message said again word for word later is kept
    at its last place only (the same question asked again, the same greeting: the user reads it
    once, the current question last); nothing else is dropped, however many there are."""
    combined = [*earlier, *later]
    keys = [json.dumps(message, sort_keys=True, ensure_ascii=False) for message in combined]
    last = {key: index for index, key in enumerate(keys)}
    return [message for index, (message, key) in enumerate(zip(combined, keys, strict=True)) if last[key] == index]


def batches(messages: list[Message]) -> list[list[Message]]:
    """`messages` in order, split into LINE calls (a reply, a push) of at most `MAX_REPLIES` each."""
    return [messages[start : start + MAX_REPLIES] for start in range(0, len(messages), MAX_REPLIES)]


def in_order(now: datetime, index: int) -> datetime:
    """The `created_at` of the `index`-th of several outbox rows written at `now` for one
    recipient: a microsecond apart, so the worker (oldest first among those due at the same time)
    pushes them in the order they were written. Their `next_attempt_at` is set by the caller."""
    return now + timedelta(microseconds=index)


def handle_unfollow(ctx: Context) -> Reply | None:
    # Blocked: nothing can be sent. The state stays, so a re-follow can pick up.
    return None
