"""The dialogue's readings of a message (nlp.answers, through `Understanding.answer` and
`understand(..., expecting=...)`): bare answers to the question asked, yes/no, passes, group commands."""

from __future__ import annotations

import pytest

import nlp
from nlp.answers import group_command, with_expecting
from nlp.understanding import Understanding


@pytest.mark.parametrize(
    "said, expecting, key, value",
    [
        ("17", "age", "age", 17),
        ("อายุ 17 ปี", "age", "age", 17),
        ("ม.2 ค่ะ", "grade", "grade", "m2"),
        ("เถินจ้า", "location", "district", "5208"),
        ("แพร่", "location", "province", "54"),
    ],
)
def test_a_bare_answer_is_read_for_the_slot_just_asked(said, expecting, key, value):
    read = nlp.understand(said, expecting=expecting)
    assert read.entities.get(key) == value and read.expecting == expecting


def test_a_bare_name_is_the_answer_to_the_name_question():
    assert nlp.understand("ต้อม", expecting="name").answer.name == "ต้อม"
    assert nlp.understand("ได้ค่ะ", expecting="name").answer.name is None  # a yes is no name


def test_expecting_never_replaces_what_the_message_says():
    told = Understanding("inform", 0.9, {"age": 16}, "16")
    assert with_expecting(told, "age").entities == {"age": 16}
    assert with_expecting(told, "nonsense") is told


@pytest.mark.parametrize(
    "said, yes_no",
    [
        ("ได้ครับ ลูกชื่อเมย์ อายุ 14", True),
        ("ยินยอมให้เก็บข้อมูลค่ะ", True),
        ("ไม่ยินยอม", False),
        ("ไม่สะดวกค่ะ", False),
        ("ยินยอมแล้วใครเห็นบ้าง", None),
    ],
)
def test_a_leading_yes_or_no(said, yes_no):
    assert Understanding("inform", 0.5, {}, said).answer.yes_no is yes_no


@pytest.mark.parametrize("said", ["ข้าม", "ไม่อยากบอก", "ขอไม่ตอบครับ", "ขอไม่บอกค่ะ"])
def test_passes(said):
    assert Understanding("out_of_scope", 0.3, {}, said).answer.skip


def test_restart_is_told_apart_from_cancel():
    assert Understanding("cancel", 0.99, {}, "เริ่มใหม่ค่ะ").answer.restart
    assert not Understanding("cancel", 0.99, {}, "ยกเลิก").answer.restart


@pytest.mark.parametrize(
    "said, command",
    [
        ("ลงทะเบียน AB12CD", ("link", ("AB12CD",))),
        ("ตอบ RT-2569-000001 โทรกลับพรุ่งนี้ค่ะ", ("answer", ("RT-2569-000001", "โทรกลับพรุ่งนี้ค่ะ"))),
        ("ตอบ", ("answer_usage", ())),
        ("ปิดแชต EQ-2569-000002", ("close_thread", ("EQ-2569-000002",))),
        ("เปิดเรื่องอีกครั้ง RT-2569-000003", ("reopen", ("RT-2569-000003",))),
        ("Help", ("help", ())),
        ("เรื่องค้าง", ("open_cases", ())),
        ("สวัสดีค่ะทุกคน", None),
    ],
)
def test_group_commands(said, command):
    assert group_command(said) == command
