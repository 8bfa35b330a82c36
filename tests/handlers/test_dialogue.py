"""The pure dialogue as chat transcripts, with hand-made understandings (what the NLU would
give). Each turn is one reply batch; the harness (`conftest.Transcript`) checks the batch
invariants on every turn."""

from __future__ import annotations

import json
import typing
from datetime import timedelta

import pytest

from handlers import texts
from handlers.dialogue import (
    SLOT_ORDER,
    STAGES,
    Effect,
    State,
    Step,
    collected,
    dump_state,
    initial_state,
    load_state,
    step,
)
from tests.handlers.conftest import NOW, PRIVACY_URL, Transcript, u


def consented(chat: Transcript | None = None) -> Transcript:
    chat = chat or Transcript()
    chat.user("อยากกลับไปเรียน", "enroll").expect(contains="ยินยอม", quick=["ยินยอม", "ไม่ยินยอม"], stage="consent")
    chat.user("ยินยอม", "affirm").expect(effects=["consent"], pending="role", quick=list(texts.ROLE_CHOICES))
    assert chat.effects[0].data == {"granted": True, "version": texts.CONSENT_VERSION}
    return chat


def to_summary(chat: Transcript) -> Transcript:
    """Answer whatever is still asked with a plain value, until the summary."""
    answers = {
        "role": ("ตัวเอง", {}),
        "name": ("ฝน", {}),
        "age": ("17", {"age": 17}),
        "grade": ("ม.2", {"grade": "m2"}),
        "grade_status": ("ออกกลางคัน", {"grade_status": "left_during"}),
        "location": ("เถิน ลำปาง", {"province": "52", "district": "5208"}),
        "district": ("ไม่ทราบอำเภอ", {}),
        "reason": ("ไม่อยากบอก", {}),
        "path": ("สายสามัญ", {"path": "general"}),
        "phone": ("ติดต่อทางไลน์", {}),
    }
    for _ in range(12):
        if chat.state.stage == "confirm":
            return chat
        said, entities = answers[chat.state.pending]
        chat.user(said, **entities)
    raise AssertionError("never reached the summary")


# --- the journey ------------------------------------------------------------------------------------


def test_follow_shows_the_welcome_with_the_menu_and_a_privacy_line(transcript):
    transcript.user(u("follow")).expect(
        contains=["เรียนต่อ", PRIVACY_URL], quick=["อยากกลับไปเรียน", "ถามข้อมูล", "คุยกับเจ้าหน้าที่"], stage="start"
    )
    assert len(transcript.replies) == 1


def test_full_intake_one_answer_per_question(transcript):
    chat = transcript
    chat.user("สวัสดีค่ะ", "greet").expect(contains="สวัสดี", quick=texts.MENU)
    chat.user("อยากกลับไปเรียนค่ะ", "enroll").expect(contains="ยินยอม")
    start = chat.turns
    chat.user("ยินยอม", "affirm").expect(contains="ให้ใคร", quick=["ตัวเอง", "ลูก/หลาน", "คนอื่น (ครู/เพื่อน)"])
    chat.user("ตัวเอง", role="self").expect(contains="ชื่อ", pending="name")
    chat.user("ฝน", "out_of_scope").expect(contains="อายุเท่าไหร่", pending="age")
    chat.user("17", age=17).expect(
        contains="ชั้นไหน", quick=["ไม่ได้เรียน", "ป.6", "ม.1", "ม.3", "ม.6", "ปวช."], pending="grade"
    )
    chat.user("ม.2", grade="m2").expect(contains="จบ ม.2", quick=["จบแล้ว", "ออกกลางคัน"], pending="grade_status")
    chat.user("ออกกลางคัน", grade_status="left_during").expect(
        contains="อำเภอ",
        quick=["ส่งตำแหน่ง"],
        pending="location",
    )
    assert chat.replies[-1]["quickReply"]["items"][0]["action"] == {"type": "location", "label": "ส่งตำแหน่ง"}
    chat.user("เถิน ลำปาง", province="52", district="5208").expect(
        contains="ออกจากโรงเรียน", quick=["ต้องทำงาน", "ไม่อยากบอก"], pending="reason"
    )
    chat.user("ต้องทำงาน", reason="work").expect(
        contains="สายไหน", quick=["สายสามัญ", "สายอาชีพ (ปวช.)", "ยังไม่แน่ใจ"], pending="path"
    )
    chat.user("สายสามัญ", path="general").expect(contains="เบอร์", quick=["ติดต่อทางไลน์"], pending="phone")
    chat.user("0812345678", phone="0812345678").expect(
        contains=[
            "ขอทวนข้อมูล",
            "ฝน",
            "17 ปี",
            "ม.2 (ออกระหว่างเรียน)",
            "อำเภอเถิน จังหวัดลำปาง",
            "ต้องทำงาน",
            "สายสามัญ",
            "0812345678",
        ],
        quick=["ยืนยัน", "แก้ไข"],
        stage="confirm",
    )
    chat.user("ยืนยัน", "affirm").expect(effects=["submit"], stage="done")
    # consent + 9 questions (role … phone, grade and its status separately) + the confirmation
    assert chat.turns - start == 1 + 9 + 1
    assert chat.replies == []  # the handler's reply (reference, office, documents) is the message
    assert chat.effects[0].data["slots"] == {
        "role": "self",
        "name": "ฝน",
        "age": 17,
        "birth_year_be": None,
        "grade": "m2",
        "grade_status": "left_during",
        "province": "52",
        "district": "5208",
        "subdistrict": None,
        "postal_code": None,
        "reason": "work",
        "path": "general",
        "phone": "0812345678",
    }


