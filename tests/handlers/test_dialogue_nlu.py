"""Transcripts through the real reader (`nlp.understand`), as the handler calls it: the text
with any national ID masked, then `step`. No database, no Flask."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

import nlp
from handlers.dialogue import initial_state, step
from nlp.understanding import Understanding
from tests.handlers.conftest import NOW, Transcript

TODAY = NOW.date()


def read(text: str) -> Understanding:
    masked = nlp.mask_national_ids(text)
    return replace(nlp.understand(masked, today=TODAY), text=masked)


def say(chat: Transcript, text: str, after: timedelta = timedelta(seconds=30)) -> Transcript:
    return chat.user(read(text), after=after)


def conversation(lines: list[str]) -> Transcript:
    chat = Transcript()
    for line in lines:
        say(chat, line)
    return chat


@pytest.fixture(scope="module", autouse=True)
def _warm():
    nlp.warm_up()


def test_teen_gives_everything_at_once():
    chat = conversation(["สวัสดีครับ", "อยากกลับไปเรียนครับ", "ยินยอม", "ผมเอง ชื่อต้น อายุ 17 อยู่อำเภอเถิน ลำปาง ออกตอน ม.2"])
    chat.expect(pending="reason", contains="ออกจากโรงเรียน")
    for line in ["ต้องทำงาน", "สายสามัญ", "0812345678"]:
        say(chat, line)
    chat.expect(stage="confirm", contains=["ต้น", "17 ปี", "ม.2 (ออกระหว่างเรียน)", "อำเภอเถิน"])
    say(chat, "ยืนยัน").expect(effects=["submit"])
    slots = chat.effects[0].data["slots"]
    assert (slots["role"], slots["age"], slots["grade"], slots["grade_status"], slots["district"], slots["reason"], slots["path"], slots["phone"]) == \
        ("self", 17, "m2", "left_during", "5208", "work", "general", "0812345678")


def test_one_answer_per_question_with_every_button():
    chat = Transcript()
    turns = 0
    for line in ["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "มายด์", "18", "ม.3", "จบแล้ว", "เถิน ลำปาง", "ปัญหาการเงิน", "สายอาชีพ (ปวช.)", "0891234567", "ยืนยัน"]:
        say(chat, line)
        turns += 1
    assert turns == 1 + 1 + 9 + 1  # the wish, consent, nine questions, the confirmation
    slots = chat.effects[0].data["slots"]
    assert (slots["name"], slots["grade"], slots["grade_status"], slots["reason"], slots["path"]) == ("มายด์", "m3", "completed", "financial", "vocational")


def test_parent_with_a_question_mid_intake_and_a_correction():
    chat = conversation(["ลูกอยากเรียนต่อค่ะ", "ยินยอมค่ะ"])
    chat.expect(pending="name", contains="ลูก/หลาน")
    say(chat, "ต้องใช้เอกสารอะไรบ้าง").expect(contains=["สำเนาบัตรประชาชน", "กลับมาที่คำถามเดิม", "ชื่อ"], pending="name")
    for line in ["น้องเมย์", "อายุ 15 ค่ะ", "ออกตอน ม.2", "อยู่ อ.เถิน จ.ลำปาง", "ไม่อยากบอก", "ยังไม่แน่ใจ", "เบอร์แม่ 0861112222"]:
        say(chat, line)
    chat.expect(stage="confirm", contains=["15 ปี", "สพป./สพม."])
    say(chat, "อายุผิด 16 ค่ะ").expect(contains="16 ปี", lacks="15 ปี", stage="confirm")
    say(chat, "ยืนยัน").expect(effects=["submit"])
    say(chat, "ลงทะเบียนอีกคน").expect(pending="name", contains="อีกคน")


def test_dialect_and_line_only():
    chat = conversation(["อยากเฮียนต่อเด้อ", "ยินยอม", "ข่อยเอง ชื่อแก้ว", "อายุ 18", "ม.3", "บ่จบ", "อยู่ อ.เมือง อุบล", "เฮ็ดงาน", "บ่แน่ใจ", "บ่มีเบอร์"])
    chat.expect(stage="confirm")
    say(chat, "แม่นแล้ว").expect(effects=["submit"])
    slots = chat.effects[0].data["slots"]
    assert (slots["name"], slots["grade_status"], slots["district"], slots["phone"]) == ("แก้ว", "left_during", "3401", None)


def test_province_only_then_unknown_and_a_postal_code_elsewhere():
    chat = conversation(["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "จุ๋ม", "22", "ม.4", "ออกกลางคัน", "อยู่ลำปางค่ะ"])
    chat.expect(pending="district", quick=["ไม่ทราบอำเภอ"])
    say(chat, "ไม่ทราบอำเภอ").expect(pending="reason")
    assert (chat.slots["province"], chat.slots["district"]) == ("52", None)
    other = conversation(["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "แนน", "17", "ม.2", "ออกกลางคัน", "10230"])
    other.expect(pending="district_choice", contains="หลายอำเภอ")
    tapped = other.replies[-1]["quickReply"]["items"][0]["action"]["text"]
    say(other, tapped).expect(pending="reason")
    assert other.slots["province"] == "10"


def test_location_share_reads_the_address_text():
    chat = conversation(["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "แนน", "17", "ม.2", "ออกกลางคัน"])
    address = read("123 หมู่ 4 ตำบลล้อมแรด อำเภอเถิน ลำปาง 52160 ประเทศไทย")
    chat.user(Understanding("inform", 1.0, dict(address.entities), "")).expect(pending="reason")
    assert chat.slots["district"] == "5208"


def test_commands_and_small_talk_mid_intake():
    chat = conversation(["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ปอ"])
    say(chat, "หวยออกอะไร").expect(contains=["ขอโทษ", "อายุ"], pending="age")
    say(chat, "ถามข้อมูล").expect(contains="อยากทราบเรื่องไหน", pending="age", effects=[])
    say(chat, "เรียนฟรีไหม").expect(contains=["ไม่เสียค่าเล่าเรียน", "อายุ"])
    say(chat, "เมนู").expect(contains="เรื่องถึงไหนแล้ว", pending="age")
    say(chat, "ลบข้อมูลของฉัน").expect(stage="confirm_delete")
    say(chat, "ไม่ลบ").expect(pending="age", effects=[])
    say(chat, "ยกเลิก").expect(contains="ยกเลิกเรียบร้อย", stage="start")


def test_idle_through_the_reader():
    chat = conversation(["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ต่อ", "อายุ 17"])
    say(chat, "สวัสดีค่ะ", after=timedelta(hours=25)).expect(contains=["ยินดีต้อนรับกลับมา", "ชั้น"])
    say(chat, "สวัสดีค่ะ", after=timedelta(days=9)).expect(contains="หมดอายุ", stage="start")


def test_a_typed_national_id_never_reaches_the_state():
    chat = conversation(["อยากกลับไปเรียน", "ยินยอม", "ตัวเอง", "ชื่อนิด เลขบัตร 1101700207030"])
    assert "1101700207030" not in str(chat.state)
    assert chat.slots["name"] == "นิด"


def test_every_message_gets_an_answer_whatever_is_typed():
    state = initial_state()
    now = NOW
    for line in ["", "🙂", "ฮัลโหล", "?????", "ยินยอม", "ก" * 3000, "0812345678", "ม.7", "อายุ 200", "ไปทำงานกรุงเทพ", "บ่", "555"]:
        now += timedelta(seconds=5)
        state, replies, effects = step(state, read(line), now)
        assert 1 <= len(replies) <= 5 or effects
