"""Office staff in LINE groups, over the real webhook: link, referral, accept, contacted,
enrolled, a double accept, close, leave; deletion; SLA reminders; delivery under failure."""

from __future__ import annotations

from sqlalchemy import select

from models import CaseEvent, LinkAttempt, Office, OutboxMessage
from tests.support.journeys import QUICK_INTAKE as INTAKE
from tests.support.journeys import cases, linked_group, only_case, postback_data, referral_cards
from tests.support.line_events import texts_of


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
    with services.db.transaction(write=False) as tx:
        session = tx.session
        events = [
            (e.from_status, e.to_status, e.actor) for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id))
        ]
    assert events == [
        (None, "new", "applicant"),
        ("new", "accepted", "สมศรี"),
        ("accepted", "contacted", "สมศรี"),
        ("contacted", "enrolled", "สมศรี"),
    ]
    assert "เรื่องถึงไหนแล้ว" and "ลงทะเบียนเรียนแล้ว" in texts_of(chat.say("เรื่องถึงไหนแล้ว"))


def test_closing_asks_for_a_reason(line):
    group = linked_group(line, "5208")
    register(line)
    (card,) = referral_cards(group)
    reasons = group.tap(postback_data(card, "ปิดเรื่อง"))
    labels = [i["action"]["label"] for i in reasons[0]["quickReply"]["items"]]
    assert labels == ["ไม่ประสงค์เรียน", "ติดต่อไม่ได้", "เรื่องซ้ำ", "ถอนการสมัคร", "เรียนที่อื่นแล้ว"]
    unreachable = [
        i["action"]["data"] for i in reasons[0]["quickReply"]["items"] if i["action"]["label"] == "ติดต่อไม่ได้"
    ][0]
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

    with services.db.transaction() as tx:
        session = tx.session
        code = create_link_code(session, "5208", clock.now())
        old = create_link_code(session, "5208", clock.now())
    group = line.group()
    assert "ไม่ถูกต้อง" in texts_of(group.say("ลงทะเบียน WRONG123"))
    clock.advance(minutes=31)
    assert "หมดอายุ" in texts_of(group.say(f"ลงทะเบียน {old}"))
    with services.db.transaction() as tx:
        session = tx.session
        code = create_link_code(session, "5208", clock.now())
    assert "เรียบร้อย" in texts_of(group.say(f"ลงทะเบียน {code}"))
    assert "ถูกใช้ไปแล้ว" in texts_of(line.group().say(f"ลงทะเบียน {code}"))
    with services.db.transaction(write=False) as tx:
        session = tx.session
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
    with services.db.transaction(write=False) as tx:
        session = tx.session
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
    assert (
        case["age"],
        case["district_code"],
        case["grade"],
        case["reason"],
        case["status"],
        case["close_reason"],
    ) == (17, "5208", "m2", "work", "closed", "withdrawn")
    assert any("ถอนการสมัคร" in m.get("text", "") for m in group.pushes())
    from models import Case, Consent, Conversation, InboundEvent

    with services.db.transaction(write=False) as tx:
        session = tx.session
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
    with services.db.transaction(write=False) as tx:
        session = tx.session
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


# --- found in the audit of the office side ---------------------------------------------------

NAME, PHONE = "ต้น", "0812345678"


def outbox_rows(services):
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)))


def stored_text(services) -> str:
    """Everything the outbox holds, as text."""
    import json

    return "\n".join(json.dumps([r.to, r.messages], ensure_ascii=False) for r in outbox_rows(services))


def events(services):
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return [
            (e.from_status, e.to_status, e.actor, e.actor_id)
            for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id))
        ]


def test_a_group_can_be_moved_to_another_office(line, services):
    from handlers.staff import create_link_code

    group = linked_group(line, "5208")  # '5208' > '5001': the unique group id must be freed first
    with services.db.transaction() as tx:
        session = tx.session
        code = create_link_code(session, "5001", services.clock.now())
    reply = texts_of(group.say(f"ลงทะเบียน {code}"))
    assert "เรียบร้อย" in reply and "เลิกรับเรื่องของศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in reply
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Office, "5001").line_group_id == group.group_id
        assert session.get(Office, "5208").line_group_id is None


def test_erasure_before_the_card_went_out_cancels_it_and_blanks_every_copy(line, services):
    group = linked_group(line, "5208")
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    chat.say("คุยกับเจ้าหน้าที่")  # a notice with the name and phone, queued for the group
    chat.say("ลบข้อมูลของฉัน")
    chat.say("ยืนยันลบ")
    line.run_worker()  # the worker runs only now: the card and the notice were still queued
    assert group.pushes() == []
    assert NAME not in stored_text(services) and PHONE not in stored_text(services)
    assert chat.user_id not in stored_text(services)
    assert {r.status for r in outbox_rows(services)} == {"cancelled"}
    case = only_case(line)
    assert (case["status"], case["close_reason"], case["name"], case["phone"]) == ("closed", "withdrawn", None, None)


def test_erasure_after_delivery_blanks_the_stored_card(line, services):
    group = linked_group(line, "5208")
    chat = register(line)
    assert NAME in stored_text(services)
    chat.say("ลบข้อมูลของฉัน")
    chat.say("ยืนยันลบ")
    line.run_worker()
    assert NAME not in stored_text(services) and PHONE not in stored_text(services)
    assert chat.user_id not in stored_text(services)
    assert "ถอนการสมัคร" in texts_of(group.pushes()[-1:])


def test_an_enrolled_case_keeps_its_status_when_the_learner_erases_their_data(line):
    group = linked_group(line, "5208")
    chat = register(line)
    (card,) = referral_cards(group)
    group.tap(postback_data(card, "ลงทะเบียนเรียนแล้ว"))
    chat.say("ลบข้อมูลของฉัน")
    chat.say("ยืนยันลบ")
    line.run_worker()
    case = only_case(line)
    assert (case["status"], case["close_reason"], case["name"]) == ("enrolled", None, None)
    notice = texts_of(group.pushes()[-1:])
    assert "ลบข้อมูลส่วนตัว" in notice and "ถอน" not in notice


def test_contacted_before_accepting_still_tells_the_youth_and_records_who(line, services):
    group = linked_group(line, "5208")
    line.fake.set_profile("Ustaff0000000000000000000000000001", "สมศรี")
    chat = register(line)
    (card,) = referral_cards(group)
    assert "คุณสมศรี" in texts_of(group.tap(postback_data(card, "ติดต่อแล้ว")))
    line.run_worker()
    assert "รับเรื่อง" in texts_of(chat.pushes())
    staff = "Ustaff0000000000000000000000000001"
    assert events(services)[1:] == [("new", "accepted", "สมศรี", staff), ("accepted", "contacted", "สมศรี", staff)]
    assert only_case(line)["accepted_at"] is not None


def test_a_second_accept_names_who_took_it_and_when(line, services):
    group = linked_group(line, "5208")
    line.fake.set_profile("Ustaff0000000000000000000000000001", "สมศรี")
    register(line)
    (card,) = referral_cards(group)
    group.tap(postback_data(card, "รับเรื่อง"))
    group.tap(postback_data(card, "ติดต่อแล้ว"))
    again = texts_of(group.tap(postback_data(card, "รับเรื่อง"), user_id="Ustaff0000000000000000000000000002"))
    assert "คุณสมศรี รับไปแล้วเมื่อ" in again and "ติดต่อแล้ว" in again
    assert len(events(services)) == 3  # the second accept changed nothing


def test_an_unknown_staff_member_is_not_called_khun_staff(line):
    group = linked_group(line, "5208")
    register(line)
    (card,) = referral_cards(group)
    reply = texts_of(group.tap(postback_data(card, "รับเรื่อง"), user_id="Unoprofile000000000000000000000001"))
    assert "เจ้าหน้าที่ รับเรื่อง" in reply and "คุณเจ้าหน้าที่" not in reply


def test_a_learner_without_a_phone_is_given_the_office_phone_on_accept(line, services):
    with services.db.transaction() as tx:
        session = tx.session
        session.get(Office, "5208").phone = "054-291-000"
    group = linked_group(line, "5208")
    chat = register(line, intake=[*INTAKE[:5], "ติดต่อทางไลน์", "ยืนยัน"])
    (card,) = referral_cards(group)
    assert "ไม่ได้ให้เบอร์" in texts_of([card])
    assert "แจ้งเบอร์ศูนย์ให้ผู้สมัคร" in texts_of(group.tap(postback_data(card, "รับเรื่อง")))
    line.run_worker()
    assert "054-291-000" in texts_of(chat.pushes())


def test_a_case_pending_for_days_gets_its_full_sla_once_delivered(line, services, clock):
    chat = register(line)  # no group anywhere: pending
    del chat
    clock.advance(hours=72)
    assert line.run_worker().sla_actions == 0
    group = linked_group(line, "5208")
    line.run_worker()
    assert len(referral_cards(group)) == 1
    assert line.run_worker().sla_actions == 0  # not overdue the moment it arrives
    clock.advance(hours=49)
    assert line.run_worker().sla_actions == 1


def test_fractional_sla_hours(line, services, clock):
    from bot.config import with_overrides

    services.settings = with_overrides(services.settings, REFERRAL_SLA_HOURS=0.01)  # 36 seconds
    group = linked_group(line, "5208")
    register(line)
    clock.advance(seconds=20)
    assert line.run_worker().sla_actions == 0
    clock.advance(seconds=20)
    assert line.run_worker().sla_actions == 1
    reminder = texts_of(group.pushes())
    assert "1 นาที" in reminder and "0.01" not in reminder


def test_the_reminder_goes_to_the_offices_own_group_when_linked_after_the_card(line, services, clock):
    province = linked_group(line, "52")
    register(line)
    assert len(referral_cards(province)) == 1  # fell back to the province
    thoen = linked_group(line, "5208")
    assert referral_cards(thoen) == []  # exactly one referral push per case
    clock.advance(hours=49)
    assert line.run_worker().sla_actions == 1
    (reminder,) = referral_cards(thoen)
    assert reminder["altText"].startswith("⏰")
    assert any("ส่งต่อเพื่อติดตาม" in m.get("text", "") for m in province.pushes())
    # The district group can take it from the reminder's card.
    assert "รับเรื่อง RT-" in texts_of(thoen.tap(postback_data(reminder, "รับเรื่อง")))
    case = only_case(line)
    assert (case["office_code"], case["delivered_to"], case["status"]) == ("5208", "52", "accepted")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        kinds = sorted(r.kind for r in session.scalars(select(OutboxMessage)) if r.case_id and r.kind != "notify")
    assert kinds == ["escalation", "referral", "reminder"]


def test_a_card_refused_by_the_group_goes_to_the_province_then_admin(line, services):
    from bot.config import with_overrides

    services.settings = with_overrides(services.settings, ADMIN_GROUP_ID="Cadmin000000000000000000000000001")
    thoen = linked_group(line, "5208")
    province = linked_group(line, "52")
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    # The bot was removed from both office groups without a leave event: LINE refuses.
    line.fake.fail_next(
        2,
        400,
        body={"message": "The property, 'to', in the request body is invalid (line-bot not in group)"},
        path_prefix="/v2/bot/message/push",
    )
    line.run_worker()
    assert referral_cards(thoen) == [] and referral_cards(province) == []
    admin_cards = [
        m for s in line.fake.sent("Cadmin000000000000000000000000001") for m in s.messages if m["type"] == "flex"
    ]
    assert len(admin_cards) == 1
    case = only_case(line)
    assert (case["office_code"], case["delivery_status"], case["delivered_to"]) == ("5208", "delivered", "admin")
    statuses = sorted(r.status for r in outbox_rows(services) if r.kind == "referral")
    assert statuses == ["delivered", "failed", "failed"]