def test_several_slots_in_one_message_skip_their_questions():
    chat = consented()
    chat.user(
        "ผมเอง ชื่อต้น อายุ 17 อยู่เถิน จบ ม.2",
        role="self",
        age=17,
        district="5208",
        grade="m2",
        grade_status="completed",
    )
    chat.expect(pending="reason", contains="ทำไมคุณถึงไม่ได้เรียนต่อ")
    assert (chat.slots["name"], chat.slots["province"], chat.slots["district"]) == (
        "ต้น",
        "52",
        "5208",
    )  # province from the district


def test_details_before_consent_wait_without_free_text_and_count_after(transcript):
    chat = transcript
    chat.user(
        "ลูกอายุ 15 ออกตอน ม.2 อยู่ อ.เถิน ลำปางค่ะ ชื่อมายด์",
        role="parent",
        age=15,
        grade="m2",
        grade_status="left_during",
        province="52",
        district="5208",
    )
    chat.expect(contains=["สวัสดี", "ยินยอม"], stage="consent")
    assert "มายด์" not in json.dumps(dump_state(chat.state), ensure_ascii=False)  # free text is not kept before consent
    assert chat.state.slots["age"] == 15 and chat.effects == []
    chat.user("ยินยอมค่ะ", "affirm").expect(contains="ลูก/หลานที่จะเรียนชื่ออะไร", pending="name", effects=["consent"])


def test_out_of_order_details_fill_later_questions():
    chat = consented()
    chat.user("อยู่ อ.เถิน ลำปาง เบอร์ 0899998888", province="52", district="5208", phone="0899998888").expect(
        pending="role"
    )
    chat.user("ตัวเองค่ะ", role="self").expect(pending="name")
    chat.user("ฝน").expect(pending="age")
    chat.user("อายุ 19 ค่ะ ออกตอน ม.5", age=19, grade="m5", grade_status="left_during").expect(pending="reason")
    chat.user("ข้าม").expect(pending="path")
    chat.user("สายสามัญ", path="general").expect(stage="confirm", contains=["0899998888", "เถิน"])


def test_a_question_mid_intake_is_answered_then_the_question_is_asked_again():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ก้อง").expect(pending="age")
    chat.user("เรียนฟรีไหมครับ", "ask_cost").expect(
        contains=["ไม่เสียค่าเล่าเรียน", "กลับมาที่คำถามเดิม", "อายุเท่าไหร่"], pending="age"
    )
    assert len(chat.replies) == 2 and "quickReply" not in chat.replies[0]
    chat.user("ต้องใช้เอกสารอะไรบ้าง", "ask_documents").expect(
        contains=["สำเนาบัตรประชาชน", "ปพ.1", "รูปถ่าย", "อายุเท่าไหร่"],
    )
    chat.user("เปิดรับสมัครเมื่อไหร่", "ask_schedule").expect(contains=["เมษายน", "ตุลาคม", "อายุเท่าไหร่"])
    chat.user("วุฒิเท่ากับในโรงเรียนไหม", "ask_certificate").expect(contains=["เท่ากับ", "อายุเท่าไหร่"])
    chat.user("20", age=20).expect(pending="grade")
    chat.user("ม.6", grade="m6").expect(contains="จบ", quick=["จบแล้ว", "ออกกลางคัน"])


