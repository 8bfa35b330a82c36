"""Leaving and finishing told in story words (issue 11, leaving_words): a level is tied to not going
any more, to a school that would not take them, to a level written out in full, or to a next level
started after one was finished and then left. Whole entity dicts: an extra key is as wrong as a
missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

LEAVING = [
    # not going any more since a level: a refusal, a fear, a time without school
    ("ไม่ยอมไปโรงเรียนตั้งแต่ ม.2 ค่ะ", {"grade": "m2", "grade_status": "left_during"}),
    ("ผมไม่ไปเรียนเลยตั้งแต่ ม.1 เทอมสองครับ", {"grade": "m1", "grade_status": "left_during"}),
    ("ลูกอายเพื่อนเลยไม่ไปอีก ตอนนั้นอยู่ ม.3", {"role": "parent", "grade": "m3", "grade_status": "left_during"}),
    ("ออกเพราะต้องย้ายตามแม่ ตอน ป.5", {"grade": "p5", "grade_status": "left_during", "reason": "migration"}),
    ("เรียนได้ถึง ป.4 ก็ไปต่อไม่ไหวครับ", {"grade": "p4", "grade_status": "left_during"}),
    # a level written out in full
    ("เรียนจบชั้นประถมศึกษาปีที่ 6 แล้วค่ะ", {"grade": "p6", "grade_status": "completed"}),
    ("ออกจากมัธยมปีที่ 3 ครับ", {"grade": "m3", "grade_status": "left_during"}),
    # "ไม่ได้เรียนต่อจาก ป.6": the level finished, then no more
    ("หนูไม่ได้เรียนต่อจาก ม.3 ค่ะ", {"grade": "m3", "grade_status": "completed"}),
    # a next level started after one finished, and left: the level reached is the later one
    ("จบ ม.3 แล้วไปเรียน ปวช. ได้ปีเดียวก็ออก", {"grade": "vocational", "grade_status": "left_during"}),
    ("จบ ป.6 แล้วขึ้น ม.1 ได้เทอมเดียวก็ต้องออกค่ะ", {"grade": "m1", "grade_status": "left_during"}),
    # … but a next level only wished for leaves the finished one
    ("จบ ม.3 แล้วค่ะ อยากเรียนต่อ ปวช.", {"grade": "m3", "grade_status": "completed", "path": "vocational"}),
    # a finishing that is only supposed ("ถ้าจบ ป.6") is not stated
    ("หลานอยู่ ป.6 ถ้าจบ ป.6 แล้วเรียน กศน. ได้ไหม", {"role": "parent", "grade": "p6"}),
    # quitting half-way
    ("เรียน ปวช.1 แล้วเลิกกลางทางครับ", {"grade": "pvc1", "grade_status": "left_during"}),
    # reached a level and did not go on to the next one: that level was finished; left at it, it was not
    ("เรียนถึง ม.3 แล้วไม่ได้ต่อ ม.4 ค่ะ", {"grade": "m3", "grade_status": "completed"}),
    ("ออกตอน ป.6 ไม่ได้ต่อ ม.1 ครับ", {"grade": "p6", "grade_status": "left_during"}),
    # ออกระหว่างเทอม is a leaving, not a choice between two
    ("ออกระหว่างเทอมตอน ม.4 ครับ", {"grade": "m4", "grade_status": "left_during"}),
]


@pytest.mark.parametrize(("text", "entities"), LEAVING)
def test_leaving_told_in_story_words(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).entities == entities


TWO_CHILDREN = [
    # two children and no sign of which one: neither's age, level or status, even one they share
    ("ลูกสองคนค่ะ คนหนึ่ง ม.1 อีกคน ม.3 ออกจากโรงเรียนทั้งคู่", {"role": "parent"}),
    ("หลานสองคน คนโตจบ ม.3 คนเล็กจบ ป.6 ค่ะ", {"role": "parent"}),
    ("มีลูกสองคนค่ะ อายุ 14 กับ 16 ออกจากโรงเรียนทั้งคู่", {"role": "parent"}),
    # … told apart by which one the message is for, that one's
    (
        "ลูกสองคน คนโตจบ ม.6 ทำงานแล้ว คนเล็กออกตอน ม.1 ค่ะ",
        {"role": "parent", "grade": "m1", "grade_status": "left_during"},
    ),
]


@pytest.mark.parametrize(("text", "entities"), TWO_CHILDREN)
def test_two_children_give_neithers_details(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).entities == entities
