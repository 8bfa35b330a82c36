"""The path wished for (issue 11, path): general, vocational or unsure, with negation, a change of
mind, two paths weighed, and a path already taken. A level hoped for is no path unless the path is
said; a level followed by its path is the path, not a level reached. Whole entity dicts."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

PATHS = [
    ("ไม่เอาสายอาชีพครับ เอาสายสามัญ", {"path": "general"}),
    ("ไม่ได้อยากเรียนสายอาชีพนะคะ", {}),
    ("ป้าไม่อยากให้หลานเรียนสายอาชีพ อยากให้เรียนสามัญค่ะ", {"role": "parent", "path": "general"}),
    ("ไม่อยากเรียนสามัญ อยากเรียนอาชีพค่ะ", {"path": "vocational"}),
    # two paths weighed, or no choice made yet
    ("ยังตัดสินใจไม่ได้ครับ สามัญหรือสายอาชีพดี", {"path": "unsure"}),
    ("ลังเลอยู่ค่ะ ระหว่าง ปวช. กับ ม.ปลาย", {"path": "unsure"}),
    ("ยังไม่คิดเรื่องสายเลยครับ", {"path": "unsure"}),
    # a change of mind: the path said after it
    ("ตอนแรกจะเอาสายสามัญ แต่เปลี่ยนใจแล้ว เอาสายอาชีพค่ะ", {"path": "vocational"}),
    ("ขอเปลี่ยนจากสายอาชีพเป็นสายสามัญครับ", {"path": "general"}),
    # a path already taken and left is none; the one wished for after it is
    (
        "จบ ม.3 แล้วไปเรียน ปวช. ได้เทอมเดียวก็ออก ตอนนี้อยากเรียนสายสามัญครับ",
        {"grade": "vocational", "grade_status": "left_during", "path": "general"},
    ),
    # the ม.6 certificate wished for is the general path: the bot's own question offers
    # "สายสามัญ (ได้วุฒิ ป.6/ม.3/ม.6)", and at ม.6 the other path is ปวช.
    ("อยากได้วุฒิ ม.6 ไว้สมัครงานค่ะ", {"path": "general"}),
    ("ไม่อยากได้วุฒิ ม.6 ค่ะ", {}),
    # a level followed by its path is the path, not a level reached
    ("ม.ปลายสายสามัญครับ", {"path": "general"}),
    # ... unless the level is said to be the one left or finished: then both
    ("ออกกลางคันตอน ม.2 สายสามัญเด้อ", {"grade": "m2", "grade_status": "left_during", "path": "general"}),
    ("ออกตอน ม.1 เอาสายอาชีพค่ะ", {"grade": "m1", "grade_status": "left_during", "path": "vocational"}),
    ("จบ ม.3 สายสามัญครับ", {"grade": "m3", "grade_status": "completed", "path": "general"}),
    # a level asked about with its path is no level reached
    ("ม.6 สายสามัญเรียนกี่ปีคะ", {"path": "general"}),
    ("general ka", {"path": "general"}),
]


@pytest.mark.parametrize(("text", "entities"), PATHS)
def test_path_wished_for(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).entities == entities
