"""Level and status kinds (issue 11, grade / grade_status): a level studied now has no status, whatever
leaving is feared; "not gone on since" a level is that level left; a level finished before a level no
higher told as left is someone else's; a level gone on to after one finished ("แล้วต่อ ม.4") and left is
the level reached. Read by the rules (`extract_grade` on normalised text) and whole, by `understand`."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand
from nlp.entities import extract_grade
from nlp.normalize import normalize

TODAY = date(2026, 12, 6)

RULES = [
    # studied now: no status
    ("ตอนนี้ลูกสาวยังเรียนอยู่ ม.3 แต่ถ้าออกมาเรียน กศน. ได้ไหม", ("m3", None)),
    ("ตอนนี้เรียน ม.4 อยู่ค่ะ ยังไม่ได้ออก แต่เขาจะขอลาออก", ("m4", None)),
    ("ลูกกำลังเรียน ม.2 แต่ครูบอกอาจไม่จบ", ("m2", None)),
    ("ยังเรียนอยู่ ม.2 ค่ะ", ("m2", None)),
    # … but a level told in the past, or stuck at, keeps its leaving
    ("ตอนนั้นเรียน ม.3 อยู่ ต้องออกเพราะที่บ้านเป็นหนี้", ("m3", "left_during")),
    ("หนูอายุ 18 ยังค้างอยู่ ม.4", ("m4", "left_during")),
    ("ตอนนี้ออกจาก ม.3 แล้ว", ("m3", "left_during")),
    # not gone on since a level: that level, left
    ("ลูกชายอายุ 23 แล้ว ไม่ได้เรียนต่อตั้งแต่ ม.2 ค่ะ", ("m2", "left_during")),
    ("ไม่ได้เรียนต่อ ม.1", (None, None)),
    # a finished level, then a level no higher told as left: the finished one is another's
    ("พี่สาวเขาจบ ม.6 แล้ว แต่น้องคนนี้ออกตอน ม.2", ("m2", "left_during")),
    ("เพื่อนหนูจบ ม.6 ไปหมดแล้ว หนูยังค้างอยู่ ม.4", ("m4", "left_during")),
    # a next level gone on to after one finished, then left
    ("จบ ม.3 จากโรงเรียนแล้วต่อ ม.4 ได้ครึ่งเทอมก็ออก", ("m4", "left_during")),
    # … but a next level wished for, or gone on to and not left, leaves the finished one
    ("จบ ม.3 แล้วอยากต่อ ม.4", ("m3", "completed")),
    ("จบ ม.3 แล้วไปต่อ ม.4 ค่ะ", ("m3", "completed")),
    ("เรียนถึง ป.4 แล้วออก", ("p4", "left_during")),
    # a leaving denied is no leaving
    ("ขอแก้ครับ ลูกจบ ม.3 แล้ว ไม่ใช่ออกตอน ม.3", ("m3", "completed")),
]


@pytest.mark.parametrize(("text", "expected"), RULES)
def test_rule_level_and_status(text: str, expected: tuple[str | None, str | None]) -> None:
    assert extract_grade(normalize(text)) == expected


WHOLE = [
    ("ลูกชายอายุ 15 ค่ะ ตอนนี้ยังเรียนอยู่ ม.3 แต่ผลการเรียนแย่มาก ครูบอกอาจไม่จบ", {"role": "parent", "age": 15, "grade": "m3"}),
    ("พี่สาวเขาจบ ม.6 แล้ว แต่น้องคนนี้ออกตอน ม.2", {"grade": "m2", "grade_status": "left_during"}),
    # ปวช. gone on to after ม.3 and left: the level reached (no year told: the coarse value)
    (
        "หลานสาวอายุ 17 จบ ม.3 แล้วไปต่อ ปวช. ได้ไม่กี่เดือนก็ออก",
        {"role": "parent", "age": 17, "grade": "vocational", "grade_status": "left_during"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), WHOLE)
def test_whole_reading(text: str, expected: dict[str, object]) -> None:
    got = understand(text, today=TODAY).entities
    keys = ("grade", "grade_status", *(k for k in ("role", "age") if k in expected))
    assert {k: got.get(k) for k in keys} == {k: expected.get(k) for k in keys}