def test_a_refused_card_with_nowhere_left_stays_pending_and_visible(line, services):
    thoen = linked_group(line, "5208")
    register(line, intake=INTAKE[:-1])
    line.fake.fail_next(1, 403, body={"message": "Forbidden"}, path_prefix="/v2/bot/message/push")
    line.user  # noqa: B018
    (user,) = {s.to for s in line.fake.sent() if s.kind == "reply" and s.to.startswith("U")}
    from tests.support.line_events import Chat

    Chat(line, user).say("ยืนยัน")
    line.run_worker()
    case = only_case(line)
    assert (case["delivery_status"], case["office_code"]) == ("pending", "5208")
    listing = thoen.say("เรื่องค้าง")
    assert "RT-" in texts_of(listing) and "ยังไม่ถึงกลุ่ม" in texts_of(listing)


def test_open_cases_reply_carries_cards_the_group_can_act_on(line, services):
    province = linked_group(line, "52")
    register(line)
    thoen = linked_group(line, "5208")  # linked after the card went to the province
    reply = thoen.say("เรื่องค้าง")
    assert len(reply) == 2 and reply[1]["type"] == "flex" and reply[1]["contents"]["type"] == "carousel"
    (bubble,) = reply[1]["contents"]["contents"]
    assert "รับเรื่อง RT-" in texts_of(thoen.tap(postback_data({"contents": bubble}, "รับเรื่อง")))
    assert len(referral_cards(province)) == 1 and referral_cards(thoen) == []


def test_the_bot_stays_quiet_on_chatter_in_groups(line):
    group = linked_group(line, "5208")
    for said in ["สวัสดีค่ะทุกคน", "ลงทะเบียนเรียนวันไหนคะ", "เรื่องค้างเยอะมาก 555", "ลงทะเบียน"]:
        assert group.say(said) == []
    stranger = line.group()
    assert stranger.say("เรื่องค้าง") == []


def test_logs_carry_ids_never_names_phones_or_message_text(line, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    line.fake.set_profile("Ustaff0000000000000000000000000001", "สมศรี")
    group = linked_group(line, "5208")
    chat = register(line)
    (card,) = referral_cards(group)
    group.tap(postback_data(card, "รับเรื่อง"))
    chat.say("คุยกับเจ้าหน้าที่")
    chat.say("ลบข้อมูลของฉัน")
    chat.say("ยืนยันลบ")
    line.run_worker()
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert caplog.records
    for secret in (NAME, PHONE, "ผมเอง", "ต้องทำงาน", "สายสามัญ", "คุยกับเจ้าหน้าที่", "สมศรี"):
        assert secret not in logged, secret


def test_asking_for_a_person_before_the_card_arrives_tells_the_group_getting_it(line):
    group = linked_group(line, "5208")
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    chat.say("คุยกับเจ้าหน้าที่")  # the worker has not delivered the card yet
    line.run_worker()
    pushed = group.pushes()
    assert [m["type"] for m in pushed] == ["flex", "text"]  # the card first, then the request
    assert "ขอคุยกับเจ้าหน้าที่" in pushed[1]["text"] and PHONE in pushed[1]["text"]


def test_the_admin_group_sees_undeliverable_cases_and_can_take_them(line, services):
    from bot.config import with_overrides

    register(line)  # no group, no admin group: pending
    admin_id = "Cadmin000000000000000000000000001"
    services.settings = with_overrides(services.settings, ADMIN_GROUP_ID=admin_id)
    admin = line.group(admin_id)
    reply = admin.say("เรื่องค้าง")
    assert "ยังไม่ถึงกลุ่ม" in texts_of(reply)
    (bubble,) = reply[1]["contents"]["contents"]
    assert "รับเรื่อง RT-" in texts_of(admin.tap(postback_data({"contents": bubble}, "รับเรื่อง")))
    assert only_case(line)["status"] == "accepted"
