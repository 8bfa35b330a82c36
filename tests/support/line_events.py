"""Webhook events as LINE sends them, signed, and a chat harness over the real webhook.

`LinePlatform.user(user_id)` gives a `Chat`: `chat.say("สวัสดี")` posts a signed text event
to `/callback`, and returns the one reply the bot sent for it (read back from the fake LINE
server). Every turn must get exactly one reply, which the harness checks.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from bot.fakeline import FakeLine
from bot.webhook import signature_for

DESTINATION = "Uffffffffffffffffffffffffffffffff"


def new_event_id() -> str:
    return "01" + uuid.uuid4().hex.upper()[:24]


def base_event(event_type: str, source: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": event_type,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": source,
        "webhookEventId": new_event_id(),
        "deliveryContext": {"isRedelivery": False},
        **extra,
    }


def user_source(user_id: str) -> dict[str, Any]:
    return {"type": "user", "userId": user_id}


def group_source(group_id: str, user_id: str | None = None) -> dict[str, Any]:
    source = {"type": "group", "groupId": group_id}
    if user_id:
        source["userId"] = user_id
    return source


def text_message(text: str, quoted_message_id: str | None = None) -> dict[str, Any]:
    message = {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text, "quoteToken": uuid.uuid4().hex}
    if quoted_message_id is not None:
        message["quotedMessageId"] = quoted_message_id  # LINE's quote-reply
    return message


def location_message(
    address: str, latitude: float = 17.57, longitude: float = 99.22, title: str | None = None
) -> dict[str, Any]:
    message = {
        "id": str(uuid.uuid4().int)[:18],
        "type": "location",
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
    }
    if title:
        message["title"] = title
    return message


def body_of(events: list[dict[str, Any]]) -> bytes:
    return json.dumps({"destination": DESTINATION, "events": events}, ensure_ascii=False).encode("utf-8")


@dataclass
class LinePlatform:
    client: Any
    fake: FakeLine
    services: Any
    secret: str

    def post(self, events: list[dict[str, Any]], *, signature: str | None = None, body: bytes | None = None):
        raw = body if body is not None else body_of(events)
        sig = signature if signature is not None else signature_for(raw, self.secret)
        return self.client.post(
            "/callback", data=raw, headers={"X-Line-Signature": sig, "Content-Type": "application/json"}
        )

    def send(self, event: dict[str, Any], chat_id: str | None = None) -> list[dict[str, Any]]:
        """Post one event with a fresh reply token; return the messages replied to it."""
        chat = chat_id or event["source"].get("userId") or event["source"].get("groupId")
        if hasattr(self.services.clock, "advance"):
            self.services.clock.advance(seconds=4)  # people take a few seconds per message
        token = self.fake.issue_reply_token(chat)
        event = {**event, "replyToken": token}
        before = len(self.fake.sent())
        response = self.post([event])
        assert response.status_code == 200, response.data
        new = self.fake.sent()[before:]
        replies = [s for s in new if s.kind == "reply" and s.to == chat]
        assert len(replies) <= 1, f"more than one reply to one event: {replies}"
        return replies[0].messages if replies else []

    def user(self, user_id: str | None = None) -> Chat:
        return Chat(self, user_id or "U" + uuid.uuid4().hex)

    def group(self, group_id: str | None = None) -> Group:
        return Group(self, group_id or "C" + uuid.uuid4().hex)

    def run_worker(self) -> Any:
        from bot.worker import drain

        return drain(self.services)


@dataclass
class Chat:
    """One youth (or parent) chatting 1:1 with the bot."""

    line: LinePlatform
    user_id: str
    history: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    def _turn(self, label: str, event: dict[str, Any]) -> list[dict[str, Any]]:
        messages = self.line.send(event)
        assert messages, f"no reply to {label!r}"
        assert 1 <= len(messages) <= 5
        self.history.append((label, messages))
        return messages

    def follow(self) -> list[dict[str, Any]]:
        return self._turn("(follow)", base_event("follow", user_source(self.user_id)))

    def say(self, text: str) -> list[dict[str, Any]]:
        return self._turn(text, base_event("message", user_source(self.user_id), message=text_message(text)))

    def share_location(self, address: str, **kw: Any) -> list[dict[str, Any]]:
        return self._turn(
            f"(location) {address}",
            base_event("message", user_source(self.user_id), message=location_message(address, **kw)),
        )

    def pushes(self) -> list[dict[str, Any]]:
        return [m for s in self.line.fake.sent(self.user_id) if s.kind == "push" for m in s.messages]


@dataclass
class Group:
    """An office's LINE group with the bot in it."""

    line: LinePlatform
    group_id: str

    def join(self) -> list[dict[str, Any]]:
        return self.line.send(base_event("join", group_source(self.group_id)), self.group_id)

    def say(self, text: str, user_id: str = "Ustaff0000000000000000000000000001") -> list[dict[str, Any]]:
        return self.line.send(
            base_event("message", group_source(self.group_id, user_id), message=text_message(text)), self.group_id
        )

    def tap(self, data: str, user_id: str = "Ustaff0000000000000000000000000001") -> list[dict[str, Any]]:
        return self.line.send(
            base_event("postback", group_source(self.group_id, user_id), postback={"data": data}), self.group_id
        )

    def quote_reply(
        self, message_id: str, text: str, user_id: str = "Ustaff0000000000000000000000000001"
    ) -> list[dict[str, Any]]:
        """Answer by LINE's quote-reply on the message the bot sent with id `message_id`."""
        event = base_event("message", group_source(self.group_id, user_id), message=text_message(text, message_id))
        return self.line.send(event, self.group_id)

    def pushed_ids(self) -> list[tuple[str, dict[str, Any]]]:
        """(LINE message id, message) for everything pushed to this group, oldest first."""
        return [
            (ids["id"], m)
            for s in self.line.fake.sent(self.group_id)
            if s.kind == "push"
            for ids, m in zip(s.sent_ids, s.messages, strict=False)  # no ids for a refused push
        ]

    def leave(self) -> list[dict[str, Any]]:
        return self.line.send(base_event("leave", group_source(self.group_id)), self.group_id)

    def pushes(self) -> list[dict[str, Any]]:
        return [m for s in self.line.fake.sent(self.group_id) if s.kind == "push" for m in s.messages]


def texts_of(messages: list[dict[str, Any]]) -> str:
    """All text of a batch of messages (text messages and Flex alt texts), for assertions."""
    parts = []
    for message in messages:
        if message.get("type") == "text":
            parts.append(message["text"])
        elif message.get("type") == "flex":
            parts.append(message.get("altText", ""))
            parts.append(json.dumps(message.get("contents"), ensure_ascii=False))
    return "\n".join(parts)


def quick_reply_labels(messages: list[dict[str, Any]]) -> list[str]:
    last = messages[-1] if messages else {}
    items = (last.get("quickReply") or {}).get("items") or []
    return [item["action"].get("label", "") for item in items]
