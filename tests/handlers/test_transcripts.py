"""Conversation transcripts over the real webhook (signed events), the fake LINE server and a
real database. Each reads like the chat it tests; each checks the case as exported and which
office group received the referral."""

from __future__ import annotations

import pytest

from tests.support.journeys import ISAN_WITHOUT_PHONE, ONE_BY_ONE_INTAKE, cases, linked_group, only_case, referral_cards
from tests.support.line_events import quick_reply_labels, texts_of


@pytest.fixture
def thoen(line):
    """The LINE group of the Thoen district office (5208), linked."""
    return linked_group(line, "5208")


def submitted(chat, line):
    """Confirm at the summary and deliver the referral."""
    reply = chat.say("ยืนยัน")
    assert "RT-" in texts_of(reply)
    line.run_worker()
    return reply


def test_teen_gives_everything_at_once(line, thoen):
    chat = line.user()
    chat.follow()
    assert "ยินยอม" in texts_of(chat.say("อยากกลับไปเรียนครับ"))
    chat.say("ยินยอม")
    reply = chat.say("ผมเอง ชื่อต้น อายุ 17 อยู่อำเภอเถิน ลำปาง ออกตอน ม.2")
    assert "ออกจากโรงเรียน" in texts_of(reply)  # straight to the first optional question
    chat.say("ต้องทำงาน")
    chat.say("สายสามัญ")
    summary = texts_of(chat.say("0812345678"))
    assert "17" in summary and "ม.2" in summary and "เถิน" in summary
    submitted(chat, line)
    case = only_case(line)
    assert case | {"ref": None, "created_at": None, "routing_reason": None} == {
        "ref": None,
        "status": "new",
        "close_reason": None,
        "office_code": "5208",
        "delivery_status": "delivered",
        "delivered_to": "5208",
        "routing_reason": None,
        "name": "ต้น",
        "age": 17,
        "grade": "m2",
        "grade_status": "left_during",
        "next_level": "lower_secondary",
        "province_code": "52",
        "district_code": "5208",
        "role": "self",
        "reason": "work",
        "path": "general",
        "phone": "0812345678",
        "compulsory_age": False,
        "created_at": None,
        "accepted_at": None,
    }
    assert len(referral_cards(thoen)) == 1


def test_one_answer_per_question_takes_one_turn_per_slot(line, thoen):
    chat = line.user()
    turns = 0
    for said in ONE_BY_ONE_INTAKE[:-1]:  # all but the confirmation
        chat.say(said)
        turns += 1
    # enroll + consent + 9 slots (role, name, age, grade, status, location, reason, path, phone)
    assert turns == 11
    assert "ยืนยัน" in quick_reply_labels(chat.history[-1][1])
    submitted(chat, line)
    case = only_case(line)
    assert (case["grade"], case["grade_status"], case["next_level"], case["path"], case["reason"]) == (
        "m3",
        "completed",
        "upper_secondary",
        "vocational",
        "financial",
    )


def test_parent_registers_a_child_then_another(line, thoen):
    chat = line.user()
    chat.say("สวัสดีค่ะ")
    chat.say("ลูกอยากเรียนต่อค่ะ")
    chat.say("ยินยอมค่ะ")
    reply = chat.say("ลูกค่ะ")
    assert "ลูก" in texts_of(reply) and "ชื่อ" in texts_of(reply)
    chat.say("น้องเมย์")
    chat.say("อายุ 16 ค่ะ")
    chat.say("จบ ม.3 ค่ะ")
    chat.say("อยู่ อ.เถิน จ.ลำปาง")
    chat.say("ไม่อยากบอก")
    chat.say("ยังไม่แน่ใจ")
    chat.say("เบอร์แม่ 0861112222")
    submitted(chat, line)
    reply = chat.say("ลงทะเบียนอีกคน")
    # Role and phone are kept for the second child; consent is not asked again.
    assert "ชื่อ" in texts_of(reply)
    chat.say("น้องมิว")
    chat.say("14")
    chat.say("ป.6")
    chat.say("จบแล้ว")
    chat.say("เถิน ลำปาง")
    chat.say("ปัญหาครอบครัว")
    summary = texts_of(chat.say("สายสามัญ"))
    assert "0861112222" in summary
    submitted(chat, line)
    first, second = cases(line)
    assert (first["name"], first["role"], first["age"]) == ("น้องเมย์", "parent", 16)
    assert (second["name"], second["age"], second["compulsory_age"], second["next_level"]) == (
        "น้องมิว",
        14,
        True,
        "lower_secondary",
    )
    assert len(referral_cards(thoen)) == 2


