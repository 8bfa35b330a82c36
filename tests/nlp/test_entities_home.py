"""The learner's home only (issue 11, home_vs_elsewhere): a place inside a school's name, a place
finished school in, work for hire somewhere, are not home; going home, moving to a place, and the
home told after them are. Whole entity dicts: an extra key is as wrong as a missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

HOMES = [
    # a place inside a school's name is the school's
    ("บ้านอยู่ อ.บางบัวทอง ค่ะ เคยเรียนนนทบุรีวิทยาลัย", {"district": "1204"}),
    ("จบ ม.3 โรงเรียนขอนแก่นวิทยายน ตอนนี้อยู่ อ.ภูเวียง ครับ", {"grade": "m3", "grade_status": "completed", "district": "4016"}),
    # where a level was finished is not home; the place moved to is
    ("จบ ป.6 ที่ อ.เมืองเลย แล้วย้ายไปอยู่ อ.วังสะพุง ค่ะ", {"grade": "p6", "grade_status": "completed", "district": "4209"}),
    # work for hire somewhere is not home
    ("ไปรับจ้างตัดอ้อยที่กาญจนบุรีครับ บ้านอยู่ อ.ด่านขุนทด", {"district": "3008"}),
    # a district, then its province whose name is also a word, after ที่
    ("หลานอยู่กับตาที่แม่สอด ตาก ครับ", {"role": "parent", "district": "6306", "province": "63"}),
    # going home somewhere is home
    ("ไปฝึกงานอยู่ที่เชียงใหม่ค่ะ กลับบ้านที่ อ.ดอกคำใต้ พะเยา ทุกเสาร์", {"district": "5605", "province": "56"}),
]


@pytest.mark.parametrize(("text", "entities"), HOMES)
def test_home_only(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities
