"""Issue 10 §6 and DESIGN §2/§8 as transcripts: a correction changes only what it corrects,
"เริ่มใหม่" restarts offering the values given, "ยกเลิก" at a finished summary asks first,
"ลงทะเบียนอีกคน" after a submission starts a new intake."""

from __future__ import annotations

import nlp
from handlers import texts
from tests.handlers.conftest import Transcript
from tests.handlers.test_dialogue import consented, to_summary
from tests.handlers.test_dialogue_nlu import say

# The question before a cancel that would lose a finished summary: nothing is done yet.
ASKS_TO_CANCEL = {
    "stage": "confirm_cancel",
    "contains": "ยกเลิกการสมัครนี้ใช่ไหม",
    "quick": [texts.CANCEL_YES, texts.CANCEL_NO],
    "effects": [],
}


def summary_with_reason(reason: str = "pregnancy") -> Transcript:
    chat = consented()
    chat.user("ลูก/หลาน", role="parent")
    chat.user("ฝน")
    chat.user("16", age=16)
    chat.user("ม.3", grade="m3")
    chat.user("จบแล้ว", grade_status="completed")
    chat.user("เถิน ลำปาง", province="52", district="5208")
    chat.user("ตั้งครรภ์/มีบุตร", reason=reason)
    chat.user("สายสามัญ", path="general")
    chat.user("0812345678", phone="0812345678").expect(stage="confirm", contains="ตั้งครรภ์/มีบุตร")
    return chat


def test_a_corrected_address_changes_only_the_address():
    chat = summary_with_reason()
    chat.user("แก้ไข", "deny").expect(stage="choose_field")
    chat.user("ที่อยู่").expect(pending="location")
    # What the NLU may read in it: the new district, and a move (migration) as a reason.
    chat.user("ย้ายมาอยู่ อ.ภูเวียง แล้วค่ะ", district="4016", province="40", reason="migration")
    chat.expect(stage="confirm", contains=["อำเภอภูเวียง จังหวัดขอนแก่น", "ตั้งครรภ์/มีบุตร"], lacks="ย้ายที่อยู่")
    assert chat.slots["reason"] == "pregnancy" and chat.slots["district"] == "4016"
    assert chat.state.editing is None


def test_a_corrected_address_with_the_real_reader():
    chat = summary_with_reason()
    chat.user("แก้ไข", "deny")
    chat.user("ที่อยู่")
    said = nlp.understand("ย้ายมาอยู่ อ.ภูเวียง แล้วค่ะ")
    chat.user(said).expect(stage="confirm", contains="อำเภอภูเวียง")
    assert chat.slots["reason"] == "pregnancy" and chat.slots["age"] == 16


def test_a_correction_typed_at_the_summary_still_takes_every_value_it_gives():
    chat = summary_with_reason()
    chat.user("อายุผิด 17 ครับ ย้ายไปอยู่ภูเวียงแล้ว", age=17, district="4016", province="40")
    chat.expect(stage="confirm", contains=["17 ปี", "อำเภอภูเวียง"])


def test_restart_starts_the_intake_again_offering_the_values_given():
    chat = summary_with_reason()
    chat.user("เริ่มใหม่", "cancel").expect(
        contains=["เริ่มกันใหม่", "ข้อมูลเดิม: สมัครให้ลูก/หลาน"], quick=[texts.KEEP_OLD], pending="role"
    )
    assert chat.state.slots == {} and chat.state.consent is True
    chat.user(texts.KEEP_OLD).expect(pending="name", contains="ข้อมูลเดิม: ฝน")
    chat.user("ต้นข้าว").expect(pending="age", contains="ข้อมูลเดิม: 16 ปี")
    for _ in range(8):
        if chat.state.stage == "confirm":
            break
        chat.user(texts.KEEP_OLD)
    chat.expect(stage="confirm", contains=["ต้นข้าว", "16 ปี", "อำเภอเถิน", "ตั้งครรภ์/มีบุตร", "0812345678"])
    assert chat.state.offered == {}
    chat.user("ยืนยัน", "affirm").expect(effects=["submit"])
    assert chat.effects[0].data["slots"]["name"] == "ต้นข้าว"


def test_cancel_at_a_finished_summary_asks_first_and_keeps_it_on_no():
    chat = summary_with_reason()
    chat.user("ยกเลิก", "cancel").expect(**ASKS_TO_CANCEL)
    assert chat.slots["name"] == "ฝน"
    chat.user("ไม่ยกเลิก", "cancel").expect(stage="confirm", contains=["ไม่ยกเลิก", "ขอทวนข้อมูล", "ฝน"])
    chat.user("ยกเลิก", "cancel").expect(stage="confirm_cancel")
    chat.user("ยืนยันยกเลิก", "cancel").expect(stage="start", contains="ยกเลิกเรียบร้อย")
    assert chat.state.slots == {}


def test_a_question_at_the_cancel_confirmation_is_answered_and_nothing_is_lost():
    chat = summary_with_reason()
    chat.user("ยกเลิก", "cancel")
    chat.user("เรียนฟรีไหม", "ask_cost").expect(stage="confirm", contains=["ไม่ยกเลิก", "ขอทวนข้อมูล"])
    assert chat.slots["name"] == "ฝน"


def test_cancel_mid_intake_still_cancels_at_once():
    chat = consented()
    chat.user("ตัวเอง", role="self")
    chat.user("ยกเลิก", "cancel").expect(stage="start", contains="ยกเลิกเรียบร้อย")


def test_another_learner_after_a_submission_starts_a_new_intake():
    chat = summary_with_reason()
    chat.user("ยืนยัน", "affirm").expect(effects=["submit"], stage="done")
    chat.user("ลงทะเบียนอีกคน", "enroll").expect(contains="อีกคน", pending="name")
    assert chat.slots["role"] == "parent" and chat.slots["phone"] == "0812345678" and chat.slots["name"] is None
    chat.user("มายด์")
    to_summary(chat).expect(contains=["มายด์"], lacks="ฝน")
    chat.user("ยืนยัน", "affirm").expect(effects=["submit"])
    assert chat.effects[0].data["slots"]["name"] == "มายด์"


def test_the_summary_note_follows_the_one_compulsory_age_rule():
    """Under 15 full years and ม.3 not finished (DESIGN §4 rule 2): a 15-year-old who left during
    ม.4 is neither flagged nor told; a 14-year-old who left during ม.2 is both."""
    from handlers.routing import compulsory_age

    for age, grade, status in (
        (15, "m4", "left_during"),
        (14, "m2", "left_during"),
        (14, "m4", "left_during"),
        (15, "m2", "left_during"),
        (14, "m3", "completed"),
    ):
        note = texts.summary_note({"age": age, "grade": grade, "grade_status": status}) or ""
        assert ("สพป./สพม." in note) is compulsory_age(age, grade, status), (age, grade, status)
    assert compulsory_age(14, "m2", "left_during") and not compulsory_age(15, "m2", "left_during")


# --- issue 10 §6: "ยกเลิก" while correcting a finished summary asks first; "เริ่มใหม่" at that
# question restarts offering the values (the messages read by the real NLU, as the handler reads them).


def test_cancel_while_correcting_asks_first_and_no_puts_the_old_value_back():
    chat = summary_with_reason()
    say(chat, "แก้ไข").expect(stage="choose_field")
    say(chat, "ที่อยู่").expect(pending="location")
    assert "district" not in chat.state.slots  # being corrected
    say(chat, "ยกเลิก").expect(**ASKS_TO_CANCEL)
    assert chat.slots["name"] == "ฝน"
    say(chat, texts.CANCEL_NO).expect(
        stage="confirm",
        contains=["ไม่ยกเลิก", "ขอทวนข้อมูล", "อำเภอเถิน", "ตั้งครรภ์/มีบุตร"],
    )
    assert chat.slots["province"] == "52" and chat.slots["district"] == "5208" and chat.state.editing is None
    say(chat, "ยืนยัน").expect(effects=["submit"])
    assert chat.effects[0].data["slots"]["district"] == "5208"


def test_cancel_while_correcting_the_age_typed_no_keeps_the_age():
    chat = summary_with_reason()
    say(chat, "แก้ไข")
    say(chat, "อายุ").expect(pending="age")
    say(chat, "ยกเลิก").expect(stage="confirm_cancel")
    say(chat, "ไม่ยกเลิกค่ะ").expect(stage="confirm", contains=["ไม่ยกเลิก", "16 ปี"])
    assert chat.slots["age"] == 16


def test_cancel_after_part_of_a_new_address_returns_to_its_question():
    chat = summary_with_reason()
    say(chat, "แก้ไข")
    say(chat, "ที่อยู่")
    say(chat, "จังหวัดขอนแก่น").expect(pending="district")
    say(chat, "ยกเลิก").expect(stage="confirm_cancel")
    say(chat, texts.CANCEL_NO).expect(stage="collecting", pending="district", contains=["ไม่ยกเลิก", "ขอนแก่น"])
    assert chat.slots["province"] == "40" and chat.slots["district"] is None  # the new province is kept
    say(chat, "ภูเวียง").expect(stage="confirm", contains=["อำเภอภูเวียง จังหวัดขอนแก่น", "ตั้งครรภ์/มีบุตร"])


def test_cancel_while_correcting_confirmed_cancels():
    chat = summary_with_reason()
    say(chat, "แก้ไข")
    say(chat, "ที่อยู่")
    say(chat, "ยกเลิก").expect(stage="confirm_cancel")
    say(chat, texts.CANCEL_YES).expect(stage="start", contains="ยกเลิกเรียบร้อย")
    assert chat.state.slots == {} and chat.state.consent is True


def test_restart_at_the_cancel_question_restarts_offering_the_values():
    chat = summary_with_reason()
    say(chat, "ยกเลิก").expect(stage="confirm_cancel")
    say(chat, texts.RESTART).expect(
        stage="collecting",
        pending="role",
        contains=[
            "เริ่มกันใหม่",
            "ข้อมูลเดิม: สมัครให้ลูก/หลาน",
        ],
        quick=[texts.KEEP_OLD],
    )
    assert chat.state.slots == {} and chat.state.offered["name"] == "ฝน" and chat.state.resume_stage is None
    assert chat.state.rule == "restart (not cancelled)"
    say(chat, texts.KEEP_OLD).expect(pending="name", contains="ข้อมูลเดิม: ฝน")


def test_restart_typed_at_the_cancel_question_during_a_correction_offers_the_old_address_too():
    chat = summary_with_reason()
    say(chat, "แก้ไข")
    say(chat, "ที่อยู่")
    say(chat, "ยกเลิก").expect(stage="confirm_cancel")
    say(chat, "ขอเริ่มใหม่ค่ะ").expect(pending="role", contains="ข้อมูลเดิม")
    assert chat.state.offered["district"] == "5208"
    for _ in range(10):
        if chat.state.stage == "confirm":
            break
        say(chat, texts.KEEP_OLD)
    chat.expect(stage="confirm", contains=["ฝน", "16 ปี", "อำเภอเถิน", "ตั้งครรภ์/มีบุตร", "0812345678"])