def test_a_question_that_carries_the_answer_fills_it_and_moves_on():
    chat = consented()
    chat.user("ลูก/หลาน", role="parent").user("น้องบีม").expect(pending="age")
    chat.user("อายุ 14 เรียนได้ไหม", "ask_eligibility", age=14).expect(
        contains=["14 ปี", "สพป./สพม.", "ขอถามต่อ", "ชั้นไหน"], pending="grade"
    )
    assert chat.slots["age"] == 14


def test_grade_button_then_status_button_then_status_by_yes():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ฝน").user("17", age=17)
    chat.user("ปวช.", grade="vocational").expect(pending="grade_status", contains="ปวช.")
    chat.user("ใช่", "affirm").expect(pending="location")
    assert chat.slots["grade_status"] == "completed"


def test_quick_reply_texts_win_over_the_nlu():
    """The NLU reads "ต่ำกว่า ป.6" as p6 and "ถามข้อมูล" as delete_data; a tapped button means what it says."""
    chat = consented()
    chat.user("ถามข้อมูล", "delete_data").expect(
        contains="อยากทราบเรื่องไหน", quick=["เรียนฟรีไหม"], stage="collecting", pending="role"
    )
    chat.user("ตัวเอง", role="self").user("ฝน").user("17", age=17)
    chat.user("ต่ำกว่า ป.6", grade="p6").expect(pending="grade_status")
    assert chat.slots["grade"] == "primary"
    chat.user("ออกกลางคัน", grade_status="left_during").user("เถิน ลำปาง", province="52", district="5208")
    chat.user("ไม่อยากบอก").expect(pending="path")
    chat.user("สายอาชีพ (ปวช.)", grade="vocational", path="vocational").expect(pending="phone")
    assert (chat.slots["grade"], chat.slots["path"]) == ("primary", "vocational")


def test_a_typed_path_is_not_taken_for_a_new_level():
    chat = to_summary(consented())
    chat.user("แก้ไข", "deny").user("สายที่เรียน", "out_of_scope").expect(pending="path")
    chat.user("ปวช", grade="vocational").expect(stage="confirm", contains="แก้ไขให้แล้ว")
    assert (chat.slots["grade"], chat.slots["path"]) == ("m2", "vocational")


def test_correction_at_the_summary_updates_and_shows_it_again():
    chat = to_summary(consented())
    assert "17 ปี" in chat.text
    chat.user("อายุผิด 16 ครับ", age=16).expect(
        contains=["แก้ไขให้แล้ว", "16 ปี"], lacks="17 ปี", stage="confirm", quick=["ยืนยัน", "แก้ไข"]
    )
    chat.user("อยู่อำเภอเกาะคา", district="5203").expect(contains="เกาะคา", stage="confirm")
    chat.user("ชื่อผิดค่ะ ชื่อแพรว", "deny").expect(contains="แพรว", stage="confirm")
    chat.user("ถูกต้อง", "affirm").expect(effects=["submit"])
    data = chat.effects[0].data["slots"]
    assert (data["age"], data["district"], data["province"], data["name"]) == (16, "5203", "52", "แพรว")


def test_edit_button_then_choose_a_field_then_back_to_the_summary():
    chat = to_summary(consented())
    chat.user("แก้ไข", "deny").expect(stage="choose_field", quick=list(texts.FIELD_CHOICES))
    chat.user("ที่อยู่", "out_of_scope").expect(contains="อำเภอ", pending="location")
    chat.user("อำเภอเกาะคา จังหวัดลำปาง", province="52", district="5203").expect(
        stage="confirm", contains=["แก้ไขให้แล้ว", "เกาะคา"]
    )
    chat.user("แก้ไข", "deny").user("ชั้นเรียน", "enroll").expect(pending="grade")
    chat.user("ม.3", grade="m3").expect(pending="grade_status")
    chat.user("จบแล้ว", grade_status="completed").expect(stage="confirm", contains="ม.3 (จบแล้ว)")


def test_naming_a_field_without_a_value_asks_it():
    chat = to_summary(consented())
    chat.user("ไม่ใช่ เบอร์ผิด", "deny").expect(pending="phone", contains="เบอร์")
    chat.user("0812345679", phone="0812345679").expect(stage="confirm", contains="0812345679")


def test_choose_field_that_is_not_understood_asks_again_with_the_fields(transcript):
    chat = to_summary(consented())
    chat.user("แก้ไข", "deny").user("อืม", "out_of_scope").expect(
        stage="choose_field",
        quick=["ชื่อ", "อายุ", "ยืนยัน"],
    )
    chat.user("ยืนยัน", "affirm").expect(stage="confirm")


# --- global commands ---------------------------------------------------------------------------------


def test_cancel_clears_the_intake_and_keeps_the_consent():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("บิว").user("อายุ 15", age=15)
    chat.user("ยกเลิก", "cancel").expect(contains="ยกเลิกเรียบร้อย", quick=texts.MENU, stage="start")
    assert chat.state.slots == {} and chat.state.consent is True
    chat.user("อยากกลับไปเรียน", "enroll").expect(contains="ให้ใคร", pending="role")


def test_restart_button_restarts_whatever_the_nlu_says():
    """Issue 10: "เริ่มใหม่" starts the intake again (it no longer throws everything away)."""
    chat = consented()
    chat.user("ตัวเอง", role="self")
    chat.user("เริ่มใหม่", "out_of_scope").expect(
        contains=[
            "เริ่มกันใหม่",
            "ข้อมูลเดิม: สมัครให้ตัวเอง",
        ],
        quick=[texts.KEEP_OLD, *texts.ROLE_CHOICES],
        pending="role",
    )
    assert chat.state.slots == {} and chat.state.consent is True


def test_help_mid_intake_shows_what_the_bot_does_then_the_question():
    chat = consented()
    chat.user("ตัวเอง", role="self")
    chat.user("เมนู", "help").expect(contains=["เรื่องถึงไหนแล้ว", "ลบข้อมูลของฉัน"])
    assert "ชื่อ" in chat.replies[-1]["text"] and len(chat.replies) == 2


def test_help_when_idle_offers_the_commands_as_quick_replies(transcript):
    transcript.user("ทำอะไรได้บ้าง", "help").expect(
        quick=["อยากกลับไปเรียน", "เรื่องถึงไหนแล้ว", "คุยกับเจ้าหน้าที่", "เริ่มใหม่"],
    )


def test_status_and_human_are_effects_and_the_question_stays():
    chat = consented()
    chat.user("เรื่องถึงไหนแล้ว", "status").expect(effects=["status"], pending="role", contains="ให้ใคร")
    chat.user("ขอคุยกับเจ้าหน้าที่", "human").expect(effects=["human"], pending="role")
    assert len(chat.replies) <= 2
    idle = Transcript()
    idle.user("เรื่องถึงไหนแล้ว", "status").expect(effects=["status"])
    assert idle.replies == []  # the handler answers with the case status


def test_delete_with_confirmation_erases_and_resets():
    chat = to_summary(consented())
    chat.user("ลบข้อมูลของฉัน", "delete_data").expect(
        contains="ยืนยันลบข้อมูลทั้งหมดของคุณไหมคะ", quick=["ยืนยันลบ", "ไม่ลบ"], stage="confirm_delete"
    )
    chat.user("ยืนยันลบ", "affirm").expect(effects=["erase"])
    assert chat.state == State(updated_at=chat.state.updated_at, rule="erase")
    assert "ฝน" not in json.dumps(dump_state(chat.state), ensure_ascii=False)


def test_delete_aborted_resumes_where_it_was():
    chat = consented()
    chat.user("ตัวเอง", role="self")
    chat.user("ลบข้อมูลของฉัน", "delete_data").user("ไม่ลบ", "deny").expect(
        contains=["ไม่ลบค่ะ", "ชื่อ"], effects=[], pending="name", stage="collecting"
    )
    assert chat.slots["role"] == "self"
    chat.user("ลบข้อมูลของฉัน", "delete_data").user("เรียนฟรีไหม", "ask_cost").expect(
        contains=["ไม่ลบค่ะ", "ไม่เสียค่าเล่าเรียน", "ชื่อ"], effects=[]
    )


def test_out_of_scope_mid_intake_is_polite_and_asks_again():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ปอ")
    chat.user("หวยออกอะไร", "out_of_scope").expect(contains=["ขอโทษ", "อายุ"], pending="age")


def test_greet_and_thanks_mid_intake_reask():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ปอ")
    chat.user("สวัสดีครับ", "greet").expect(contains=["สวัสดี", "อายุ"], pending="age")
    chat.user("ขอบคุณครับ", "thanks").expect(contains=["ยินดีค่ะ", "อายุ"], pending="age")


def test_out_of_scope_when_idle_gets_the_menu(transcript):
    transcript.user("สวัสดี", "greet").user("หวยออกอะไร", "out_of_scope").expect(contains="ขอโทษ", quick=texts.MENU)


# --- consent ------------------------------------------------------------------------------------------


def test_declining_consent_keeps_nothing_and_offers_to_start_again(transcript):
    chat = transcript
    chat.user("ผมอายุ 17 อยู่เถิน อยากเรียน", "enroll", age=17, district="5208").expect(stage="consent")
    chat.user("ไม่ยินยอม", "deny").expect(
        contains=["ไม่เก็บข้อมูล", ".go.th"], quick=["อยากกลับไปเรียน"], effects=["consent"], stage="declined"
    )
    assert chat.effects[0].data == {"granted": False, "version": texts.CONSENT_VERSION}
    assert chat.state.slots == {} and chat.state.consent is False
    chat.user("อยากกลับไปเรียน", "enroll").expect(contains="ยินยอม", stage="consent")


def test_consent_needs_an_answer_before_questions():
    chat = Transcript()
    chat.user("อยากเรียน", "enroll").user("อายุ 17", age=17).expect(contains=["ยินยอม"], stage="consent")
    assert chat.state.slots["age"] == 17


# --- slots -----------------------------------------------------------------------------------------------


def test_birth_year_gives_the_age_in_the_buddhist_era():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ฟ้า")
    chat.user("เกิดปี 2551", birth_year_be=2551).expect(pending="grade")
    assert (chat.slots["age"], chat.slots["birth_year_be"]) == (2569 - 2551, 2551)


def test_birth_year_uses_the_bangkok_date_at_new_year():
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 (BE 2570) in Bangkok.
    late = NOW.replace(month=12, day=31, hour=18)
    state, _, _ = step(
        State(consent=True, stage="collecting", pending="age", slots={"role": "self", "name": "ฟ้า"}),
        u("inform", "เกิดปี 2551", birth_year_be=2551),
        late,
    )
    assert state.slots["age"] == 19


def test_postal_code_with_one_district_fills_it():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("แนน").user("17", age=17).user("ม.2", grade="m2").user(
        "ออกกลางคัน", grade_status="left_during"
    )
    chat.user("52160", postal_code="52160").expect(pending="reason")
    assert (chat.slots["province"], chat.slots["district"], chat.slots["postal_code"]) == ("52", "5208", "52160")


def test_postal_code_with_several_districts_asks_which():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("แนน").user("17", age=17).user("ม.2", grade="m2").user(
        "ออกกลางคัน", grade_status="left_during"
    )
    chat.user("10230", postal_code="10230").expect(contains="หลายอำเภอ", pending="district_choice")
    items = chat.replies[-1]["quickReply"]["items"]
    assert len(items) >= 2
    choice = items[0]["action"]
    chat.user(choice["text"], "inform").expect(pending="reason")  # the tapped text, even unread by the NLU
    assert chat.slots["district"] in ("1005", "1006", "1027") and chat.slots["province"] == "10"


def test_only_a_province_then_unknown_district():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("จุ๋ม").user("22", age=22).user("ม.4", grade="m4").user(
        "ออกกลางคัน", grade_status="left_during"
    )
    chat.user("อยู่ลำปางค่ะ", province="52").expect(
        contains="อำเภอไหนของจังหวัดลำปาง", quick=["ส่งตำแหน่ง", "ไม่ทราบอำเภอ"], pending="district"
    )
    chat.user("ไม่ทราบครับ").expect(pending="reason")
    assert (chat.slots["province"], chat.slots["district"]) == ("52", None)


def test_district_named_alone_within_the_known_province():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("จุ๋ม").user("22", age=22).user("ม.4", grade="m4").user(
        "ออกกลางคัน", grade_status="left_during"
    )
    chat.user("อยู่ลำปางค่ะ", province="52")
    chat.user("อ.เมือง").expect(pending="reason")  # "เมือง" is many districts; in Lampang it is one
    assert chat.slots["district"] == "5201"


def test_district_asked_once_more_then_the_province_is_enough():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("จุ๋ม").user("22", age=22).user("ไม่ได้เรียน", grade="none")
    chat.user("กรุงเทพ", province="10").expect(contains="เขตไหนของกรุงเทพ", quick=["ไม่ทราบเขต"])
    chat.user("แถวๆ ตลาด", "out_of_scope").expect(pending="district")
    chat.user("ไม่รู้จักเหมือนกัน", "out_of_scope").expect(pending="reason")
    assert chat.slots["grade_status"] is None and chat.slots["province"] == "10"


