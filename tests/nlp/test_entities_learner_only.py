"""Entities describe the learner only (DESIGN §3; issue 11, several_people and long_parent), by class of
error: the writer's own age or schooling, a sibling's or a parent's level, two children where the message
says which one is meant, the writer and a partner who both study, a partner asked for, and guardians.
Whole entity dicts: an extra key is as wrong as a missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

CASES = [
    # -- the writer's own age or schooling, told with their name or เอง, is not the learner's
    (
        "แม่ชื่อนางสมใจนะคะ อายุ 42 ลูกชายชื่อน้องต้น อายุ 15 ออกตอน ม.2 ค่ะ",
        {"role": "parent", "age": 15, "grade": "m2", "grade_status": "left_during"},
    ),
    (
        "ครูเป็นครูประจำชั้นเก่าค่ะ ครูอายุ 45 ลูกศิษย์คนนี้อายุ 16 ออกไปตอน ม.3",
        {"role": "other", "age": 16, "grade": "m3", "grade_status": "left_during"},
    ),
    # -- a child told with the adult as owner ("ลูกสาวแม่", "หลานป้า", "ลูกของน้องสาวป้า") is the learner
    (
        "ลูกชายแม่อายุ 16 จบ ม.3 แล้วไม่ได้เรียนต่อจ้า",
        {"role": "parent", "age": 16, "grade": "m3", "grade_status": "completed"},
    ),
    (
        "ยายเองจ้า หลานยายอายุ 14 ออกตอน ป.6",
        {"role": "parent", "age": 14, "grade": "p6", "grade_status": "left_during"},
    ),
    (
        "ลุงถามให้หลานนะครับ ลูกของน้องชายลุง เด็กอายุ 13 เรียนถึง ป.5 แล้วออก",
        {"role": "parent", "age": 13, "grade": "p5", "grade_status": "left_during"},
    ),
    # a parent who names the child after ของ: the age that follows is the child's
    (
        "ดิฉันเป็นแม่ของน้องมายด์ อายุ 15 ปี ตอนนี้ออกจาก ม.3 แล้วค่ะ",
        {"role": "parent", "age": 15, "grade": "m3", "grade_status": "left_during"},
    ),
    # -- three children at once and no sign of which one: neither's
    ("หลานทั้งสามคน อายุ 12, 14, 16 ไม่ได้ไปโรงเรียนเลยค่ะ", {"role": "parent"}),
    # -- another person's level or status: a sibling, the parents both, a student's brother
    (
        "พี่ชายกับน้องสาวเรียนจบกันหมดแล้ว เหลือหนูคนเดียวที่ค้าง ม.5 อยู่ค่ะ",
        {"grade": "m5", "grade_status": "left_during"},
    ),
    (
        "พ่อแม่หนูจบ ป.6 ทั้งคู่ หนูอายุ 16 ออกจาก ม.2 ค่ะ",
        {"age": 16, "grade": "m2", "grade_status": "left_during"},
    ),
    (
        "ครูมีลูกศิษย์ชื่อน้องฝ้าย อายุ 15 เรียนถึง ม.3 แล้วออก ส่วนพี่สาวเขาจบ ม.6 ไปแล้ว",
        {"role": "other", "age": 15, "grade": "m3", "grade_status": "left_during"},
    ),
    # -- two children, and the message says which one: by rank against ages, by nickname, by who left
    (
        "ลูกชายอายุ 16 ออกตอน ม.4 ลูกสาวอายุ 13 ยังเรียนอยู่ อยากให้คนพี่เรียน กศน. ค่ะ",
        {"role": "parent", "age": 16, "grade": "m4", "grade_status": "left_during"},
    ),
    (
        "หลานสาวอายุ 12 ยังเรียน ป.6 อยู่ หลานชายอายุ 15 ออกตอน ม.1 อยากให้คนโตได้เรียนต่อ",
        {"role": "parent", "age": 15, "grade": "m1", "grade_status": "left_during"},
    ),
    (
        "ตามีหลานสองคน คนโตชื่อแบงค์ 17 ปีจบ ม.3 แล้ว ไม่ยอมเรียนต่อ คนเล็กชื่อบีม 12 ปี ยังเรียน ป.5 อยู่ ตาอยากให้แบงค์เรียน กศน.",
        {"role": "parent", "age": 17, "grade": "m3", "grade_status": "completed"},
    ),
    # … and with no sign of which one, neither's
    ("ลูกชายอายุ 15 กับลูกสาวอายุ 13 ออกจากโรงเรียนทั้งคู่ค่ะ", {"role": "parent"}),
    # -- the writer and a partner both study: the writer's age, and what they share
    (
        "หนูกับแฟนอยากเรียนด้วยกันค่ะ หนูอายุ 18 แฟนอายุ 20 ออกตอน ม.4 ทั้งคู่",
        {"age": 18, "grade": "m4", "grade_status": "left_during"},
    ),
    # -- a partner asked for: their details, role other
    (
        "ถามให้แฟนครับ แฟนอายุ 21 จบ ม.3 ส่วนผมจบ ม.6 แล้ว",
        {"role": "other", "age": 21, "grade": "m3", "grade_status": "completed"},
    ),
    (
        "แฟนผมอายุ 19 ครับ ออกตอน ม.5 ผมสมัครแทนเขาได้ไหม",
        {"role": "other", "age": 19, "grade": "m5", "grade_status": "left_during"},
    ),
    # -- a lecturer who introduces themself writes for someone else
    (
        "อาจารย์มหาวิทยาลัยค่ะ เจอเด็กคนหนึ่งอายุ 15 ไม่เคยเข้าโรงเรียนเลย",
        {"role": "other", "age": 15, "grade": "none"},
    ),
    # -- guardians are parents: a sibling who is the legal guardian, a grandparent called คุณตา
    (
        "พี่ชายนะครับ แต่เป็นผู้ปกครองของน้องสาวเพราะพ่อแม่ไม่อยู่แล้ว น้องอายุ 14 ออกจาก ป.6",
        {"role": "parent", "age": 14, "grade": "p6", "grade_status": "left_during"},
    ),
    (
        "ผมเป็นคุณตาของน้องเอ็ม น้องอายุ 16 เรียนจบ ม.3 ครับ",
        {"role": "parent", "age": 16, "grade": "m3", "grade_status": "completed"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_learner_only(text: str, expected: dict[str, object]) -> None:
    assert understand(text, today=TODAY).told == expected
