"""Why the learner left (issue 11, reason_story): a reason only when it is why they left. A fact of
now in a message that tells no leaving, an animal's birth, a hard trip told of a wheelchair, a
family with many children are not the reasons they look like; a fight, an arrest, failed subjects
and leaving to go to work are. Whole entity dicts: an extra key is as wrong as a missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

REASONS = [
    # a fact of now, in a message that tells no leaving, is no reason
    ("ตอนนี้ไม่สบายอยู่ค่ะ หายแล้วจะไปสมัครนะคะ", {}),
    ("หนูเพิ่งคลอดลูกได้สองเดือนค่ะ เรียน กศน. ต้องไปทุกวันไหม", {}),
    ("เพิ่งย้ายบ้านมาอยู่ อ.แม่สาย ค่ะ จบ ม.3 แล้ว", {"grade": "m3", "grade_status": "completed", "district": "5709"}),
    # … told with the leaving, it is
    ("ป่วยหนักต้องนอนโรงพยาบาลเลยออกตอน ม.4 ค่ะ", {"grade": "m4", "grade_status": "left_during", "reason": "health"}),
    # an animal's birth is no pregnancy
    ("หมาที่บ้านเพิ่งคลอดค่ะ 555 สมัครเรียนยังไงคะ", {}),
    # a family with many children is a family, not a pregnancy
    (
        "ที่บ้านมีลูกหลายคน ไม่มีเงินส่งเรียน ผมเลยออกตอน ม.2",
        {"grade": "m2", "grade_status": "left_during", "reason": "financial"},
    ),
    # a wheelchair makes the trip hard: disability, not money
    ("หนูนั่งวีลแชร์ค่ะ ไปโรงเรียนลำบากเลยออกตอน ป.6", {"grade": "p6", "grade_status": "left_during", "reason": "disability"}),
    (
        "พ่อแม่เขาเสียตั้งแต่เด็ก หลานเลยออกตอน ม.1 ค่ะ",
        {"role": "parent", "grade": "m1", "grade_status": "left_during", "reason": "family"},
    ),
    # a fight is another reason; parents who quarrel are a family one
    ("ผมโดนไล่ออกเพราะทะเลาะวิวาทครับ ตอน ม.3", {"grade": "m3", "grade_status": "left_during", "reason": "other"}),
    ("พ่อแม่ทะเลาะกันทุกวัน หนูเลยไม่ไปโรงเรียนตั้งแต่ ม.2", {"grade": "m2", "grade_status": "left_during", "reason": "family"}),
    # an arrest told with words between
    (
        "ตอน ม.3 ลูกโดนตำรวจจับค่ะ เลยต้องออก",
        {"role": "parent", "grade": "m3", "grade_status": "left_during", "reason": "legal"},
    ),
    # failed subjects
    ("เรียน ม.5 ไม่จบครับ ตกไปสี่วิชา", {"grade": "m5", "grade_status": "left_during", "reason": "learning"}),
    # a path refused is no trouble with learning
    ("ไม่อยากเรียนสามัญแล้วครับ อยากเรียนสายอาชีพ", {"path": "vocational"}),
    # left at a level, then went to work: work
    (
        "ลูกออกจากโรงเรียนตอน ม.4 ไปทำงานโรงงานกับพ่อค่ะ",
        {"role": "parent", "grade": "m4", "grade_status": "left_during", "reason": "work"},
    ),
    ("เลยไม่ได้เรียนต่อจาก ป.6 ต้องไปออกเรือหาปลากับพ่อครับ", {"grade": "p6", "grade_status": "completed", "reason": "work"}),
]


@pytest.mark.parametrize(("text", "entities"), REASONS)
def test_reason_only_when_it_is_why_they_left(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities


TAKEN_ALONG = [
    # a parent's move that took the learner along is migration; a parent away alone is family
    (
        "หลานอายุ 13 ออกตอน ป.5 เพราะพ่อแม่เขาย้ายไปทำงานระยองแล้วพาไปด้วยค่ะ",
        {"role": "parent", "age": 13, "grade": "p5", "grade_status": "left_during", "reason": "migration"},
    ),
    (
        "หลานอายุ 13 ออกตอน ป.5 เพราะพ่อแม่เขาไปทำงานต่างประเทศค่ะ",
        {"role": "parent", "age": 13, "grade": "p5", "grade_status": "left_during", "reason": "family"},
    ),
    # the parent who writes moved for a job and took the children: migration
    (
        "ลูกออกตอน ม.1 เพราะดิฉันย้ายงานมาอยู่นนทบุรีค่ะ",
        {"role": "parent", "grade": "m1", "grade_status": "left_during", "reason": "migration", "province": "12"},
    ),
    # "แล้วแต่งงาน" holds แล้วแต่ but is no "whatever path"
    ("จบ ม.3 แล้วแต่งงานเลยไม่ได้เรียนต่อค่ะ", {"grade": "m3", "grade_status": "completed", "reason": "family"}),
]


@pytest.mark.parametrize(("text", "entities"), TAKEN_ALONG)
def test_who_moved(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities


CHATTER = [
    # a quarrel or a child who cries at the school gate, told without a leaving, is no reason or status
    ("ทะเลาะกับแม่อีกแล้ว", {}),
    ("พ่อแม่ทะเลาะกันทุกวัน ผมอายุ 16 เบื่อบ้านมาก", {"age": 16}),
    ("หลาน ป.2 ร้องไห้ไม่ยอมไปโรงเรียนทุกเช้าค่ะ", {"role": "parent", "grade": "p2"}),
    # a baby's age in months is no age (the writer is still a parent, as dev3 labels it)
    ("ลูกอายุ 8 เดือน เริ่มคลานแล้ว ดีใจจัง", {"role": "parent"}),
]


@pytest.mark.parametrize(("text", "entities"), CHATTER)
def test_chatter_gets_no_reason(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities
