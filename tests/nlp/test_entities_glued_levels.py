"""A level typed without its dot and glued to the word before it, as people type on a phone."""

from __future__ import annotations

from datetime import date

import pytest

import nlp

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "grade", "status"),
    [
        ("จบป6แล้ว", "p6", "completed"),
        ("จบม3แล้วค่ะ", "m3", "completed"),
        ("ออกตอนม2", "m2", "left_during"),
        ("เรียนได้ม2ก็ออก", "m2", "left_during"),
        ("ขึ้นม1ได้เทอมเดียว", "m1", "left_during"),
    ],
)
def test_a_glued_level_is_read(text, grade, status):
    entities = nlp.understand(text, today=TODAY).told
    assert entities.get("grade") == grade and entities.get("grade_status") == status, entities


@pytest.mark.parametrize("text", ["เทอม 1 เปิดเมื่อไหร่", "ค่าเทอม 3 พันบาท", "ปีนี้ 17 ออกกลางเทอม 2"])
def test_a_term_number_is_no_level(text):
    assert "grade" not in nlp.understand(text, today=TODAY).told
