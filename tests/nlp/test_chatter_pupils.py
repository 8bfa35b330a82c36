"""Chatter that starts no intake (issue 11): pupils still at school, and social-media chatter of kinds the
older training files lacked (weather, K-pop, games, sport, politics, religion, scams, money, group
greetings), each beside in-scope look-alikes that must still be read. Lines written for this test, apart
from the training and development files."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import INTENTS, understand
from nlp.classifier import DATA
from nlp.entities import extract_entities
from nlp.normalize import normalize
from nlp.reader import _gated
from nlp.understanding import Understanding

TODAY = date(2026, 11, 22)
INTAKE = {"enroll", "inform"}
OOS6 = DATA / "train_oos6.tsv"


def _as_details(text: str) -> Understanding:
    """The message as the classifier might read it at its surest: details."""
    return Understanding("inform", 0.99, extract_entities(normalize(text), TODAY), text)


@pytest.mark.parametrize(
    "text",
    [
        "ลูกชายเรียน ม.2 อยู่ วันนี้ได้ไปแข่งวิ่งของโรงเรียน",
        "หลานสาวเรียนอยู่ ป.4 ชอบวาดรูปมาก",
        "น้องเรียน ม.1 อยู่โรงเรียนเดียวกับลูกพี่สาว",
        "ตอนนี้เรียน ม.5 อยู่ค่ะ การบ้านเยอะสุดๆ",
        "ลูกเรียน ป.2 อยู่ ครูชมว่าอ่านเก่ง",
    ],
)
def test_a_pupil_at_school_now_is_no_learner(text: str) -> None:
    # However sure the classifier is that it gives details, the gate reads it as chatter.
    assert _gated(_as_details(text), 0.0).intent == "out_of_scope"
    assert understand(text, TODAY).intent not in INTAKE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # The school was left, or the child no longer goes: a story of leaving, details for an intake.
        ("ลูกเรียน ม.1 อยู่ แล้วก็ไม่ยอมไปโรงเรียนอีกเลยค่ะ", "inform"),
        ("ตอนนั้นหลานเรียน ป.6 อยู่ แม่พาย้ายบ้าน เลยไม่ได้เรียนต่อ", "inform"),
        # A sibling at school beside the learner's own details.
        ("ลูกคนโตอายุ 16 ออกตอน ม.3 ส่วนคนเล็กเรียน ป.4 อยู่", "inform"),
    ],
)
def test_a_learner_who_left_is_still_read(text: str, intent: str) -> None:
    assert _gated(Understanding(intent, 0.99, extract_entities(normalize(text), TODAY), text), 0.0).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        # At school now, but wishing to move to us, or asking about us: one of ours.
        "ลูกเรียน ม.4 อยู่ แต่อยากย้ายมาเรียน กศน. ค่ะ",
        "หลานเรียน ม.2 อยู่ ถ้าย้ายมาเรียน กศน. ต้องทำยังไงคะ",
    ],
)
def test_a_pupil_who_wants_to_move_to_us_is_read(text: str) -> None:
    assert understand(text, TODAY).intent != "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "ออกจากโรงเรียนตอน ม.3 ตอนนี้ทำขนมขาย ขายดีทุกวัน",
        "ไม่เสียดายเลยที่ไม่ได้เรียนต่อ ตอนนี้เป็นช่างตัดผมอยู่ลำปาง",
        "เรียนไม่จบ ม.6 แต่ไม่คิดจะกลับไปเรียนแล้ว งานตอนนี้ก็โอเค",
        "i quit school in m.2 and opened a little phone shop, no regrets at all",
    ],
)
def test_a_settled_life_starts_no_intake(text: str) -> None:
    # However sure the classifier is that it gives details: a life without school that is settled.
    assert _gated(_as_details(text), 0.0).intent == "out_of_scope"
    assert understand(text, TODAY).intent not in INTAKE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ขายของออนไลน์ ขายดีค่ะ แต่อยากได้วุฒิ ม.6 ด้วย", "enroll"),
        ("ไม่เสียดายที่ออกมาทำงาน แต่ตอนนี้อยากกลับไปเรียนให้จบครับ", "enroll"),
    ],
)
def test_a_settled_life_with_a_wish_still_starts(text: str, intent: str) -> None:
    assert _gated(Understanding(intent, 0.99, extract_entities(normalize(text), TODAY), text), 0.0).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "สวัสดีวันศุกร์ค่ะเพื่อนๆ ในกลุ่ม ขอให้มีความสุขนะคะ",
        "ฝนตกหนักที่นครปฐม น้ำท่วมซอยแล้ว",
        "หมอกลงหนามากเช้านี้ที่แม่ฮ่องสอน ขับรถระวังด้วยนะ",
        "ใครได้บัตรคอนเสิร์ตวงเกาหลีรอบวันเสาร์บ้าง",
        "ลงแรงค์ rov ไม่ขึ้นเลยทั้งคืน",
        "ไทยได้เหรียญทองยกน้ำหนักแล้ว เย้",
        "อย่าลืมไปเลือกตั้ง อบต. วันอาทิตย์นี้นะจ๊ะ",
        "พรุ่งนี้ไปเวียนเทียนที่วัดกันไหม",
        "มีคนส่ง sms มาบอกว่าได้รางวัล ให้กดลิงก์ หลอกแน่นอน",
        "ค่าไฟเดือนนี้สามพันกว่า ร้อนจนต้องเปิดแอร์ทั้งวัน",
        "เจ้านายขึ้นเงินเดือนให้ห้าร้อย ดีใจมาก",
        "ลูกอายุ 4 ขวบ ร้องจะเอาของเล่นทุกครั้งที่ไปห้าง",
        "ย้ายมาอยู่ระยองสามปีแล้ว ทะเลที่นี่สวยทุกวัน",
    ],
)
def test_social_media_chatter_starts_no_intake_and_gets_no_answer(text: str) -> None:
    intent = understand(text, TODAY).intent
    assert intent not in INTAKE
    assert not intent.startswith("ask_")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("อยากเรียนต่อ", "enroll"),
        ("อายุ 17 ออกตอน ม.2", "inform"),
        ("เบื่องานร้านอาหารแล้ว อยากกลับไปเรียนให้จบ ม.3 ครับ", "enroll"),
        ("ตอนนี้ทำงานโรงงานอยู่ลพบุรี อายุ 21 จบแค่ ป.6 ค่ะ", "inform"),
        ("ข่อยอายุ 18 ออกโฮงเฮียนตอน ม.1 เด้อ", "inform"),
    ],
)
def test_in_scope_look_alikes_still_start(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


def test_train_oos6_lines_are_well_formed() -> None:
    content = OOS6.read_text(encoding="utf-8")
    lines = [line for line in content.splitlines() if line.strip() and not line.startswith("#")]
    texts = []
    for line in lines:
        intent, _, text = line.partition("\t")
        assert intent in INTENTS, line
        assert text.strip() == text and text, line
        texts.append(text)
    assert len(set(texts)) == len(texts), "a line is repeated"
