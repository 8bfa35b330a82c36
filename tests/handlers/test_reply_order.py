"""An answer arrives whole and in order (LINE's reply carries at most `MAX_REPLIES` messages):
every answer is fitted to one LINE call (`handlers.messages.fitted`), so no part of it follows
as a push that a quick next answer could overtake."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from handlers import conversation
from handlers.dialogue.thresholds import MAX_REPLIES
from handlers.messages import MAX_TEXT, fitted, text
from models import OutboxMessage
from tests.support.journeys import ONE_BY_ONE_INTAKE, linked_group
from tests.support.journeys import say_with_token as say
from tests.support.line_events import texts_of


def _card(alt: str) -> dict[str, Any]:
    bubble = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": alt}]},
    }
    return {"type": "flex", "altText": alt, "contents": bubble}


def test_messages_that_fit_one_call_are_left_as_they_are():
    messages = [text("หนึ่ง"), _card("การ์ด"), text("สอง", ["ใช่", "ไม่"])]
    assert fitted(messages, MAX_REPLIES) == messages


def test_texts_are_joined_earliest_pairs_first_keeping_the_last_quick_reply():
    messages = [text(f"ข้อ {n}", ["ตัวเลือก"]) for n in range(1, 8)]
    messages[-1] = text("คำถามล่าสุด", ["ใช่", "ไม่"])
    out = fitted(messages, MAX_REPLIES)
    assert len(out) == MAX_REPLIES
    assert [m["text"] for m in out] == ["ข้อ 1\n\nข้อ 2", "ข้อ 3\n\nข้อ 4", "ข้อ 5", "ข้อ 6", "คำถามล่าสุด"]
    # LINE shows the quick reply of a call's last message only: the joined bubble keeps the
    # later one's (what the user saw), and the question asked now keeps its own.
    assert out[0]["quickReply"] == messages[1]["quickReply"] and out[-1] == messages[-1]


def test_cards_become_a_carousel_only_when_texts_cannot_be_joined(openapi_validator):
    long = "ก" * (MAX_TEXT - 2)  # joined with anything, longer than LINE allows
    messages = [_card("หนึ่ง"), text(long), _card("สอง"), _card("สาม"), text(long), text("ถาม", ["ใช่"])]
    out = fitted(messages, MAX_REPLIES)
    assert len(out) == MAX_REPLIES
    assert [m["type"] for m in out] == ["flex", "text", "flex", "text", "text"]
    carousel = out[2]
    assert carousel["contents"]["type"] == "carousel" and carousel["altText"] == "สอง / สาม"
    assert carousel["contents"]["contents"] == [messages[2]["contents"], messages[3]["contents"]]
    assert all(len(m["text"]) <= MAX_TEXT for m in out if m["type"] == "text")
    # What is sent is a valid reply for LINE (the joined texts, the carousel).
    body = json.dumps({"replyToken": "f" * 32, "messages": out}, ensure_ascii=False).encode()
    assert openapi_validator("POST", "/v2/bot/message/reply", {"Content-Type": "application/json"}, body) == []
    # Messages with more than a plain text (a quote, emojis) are not joined; what cannot be
    # joined at all stays as it is (then split by the caller, in order).
    quoted = [{**text("อ้างถึง"), "quoteToken": "q"} for _ in range(6)]
    assert fitted(quoted, MAX_REPLIES) == quoted


def _fallback_rows(services, user: str) -> list[OutboxMessage]:
    with services.db.transaction(write=False) as tx:
        return list(
            tx.session.scalars(
                select(OutboxMessage).where(OutboxMessage.to == user, OutboxMessage.kind == "reply_fallback")
            )
        )


def test_an_answer_of_more_than_five_messages_arrives_whole_before_the_next_one(
    line, services, clock, shipped_flood_settings, monkeypatch
):
    """A quick intake: its later answers are held by flood control and go with the answer to
    "ยืนยัน", seven messages in all. They arrive in the one reply, in order, and the answer to a
    quick next message comes after them; nothing is left to be pushed behind it."""
    composed: list[int] = []

    def counting(messages: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
        composed.append(len(messages))
        return fitted(messages, limit)

    monkeypatch.setattr(conversation, "fitted", counting)
    linked_group(line, "5208")
    user = "U" + "d" * 32
    for said in ONE_BY_ONE_INTAKE[:-1]:
        clock.advance(seconds=0.01)  # faster than any person: the last answers are held
        say(line, user, said)
    assert len(_fallback_rows(services, user)) == 1, "the held answers wait in one row"

    clock.advance(seconds=3)
    composed.clear()
    answer = say(line, user, "ยืนยัน")
    assert composed == [7], "the answer would have needed seven messages"
    assert 1 <= len(answer) <= MAX_REPLIES
    said = texts_of(answer)
    # The held questions (district, reason, path, phone, summary), then the submission, in order.
    marks = ["อำเภออะไร", "ทำไมคุณถึงไม่ได้เรียนต่อ", "สายไหน", "เบอร์ไหน", "ขอทวนข้อมูล", "RT-"]
    assert all(mark in said for mark in marks), said
    assert [said.index(mark) for mark in marks] == sorted(said.index(mark) for mark in marks)
    assert answer[-1].get("quickReply"), "the last message keeps its quick replies"
    assert _fallback_rows(services, user) == [], "no part of the answer is left to push"

    clock.advance(seconds=0.5)
    next_answer = say(line, user, "เรื่องถึงไหนแล้ว")
    assert next_answer and "RT-" in texts_of(next_answer)
    line.run_worker()
    sent = line.fake.sent(user)
    assert all(s.kind == "reply" for s in sent), "every answer came in its own reply"
    assert sent[-2].messages == answer and sent[-1].messages == next_answer, "the chat reads in order"
