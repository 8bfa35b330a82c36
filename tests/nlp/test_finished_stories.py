"""Finished life stories and news of other people start no intake (issue 11); an applicant's story
told with its present, an age or a place, or a wish, still does. Lines written for this test, apart
from the training and development files."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand
from nlp.reader import _story_told

TODAY = date(2026, 11, 22)
INTAKE = {"enroll", "inform"}


@pytest.mark.parametrize(
    "text",
    [
        # A drop-out long ago, a present that is not about school.
        "ออกจากโรงเรียนตอน ม.2 เพราะต้องช่วยแม่ขายของ ตอนนี้เปิดร้านขายของชำเป็นของตัวเองแล้ว ชีวิตก็โอเคนะ",
        "เรียนไม่จบ ม.3 เพราะติดเพื่อน ตอนนี้เป็นช่างตัดผมมีลูกค้าประจำเยอะเลย ไม่เสียใจหรอก",
        # … told with a place: a life that is settled, far from school.
        "บ้านอยู่ลำปาง ออกจากโรงเรียนตอน ม.2 ไปแต่งงาน ตอนนี้มีร้านกาแฟเป็นของตัวเองแล้ว ลูกค้าเยอะ ชีวิตดีมากเลย",
        # News, a post, times gone by.
        "ได้ข่าวว่าลูกสาวบ้านข้างๆ ออกจากโรงเรียนกลางเทอม ม.5 ไปทำงานห้างที่กรุงเทพ",
        "สมัยก่อนเด็กผู้หญิงแถวบ้านเรียนแค่ ป.4 ก็ต้องออกไปช่วยที่บ้านทำไร่กันหมด",
    ],
)
def test_a_story_that_is_over_starts_no_intake(text: str) -> None:
    assert understand(text, TODAY).intent not in INTAKE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # The present told with the learner's age or home: details for an intake.
        ("ลูกชายอายุ 17 ออกตอน ม.4 เพราะที่บ้านไม่มีเงิน ตอนนี้ไปช่วยพ่อทำงานก่อสร้างอยู่ อ.เมืองขอนแก่น", "inform"),
        ("หลานอายุ 16 ออกตอน ม.3 ตอนนี้ทำงานร้านอาหารอยู่ที่ภูเก็ตค่ะ", "inform"),
        # The present is the wish.
        ("ออกจากโรงเรียนตอน ม.2 ไปทำงานโรงงาน ตอนนี้อยากกลับไปเรียนให้จบ ม.3 ค่ะ", "enroll"),
        # A post seen, and a wish.
        ("เห็นข่าวในเพจว่า กศน. เปิดรับสมัครแล้ว อยากสมัครให้หลานค่ะ", "enroll"),
    ],
)
def test_an_applicants_story_is_still_read(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


def test_a_short_message_or_a_question_is_never_a_story() -> None:
    # Too short to be a story, and a question asks whatever its words around it.
    for text in ("ตอนนี้ทำงานร้านกาแฟ", "ออกตอน ม.3 ตอนนี้ทำงานร้านกาแฟ เรียนตอนเย็นได้ไหมคะ"):
        read = understand(text, TODAY)
        assert not _story_told(read), text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A wish, then a question about something else: the question (DESIGN §3).
        ("หลานอายุ 16 ออกตอน ม.2 อยู่ อ.เมืองน่าน อยากให้หลานได้เรียนต่อ ศูนย์ที่ใกล้ที่สุดอยู่ตรงไหนคะ", "ask_office"),
        ("ลูกชายอายุ 17 ออกตอน ม.4 อยากเรียนต่อค่ะ แต่เขาทำงานกลางวัน มีเรียนวันเสาร์อาทิตย์ไหมคะ", "ask_schedule"),
        # A wish, then asking to be signed up or let in: the wish.
        ("ลูกสาวอายุ 16 ออกตอน ม.3 อยากเรียนต่อค่ะ สมัครให้ลูกทางนี้ได้เลยไหมคะ", "enroll"),
    ],
)
def test_a_question_after_a_wish_wins_unless_it_asks_to_apply(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent
