"""Whose home and whose age: the learner's, when a message also tells of the writer or a relative.

Transcript-like tables of message -> expected entities (issue 11): the only home named beside the
grandparent or parent the learner lives with is the learner's; the writer's own age is not the learner's.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlp.entities import extract_entities, learner_parts
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


def _entities(text: str) -> dict[str, object]:
    return extract_entities(normalize(text), TODAY, learned=False)


# The home said in a relative's or the writer's clause, and no other place: the learner's home.
HOMES = [
    ("หลานอายุ 16 ออกตอน ม.2 ยายอยู่ อ.สามเงา", {"district": "6303"}),
    ("ขอบคุณค่ะ แม่อยากปรึกษาเรื่องลูกชาย 18 ปี จบ ม.6 แล้ว แม่อยู่ อ.ศรีราชาค่ะ", {"district": "2007"}),
    ("พ่อทำงานอยู่ระยอง แม่อยู่บ้านที่ อ.กุฉินารายณ์ กาฬสินธุ์ หนูอยู่กับแม่ค่ะ", {"district": "4605", "province": "46"}),
    ("หนูอายุ 15 ออก ม.2 เพราะโดนแกล้ง ไม่กล้าบอกแม่ อยู่ อ.ลำลูกกา", {"district": "1306"}),
    ("ลูกชายอายุ 15 ค่ะ ออกตอน ม.1 พี่ชายเขาอายุ 20 ช่วยสอนหนังสือให้อยู่ อยู่โคราชค่ะ", {"province": "30"}),
    ("ตอนนี้หลานอยู่นำยายอยู่ อ.หนองเรือ ขอนแก่น หลานอายุ 16", {"district": "4004", "province": "40"}),
]


@pytest.mark.parametrize(("text", "expected"), HOMES)
def test_the_only_home_named_beside_another_person_is_the_learners(text: str, expected: dict[str, str]) -> None:
    got = _entities(text)
    assert {k: got.get(k) for k in expected} == expected


# A place said of another person that is no home (where a sibling studied, a university), or said of a
# relative while the learner's own place is told: not taken.
NOT_HOMES = [
    ("พี่ชายผมเรียน กศน. ที่ อ.เถิน จบไปแล้ว ผมอยากเรียนบ้าง อายุ 16 ครับ", ("district", "province")),
    ("พี่สาวจบ ม.ขอนแก่น ส่วนหนูจบแค่ ม.3 ค่ะ", ("district", "province")),
    ("ลูกอายุ 15 อยู่ต่างจังหวัดค่ะ ยายอยู่ อ.สามเงา", ("district",)),
]


@pytest.mark.parametrize(("text", "absent"), NOT_HOMES)
def test_a_place_of_another_person_that_is_no_home_is_not_taken(text: str, absent: tuple[str, ...]) -> None:
    got = _entities(text)
    assert not {k: got[k] for k in absent if k in got}


def test_a_word_holding_a_relatives_name_starts_no_person() -> None:
    # "เดือนหน้า" holds น้า: the text after it is still about the child, home included.
    text = normalize("ลูกชายอายุ 19 ค่ะ จะพ้นโทษเดือนหน้า เขาเรียนถึง ม.3 จะกลับมาอยู่บ้านที่ อ.เมืองสุพรรณบุรี")
    about, home, _two = learner_parts(text)
    assert "ม.3" in about
    assert "สุพรรณบุรี" in home


# The writer's own age beside a younger sibling's or a grandchild's: the learner's age wins.
AGES = [
    ("ผมเป็นพี่ชาย อายุ 25 น้องผมอายุ 16", 16),
    ("ผมเป็นผู้ปกครองน้อง ผมอายุ 25 น้องชายอายุ 15 ออกตอน ม.1", 15),
    ("หนูเป็นพี่สาว อายุ 23 ทำงานแล้ว น้องชายหนูอายุ 16 ออกจาก ม.3", 16),
    ("อาอายุ 45 เลี้ยงหลานอายุ 16 หลานเรียนถึง ม.2", 16),
    ("ยายอายุ 70 แล้วค่ะ เลี้ยงหลานอายุ 16 อยู่ที่สว่างแดนดิน", 16),
    # the writer is the learner: their own age stands
    ("ผมอายุ 16 ออก ม.3 น้องชายอายุ 12 ยังเรียนอยู่", 16),
    ("ผมเป็นพี่ชายคนโต อายุ 17 ออก ม.4 น้องชายอายุ 12 ยังเรียนอยู่", 17),
    ("ผมอายุ 24 ครับ ผมกับน้องชายอายุ 19 อยากเรียน กศน. พร้อมกัน แต่สมัครให้ผมก่อนนะครับ", 24),
]


@pytest.mark.parametrize(("text", "age"), AGES)
def test_the_learners_age_not_the_writers(text: str, age: int) -> None:
    assert _entities(text).get("age") == age


def test_the_sibling_left_school_grade_is_kept_beside_the_writers_age() -> None:
    got = _entities("ผมอายุ 28 ครับ น้องผมอายุ 14 ผมเลี้ยงน้องเอง พ่อแม่เสียหมดแล้ว น้องออกตอน ป.6 ผมอยากให้น้องเรียนต่อ")
    assert (got.get("age"), got.get("grade"), got.get("grade_status")) == (14, "p6", "left_during")
