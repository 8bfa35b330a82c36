"""A clause that says who the writer is, or a talk already had, is part of a story: never the command to
talk to staff (DESIGN §3's strongest act is read from what is asked, not from the word เจ้าหน้าที่)."""

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ดิฉันเป็นเจ้าหน้าที่โรงพยาบาลค่ะ มีน้องผู้ชายอายุ 16 ออกตอน ม.3 มานอนพักที่ตึก เขาอยากกลับไปเรียน "
         "ดิฉันอยากช่วยสมัครให้ค่ะ", "enroll"),
        ("ลุงคุยกับพ่อเขาแล้วครับ หลานอายุ 15 ออกตอน ม.1 อยู่ อ.แม่สาย อยากเรียน กศน. ครับ", "enroll"),
        ("หลานอายุ 15 ออกตอน ม.1 อยู่ อ.แม่สาย อยากเรียน กศน. ขอคุยกับเจ้าหน้าที่หน่อยครับ", "human"),
        ("ลูกอายุ 16 ออกตอน ม.3 อยากเรียนต่อค่ะ ให้ครูโทรกลับด้วยนะคะ", "human"),
    ],
)
def test_a_told_clause_is_no_command(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent
