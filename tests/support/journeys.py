"""Helpers for end-to-end conversation tests: linking office groups, reading cases back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.cli_cases import case_record
from handlers.staff import create_link_code
from models import Case
from tests.support.line_events import Group, LinePlatform, base_event, text_message, user_source

# The shortest whole intake: a youth who gives the details at once (Thoen, Lampang: office 52's
# district) and answers each remaining question with its quick reply, then confirms.
QUICK_INTAKE = (
    "อยากกลับไปเรียน",
    "ยินยอม",
    "ผมเอง ชื่อต้น อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง",
    "ต้องทำงาน",
    "สายสามัญ",
    "0812345678",
    "ยืนยัน",
)
# The details at once, then the quick replies that skip or defer (no reason given, path not sure,
# contact through LINE), before the confirmation.
SKIPPING_INTAKE = (
    "อยากกลับไปเรียน",
    "ยินยอม",
    "ผมเอง ชื่อต้น อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง",
    "ไม่อยากบอก",
    "ยังไม่แน่ใจ",
    "ติดต่อทางไลน์",
)
# The longest whole intake: every question answered on its own with its quick reply, then confirmed
# (the transcript tests write it out turn by turn).
ONE_BY_ONE_INTAKE = (
    "อยากสมัครเรียน",
    "ยินยอม",
    "ตัวเอง",
    "มายด์",
    "18",
    "ม.3",
    "จบแล้ว",
    "เถิน ลำปาง",
    "ปัญหาการเงิน",
    "สายอาชีพ (ปวช.)",
    "0891234567",
    "ยืนยัน",
)
# An intake in Isan, by someone with no phone (contact through LINE), up to the summary.
ISAN_WITHOUT_PHONE = (
    "อยากเฮียนต่อเด้อ",
    "ยินยอม",
    "ข่อยเอง ชื่อแก้ว",
    "อายุ 18",
    "ม.3",
    "บ่จบ",
    "อยู่ อ.เมือง อุบล",
    "เฮ็ดงาน",
    "บ่แน่ใจ",
    "บ่มีเบอร์",
)


def linked_group(line: LinePlatform, office_code: str) -> Group:
    group = line.group()
    group.join()
    with line.services.db.transaction() as tx:
        session = tx.session
        code = create_link_code(session, office_code, line.services.clock.now())
    reply = group.say(f"ลงทะเบียน {code}")
    assert reply and "เรียบร้อย" in reply[0]["text"], reply
    return group


def cases(line: LinePlatform) -> list[dict[str, Any]]:
    """Every case as `flask --app bot cases export` prints it."""
    with line.services.db.transaction(write=False) as tx:
        session = tx.session
        return [case_record(c) for c in session.scalars(select(Case).order_by(Case.id))]


def only_case(line: LinePlatform) -> dict[str, Any]:
    found = cases(line)
    assert len(found) == 1, found
    return found[0]


def referral_cards(group: Group) -> list[dict[str, Any]]:
    return [m for m in group.pushes() if m.get("type") == "flex"]


def postback_data(card: dict[str, Any], label: str) -> str:
    """The postback data of the card button labelled `label`."""
    stack = [card["contents"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            action = node.get("action")
            if isinstance(action, dict) and action.get("label") == label:
                return action["data"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(f"no button {label!r}")


def say_with_token(line: Any, user: str, said: str) -> list[dict[str, Any]]:
    """One message posted to the webhook with a fresh reply token; the messages replied to it
    (none when the answer was held back)."""
    event = base_event("message", user_source(user), message=text_message(said))
    event["replyToken"] = line.fake.issue_reply_token(user)
    before = len(line.fake.sent())
    assert line.post([event]).status_code == 200
    return [m for s in line.fake.sent()[before:] if s.kind == "reply" and s.to == user for m in s.messages]
