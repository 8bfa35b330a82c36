"""`เข้าระบบ` in a linked group: a one-time link to the staff console (DESIGN §10) for the
person who typed it, with the group's office as their scope.

The link goes to the person 1:1 (through the outbox, after the event commits) when they are a
friend of the account, else it is shown in the group. Whether they are a friend, and their
display name, are asked of LINE before the event's transaction (`prefetch`), never inside it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from handlers import texts
from handlers.context import Context, Reply
from handlers.messages import text
from handlers.ports import Services
from models import Office
from models.console import SIGN_IN_TTL, issue_sign_in_token
from models.outbox import enqueue

log = logging.getLogger(__name__)

COMMANDS = ("เข้าระบบ", "เข้าสู่ระบบ", "ลิงก์เข้าระบบ")
PREFETCH_TIMEOUT_SECONDS = 1.0


def is_command(said: str) -> bool:
    return said.strip() in COMMANDS


def wants_friend(event: dict[str, Any]) -> bool:
    """Whether this group event is `เข้าระบบ`, for which the handler wants to know, before the
    transaction, whether the sender is a friend of the account (`LineClient.is_friend`)."""
    message = event.get("message")
    return isinstance(message, dict) and message.get("type") == "text" and is_command(str(message.get("text", "")))


def prefetch(services: Services, event: dict[str, Any], timeout: float = PREFETCH_TIMEOUT_SECONDS) -> dict[str, Any]:
    """What LINE knows about the sender, asked before the event's transaction: `friend`
    (a 1:1 push reaches them) and `actor_name` (their display name in the group)."""
    source = event.get("source") or {}
    user_id, group_id = source.get("userId"), source.get("groupId")
    if not user_id or not wants_friend(event):
        return {}
    found: dict[str, Any] = {"friend": services.line.is_friend(user_id, timeout=timeout)}
    if group_id:
        found["actor_name"] = services.line.group_member_name(group_id, user_id, timeout=timeout)
    return found


def sign_in_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/console/login/{token}"


def handle(ctx: Context) -> Reply | None:
    """Answer `เข้าระบบ`, from what was asked of LINE before the transaction
    (`ctx.prefetched`: `friend`, `actor_name`; a person LINE did not say is a friend gets the
    link in the group rather than not at all)."""
    known = ctx.prefetched
    settings = ctx.services.settings
    office = ctx.session.scalar(select(Office).where(Office.line_group_id == ctx.chat_id)) if ctx.chat_id else None
    if office is not None:
        scope_kind, scope_code, office_name = (
            ("province" if office.kind == "province" else "office"),
            office.code,
            office.name,
        )
    elif settings.ADMIN_GROUP_ID and ctx.chat_id == settings.ADMIN_GROUP_ID:
        scope_kind, scope_code, office_name = "admin", None, texts.CONSOLE_ADMIN
    else:
        return Reply([text(texts.CONSOLE_NOT_LINKED)])
    name = known.get("actor_name")
    who = name.strip()[:100] if isinstance(name, str) and name.strip() else texts.CONSOLE_STAFF
    called = f"คุณ{who}" if who != "เจ้าหน้าที่" else texts.CONSOLE_STAFF
    token = issue_sign_in_token(
        ctx.session, scope_kind, scope_code, now=ctx.now, issued_to=who, issued_to_id=ctx.user_id
    )
    url = sign_in_url(settings.PUBLIC_URL, token)
    minutes = int(SIGN_IN_TTL.total_seconds() // 60)
    log.info("console sign-in link issued for %s %s", scope_kind, scope_code or "")
    if known.get("friend") is True and ctx.user_id:
        enqueue(
            ctx.session,
            ctx.user_id,
            [text(texts.console_link_private(url, office_name, minutes))],
            kind="console_link",
            now=ctx.now,
        )
        return Reply([text(texts.console_link_sent(called))])
    return Reply([text(texts.console_link_in_group(called, url, minutes))])
