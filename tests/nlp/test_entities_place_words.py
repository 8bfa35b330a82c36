"""A word of leaving inside a place name is no leaving (DESIGN §3: "ค้าง" in a place name is no left_during)."""

from __future__ import annotations

import pytest

from nlp.entities import extract_grade
from nlp.normalize import normalize

GRADES = [
    ("อยู่ ต.ค้างพลู อ.โนนไทย โคราชครับ จบ ม.6 แล้ว", ("m6", "completed")),
    ("บ้านอยู่ค้างพลู อายุ 16 จบ ม.3", ("m3", "completed")),
    ("อยู่บ้านค้างคาว จบ ม.3 ค่ะ", ("m3", "completed")),
    # ค้าง that tells a level left stays so
    ("หนูค้างอยู่ ม.4", ("m4", "left_during")),
    ("ค้างชั้น ม.2 ค่ะ", ("m2", "left_during")),
    ("เรียนอยู่ค้าง ม.3 ค่ะ", ("m3", "left_during")),
]


@pytest.mark.parametrize(("text", "expected"), GRADES)
def test_khang_in_a_place_name_tells_no_leaving(text: str, expected: tuple[str, str]):
    assert extract_grade(normalize(text)) == expected
