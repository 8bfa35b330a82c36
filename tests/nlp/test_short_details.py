"""Short messages that give an age, a birth year or a level the way people say them in chat (issue 11, items 8
and 10): "15 ปีครึ่ง", "เพิ่งจะ 15", "ปีนี้ขึ้น 16", "ปีเกิด 2552", "age: 15", "born in 2009", "now 17",
romanised "ayu sip jet". The chatter gate's leftover words (`nlp.residue`) counted the words they are said
with as chat, so they were read out_of_scope and started nothing. Beside them, chat that holds a number
with the same words ("หุ้นขึ้น 16", "ราคาขึ้น 16 บาท", "ขายรถ ปี 62") keeps its words of chat and starts no
intake. Lines written for this test, apart from the training, development and check sets."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand
from nlp.entities import extract_entities
from nlp.normalize import normalize
from nlp.reader import _gated
from nlp.residue import residue
from nlp.understanding import Understanding

TODAY = date(2026, 11, 22)
INTAKE = {"enroll", "inform"}

# A detail said with its words of age, birth or level: read as details, the whole dict.
SHORT_DETAILS = [
    ("16 ปีครึ่งค่ะ", {"age": 16}),
    ("สิบสี่ขวบครึ่ง", {"age": 14}),
    ("เพิ่งจะ 17 ครับ", {"age": 17}),
    ("ลูกเพิ่งจะ 13 ค่ะ", {"role": "parent", "age": 13}),
    ("ปีนี้ขึ้น 17", {"age": 17}),
    ("ปีนี้เข้า 19 ครับ", {"age": 19}),
    ("ปีนี้ย่าง 16", {"age": 16}),
    ("ปีเกิด 2553", {"birth_year_be": 2553}),
    ("age: 16", {"age": 16}),
    ("aged 17", {"age": 17}),
    ("born in 2010", {"birth_year_be": 2553}),
    ("now 18", {"age": 18}),
    ("ayu sip hok", {"age": 16}),
    ("jop por ha laew", {"grade": "p5", "grade_status": "completed"}),
]


@pytest.mark.parametrize(("text", "told"), SHORT_DETAILS)
def test_short_detail_is_details(text: str, told: dict[str, object]) -> None:
    read = understand(text, TODAY)
    assert read.intent == "inform"
    assert read.entities == told


# Its words go with the number: nothing is left for the gate to count as chat.
@pytest.mark.parametrize(
    "text",
    [
        "16 ปีครึ่งค่ะ",
        "เพิ่งจะ 17 ครับ",
        "ลูกปีนี้ขึ้น 15 แล้วค่ะ",
        "ปีนี้เข้า 19 ครับ",
        "ปีเกิด 2553",
        "age: 16",
        "born in 2010",
        "now 18",
        "ayu sip hok",
        "jop por ha laew",
    ],
)
def test_short_detail_leaves_nothing(text: str) -> None:
    assert residue(normalize(text)) == ""


# Chat with a number and the same words: its words of chat stay.
@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("หุ้นขึ้น 16", "หุ้น ขึ้น"),
        ("ราคาขึ้น 16 บาท", "ราคา ขึ้น บาท"),
        ("ขายรถ ปี 62", "ขาย รถ"),
        ("เงินเดือน 15000", "เงินเดือน"),
        ("เข้างาน 8 โมง", "เข้างาน โมง"),
    ],
)
def test_chat_keeps_its_words(text: str, left: str) -> None:
    assert residue(normalize(text)) == left


# Read as details by the classifier or not, chat with a number in it starts no intake.
@pytest.mark.parametrize(
    "text",
    [
        "ขายรถ ปี 62",
        "เงินเดือน 15000",
        "ราคาขึ้น 16 บาท",
        "หุ้นขึ้น 16",
        "ค่าแรงขึ้น 15 บาท",
        "เพิ่งจะ 5 โมงเอง ง่วงแล้ว",
        "รอคิวหมอสองชั่วโมงครึ่ง",
    ],
)
def test_chat_with_a_number_starts_no_intake(text: str) -> None:
    assert understand(text, TODAY).intent not in INTAKE


@pytest.mark.parametrize("text", ["หุ้นขึ้น 16", "ราคาขึ้น 16 บาท", "แมวอายุ 15 ปีครึ่ง ขนร่วงเยอะมาก"])
def test_gate_holds_chat_read_as_details(text: str) -> None:
    """The gate alone, with the classifier's reading forced to inform: chat stays out of scope."""
    forced = Understanding("inform", 0.6, extract_entities(normalize(text), TODAY), text)
    assert _gated(forced, 0.4).intent == "out_of_scope"


@pytest.mark.parametrize("text", ["เพิ่งจะ 17 ครับ", "ปีนี้ขึ้น 17", "ปีเกิด 2553", "born in 2010", "now 18"])
def test_gate_lets_short_details_through(text: str) -> None:
    forced = Understanding("inform", 0.6, extract_entities(normalize(text), TODAY), text)
    assert _gated(forced, 0.4).intent == "inform"
