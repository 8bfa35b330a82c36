"""More ways to say a level was left or finished (nlp.entities.extract_grade): not coming to school any more,
never going back, the level of the time a leaving story tells of or of the event that ended the schooling, a level
repeated, and a certificate held ("มีวุฒิ ม.3"). DESIGN §3: `grade_status` from the many ways to say leaving; a
level never entered is no grade."""

from __future__ import annotations

import pytest

from nlp.entities import extract_grade, latin_words
from nlp.normalize import normalize


@pytest.mark.parametrize(
    ("text", "grade", "status"),
    [
        # not coming to school any more, as a teacher or a neighbour sees it
        ("ครูค่ะ นักเรียนคนนึงไม่มาโรงเรียนตั้งแต่เปิดเทอม ม.1 อายุ 13", "m1", "left_during"),
        ("หลานไม่มาเรียนมาเกือบปีแล้วค่ะ อยู่ ป.5", "p5", "left_during"),
        # never gone back
        ("โรงเรียนปิดช่วงน้ำท่วม พอเปิดก็ไม่ได้กลับไปเรียนอีก ตอน ม.2", "m2", "left_during"),
        ("โดนรุ่นพี่ทำร้ายจนไม่กล้ากลับไปโรงเรียน อยู่ ม.3 ค่ะ", "m3", "left_during"),
        # the level of the time the leaving story tells of
        ("ที่บ้านไม่มีเงินเลยต้องหยุดไปก่อนครับ ตอนนั้นเรียนอยู่ ม.4", "m4", "left_during"),
        ("พ่อโดนเลิกจ้าง แม่ก็ป่วย ตอนนั้น ป.6 ค่ะ", "p6", "left_during"),
        # the level of the event that ended the schooling
        ("ตั้งท้องตอน ม.5 ค่ะ ตอนนี้ลูกขวบนึงแล้ว", "m5", "left_during"),
        ("ป่วยเป็นลูคีเมียตอนอยู่ ม.1 รักษาตัวสามปี", "m1", "left_during"),
        ("แม่เสียตอนหนูเรียน ม.2 ค่ะ ต้องดูแลน้อง", "m2", "left_during"),
        # … unless the level was finished all the same
        ("พ่อป่วยหนักตอนผมอยู่ ม.6 แต่ผมก็เรียนจบครับ", "m6", "completed"),
        # a level repeated
        ("สอบตกซ้ำชั้น ม.2 สองปี ครูให้ไปเรียน กศน.", "m2", "left_during"),
        # a certificate held, not lacking or wished for
        ("ทำงานร้านซ่อมมอไซค์ครับ มีวุฒิ ม.3 อยากเรียนต่อ ม.ปลาย", "m3", "completed"),
        ("ยังไม่มีวุฒิ ม.3 เลยค่ะ ออกตอน ม.2", "m2", "left_during"),
        # the level of that time, finished
        ("ตอนนั้นเรียน ม.3 จบแล้วค่ะ", "m3", "completed"),
        # a level never entered is no grade
        ("จบ ป.6 แล้วโรงเรียนไม่รับเข้า ม.1", "p6", "completed"),
    ],
)
def test_level_and_status(text: str, grade: str, status: str) -> None:
    assert extract_grade(normalize(text)) == (grade, status)


@pytest.mark.parametrize(
    ("text", "grade", "status"),
    [
        # romanised ออก before its time or level, or after ต้อง/เลย; English "never went back"
        ("nong ayu 16 ok ton m.3 ka", "m3", "left_during"),
        ("rian theung m.2 laew tong ok krub", "m2", "left_during"),
        ("I got sick in M.3 and never went back to school", "m3", "left_during"),
        # "ok" as okay is no leaving
        ("ok ka rian m.3 yu", "m3", None),
    ],
)
def test_latin_leaving_words(text: str, grade: str, status: str | None) -> None:
    assert extract_grade(latin_words(normalize(text))) == (grade, status)
