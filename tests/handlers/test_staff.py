"""Office staff in LINE groups, over the real webhook: link, referral, accept, contacted,
enrolled, a double accept, close, leave; deletion; SLA reminders; delivery under failure."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import CaseEvent, LinkAttempt, Office, OutboxMessage
from tests.support.journeys import cases, linked_group, only_case, postback_data, referral_cards
from tests.support.line_events import texts_of

INTAKE = ["อยากกลับไปเรียน", "ยินยอม", "ผมเอง ชื่อต้น อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง", "ต้องทำงาน", "สายสามัญ", "0812345678", "ยืนยัน"]


def register(line, *, intake=INTAKE):
    chat = line.user()
    for said in intake:
        chat.say(said)
    line.run_worker()
    return chat


def test_the_whole_staff_flow(line, services):
    group = linked_group(line, "5208")
    line.fake.set_profile("Ustaff0000000000000000000000000001", "สมศรี")
    line.fake.set_profile("Ustaff0000000000000000000000000002", "วิชัย")
    chat = register(line)
    (card,) = referral_cards(group)
    assert card["altText"].startswith("เรื่องใหม่ RT-") and "ต้น" in card["altText"]

    reply = group.tap(postback_data(card, "รับเรื่อง"))
    assert "สมศรี" in texts_of(reply) and "รับเรื่อง" in texts_of(reply)
    again = group.tap(postback_data(card, "รับเรื่อง"), user_id="Ustaff0000000000000000000000000002")
    assert "สมศรี" in texts_of(again) and "รับไปแล้ว" in texts_of(again)
    assert "ติดต่อผู้สมัครแล้ว" in texts_of(group.tap(postback_data(card, "ติดต่อแล้ว")))
    assert "ลงทะเบียนเรียนแล้ว" in texts_of(group.tap(postback_data(card, "ลงทะเบียนเรียนแล้ว")))
    line.run_worker()

    youth = texts_of(chat.pushes())
    assert "รับเรื่อง" in youth and "ยินดีด้วย" in youth
    case = only_case(line)
    assert case["status"] == "enrolled" and case["accepted_at"] is not None
    with services.db.read() as session:
        events = [(e.from_status, e.to_status, e.actor) for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
    assert events == [(None, "new", "applicant"), ("new", "accepted", "สมศรี"), ("accepted", "contacted", "สมศรี"), ("contacted", "enrolled", "สมศรี")]
    assert "เรื่องถึงไหนแล้ว" and "ลงทะเบียนเรียนแล้ว" in texts_of(chat.say("เรื่องถึงไหนแล้ว"))


def test_closing_asks_for_a_reason(line):
    group = linked_group(line, "5208")
    register(line)
    (card,) = referral_cards(group)
    reasons = group.tap(postback_data(card, "ปิดเรื่อง"))
    labels = [i["action"]["label"] for i in reasons[0]["quickReply"]["items"]]
    assert labels == ["ไม่ประสงค์เรียน", "ติดต่อไม่ได้", "เรื่องซ้ำ", "ถอนการสมัคร"]
    unreachable = [i["action"]["data"] for i in reasons[0]["quickReply"]["items"] if i["action"]["label"] == "ติดต่อไม่ได้"][0]
    assert "ปิดเรื่อง" in texts_of(group.tap(unreachable))
    case = only_case(line)
    assert (case["status"], case["close_reason"]) == ("closed", "unreachable")
    assert "ปิดไปแล้ว" in texts_of(group.tap(postback_data(card, "รับเรื่อง")))


def test_another_offices_group_cannot_act(line):
    thoen = linked_group(line, "5208")
    other = linked_group(line, "5001")
    register(line)
    (card,) = referral_cards(thoen)
    assert "ไม่ได้ดูแล" in texts_of(other.tap(postback_data(card, "รับเรื่อง")))
    assert only_case(line)["status"] == "new"


def test_link_codes_are_one_time_expiring_and_rate_limited(line, services, clock):
    from handlers.staff import create_link_code

    with services.db.transaction() as session:
        code = create_link_code(session, "5208", clock.now())
        old = create_link_code(session, "5208", clock.now())
    group = line.group()
    assert "ไม่ถูกต้อง" in texts_of(group.say("ลงทะเบียน WRONG123"))
    clock.advance(minutes=31)
    assert "หมดอายุ" in texts_of(group.say(f"ลงทะเบียน {old}"))
    with services.db.transaction() as session:
        code = create_link_code(session, "5208", clock.now())
    assert "เรียบร้อย" in texts_of(group.say(f"ลงทะเบียน {code}"))
    assert "ถูกใช้ไปแล้ว" in texts_of(line.group().say(f"ลงทะเบียน {code}"))
    with services.db.read() as session:
        assert session.get(Office, "5208").line_group_id == group.group_id
        stored = session.scalars(select(LinkAttempt)).all()
    assert len(stored) == 3
    attacker = line.group()
    for _ in range(5):
        attacker.say("ลงทะเบียน GUESS999")
    assert "หลายครั้งเกินไป" in texts_of(attacker.say("ลงทะเบียน GUESS000"))


def test_leaving_the_group_unlinks_it(line, services):
    group = linked_group(line, "5208")
    assert group.leave() == []
    with services.db.read() as session:
        assert session.get(Office, "5208").line_group_id is None
    register(line)
    assert only_case(line)["delivery_status"] == "pending"


def test_open_cases_command_in_the_group(line):
    group = linked_group(line, "5208")
    register(line)
    assert "RT-" in texts_of(group.say("เรื่องค้าง"))


def test_deletion_erases_personal_fields_keeps_statistics_and_tells_the_office(line, services):
    group = linked_group(line, "5208")
    chat = register(line)
    assert "ยืนยันลบ" in [i["action"]["label"] for i in chat.say("ลบข้อมูลของฉัน")[-1]["quickReply"]["items"]]
    assert "ลบข้อมูลส่วนตัวของคุณเรียบร้อย" in texts_of(chat.say("ยืนยันลบ"))
    line.run_worker()
    case = only_case(line)
    assert (case["name"], case["phone"]) == (None, None)
    assert (case["age"], case["district_code"], case["grade"], case["reason"], case["status"], case["close_reason"]) == (17, "5208", "m2", "work", "closed", "withdrawn")
    assert any("ถอนตัว" in m.get("text", "") for m in group.pushes())
    from models import Case, Consent, Conversation, InboundEvent

    with services.db.read() as session:
        assert session.scalars(select(Case.line_user_id)).all() == [None]
        assert session.scalars(select(Consent.line_user_id)).all() == [None]
        assert session.scalars(select(Conversation)).all() == []
        assert chat.user_id not in session.scalars(select(InboundEvent.source_id)).all()


def test_deletion_can_be_called_off(line):
    linked_group(line, "5208")
    chat = register(line)
    chat.say("ลบข้อมูลของฉัน")
    assert "ไม่ลบ" in texts_of(chat.say("ไม่ลบ"))
    assert only_case(line)["name"] == "ต้น"


def test_sla_reminder_and_a_single_escalation(line, services, clock):
    thoen = linked_group(line, "5208")
    province = linked_group(line, "52")
    register(line)
    clock.advance(hours=47)
    line.run_worker()
    assert len(thoen.pushes()) == 1  # just the card
    clock.advance(hours=2)
    report = line.run_worker()
    assert report.sla_actions == 1
    assert any("เตือน" in m.get("text", "") for m in thoen.pushes())
    assert any("ส่งต่อเพื่อติดตาม" in m.get("text", "") for m in province.pushes())
    clock.advance(hours=100)
    assert line.run_worker().sla_actions == 0  # escalated once only
    with services.db.read() as session:
        kinds = sorted(r.kind for r in session.scalars(select(OutboxMessage)) if r.case_id)
    assert kinds == ["escalation", "referral", "reminder"]


def test_referral_survives_line_failures_and_arrives_once(line, services, clock):
    group = linked_group(line, "5208")
    register(line, intake=INTAKE[:-1])
    line.fake.fail_next(3, 500, path_prefix="/v2/bot/message/push")
    chat_reply = line.user  # keep flake8 quiet about unused names
    del chat_reply
    last = cases(line)
    assert last == []
    # The confirmation itself (the "ยืนยัน") from the same user: find the chat again.
    (user,) = {s.to for s in line.fake.sent() if s.kind == "reply" and s.to.startswith("U")}
    from tests.support.line_events import Chat

    Chat(line, user).say("ยืนยัน")
    for _ in range(4):
        line.run_worker()
        clock.advance(seconds=30)
    assert len(referral_cards(group)) == 1
    assert only_case(line)["delivery_status"] == "delivered"