def test_location_share_fills_the_location():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("แนน").user("17", age=17).user("ม.2", grade="m2").user(
        "ออกกลางคัน", grade_status="left_during"
    )
    # The handler reads the address text of a LINE location message and forces intent inform.
    chat.user(u("inform", "", province="52", district="5208", subdistrict="520801", postal_code="52160")).expect(
        pending="reason"
    )
    assert (chat.slots["district"], chat.slots["subdistrict"]) == ("5208", "520801")


def test_parent_registers_a_child_then_another():
    chat = Transcript()
    chat.user("ลูกอยากเรียนต่อค่ะ", "enroll", role="parent").user("ยินยอมค่ะ", "affirm").expect(
        pending="name", contains="ลูก/หลาน"
    )
    chat.user("น้องเมย์").expect(contains="น้องเมย์อายุเท่าไหร่")
    chat.user("16", age=16).user("จบ ม.3 ค่ะ", grade="m3", grade_status="completed").user(
        "อยู่ อ.เถิน จ.ลำปาง", province="52", district="5208"
    )
    chat.user("ไม่อยากบอก").user("ยังไม่แน่ใจ", path="unsure").user("เบอร์แม่ 0861112222", phone="0861112222").expect(
        stage="confirm", contains="สมัครให้ลูก/หลาน"
    )
    chat.user("ยืนยัน", "affirm").expect(effects=["submit"], stage="done")
    chat.user("ลงทะเบียนอีกคน", "enroll").expect(contains=["อีกคน", "ชื่อ"], pending="name", effects=[])
    assert chat.state.slots == {"role": "parent", "phone": "0861112222"}
    chat.user("น้องมิว").user("14", age=14).user("ป.6", grade="p6").user("จบแล้ว", grade_status="completed")
    chat.user("เถิน ลำปาง", province="52", district="5208").user("ปัญหาครอบครัว", reason="family")
    chat.user("สายสามัญ", path="general").expect(stage="confirm", contains=["0861112222", "น้องมิว", "สพป./สพม."])
    chat.user("ยืนยัน", "affirm").expect(effects=["submit"])
    assert chat.effects[0].data["slots"]["name"] == "น้องมิว" and chat.effects[0].data["slots"]["age"] == 14


def test_line_only_phone_and_skipped_optional_slots():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ก้อย").user("30", age=30).user("ไม่ได้เรียน", grade="none")
    chat.user("บางเขน กรุงเทพ", province="10", district="1005").expect(pending="reason")
    chat.user("ข้าม").expect(pending="path")
    chat.user("ไม่รู้").expect(pending="phone")
    chat.user("ไม่มีเบอร์ค่ะ").expect(stage="confirm", contains=["ติดต่อ: ทางไลน์", "ไม่ระบุ", "เทียบระดับ"])
    slots = chat.slots
    assert (slots["reason"], slots["path"], slots["phone"]) == (None, "unsure", None)


def test_optional_slot_skipped_after_two_unreadable_answers():
    chat = to_summary(consented())
    chat.user("แก้ไข", "deny").user("สายที่เรียน").expect(pending="path")
    chat.user("อืม", "out_of_scope").expect(pending="path", contains="ขอโทษ")
    chat.user("555", "out_of_scope").expect(stage="confirm")


def test_name_is_cleaned_and_questions_are_not_names():
    chat = consented()
    chat.user("ตัวเอง", role="self")
    chat.user("ผมไม่อยากบอกชื่อ").expect(pending="name", contains="ชื่อเล่นก็พอ", quick=["ข้าม"])
    chat.user("ยินยอม", "affirm").expect(pending="name")
    chat.user("ชื่อเล่นบีมค่ะ").expect(pending="age")
    assert chat.slots["name"] == "บีม"


@pytest.mark.parametrize(
    "said, name",
    [
        ("ฝน", "ฝน"),
        ("ชื่อต้นครับ", "ต้น"),
        ("น้องเมย์ค่ะ", "น้องเมย์"),
        ("เรียกว่าแอนนะคะ", "แอน"),
        ("สมชาย ใจดี", "สมชาย ใจดี"),
        ("ต้น อายุ 17", "ต้น"),
        ("ผมชื่อก้องครับ", "ก้อง"),
    ],
)
def test_name_answers(said, name):
    chat = consented()
    chat.user("ตัวเอง", role="self")
    chat.user(said, "inform", **({"age": 17} if "17" in said else {})).expect(
        pending="age" if "17" not in said else "grade"
    )
    assert chat.slots["name"] == name


def test_role_answers_in_plain_words():
    for said, role in [("หนูค่ะ", "self"), ("ผมเอง", "self"), ("ลูกสาวค่ะ", "parent"), ("นักเรียนของครูค่ะ", "other")]:
        chat = consented()
        chat.user(said, "out_of_scope").expect(pending="name")
        assert chat.slots["role"] == role, said


