"""Threads between an applicant and their office (DESIGN §9), and the follow-up of a case
(§2 step 6, §5), as transcripts over the real webhook: signed events, the fake LINE server, the
worker, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from models import Base, Case, CaseEvent, Office
from models.threads import SentMessage, Thread, ThreadMessage
from tests.support.journeys import QUICK_INTAKE as INTAKE
from tests.support.journeys import linked_group, only_case, postback_data, referral_cards
from tests.support.line_events import base_event, group_source, texts_of, user_source

THAI_DATE = r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25\d\d"
STAFF_A = "Ustaff0000000000000000000000000001"
STAFF_B = "Ustaff0000000000000000000000000002"
THOEN = "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน"


def register(line):
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    line.run_worker()
    return chat


def pushed_after(group, before: int) -> list[tuple[str, dict]]:
    return group.pushed_ids()[before:]


def forwarded_id(group, needle: str) -> str:
    """The LINE id of the message the bot pushed to the group containing `needle`."""
    found = [mid for mid, m in group.pushed_ids() if needle in m.get("text", "")]
    assert len(found) == 1, group.pushed_ids()
    return found[0]


def reason_data(reasons: list[dict], label: str) -> str:
    return next(i["action"]["data"] for i in reasons[0]["quickReply"]["items"] if i["action"]["label"] == label)


def count_in(messages: list[dict], needle: str) -> int:
    return sum(needle in m.get("text", "") for m in messages)


def test_applicant_and_staff_talk_through_the_bot(line, services):
    group = linked_group(line, "5208")
    line.fake.set_profile(STAFF_A, "สมศรี")
    chat = register(line)
    ref = only_case(line)["ref"]

    opened = texts_of(chat.say("คุยกับเจ้าหน้าที่"))
    assert "แจ้งเจ้าหน้าที่" in opened and ref in opened
    sent = texts_of(chat.say("สะดวกให้โทรหลัง 5 โมงเย็นค่ะ"))
    assert "ส่งให้เจ้าหน้าที่แล้ว" in sent
    line.run_worker()
    forwarded = [m["text"] for m in group.pushes() if "สะดวกให้โทรหลัง 5 โมงเย็นค่ะ" in m.get("text", "")]
    assert len(forwarded) == 1 and ref in forwarded[0] and "ต้น" in forwarded[0]

    # Quote-reply on the forwarded message → the applicant, once.
    answer = group.quote_reply(forwarded_id(group, "สะดวกให้โทรหลัง"), "ได้ค่ะ จะโทรหลัง 5 โมงนะคะ")
    assert f"ส่งถึง {ref}" in texts_of(answer)
    line.run_worker()
    assert count_in(chat.pushes(), f"เจ้าหน้าที่{THOEN}: ได้ค่ะ จะโทรหลัง 5 โมงนะคะ") == 1

    # `ตอบ REF ข้อความ` → the applicant, once; the applicant's answer back → the group, once.
    assert f"ส่งถึง {ref}" in texts_of(group.say(f"ตอบ {ref} พรุ่งนี้ว่างไหมคะ"))
    chat.say("ว่างค่ะ")
    line.run_worker()
    line.run_worker()
    assert count_in(chat.pushes(), "พรุ่งนี้ว่างไหมคะ") == 1
    assert count_in(group.pushes(), "ว่างค่ะ") == 1

    # A quote-reply to anything else (the referral card) is chatter: no reply, nothing forwarded.
    card_id = next(mid for mid, m in group.pushed_ids() if m.get("type") == "flex")
    assert group.quote_reply(card_id, "เดี๋ยวโทรนะ") == []
    line.run_worker()
    assert count_in(chat.pushes(), "เดี๋ยวโทรนะ") == 0

    # Leaving the thread: the next question is the bot's again, not forwarded.
    assert "กลับมาคุยกับน้องบอท" in texts_of(chat.say("กลับไปคุยกับบอท"))
    before = len(group.pushes())
    chat.say("เรียนฟรีไหม")
    line.run_worker()
    assert len(group.pushes()) == before

    with services.db.transaction(write=False) as tx:
        session = tx.session
        query = select(ThreadMessage).where(ThreadMessage.sender != "bot").order_by(ThreadMessage.id)
        kept = [(m.sender, m.staff_name, m.text) for m in session.scalars(query)]
    assert kept == [
        ("applicant", None, "สะดวกให้โทรหลัง 5 โมงเย็นค่ะ"),
        ("staff", "สมศรี", "ได้ค่ะ จะโทรหลัง 5 โมงนะคะ"),
        ("staff", "สมศรี", "พรุ่งนี้ว่างไหมคะ"),
        ("applicant", None, "ว่างค่ะ"),
    ]


def test_a_sticker_and_an_image_in_a_thread_are_described(line):
    group = linked_group(line, "5208")
    chat = register(line)
    chat.say("คุยกับเจ้าหน้าที่")
    sticker = {
        "id": "1",
        "type": "sticker",
        "packageId": "446",
        "stickerId": "1988",
        "stickerResourceType": "STATIC",
        "quoteToken": "q",
    }
    sent = line.send(base_event("message", user_source(chat.user_id), message=sticker))
    assert "ส่งให้เจ้าหน้าที่แล้ว" in texts_of(sent)
    image = {"id": "2", "type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q2"}
    sent = line.send(base_event("message", user_source(chat.user_id), message=image))
    assert "ส่งรูปหรือไฟล์ต่อให้เจ้าหน้าที่ไม่ได้" in texts_of(sent)
    line.run_worker()
    assert count_in(group.pushes(), "(ส่งสติกเกอร์)") == 1 and count_in(group.pushes(), "(ส่งรูปภาพมา") == 1


def test_an_unanswered_message_is_reminded_once_and_escalated_once(line, services, clock):
    thoen = linked_group(line, "5208")
    lampang = linked_group(line, "52")
    chat = register(line)
    ref = only_case(line)["ref"]
    thoen.tap(postback_data(referral_cards(thoen)[0], "รับเรื่อง"))  # the referral itself is not overdue
    chat.say("คุยกับเจ้าหน้าที่")
    chat.say("ขอเลื่อนวันนัดได้ไหมคะ")
    line.run_worker()
    clock.advance(hours=services.settings.REFERRAL_SLA_HOURS + 1)
    line.run_worker()
    line.run_worker()
    reminders = [m["text"] for m in thoen.pushes() if m.get("text", "").startswith("⏰") and ref in m["text"]]
    escalations = [m["text"] for m in lampang.pushes() if m.get("text", "").startswith("🔺") and ref in m["text"]]
    assert len(reminders) == 1 and len(escalations) == 1
    listed = texts_of(thoen.say("เรื่องค้าง"))
    assert "ยังรอคำตอบ" in listed and f"{ref} (ต้น)" in listed
    # The province can answer from the escalation, by quote-reply.
    reply = lampang.quote_reply(forwarded_id(lampang, "🔺"), "ศูนย์จะโทรหาวันนี้ค่ะ")
    assert f"ส่งถึง {ref}" in texts_of(reply)
    line.run_worker()
    assert count_in(chat.pushes(), "ศูนย์จะโทรหาวันนี้ค่ะ") == 1
    assert "สำนักงานส่งเสริมการเรียนรู้ประจำจังหวัดลำปาง" in texts_of(chat.pushes())


def test_a_thread_closes_after_72_quiet_hours_and_by_staff(line, services, clock):
    group = linked_group(line, "5208")
    chat = register(line)
    ref = only_case(line)["ref"]
    chat.say("คุยกับเจ้าหน้าที่")
    group.say(f"ตอบ {ref} สวัสดีค่ะ")
    line.run_worker()
    clock.advance(hours=73)
    line.run_worker()
    assert "เงียบไป 3 วัน" in texts_of(chat.pushes())
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalar(select(Thread.status)) == "closed"
    before = len(group.pushes())
    chat.say("เรียนฟรีไหม")  # no longer forwarded
    line.run_worker()
    assert len(group.pushes()) == before

    chat.say("คุยกับเจ้าหน้าที่")
    assert "ปิดแชท" in texts_of(group.say(f"ปิดแชท {ref}"))
    line.run_worker()
    assert "เจ้าหน้าที่ปิดแชตนี้แล้ว" in texts_of(chat.pushes())
    assert "ไม่ได้เปิดอยู่" in texts_of(group.say(f"ปิดแชท {ref}"))


def test_a_case_closed_as_unreachable_is_reopened_by_the_youth(line, services, clock):
    with services.db.transaction() as tx:
        session = tx.session
        session.get(Office, "5208").phone = "054-291-000"
    group = linked_group(line, "5208")
    chat = register(line)
    ref = only_case(line)["ref"]
    (card,) = referral_cards(group)
    group.tap(postback_data(card, "รับเรื่อง"))
    reasons = group.tap(postback_data(card, "ปิดเรื่อง"))
    unreachable = reason_data(reasons, "ติดต่อไม่ได้")
    assert "แจ้งผู้สมัครให้แล้ว" in texts_of(group.tap(unreachable))
    line.run_worker()
    notice = [m for m in chat.pushes() if "ยังติดต่อไม่ได้" in m.get("text", "")]
    assert len(notice) == 1 and "054-291-000" in notice[0]["text"]
    assert "ให้ติดต่อกลับ" in [i["action"]["label"] for i in notice[0]["quickReply"]["items"]]

    timeline = texts_of(chat.say("เรื่องถึงไหนแล้ว"))
    assert "ปิดเรื่อง (ติดต่อไม่ได้)" in timeline and "เจ้าหน้าที่รับเรื่อง" in timeline
    assert re.search(THAI_DATE, timeline)

    assert "ตอนนี้เปิดอีกครั้งแล้ว" in texts_of(chat.say("ให้ติดต่อกลับ"))
    line.run_worker()
    case = only_case(line)
    assert (case["status"], case["close_reason"], case["accepted_at"]) == ("new", None, None)
    reopened = [m for m in group.pushes() if m.get("type") == "flex" and "เปิดเรื่องอีกครั้ง" in m.get("altText", "")]
    assert len(reopened) == 1
    with services.db.transaction(write=False) as tx:
        session = tx.session
        steps = [(e.from_status, e.to_status) for e in session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
    assert steps[-2:] == [("accepted", "closed"), ("closed", "new")]
    # Its SLA starts again: overdue once more after REFERRAL_SLA_HOURS.
    clock.advance(hours=services.settings.REFERRAL_SLA_HOURS + 1)
    line.run_worker()
    assert sum(1 for m in group.pushes() if m.get("text", "").startswith("⏰") and ref in m["text"]) == 1


def test_still_wanting_to_study_reopens_a_declined_case(line):
    group = linked_group(line, "5208")
    chat = register(line)
    (card,) = referral_cards(group)
    reasons = group.tap(postback_data(card, "ปิดเรื่อง"))
    declined = reason_data(reasons, "ไม่ประสงค์เรียน")
    group.tap(declined)
    line.run_worker()
    assert "ยังไม่ประสงค์เรียน" in texts_of(chat.pushes())
    # Asked why, with the wish to study in the same message: the case opens again, the reason said.
    reopened = texts_of(chat.say("ทำไมปิดเรื่องครับ ผมยังอยากเรียนอยู่"))
    assert "ปิดไว้เพราะไม่ประสงค์เรียน" in reopened and "เปิดอีกครั้ง" in reopened
    assert only_case(line)["status"] == "new"


def test_erasure_of_a_case_with_a_thread_leaves_none_of_its_text(line, services):
    group = linked_group(line, "5208")
    chat = register(line)
    ref = only_case(line)["ref"]
    chat.say("คุยกับเจ้าหน้าที่")
    chat.say("บ้านเลขที่ 99 ซอยลับสุดยอด")
    line.run_worker()
    group.quote_reply(forwarded_id(group, "ซอยลับสุดยอด"), "รับทราบค่ะคุณต้นผู้กล้า")
    line.run_worker()
    chat.say("ลบข้อมูลของฉัน")
    chat.say("ยืนยันลบ")
    line.run_worker()
    dump = []
    with services.db.transaction(write=False) as tx:
        session = tx.session
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                dump.append(json.dumps([str(v) for v in row], ensure_ascii=False))
        assert session.scalar(select(Thread.close_reason)) == "erased"
        linked = select(SentMessage.thread_message_id).where(SentMessage.thread_message_id.is_not(None))
        assert session.scalars(linked).all() == []
    everything = "\n".join(dump)
    for secret in ("ซอยลับสุดยอด", "รับทราบค่ะคุณต้นผู้กล้า", chat.user_id, "0812345678"):
        assert secret not in everything, secret
    assert ref in everything  # the case itself stays, for the figures


def test_the_group_help_lists_its_commands(line):
    group = linked_group(line, "5208")
    for word in ("ช่วยด้วย", "คำสั่ง", "help"):
        listed = texts_of(group.say(word))
        for command in ("เรื่องค้าง", "ตอบ REF ข้อความ", "ลงทะเบียน CODE", "เข้าระบบ", "ปิดแชท REF"):
            assert command in listed, (word, command)


def test_the_card_shows_the_submission_date_and_a_second_tap_names_both(line, services):
    group = linked_group(line, "5208")
    line.fake.set_profile(STAFF_A, "สมศรี")
    line.fake.set_profile(STAFF_B, "วิชัย")
    register(line)
    (card,) = referral_cards(group)
    assert "ส่งเมื่อ" in texts_of([card]) and " 2569 " in texts_of([card])
    group.tap(postback_data(card, "รับเรื่อง"))
    again = texts_of(group.tap(postback_data(card, "รับเรื่อง"), user_id=STAFF_B))
    assert again.startswith("คุณวิชัยคะ") and "คุณสมศรี รับไปแล้ว" in again
    assert "คุณสมศรี รับเรื่อง" in texts_of(group.tap(postback_data(card, "รับเรื่อง")))


def test_an_enrolled_case_cannot_be_closed_and_a_closed_one_reopens_from_the_group(line, services):
    group = linked_group(line, "5208")
    chat = register(line)
    ref = only_case(line)["ref"]
    (card,) = referral_cards(group)
    labels = [i["action"]["label"] for i in group.tap(postback_data(card, "ปิดเรื่อง"))[0]["quickReply"]["items"]]
    assert labels == ["ไม่ประสงค์เรียน", "ติดต่อไม่ได้", "เรื่องซ้ำ", "ถอนการสมัคร", "เรียนที่อื่นแล้ว"]
    group.tap(f"case={card_case_id(card)}&action=close&reason=enrolled_elsewhere")
    closed = group.tap(postback_data(card, "ติดต่อแล้ว"))
    assert "ปิดไปแล้ว" in texts_of(closed)
    reopen = closed[0]["quickReply"]["items"][0]["action"]["data"]
    assert "เปิดเรื่อง" in texts_of(group.tap(reopen))
    assert only_case(line)["status"] == "new"
    group.tap(postback_data(card, "ลงทะเบียนเรียนแล้ว"))
    assert "ปิดเรื่องไม่ได้" in texts_of(group.tap(f"case={card_case_id(card)}&action=close&reason=declined"))
    assert only_case(line)["status"] == "enrolled"
    assert "ยังไม่ได้ปิด" in texts_of(group.say(f"เปิดเรื่อง {ref}"))
    line.run_worker()
    youth = texts_of(chat.pushes())
    assert "เรียนที่อื่นแล้ว" in youth or "ได้ที่เรียนที่อื่น" in youth
    assert "เปิดเรื่อง" in youth and "ยินดีด้วย" in youth


def card_case_id(card: dict) -> int:
    return int(re.search(r"case=(\d+)", postback_data(card, "รับเรื่อง")).group(1))


def test_answers_to_unknown_or_foreign_references_are_refused(line):
    thoen = linked_group(line, "5208")
    other = linked_group(line, "5001")
    chat = register(line)
    ref = only_case(line)["ref"]
    unknown = texts_of(thoen.say("ตอบ RT-2569-999999 สวัสดีค่ะ"))
    foreign = texts_of(other.say(f"ตอบ {ref} สวัสดีค่ะ"))
    assert "ไม่พบเรื่อง" in unknown
    # Another office's case gets the very answer an unknown reference gets: nothing is learnt.
    assert foreign == unknown.replace("RT-2569-999999", ref)
    assert texts_of(other.say(f"ปิดแชท {ref}")) == texts_of(other.say("ปิดแชท RT-2569-999999")).replace(
        "RT-2569-999999", ref
    )
    assert "พิมพ์แบบนี้" in texts_of(thoen.say("ตอบ"))
    line.run_worker()
    assert "สวัสดีค่ะ" not in texts_of(chat.pushes())
    assert other.say("คุยกันเองในกลุ่ม") == []


def test_every_message_sent_to_a_group_has_its_ids_recorded(line, services):
    group = linked_group(line, "5208")
    register(line)
    group.say("เรื่องค้าง")  # a reply (two messages)
    line.run_worker()
    sent = line.fake.sent(group.group_id)
    assert {s.kind for s in sent} == {"reply", "push"}
    with services.db.transaction(write=False) as tx:
        session = tx.session
        recorded = set(session.scalars(select(SentMessage.line_message_id)))
    assert {m["id"] for s in sent for m in s.sent_ids} <= recorded


def test_the_question_nobody_answered_goes_to_staff(line, services):
    group = linked_group(line, "5208")
    chat = register(line)
    question = "ถ้าย้ายบ้านไปต่างจังหวัดต้องทำยังไงกับหน่วยกิตคะ"
    offer = chat.say(question)
    assert "ยังตอบเรื่องนี้เองไม่ได้" in texts_of(offer) and "ส่งคำถามนี้ให้เจ้าหน้าที่ไหมคะ" in texts_of(offer)
    assert "ส่งให้เจ้าหน้าที่" in [i["action"]["label"] for i in offer[-1]["quickReply"]["items"]]
    assert "ส่งให้เจ้าหน้าที่แล้ว" in texts_of(chat.say("ส่งให้เจ้าหน้าที่"))
    line.run_worker()
    assert count_in(group.pushes(), question) == 1
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.scalar(select(Case))
        assert session.scalar(select(Thread.case_id)) == case.id


def test_an_enquiry_before_any_case(line, services):
    group = linked_group(line, "5208")
    chat = line.user()
    asked = texts_of(chat.say("คุยกับเจ้าหน้าที่"))
    assert "อำเภอ" in asked and "เฉพาะข้อความที่คุณพิมพ์" in asked
    opened = texts_of(chat.say("อยู่อำเภอเถิน จังหวัดลำปางค่ะ"))
    number = re.search(r"EQ-2569-\d{6}", opened).group(0)
    chat.say("อายุ 30 แล้วยังเรียนได้ไหมคะ")
    line.run_worker()
    forwarded = [m["text"] for m in group.pushes() if "อายุ 30 แล้วยังเรียนได้ไหมคะ" in m.get("text", "")]
    assert len(forwarded) == 1 and number in forwarded[0]
    assert f"ส่งถึง {number}" in texts_of(group.say(f"ตอบ {number} เรียนได้ค่ะ ไม่จำกัดอายุ"))
    line.run_worker()
    assert count_in(chat.pushes(), f"เจ้าหน้าที่{THOEN}: เรียนได้ค่ะ ไม่จำกัดอายุ") == 1
    assert "ยังไม่มีเรื่อง" in texts_of(chat.say("เรื่องถึงไหนแล้ว"))  # a command still works in the thread
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalars(select(Case)).all() == []  # nothing but what was typed went anywhere
        assert session.scalar(select(Thread.number)) == number


def test_the_offer_to_ask_staff_can_be_declined(line):
    group = linked_group(line, "5208")
    chat = register(line)
    chat.say("ถ้าย้ายบ้านไปต่างจังหวัดต้องทำยังไงกับหน่วยกิตคะ")
    assert "ได้เลยค่ะ" in texts_of(chat.say("ไม่เป็นไร"))
    line.run_worker()
    assert count_in(group.pushes(), "หน่วยกิต") == 0


def test_the_youth_hears_of_every_change_of_their_case_once(line):
    group = linked_group(line, "5208")
    chat = register(line)
    (card,) = referral_cards(group)
    for label in ("รับเรื่อง", "ติดต่อแล้ว", "ลงทะเบียนเรียนแล้ว"):
        group.tap(postback_data(card, label))
    line.run_worker()
    heard = chat.pushes()
    assert count_in(heard, "รับเรื่อง") == 1
    assert count_in(heard, "บันทึกว่าได้ติดต่อคุณ") == 1
    assert count_in(heard, "ลงทะเบียนเรียนกับ") == 1


def test_a_person_asked_for_mid_intake_without_a_place_goes_to_the_admin_group(line, services):
    from bot.config import with_overrides

    chat = line.user()
    chat.say("อยากกลับไปเรียน")
    chat.say("ยินยอม")
    # No admin group: the department's contact, and the intake goes on.
    assert "ยังรับข้อความทางไลน์ไม่ได้" in texts_of(chat.say("คุยกับเจ้าหน้าที่"))
    admin_id = "Cadmin000000000000000000000000001"
    services.settings = with_overrides(services.settings, ADMIN_GROUP_ID=admin_id)
    admin = line.group(admin_id)
    opened = texts_of(chat.say("คุยกับเจ้าหน้าที่"))
    number = re.search(r"EQ-2569-\d{6}", opened).group(0)
    chat.say("ไม่รู้ว่าอยู่อำเภออะไรค่ะ ช่วยบอกหน่อย")
    line.run_worker()
    assert count_in(admin.pushes(), "ไม่รู้ว่าอยู่อำเภออะไรค่ะ") == 1
    assert f"ส่งถึง {number}" in texts_of(admin.say(f"ตอบ {number} ส่งตำแหน่งมาได้เลยค่ะ"))
    line.run_worker()
    assert count_in(chat.pushes(), "ส่งตำแหน่งมาได้เลยค่ะ") == 1


def test_the_rich_menu_tap_opens_a_thread_and_a_quoted_sticker_is_not_forwarded(line):
    group = linked_group(line, "5208")
    chat = register(line)
    ref = only_case(line)["ref"]
    tap = base_event("postback", user_source(chat.user_id), postback={"data": "intent=human"})
    assert ref in texts_of(line.send(tap))
    chat.say("ขอเบอร์ครูประจำชั้นค่ะ")
    line.run_worker()
    quoted = forwarded_id(group, "ขอเบอร์ครูประจำชั้นค่ะ")
    sticker = {
        "id": "9",
        "type": "sticker",
        "packageId": "446",
        "stickerId": "1988",
        "stickerResourceType": "STATIC",
        "quoteToken": "q",
        "quotedMessageId": quoted,
    }
    reply = line.send(base_event("message", group_source(group.group_id, STAFF_A), message=sticker), group.group_id)
    assert "เฉพาะข้อความ" in texts_of(reply)
    line.run_worker()
    assert count_in(chat.pushes(), f"เจ้าหน้าที่{THOEN}:") == 0  # nothing from staff reached the applicant