def test_compulsory_age_child_is_flagged_on_the_card(line, thoen):
    chat = line.user()
    for said in [
        "อยากให้หลานกลับไปเรียน",
        "ยินยอม",
        "หลานค่ะ",
        "ชื่อโอ๊ต อายุ 13 เรียนถึง ป.5 แล้วออก อยู่เถิน ลำปาง",
        "ย้ายที่อยู่",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    submitted(chat, line)
    case = only_case(line)
    assert case["compulsory_age"] is True and case["next_level"] == "primary" and case["phone"] is None
    (card,) = referral_cards(thoen)
    assert "สพป./สพม." in texts_of([card])


def test_adult_of_thirty_with_primary_school(line, thoen):
    chat = line.user()
    for said in [
        "อยากได้วุฒิ ม.3 ครับ",
        "ยินยอม",
        "ผมเองครับ ชื่อสมชาย อายุ 30",
        "จบ ป.6",
        "อยู่เถิน จังหวัดลำปาง",
        "ต้องทำงาน",
        "สายสามัญ",
        "0812223333",
    ]:
        chat.say(said)
    submitted(chat, line)
    case = only_case(line)
    assert (case["age"], case["grade"], case["next_level"], case["compulsory_age"]) == (
        30,
        "p6",
        "lower_secondary",
        False,
    )


def test_details_out_of_order(line, thoen):
    chat = line.user()
    chat.say("อยากเรียน")
    chat.say("ยินยอม")
    chat.say("อยู่ อ.เถิน ลำปาง เบอร์ 0899998888")
    chat.say("ตัวเองค่ะ")
    chat.say("ฝน")
    reply = chat.say("อายุ 19 ค่ะ ออกตอน ม.5")
    assert "ออกจากโรงเรียน" in texts_of(reply)
    chat.say("ข้าม")
    summary = texts_of(chat.say("สายสามัญ"))
    assert "0899998888" in summary and "เถิน" in summary
    submitted(chat, line)
    case = only_case(line)
    assert (case["phone"], case["grade"], case["grade_status"], case["reason"]) == (
        "0899998888",
        "m5",
        "left_during",
        None,
    )


def test_a_question_mid_intake_is_answered_then_the_question_is_asked_again(line, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ก้อง"]:
        chat.say(said)
    reply = chat.say("เรียนฟรีไหมครับ")
    body = texts_of(reply)
    assert "ไม่เสียค่าเล่าเรียน" in body and "อายุเท่าไหร่" in body
    reply = chat.say("ต้องใช้เอกสารอะไรบ้าง")
    assert "สำเนาบัตรประชาชน" in texts_of(reply) and "อายุเท่าไหร่" in texts_of(reply)
    chat.say("20")
    assert "จบ" in texts_of(chat.say("ม.6"))


def test_correction_at_the_summary(line, thoen):
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อบอส อายุ 17 จบ ม.3 อยู่เถิน ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    summary = texts_of(chat.history[-1][1])
    assert "17 ปี" in summary
    corrected = texts_of(chat.say("อายุผิด 16 ครับ"))
    assert "16 ปี" in corrected and "17 ปี" not in corrected
    submitted(chat, line)
    assert only_case(line)["age"] == 16


def test_edit_button_then_choose_a_field(line, thoen):
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อบอส อายุ 17 จบ ม.3 อยู่เถิน ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    assert "ที่อยู่" in quick_reply_labels(chat.say("แก้ไข"))
    assert "อำเภอ" in texts_of(chat.say("ที่อยู่"))
    summary = texts_of(chat.say("อำเภอเกาะคา จังหวัดลำปาง"))
    assert "เกาะคา" in summary
    submitted(chat, line)
    assert only_case(line)["district_code"] == "5203"


def test_isan_dialect(line):
    group = linked_group(line, "3401")
    chat = line.user()
    for said in ISAN_WITHOUT_PHONE:
        chat.say(said)
    assert "ยืนยัน" in quick_reply_labels(chat.history[-1][1])
    chat.say("แม่นแล้ว")
    line.run_worker()
    case = only_case(line)
    assert (case["name"], case["grade_status"], case["district_code"], case["phone"]) == (
        "แก้ว",
        "left_during",
        "3401",
        None,
    )
    assert len(referral_cards(group)) == 1


def test_location_share(line, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "แนน", "17", "ม.2", "ออกกลางคัน"]:
        chat.say(said)
    reply = chat.share_location("123 หมู่ 4 ตำบลล้อมแรด อำเภอเถิน ลำปาง 52160 ประเทศไทย")
    assert "ออกจากโรงเรียน" in texts_of(reply)
    for said in ["ไม่อยากบอก", "สายสามัญ", "ติดต่อทางไลน์"]:
        chat.say(said)
    submitted(chat, line)
    assert only_case(line)["district_code"] == "5208"


def test_postal_code_alone(line, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "แนน", "17", "ม.2", "ออกกลางคัน", "52160"]:
        chat.say(said)
    for said in ["ไม่อยากบอก", "สายสามัญ", "ติดต่อทางไลน์"]:
        chat.say(said)
    submitted(chat, line)
    assert only_case(line)["district_code"] == "5208"


def test_only_a_province_is_known(line):
    province_group = linked_group(line, "52")
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "จุ๋ม", "22", "ม.4", "ออกกลางคัน"]:
        chat.say(said)
    reply = chat.say("อยู่ลำปางค่ะ")
    assert "ไม่ทราบอำเภอ" in quick_reply_labels(reply)
    chat.say("ไม่ทราบอำเภอ")
    for said in ["ไม่อยากบอก", "สายสามัญ", "ติดต่อทางไลน์"]:
        chat.say(said)
    submitted(chat, line)
    case = only_case(line)
    assert (case["office_code"], case["district_code"], case["delivered_to"]) == ("52", None, "52")
    assert len(referral_cards(province_group)) == 1


def test_district_without_a_group_falls_back_to_the_provincial_group(line):
    province_group = linked_group(line, "52")
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อเอ อายุ 17 จบ ม.3 อยู่ อ.งาว ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    submitted(chat, line)
    case = only_case(line)
    assert (case["office_code"], case["delivered_to"], case["delivery_status"]) == ("5205", "52", "delivered")
    assert len(referral_cards(province_group)) == 1


def test_no_group_anywhere_stays_pending_until_an_office_links(line):
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อบี อายุ 17 จบ ม.3 อยู่ อ.แม่ทะ ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    submitted(chat, line)
    case = only_case(line)
    assert (case["delivery_status"], case["delivered_to"], case["office_code"]) == ("pending", None, "5210")
    assert "ส่งเรื่องให้ศูนย์ (" in texts_of(chat.say("เรื่องถึงไหนแล้ว"))  # pending, visible
    group = linked_group(line, "5210")
    line.run_worker()
    assert only_case(line)["delivery_status"] == "delivered"
    assert len(referral_cards(group)) == 1


def test_admin_group_when_no_office_group(line, services):
    import dataclasses

    services.settings = dataclasses.replace(services.settings, ADMIN_GROUP_ID="Cadmin0000000000000000000000000001")
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อซี อายุ 17 จบ ม.3 อยู่ อ.แม่ทะ ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    submitted(chat, line)
    assert only_case(line)["delivered_to"] == "admin"
    assert [s.to for s in line.fake.sent() if s.kind == "push" and s.messages[0]["type"] == "flex"] == [
        "Cadmin0000000000000000000000000001"
    ]


def test_declining_consent_keeps_nothing(line):
    chat = line.user()
    chat.say("ผมอายุ 17 อยู่เถิน อยากเรียน")
    reply = chat.say("ไม่ยินยอม")
    assert "ไม่เก็บข้อมูล" in texts_of(reply) and "dole.go.th" in texts_of(reply)
    assert cases(line) == []


def test_cancel_and_restart(line, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "บิว", "อายุ 15"]:
        chat.say(said)
    assert "ยกเลิกเรียบร้อย" in texts_of(chat.say("ยกเลิก"))
    reply = chat.say("อยากกลับไปเรียน")
    assert "ให้ใคร" in texts_of(reply)  # consent was kept; the details were not
    assert cases(line) == []


def test_help_and_menu_mid_intake(line):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง"]:
        chat.say(said)
    reply = chat.say("เมนู")
    assert "เรื่องถึงไหนแล้ว" in texts_of(reply) and "ชื่อ" in texts_of(reply[-1:])


def test_out_of_scope_mid_intake_gets_a_polite_reply_and_the_question_again(line):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ปอ"]:
        chat.say(said)
    reply = chat.say("หวยออกอะไร")
    assert "ขอโทษ" in texts_of(reply) and "อายุ" in texts_of(reply)


def test_sticker_and_image_get_a_polite_reply(line):
    from tests.support.line_events import base_event, user_source

    chat = line.user()
    reply = line.send(
        base_event(
            "message",
            user_source(chat.user_id),
            message={"id": "1", "type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q"},
        )
    )
    assert "ข้อความ" in texts_of(reply)
    reply = line.send(
        base_event(
            "message",
            user_source(chat.user_id),
            message={
                "id": "2",
                "type": "sticker",
                "packageId": "1",
                "stickerId": "1",
                "stickerResourceType": "STATIC",
                "keywords": ["Hello"],
                "quoteToken": "q",
            },
        )
    )
    assert "สวัสดี" in texts_of(reply)


def test_birth_year_gives_the_age(line, thoen):
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ตัวเอง",
        "ฟ้า",
        "เกิดปี 2551",
        "ม.1",
        "ออกกลางคัน",
        "เถิน ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    submitted(chat, line)
    # 2026-11 is BE 2569 → 18 years.
    assert only_case(line)["age"] == line.services.clock.now().year + 543 - 2551


def test_idle_for_a_day_keeps_the_details(line, clock):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ต่อ", "อายุ 17"]:
        chat.say(said)
    clock.advance(hours=25)
    reply = chat.say("สวัสดีค่ะ")
    assert "ยินดีต้อนรับกลับมา" in texts_of(reply) and "ชั้น" in texts_of(reply)


def test_idle_for_eight_days_starts_over(line, clock):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ต่อ", "อายุ 17"]:
        chat.say(said)
    clock.advance(days=8, hours=1)
    reply = chat.say("สวัสดีค่ะ")
    assert "หมดอายุ" in texts_of(reply)
    assert "ยินยอม" in texts_of(chat.say("อยากกลับไปเรียน"))


def test_status_and_human(line, thoen):
    chat = line.user()
    assert "ยังไม่มีเรื่อง" in texts_of(chat.say("เรื่องถึงไหนแล้ว"))
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อดี อายุ 17 จบ ม.3 อยู่เถิน ลำปาง",
        "ไม่อยากบอก",
        "สายสามัญ",
        "ติดต่อทางไลน์",
    ]:
        chat.say(said)
    submitted(chat, line)
    assert "รอเจ้าหน้าที่รับเรื่อง" in texts_of(chat.say("เรื่องถึงไหนแล้วคะ"))
    reply = texts_of(chat.say("ขอคุยกับเจ้าหน้าที่"))  # a thread with the office of the case (DESIGN §9)
    assert "เจ้าหน้าที่ศูนย์" in reply and "RT-2569-" in reply
    line.run_worker()
    assert any("ขอคุยกับเจ้าหน้าที่" in m.get("text", "") for m in thoen.pushes())


def test_a_typed_national_id_is_never_stored(line, services, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง"]:
        chat.say(said)
    chat.say("ชื่อนิด เลขบัตร 1101700207030")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        from models import Conversation

        state = session.query(Conversation).one().state
    assert "1101700207030" not in str(state)


def test_the_consent_links_the_configured_notice_and_its_version_is_recorded(line, services):
    from sqlalchemy import select

    from handlers import texts
    from models import Consent

    chat = line.user()
    notice = texts_of(chat.say("อยากกลับไปเรียน"))
    assert services.settings.PRIVACY_URL in notice and "example" not in notice
    chat.say("ยินยอม")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        (consent,) = session.scalars(select(Consent)).all()
    assert consent.granted and consent.text_version == texts.CONSENT_VERSION


def test_restart_offers_the_values_given_and_cancel_at_the_summary_asks_first(line, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ผมเอง ชื่อดี อายุ 17 จบ ม.3 อยู่เถิน ลำปาง", "ไม่อยากบอก", "สายสามัญ"]:
        chat.say(said)
    assert "ทวนข้อมูล" in texts_of(chat.say("ติดต่อทางไลน์"))
    asked = chat.say("ยกเลิก")
    assert "ใช่ไหม" in texts_of(asked) and "ยืนยันยกเลิก" in quick_reply_labels(asked)
    assert "ทวนข้อมูล" in texts_of(chat.say("ไม่ยกเลิก"))  # kept, shown again
    restarted = chat.say("เริ่มใหม่")
    assert "ข้อมูลเดิม" in texts_of(restarted) and "ใช้ข้อมูลเดิม" in quick_reply_labels(restarted)
    for _ in range(12):
        reply = chat.say("ใช้ข้อมูลเดิม")
        if "ทวนข้อมูล" in texts_of(reply):
            break
    assert "ดี" in texts_of(reply) and "17 ปี" in texts_of(reply)
    submitted(chat, line)
    assert only_case(line)["name"] == "ดี"


def test_cancel_while_correcting_asks_first_and_restart_there_offers_the_values(line, thoen):
    chat = line.user()
    for said in ["อยากกลับไปเรียน", "ยินยอม", "ผมเอง ชื่อดี อายุ 17 จบ ม.3 อยู่เถิน ลำปาง", "ไม่อยากบอก", "สายสามัญ"]:
        chat.say(said)
    assert "ทวนข้อมูล" in texts_of(chat.say("ติดต่อทางไลน์"))
    chat.say("แก้ไข")
    assert "อำเภอ" in texts_of(chat.say("ที่อยู่"))  # the address asked again, the old one set aside
    asked = chat.say("ยกเลิก")
    assert "ใช่ไหม" in texts_of(asked) and "ไม่ยกเลิก" in quick_reply_labels(asked)
    kept = texts_of(chat.say("ไม่ยกเลิก"))
    assert "ทวนข้อมูล" in kept and "อำเภอเถิน" in kept  # the old address back
    chat.say("ยกเลิก")
    restarted = chat.say("เริ่มใหม่")  # at the cancel question: a restart, never a cancel
    assert "ข้อมูลเดิม" in texts_of(restarted) and "ใช้ข้อมูลเดิม" in quick_reply_labels(restarted)
    for _ in range(12):
        reply = chat.say("ใช้ข้อมูลเดิม")
        if "ทวนข้อมูล" in texts_of(reply):
            break
    assert "อำเภอเถิน" in texts_of(reply)
    submitted(chat, line)
    assert only_case(line)["district_code"] == "5208"
