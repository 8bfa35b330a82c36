"""`เข้าระบบ` in a linked group: a one-time link to the staff console (DESIGN §10) for the
person who typed it, with the group's office as their scope.

The link goes to the person 1:1 (through the outbox, after the event commits) when they are a
friend of the account, else it is shown in the group. Whether they are a friend, and their
display name, are asked of LINE before the event's transaction (`handlers.events`), never inside it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from handlers import texts
from handlers.context import Context, Reply
from handlers.messages import text
from models import Office
from models.console import SIGN_IN_TTL, issue_sign_in_token
from models.outbox import enqueue
from nlp.answers import group_command

log = logging.getLogger(__name__)


def wants_friend(event: dict[str, Any]) -> bool:
    """Whether this group event is `เข้าระบบ` (read in `nlp.answers.group_command`), for which the
    handler wants to know, before the transaction, whether the sender is a friend of the account
    (`LineClient.is_friend`)."""
    message = event.get("message")
    if not isinstance(message, dict) or message.get("type") != "text":
        return False
    command = group_command(str(message.get("text", "")))
    return command is not None and command[0] == "sign_in"


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
    name = (known.get("actor_name") or "").strip()
    named = name[:100] or None
    who, called = named or texts.CONSOLE_STAFF, texts.staff_called(named)
    token = issue_sign_in_token(
        ctx.session, scope_kind, scope_code, now=ctx.now, issued_to=who, issued_to_id=ctx.user_id
    )
    url = sign_in_url(settings.PUBLIC_URL, token)
    minutes = int(SIGN_IN_TTL.total_seconds() // 60)
    log.info("console sign-in link issued for %s %s", scope_kind, scope_code or "")
    if known.get("friend") and ctx.user_id:
        enqueue(
            ctx.session,
            ctx.user_id,
            [text(texts.console_link_private(url, office_name, minutes))],
            kind="console_link",
            now=ctx.now,
        )
        return Reply([text(texts.console_link_sent(called))])
    return Reply([text(texts.console_link_in_group(called, url, minutes))])
