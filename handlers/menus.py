"""The per-user rich menu (DESIGN §2): which menu a user's state calls for, and the outbox row
that links them to it.

Two menus: `no_case` (สมัครเรียน · ถามข้อมูล · คุยกับเจ้าหน้าที่), the channel's default, and
`case_open` (เรื่องของฉัน · คุยกับเจ้าหน้าที่ · ถามข้อมูล) for a user with an open case. Taps
are postbacks `intent=<name>`. A change of menu is an outbox row (kind `richmenu`) written in
the same transaction as the change of state, so the link call to LINE happens after commit,
by the worker; `bot.richmenu` creates the menus on LINE and delivers the links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from handlers import lifecycle, texts
from models import Case, OutboxMessage
from models.outbox import outbox_row

NO_CASE = "no_case"
CASE_OPEN = "case_open"
KIND = "richmenu"  # the outbox kind of a link


@dataclass(frozen=True)
class Button:
    label: str
    intent: str
    subtitle: str

    @property
    def data(self) -> str:
        return f"intent={self.intent}"


def _button(label: str, intent: str) -> Button:
    return Button(label, intent, texts.RICH_MENU_SUBTITLES[label])


# `ask_info` is not an NLU intent: a tap reads as the quick reply "ถามข้อมูล" (the FAQ menu).
POSTBACK_TEXTS = {"ask_info": texts.ASK_INFO}

MENUS: dict[str, tuple[Button, ...]] = {
    NO_CASE: (_button(texts.MENU_ENROLL, "enroll"), _button(texts.ASK_INFO, "ask_info"), _button(texts.HUMAN, "human")),
    CASE_OPEN: (
        _button(texts.MENU_MY_CASE, "status"),
        _button(texts.HUMAN, "human"),
        _button(texts.ASK_INFO, "ask_info"),
    ),
}
DEFAULT = NO_CASE


def postback_action(button: Button) -> dict[str, Any]:
    """A tap: a postback `intent=<name>`, shown in the chat as the button's words."""
    return {"type": "postback", "label": button.label[:20], "data": button.data, "displayText": button.label}


def menu_for(executor: Connection | Session, line_user_id: str) -> str:
    """The menu a user's state calls for: `case_open` while any of their cases is open."""
    query = select(Case.id).where(Case.line_user_id == line_user_id, Case.status.in_(lifecycle.OPEN_STATUSES)).limit(1)
    return CASE_OPEN if executor.execute(query).first() is not None else NO_CASE


def link_row(line_user_id: str, menu: str, now: datetime) -> dict[str, Any]:
    """The outbox row that links a user to `menu` (delivered after commit by the worker)."""
    if menu not in MENUS:
        raise ValueError(f"unknown rich menu {menu!r}")
    return outbox_row(line_user_id, [{"type": KIND, "menu": menu}], kind=KIND, now=now)


def queue_link(
    executor: Connection | Session, line_user_id: str | None, now: datetime, menu: str | None = None
) -> str | None:
    """Queue the link of a user to the menu of their state now (or `menu`), in the caller's
    transaction. Returns the menu queued (None without a user)."""
    if not line_user_id:
        return None
    chosen = menu or menu_for(executor, line_user_id)
    executor.execute(insert(OutboxMessage), [link_row(line_user_id, chosen, now)])
    return chosen
