"""Erasure reaches every copy (DESIGN §6), and the worker's retention (issue 12 §2, §3).

The proof is a dump of every table of the database (whatever tables exist, ours or not),
searched for the applicant's name, phone and LINE user id. The dump reads on a connection of
its own, so these tests ask for `database_url` (real commits, not a rolled-back test transaction)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.pool import NullPool

from bot.worker import Worker
from models import Case, Conversation, OutboxMessage
from tests.support.journeys import (
    linked_group,
    only_case,
    postback_data,
    referral_cards,
)
from tests.support.line_events import base_event, text_message, texts_of, user_source

NAME = "ปรางทิพย์"
PHONE = "0861234579"
INTAKE = [
    "อยากกลับไปเรียน",
    "ยินยอม",
    f"หนูชื่อ{NAME} อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง",
    "ต้องทำงาน",
    "สายสามัญ",
    PHONE,
    "ยืนยัน",
]


def _readable(value: Any) -> str:
    """A column's value as a person searching a dump would read it: JSON (stored with its
    Thai escaped as \\uXXXX on SQLite) decoded."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def dump(services) -> str:
    """Every row of every table, as text (the `SELECT *` form of a database dump)."""
    # A connection of its own, as a dump tool has (none of the app's pooled sessions).
    engine = create_engine(services.db.engine.url, poolclass=NullPool)
    out = []
    try:
        with engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                    out.append(f"{table}: " + " | ".join(_readable(v) for v in row))
    finally:
        engine.dispose()
    return "\n".join(out)


def assert_gone(services, *secrets: str) -> None:
    everything = dump(services)
    for secret in secrets:
        assert secret not in everything, f"{secret!r} still stored:\n" + "\n".join(
            line for line in everything.splitlines() if secret in line
        )


def register(line):
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    line.run_worker()
    return chat


def test_erasure_reaches_failed_group_replies_and_every_table(database_url, line, services):
    group = linked_group(line, "5208")
    chat = register(line)
    case = only_case(line)
    assert case["name"] == NAME and case["phone"] == PHONE
    (card,) = referral_cards(group)
    # The group's replies fail: "✅ รับเรื่อง … โทร …" and the เรื่องค้าง list go to the outbox.
    line.fake.fail_next(2, 500, path_prefix="/v2/bot/message/reply")
    group.tap(postback_data(card, "รับเรื่อง"))
    group.say("เรื่องค้าง")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        fallbacks = list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_fallback")))
    assert len(fallbacks) == 2
    stored = dump(services)
    assert PHONE in stored and NAME in stored and chat.user_id in stored  # the test can see them

    assert "ลบ" in texts_of(chat.say("ลบข้อมูลของฉัน"))
    assert "เรียบร้อย" in texts_of(chat.say("ยืนยันลบ"))
    assert_gone(services, NAME, PHONE, chat.user_id)
    # The office was told, and what the worker sends now still names nobody.
    line.run_worker()
    assert "ถอนการสมัคร" in texts_of(group.pushes())
    assert_gone(services, NAME, PHONE, chat.user_id)
    after = only_case(line)
    assert (after["status"], after["close_reason"], after["district_code"], after["age"]) == (
        "closed",
        "withdrawn",
        "5208",
        17,
    )


def test_fallback_rows_are_linked_to_every_case_they_name(line, services):
    group = linked_group(line, "5208")
    register(line)
    line.fake.fail_next(1, 500, path_prefix="/v2/bot/message/reply")
    group.say("เรื่องค้าง")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        (row,) = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_fallback"))
        case_id = session.scalar(select(Case.id))
        linked = (
            session.execute(text("SELECT case_id FROM outbox_subjects WHERE outbox_id = :id"), {"id": row.id})
            .scalars()
            .all()
        )
    assert linked == [case_id]


def test_worker_erases_abandoned_intakes_without_the_user_writing_again(database_url, line, services, clock):
    chat = line.user()
    for said in INTAKE[:3]:
        chat.say(said)
    assert NAME in dump(services)
    clock.advance(days=6)
    Worker(services).run_once()
    assert NAME in dump(services)  # six days: kept (the user may come back)
    clock.advance(days=1, seconds=60)
    Worker(services).run_once()
    assert_gone(services, NAME, chat.user_id)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalar(select(Conversation.id)) is None
    # A user who comes back starts afresh, and is answered.
    assert chat.say("สวัสดีค่ะ")


def test_cases_closed_for_the_retention_period_keep_only_statistics(database_url, line, services, clock):
    group = linked_group(line, "5208")
    chat = register(line)
    (card,) = referral_cards(group)
    group.tap(postback_data(card, "รับเรื่อง"))
    items = group.tap(postback_data(card, "ปิดเรื่อง"))[0]["quickReply"]["items"]
    unreachable = [i["action"]["data"] for i in items][1]
    group.tap(unreachable)
    line.run_worker()
    clock.advance(days=364)
    Worker(services).run_once()
    assert PHONE in dump(services)
    clock.advance(days=1, seconds=60)
    Worker(services).run_once()
    assert_gone(services, NAME, PHONE)
    case = only_case(line)
    assert (case["status"], case["close_reason"], case["age"], case["district_code"], case["name"]) == (
        "closed",
        "unreachable",
        17,
        "5208",
        None,
    )
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalar(select(Case.line_user_id)) is None
    assert chat.user_id  # the chat itself may go on


def test_a_failed_reply_to_the_erasure_keeps_no_trace_of_the_user(database_url, line, services):
    chat = register(line)
    assert "ลบ" in texts_of(chat.say("ลบข้อมูลของฉัน"))
    # The reply that confirms the erasure fails: it must still reach the user (by push) and then
    # leave nothing behind, not even the LINE user id it was addressed to.
    line.fake.fail_next(1, 500, path_prefix="/v2/bot/message/reply")
    assert line.send(base_event("message", user_source(chat.user_id), message=text_message("ยืนยันลบ"))) == []
    with services.db.transaction(write=False) as tx:
        session = tx.session
        (fallback,) = session.scalars(select(OutboxMessage).where(OutboxMessage.to == chat.user_id))
    assert fallback.status == "pending"
    line.run_worker()
    assert "เรียบร้อย" in texts_of(chat.pushes())
    assert_gone(services, NAME, PHONE, chat.user_id)
