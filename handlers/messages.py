"""Builders for LINE message dicts (Messaging API JSON), used by the pure dialogue."""

from __future__ import annotations

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