# --- idle ------------------------------------------------------------------------------------------------


def test_idle_for_a_day_welcomes_back_and_keeps_the_details():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ต่อ").user("อายุ 17", age=17)
    chat.user("สวัสดีค่ะ", "greet", after=timedelta(hours=25)).expect(
        contains=["ยินดีต้อนรับกลับมา", "ชั้น"],
        pending="grade",
    )
    assert chat.slots["age"] == 17 and len(chat.replies) == 1


def test_idle_answer_after_a_day_is_taken():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ต่อ").user("อายุ 17", age=17)
    chat.user("ม.2", grade="m2", after=timedelta(days=3)).expect(
        contains=["ยินดีต้อนรับกลับมา", "จบ ม.2"], pending="grade_status"
    )


def test_idle_for_eight_days_drops_the_details_and_the_consent():
    chat = consented()
    chat.user("ตัวเอง", role="self").user("ต่อ").user("อายุ 17", age=17)
    chat.user("สวัสดีค่ะ", "greet", after=timedelta(days=8, hours=1)).expect(
        contains="หมดอายุ", quick=texts.MENU, stage="start"
    )
    assert chat.state.slots == {} and chat.state.consent is False
    chat.user("อยากกลับไปเรียน", "enroll").expect(contains="ยินยอม", stage="consent")


def test_a_day_idle_at_the_summary_shows_it_again():
    chat = to_summary(consented())
    chat.user("อืม", "out_of_scope", after=timedelta(hours=30)).expect(
        contains=["ยินดีต้อนรับกลับมา", "ขอทวนข้อมูล"], stage="confirm"
    )


# --- special cases --------------------------------------------------------------------------------------


def test_compulsory_age_and_finished_school_notes_in_the_summary():
    chat = consented()
    chat.user(
        "หลานค่ะ ชื่อโอ๊ต อายุ 13 เรียนถึง ป.5 แล้วออก อยู่เถิน ลำปาง",
        role="parent",
        age=13,
        grade="p5",
        grade_status="left_during",
        district="5208",
    )
    chat.user("ย้ายที่อยู่", reason="migration").user("สายสามัญ", path="general").user("ติดต่อทางไลน์").expect(
        contains="สพป./สพม.", stage="confirm"
    )
    done = consented()
    done.user(
        "ผมเอง ชื่อเอ อายุ 19 จบ ม.6 อยู่เถิน",
        role="self",
        age=19,
        grade="m6",
        grade_status="completed",
        district="5208",
    )
    to_summary(done).expect(contains="จบการศึกษาขั้นพื้นฐานแล้ว", lacks="สพป.")


def test_eligibility_answers_are_tailored_by_age(transcript):
    transcript.user("อายุ 14 เรียนได้ไหม", "ask_eligibility", age=14).expect(
        contains=["14 ปี", "สพป./สพม."], quick=["อยากกลับไปเรียน"]
    )
    transcript.user("อายุ 30 เรียนได้ไหม", "ask_eligibility", age=30).expect(contains=["30 ปี", "เทียบระดับ"])
    transcript.user("อายุ 17 เรียนได้ไหม", "ask_eligibility", age=17).expect(contains="17 ปี", lacks="สพป.")


def test_ask_office_with_a_known_place_is_an_effect():
    chat = Transcript()
    chat.user("ศูนย์ที่อำเภอเถินอยู่ไหน", "ask_office", district="5208").expect(effects=["office_info"])
    assert chat.effects[0].data == {"province": "52", "district": "5208"}
    mid = consented()
    mid.user("ผมเอง อยู่ลำปาง", role="self", province="52").user("ขอเบอร์ศูนย์หน่อย", "ask_office").expect(
        effects=["office_info"], pending="name"
    )
    assert mid.effects[0].data == {"province": "52", "district": None}


def test_ask_office_without_a_place_asks_for_it_then_answers():
    chat = Transcript()
    chat.user("สกร. ใกล้บ้านอยู่ที่ไหน", "ask_office").expect(contains="อำเภอ", quick=["ส่งตำแหน่ง"], effects=[])
    chat.user("อยู่เถิน ลำปาง", province="52", district="5208").expect(
        effects=["office_info"], quick=["อยากกลับไปเรียน"], stage="start"
    )
    assert chat.effects[0].data == {"province": "52", "district": "5208"}


