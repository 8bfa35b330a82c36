"""A bare year among other answers is the birth year asked for; in a sentence of chat it is not."""

from datetime import date

import pytest

from nlp.entities import extract_birth_year
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        # several answers in one message (the age question answered with a year, beside other answers)
        ("2552 ม2 ไม่จบครับ อ.เมืองระนอง จ.ระนอง", 2552),
        ("ผมชื่ออาร์มครับ ๒๕๔๓", 2543),
        ("สมัครให้ตัวเอง ๒๕๕๓", 2553),
        ("ชื่อน้ำค่ะ สายสามัญค่ะ ปี 50 ค่ะ", 2550),
        ("ปี 53ค่ะ อยู่ อ.บัวเชด สุรินทร์ ค่ะ", 2553),
        ("2546 อยู่ อ.บำเหน็จณรงค์ ชัยภูมิครับ สายช่าง", 2546),
        ("สมัครให้หลาน จ้า ปี 51จ้า", 2551),
        ("น้องส้ม ค่ะ 2551", 2551),
        # a year in chat, an address or a price, or a year of leaving: no birth year
        ("ขายรถ ปี 62 สภาพดี", None),
        ("บ้านเลขที่ 2551 อ.เถิน", None),
        ("หมู่ 2551 อ.เถิน", None),
        ("ราคา 2550 บาท ชื่อร้าน", None),
        ("ลูกจบ ม.3 ปี 65", None),
        ("ออกตอน ม.2 ปี 2565", None),
        ("เงินเดือน 15000", None),
    ],
)
def test_a_bare_year_among_other_answers_is_the_birth_year(text: str, year: int | None) -> None:
    assert extract_birth_year(normalize(text), TODAY) == year
