"""Leaving words of issue 11 (item 11) read by the rules (`entities.extract_grade`): a level never entered is not
the level left, "not been to school for two years" is a leaving and not grade none, a level told with its own
leaving word is left whatever others finished, and "ork tawn" (romanised ออกตอน) is a leaving. Each row is a
Thai message and its (grade, grade_status)."""

from __future__ import annotations

import pytest

from nlp.entities import extract_grade
from nlp.normalize import normalize

ROWS = [
    # the leaving words of the issue
    ("ที่บ้านไม่มีเงินก็เลยต้องลาออกตอน ม.3 ค่ะ", ("m3", "left_during")),
    ("ผมออกระหว่างเทอม ม.4 ครับ", ("m4", "left_during")),
    ("ทิ้งไว้ตอน ม.4 ครับ", ("m4", "left_during")),
    ("หยุดไปก่อนตอน ม.5 ครับ", ("m5", "left_during")),
    ("ไม่ได้ไปเรียนต่อ", (None, None)),
    # a level never entered is not the level reached (no school took them, they did not go up)
    ("ไม่มีใบเกิด โรงเรียนเลยไม่รับเข้า ม.1 ค่ะ", (None, None)),
    ("ลูกไม่ได้ขึ้น ม.1 ค่ะ ที่บ้านไม่มีเงิน", (None, None)),
    ("จบ ป.6 แล้วไม่ได้เข้า ม.1 เพราะต้องช่วยแม่ขายของ", ("p6", "completed")),
    # not been to school for a while: a leaving, not grade none
    ("หลานไม่ได้เข้าโรงเรียนมาสามปีแล้ว ตอนนั้นอยู่ ป.4", ("p4", "left_during")),
    ("ไม่ได้ไปโรงเรียนมาหลายเดือน ค้างอยู่ ม.2", ("m2", "left_during")),
    ("หนูไม่เคยเข้าโรงเรียนเลยค่ะ", ("none", None)),
    # a level with its own leaving word is left, whatever the others finished
    ("พี่ๆ เรียนจบกันหมดแล้ว มีผมคนเดียวที่ค้าง ม.5 ไว้", ("m5", "left_during")),
    ("เพื่อนรุ่นเดียวกันจบไปหมดแล้ว หนูยังค้าง ม.3 อยู่เลย", ("m3", "left_during")),
    ("จบ ม.3 แล้วค่ะ", ("m3", "completed")),
    ("จบ ม.3 แล้วออกไปทำงาน", ("m3", "completed")),
    # stopped coming (a teacher's words)
    ("เรียน ม.2 อยู่ดีๆ ก็หยุดมาเรียนไปเลยค่ะ", ("m2", "left_during")),
    # romanised ออกตอน
    ("ork tawn por 4 krub", ("p4", "left_during")),
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_leaving_words(text: str, expected: tuple[str | None, str | None]) -> None:
    assert extract_grade(normalize(text)) == expected