def test_after_submit_more_details_point_to_staff_and_another():
    chat = to_summary(consented())
    chat.user("ยืนยัน", "affirm")
    chat.user("อยู่เชียงใหม่", province="50").expect(
        contains="คุยกับเจ้าหน้าที่", quick=["ลงทะเบียนอีกคน"], effects=[], stage="done"
    )
    chat.user("ขอบคุณค่ะ", "thanks").expect(contains="ยินดี", quick=["ลงทะเบียนอีกคน"])


# --- the state and the interface ---------------------------------------------------------------------


def test_step_does_not_change_its_input_and_state_is_json():
    state = State()
    before = json.dumps(dump_state(state))
    new, replies, effects = step(state, u("enroll", "อยากเรียน"), NOW)
    assert json.dumps(dump_state(state)) == before and new is not state and state == State()
    stored = json.loads(json.dumps(dump_state(new)))
    assert load_state(stored) == new and new.version == state.version


def test_the_interface_is_typed_end_to_end():
    """`step` takes the typed `State` and returns a `Step`; the JSON form is the storage edge's."""
    hints = typing.get_type_hints(step)
    assert hints["state"] is State and hints["return"] is Step
    assert typing.get_type_hints(Step) == {
        "new_state": State,
        "replies": list[dict[str, typing.Any]],
        "effects": list[Effect],
    }
    assert typing.get_type_hints(initial_state)["return"] is State and initial_state() == State()


def test_step_returns_a_typed_step():
    result = step(State(), u("enroll", "อยากเรียน"), NOW)
    assert isinstance(result.new_state, State) and result.new_state.stage == "consent"
    assert result.replies and result.effects == []
    new_state, replies, effects = result  # reads as a tuple
    assert (new_state, replies, effects) == (result.new_state, result.replies, result.effects)


def test_an_unknown_state_starts_fresh():
    """(Older versions are migrated, never dropped: tests/handlers/test_dialogue_state.py; a newer
    version is refused, never started fresh: tests/handlers/test_review_fixes_core.py.)"""
    for old in (
        {},
        {"version": 2, "stage": "nowhere"},
        {"version": "2"},
    ):
        new, replies, _ = step(load_state(old), u("greet", "สวัสดี"), NOW)
        assert new.stage == "start" and replies


def test_effect_is_a_frozen_dataclass():
    effect = Effect("status", {})
    with pytest.raises(AttributeError):
        effect.type = "human"  # type: ignore[misc]


def test_every_stage_has_a_handler_and_every_slot_a_question():
    assert set(STAGES) == {
        "start",
        "consent",
        "collecting",
        "confirm",
        "choose_field",
        "confirm_delete",
        "confirm_cancel",
        "done",
        "declined",
    }
    for slot in [*SLOT_ORDER, "district", "district_choice"]:
        body, quick = texts.question(
            slot, {"role": "parent", "name": "มิว", "grade": "m2", "province": "52"}, ["5208", "5209"]
        )
        assert body.rstrip().endswith(("คะ", "ค่ะ", ")", "นะคะ", "(ปวช.)")) and "?" not in body
        assert all(len(q if isinstance(q, str) else q["label"]) <= 20 for q in quick)


def test_all_labels_fit_line_limits():
    groups = [
        texts.MENU,
        texts.FAQ_MENU,
        texts.HELP_MENU,
        texts.DONE_MENU,
        list(texts.ROLE_CHOICES),
        list(texts.GRADE_CHOICES),
        list(texts.STATUS_CHOICES),
        list(texts.REASON_CHOICES),
        list(texts.PATH_CHOICES),
        list(texts.FIELD_CHOICES),
    ]
    for group in groups:
        assert len(group) <= 13
        assert all(0 < len(label) <= 20 for label in group), group


def test_collected_lists_every_public_key():
    assert set(collected(State())) == {
        "role",
        "name",
        "age",
        "birth_year_be",
        "grade",
        "grade_status",
        "province",
        "district",
        "subdistrict",
        "postal_code",
        "reason",
        "path",
        "phone",
    }


def test_a_role_word_is_not_taken_for_a_name():
    chat = Transcript()
    chat.user("อยากสมัครเรียนให้ลูกค่ะ", "enroll", role="parent").user("ได้ค่ะ", "affirm").expect(pending="name")
    chat.user("ลูกชายค่ะ", role="parent").expect(pending="name", contains=["จดไว้แล้ว", "ชื่ออะไร"])
    chat.user("ชื่อเจมส์ค่ะ").expect(pending="age", contains="น้องเจมส์")
