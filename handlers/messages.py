"""Builders for LINE message dicts (Messaging API JSON), used by the pure dialogue."""

from __future__ import annotations

import json
from typing import Any

Message = dict[str, Any]
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20


def message_action(label: str, text: str | None = None) -> dict[str, Any]:
    return {"type": "message", "label": label[:MAX_LABEL], "text": text or label}


def location_action(label: str) -> dict[str, Any]:
    return {"type": "location", "label": label[:MAX_LABEL]}


def quick_replies(choices: list[str | dict[str, Any]]) -> dict[str, Any]:
    items = []
    for choice in choices[:MAX_QUICK_REPLIES]:
        action = message_action(choice) if isinstance(choice, str) else choice
        items.append({"type": "action", "action": action})
    return {"items": items}


def text(body: str, quick: list[str | dict[str, Any]] | None = None) -> Message:
    message: Message = {"type": "text", "text": body[:5000]}
    if quick:
        message["quickReply"] = quick_replies(quick)
    return message


# LINE's limits on what one message may carry (Messaging API reference).
MAX_TEXT = 5000
MAX_CAROUSEL_BUBBLES = 12
MAX_CAROUSEL_BYTES = 50_000
MAX_ALT_TEXT = 400


def fitted(messages: list[Message], limit: int) -> list[Message]:
    """`messages` as at most `limit` messages (one LINE call) where that can be done without
    losing anything the user would see, so an answer arrives whole, in one call, in order.

    Nothing changes when they already fit. Otherwise, earliest pairs first (the answer's last
    message, the question asked now, is the last to be touched): two plain texts in a row
    become one bubble, a blank line between them; then, if need be, two flex cards in a row
    become one carousel. LINE
    shows the quick reply of the last message of a call only, so the joined message keeps the
    later one's quick reply, as the user would have seen it. A joined text stays within LINE's
    5,000 characters, a carousel within 12 bubbles and 50 kB. What still does not fit (more
    than `limit` messages that cannot be joined) is returned as it is, longer than `limit`."""
    fitted_ = list(messages)
    for join in (_joined_texts, _joined_cards):
        joined_any = True
        while len(fitted_) > limit and joined_any:
            # One pass, earliest pairs first: 1+2, 3+4, …, until the messages fit.
            joined_any, index = False, 0
            while len(fitted_) > limit and index < len(fitted_) - 1:
                joined = join(fitted_[index], fitted_[index + 1])
                if joined is not None:
                    fitted_[index : index + 2] = [joined]
                    joined_any = True
                index += 1
    return fitted_


def _with_quick_reply_of(message: Message, later: Message) -> Message:
    if "quickReply" in later:
        message["quickReply"] = later["quickReply"]
    return message


def _joined_texts(first: Message, second: Message) -> Message | None:
    """One text bubble of two plain texts (only `text` and a quick reply), or None."""
    if not all(m.get("type") == "text" and set(m) <= {"type", "text", "quickReply"} for m in (first, second)):
        return None
    body = f"{first['text']}\n\n{second['text']}"
    if len(body) > MAX_TEXT:
        return None
    return _with_quick_reply_of({"type": "text", "text": body}, second)


def _bubbles(message: Message) -> list[Any] | None:
    if message.get("type") != "flex" or not set(message) <= {"type", "altText", "contents", "quickReply"}:
        return None
    contents = message.get("contents")
    if not isinstance(contents, dict):
        return None
    if contents.get("type") == "bubble":
        return [contents]
    if contents.get("type") == "carousel" and isinstance(contents.get("contents"), list):
        return list(contents["contents"])
    return None


def _joined_cards(first: Message, second: Message) -> Message | None:
    """One carousel of two flex cards (bubbles or carousels), or None."""
    bubbles, more = _bubbles(first), _bubbles(second)
    if bubbles is None or more is None or len(bubbles) + len(more) > MAX_CAROUSEL_BUBBLES:
        return None
    contents = {"type": "carousel", "contents": [*bubbles, *more]}
    if len(json.dumps(contents, ensure_ascii=False).encode()) > MAX_CAROUSEL_BYTES:
        return None
    alt = f"{first.get('altText', '')} / {second.get('altText', '')}".strip(" /")
    return _with_quick_reply_of({"type": "flex", "altText": alt[:MAX_ALT_TEXT], "contents": contents}, second)
