"""Whose details a message gives (issue 11, several_people and long_parent): the learner's only.
A guardian who introduces themself, a past age told with the child's name, a toddler of a young
parent, a sibling's stretch that a new sentence ends, and the writer's own home. Whole entity
dicts: an extra key is as wrong as a missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

PEOPLE = [
    # the writer's own age, said right after they introduce themself, is not the child's
    (
        "ป้าเองค่ะ อายุ 58 ถามแทนหลานชาย อายุ 16 จบ ม.3",
        {"role": "parent", "age": 16, "grade": "m3", "grade_status": "completed"},
    ),
    (
        "ยายนะจ๊ะ อายุ 70 แล้ว หลานสาวอายุ 14 ออกตอน ป.6 จ้ะ",
        {"role": "parent", "age": 14, "grade": "p6", "grade_status": "left_during"},
    ),
    # an age in the past, told with the child named between ตอน and the age
    (
        "ลูกอายุ 17 ค่ะ ออกตอน ม.2 ตั้งแต่ลูกอายุ 14",
        {"role": "parent", "age": 17, "grade": "m2", "grade_status": "left_during"},
    ),
    (
        "ย่าเลี้ยงมาตั้งแต่หลานอายุ 9 ขวบ ตอนนี้หลานอายุ 15 ค้าง ม.1",
        {"role": "parent", "age": 15, "grade": "m1", "grade_status": "left_during"},
    ),
    # a guardian writing names the child น้อง + nickname
    (
        "ยายของน้องบอลค่ะ ยายอายุ 66 น้องบอลอายุ 15 ออกตอน ม.2",
        {"role": "parent", "age": 15, "grade": "m2", "grade_status": "left_during"},
    ),
    # a young parent's toddler is not the learner
    ("ผมอายุ 21 ครับ ลูกผมอายุ 2 ขวบ ผมจบแค่ ม.3", {"age": 21, "grade": "m3", "grade_status": "completed"}),
    # … but a guardian who tells of the learner's baby stays a parent
    (
        "แม่ของน้องฝนค่ะ น้องท้องตอน ม.4 เลยออก ตอนนี้ลูกเขาขวบนึงแล้ว",
        {"role": "parent", "grade": "m4", "grade_status": "left_during", "reason": "pregnancy"},
    ),
    # parents together are one word: "ไม่มีพ่อแม่" opens no stretch about an adult
    (
        "หลานอายุ 15 ไม่มีพ่อแม่ เรียนถึง ป.6 แล้วออกค่ะ",
        {"role": "parent", "age": 15, "grade": "p6", "grade_status": "left_during"},
    ),
    # a sentence ends the mother's stretch: the age after it is the learner's
    ("ผมเรียนถึง ม.2 แต่แม่ผมจบ ป.4 ครับ อายุ 18", {"age": 18, "grade": "m2", "grade_status": "left_during"}),
    # a sibling's stretch ends where the home is told again
    (
        "แม่ของน้องเอ้ค่ะ น้องอายุ 15 ออกตอน ม.2 พี่ชายน้องอายุ 20 ก็ทำงาน บ้านอยู่ อ.สูงเนิน โคราชค่ะ",
        {
            "role": "parent",
            "age": 15,
            "grade": "m2",
            "grade_status": "left_during",
            "district": "3018",
            "province": "30",
        },
    ),
    # an older sibling who writes for a younger one: the younger one is the learner
    (
        "น้องสาวหนูอายุ 14 ค่ะ ออกตอน ป.6 หนูเป็นพี่ อยากให้น้องเรียนต่อ",
        {"role": "other", "age": 14, "grade": "p6", "grade_status": "left_during"},
    ),
    # the writing uncle's home is the learner's home
    (
        "ลุงเองครับ หลานอายุ 16 ออกตอน ม.3 ลุงอยู่ อ.ปากพนัง นครศรีฯ",
        {
            "role": "parent",
            "age": 16,
            "grade": "m3",
            "grade_status": "left_during",
            "district": "8012",
            "province": "80",
        },
    ),
    # "เป็นลูกของดิฉันทั้งคู่": a parent of two, neither's level
    ("คนพี่ออก ม.4 คนน้องออก ม.1 เป็นลูกของดิฉันทั้งคู่ค่ะ", {"role": "parent"}),
]


@pytest.mark.parametrize(("text", "entities"), PEOPLE)
def test_details_are_the_learners_only(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities


MORE_PEOPLE = [
    # two children each told with an age: neither's age
    ("ลูกชาย 15 ลูกสาว 13 ค่ะ ไม่ได้เรียนทั้งสองคน", {"role": "parent"}),
    ("เด็กสองคนในความดูแลของยาย คนหนึ่ง ม.2 คนหนึ่ง ม.4 ออกหมดแล้วจ้ะ", {"role": "parent"}),
    # "เป็นลูกสะใภ้": what the speaker is, not someone they write for
    (
        "ดิฉันเป็นลูกสะใภ้ค่ะ ถามให้ตัวเองนะคะ อายุ 28 จบ ม.3",
        {"role": "self", "age": 28, "grade": "m3", "grade_status": "completed"},
    ),
    # the children a learner has are theirs, not two learners
    (
        "แม่ค่ะ ลูกสาวอายุ 23 จบ ม.3 นานแล้ว ตอนนี้มีลูกสองคน อยากเรียนให้จบ ม.6",
        {"role": "parent", "age": 23, "grade": "m3", "grade_status": "completed"},
    ),
    # a stepchild: the wife named as whose child it is opens no stretch about her
    (
        "พ่อเลี้ยงครับ ลูกของภรรยาอายุ 16 ออกตอน ม.3",
        {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during"},
    ),
    # a toddler's stretch left out does not join ตั้งแต่ to the age told after it
    (
        "ป้าเองค่ะ เลี้ยงหลานมาตั้งแต่หลานอายุ 2 ขวบ ตอนนี้หลานอายุ 15 ออกตอน ม.2",
        {"role": "parent", "age": 15, "grade": "m2", "grade_status": "left_during"},
    ),
    # a village's young people are someone else's
    ("ลูกหลานในหมู่บ้านหลายคนไม่ได้เรียนครับ ผมเป็นผู้ใหญ่บ้าน", {"role": "other"}),
]


@pytest.mark.parametrize(("text", "entities"), MORE_PEOPLE)
def test_several_people_told_apart(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities
