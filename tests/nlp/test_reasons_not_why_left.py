"""Reasons told as a story the text about the learner leaves out, and reading words that are not why the learner
left (nlp.reasons.shaped): a pregnancy told with the leaving is the reason even when the writer's baby is named
("ลูกหนูตอนนี้ 2 ขวบ"), and is not when denied or said of the writer's mother, sister or friend; failed subjects
that hold back the certificate of a level attended to its end, and not reading in someone who never went to school,
are no reason for leaving (DESIGN §3: `reason` only when it is why the learner left)."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import reasons
from nlp.entities import extract_entities
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


def _reason(text: str) -> str | None:
    return extract_entities(normalize(text), TODAY).get("reason")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # the writer's own baby is named, and the pregnancy told with the leaving is still the writer's reason
        ("แม่ลูกอ่อนค่ะ ตัวเองอายุ 20 ออกตอน ม.5 ตอนท้อง ลูกหนูตอนนี้ 3 ขวบแล้ว อยากเรียนต่อค่ะ", "pregnancy"),
        ("หนูอายุ 19 มีลูกแล้ว 2 ขวบ ออกจากโรงเรียนตอน ม.3 เพราะท้องค่ะ เอาลูกไปเรียนด้วยได้ไหมคะ", "pregnancy"),
        ("ผมอายุ 20 มีลูกชาย 1 ขวบ ผมออกตอน ม.6 ตอนแฟนท้องครับ อยากเรียนให้จบ", "pregnancy"),
        ("ทำงานร้านอาหารอยู่พัทยาค่ะ แต่ที่ออกจาก ม.2 ก็เพราะตั้งครรภ์ ลูกอยู่กับยาย", "pregnancy"),
        ("มีน้องตอนอายุ 16 ค่ะ เลยต้องหยุดเรียน ตอนนั้นอยู่ ม.4", "pregnancy"),
        ("ข่อยเซาเฮียนย้อนมีลูกตอน ม.3 บัดนี้ลูกใหญ่แล้ว อยากเฮียนต่อ", "pregnancy"),
        # denied, or someone else's pregnancy: not the learner's reason
        ("หนูเป็นแม่อายุ 32 ลูกชายอายุ 14 ค่ะ หนูท้องตอน ม.2 เลยไม่ได้เรียนต่อ ตอนนี้อยากให้ลูกเรียน กศน.", None),
        ("พี่สาวหนูท้องตอน ม.4 เลยออก ส่วนหนูจบ ม.3 แล้วค่ะ อยากเรียน ม.ปลาย", None),
        ("หนูมีลูกแล้ว แต่ไม่ได้ออกเพราะท้องนะคะ ออกตอน ม.2 เพราะไม่มีเงินค่าเทอม", "financial"),
        ("แม่ออกจากโรงเรียนเพราะท้องหนู ส่วนหนูออกเพราะต้องไปดูแลยายที่ป่วย", "family"),
        # failed subjects of a level attended to its end: no leaving, no reason
        ("ผมเรียนครบทุกเทอมแล้ว ม.6 แต่ติด 0 คณิต ไม่ได้ไปแก้ เลยยังไม่ได้วุฒิ", None),
        ("ลูกสาวเรียนจนเทอมสุดท้าย ม.3 แต่ติด ร สองวิชา ยังไม่ได้วุฒิค่ะ", None),
        # … told as what ended the schooling, they are
        ("ติด 0 เยอะมากจนโดนรีไทร์ตอน ปวช.2 ครับ", "learning"),
        ("ติด ร หลายวิชาแก้ไม่ทัน โรงเรียนเลยให้ออกตอน ม.2", "learning"),
        # never went to school: not reading follows from it
        ("ไม่เคยเข้าโรงเรียนเลยค่ะ อ่านหนังสือไม่ออก อายุ 25 สมัครได้ไหมคะ", None),
        ("น้องชายไม่ได้เรียนหนังสือเลยสักวัน อ่านไม่ออกเขียนไม่ได้ อายุ 17 อยากให้เรียน", None),
        ("เรียนถึง ป.4 แต่อ่านหนังสือไม่ออก ตามเพื่อนไม่ทันเลยออก", "learning"),
        # what happened after the leaving is not why they left
        ("หลังจากออกจากโรงเรียน ผมก็ไปทำงานก่อสร้างที่ชลบุรีครับ ตอนนี้อยากได้วุฒิ ม.3", None),
        ("หลังเลิกเรียนตอน ม.2 หนูก็ย้ายไปอยู่กับป้าที่ระยองค่ะ", None),
        ("ออกตอน ม.3 ค่ะ ไม่อยากเล่าว่าทำไม หลังจากนั้นก็มีลูก ตอนนี้ลูกขวบนึง", None),
        # … a move right after finishing a level can be why they did not go on
        ("หลังจบ ป.6 พ่อแม่พาย้ายไปอยู่ภูเก็ต เลยไม่ได้เรียนต่อค่ะ", "migration"),
        # a reason word denied is not stated; another one told stands
        ("ที่บ้านไม่ได้ลำบากเรื่องเงินนะคะ แต่ลูกเบื่อเรียน ออกตอน ม.4", "learning"),
        ("ไม่ได้ป่วยอะไรครับ ออกตอน ม.2 เฉยๆ", None),
        # "could not … because" is a cause told, not a denial
        ("เรียนต่อ ม.4 ไม่ได้เพราะไม่มีทะเบียนบ้านค่ะ", "documents"),
        # a move, then no new school found or taking them
        ("ย้ายบ้านมาอยู่ชลบุรีกลางเทอม หาโรงเรียนใหม่ไม่ได้ค่ะ ตอนนั้น ม.2", "migration"),
        # work told as the cause: a job got, money wanted, leaving to work (Northern ยะก๋าน)
        ("ได้งานที่ร้านอาหารเลยอยากทำงานมากกว่าเรียนค่ะ ออกตอน ม.4", "work"),
        ("ผมออกตอน ม.3 เพราะอยากมีเงินใช้เองครับ", "work"),
        ("หลานออกมายะก๋านตั้งแต่ ม.2 เจ้า", "work"),
        # … someone else's job is not
        ("ย้ายมาอยู่ลำปางเพราะพ่อได้งานใหม่ ลูกเลยต้องออกตอน ม.1", "migration"),
    ],
)
def test_reason_told_or_not(text: str, reason: str | None) -> None:
    assert _reason(text) == reason


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("ท้องตอน ม.5 เลยต้องพักการเรียน", True),
        ("ออก ม.4 ตอนท้องค่ะ", True),
        ("ลาออกเพราะตั้งครรภ์", True),
        ("เพื่อนหนูท้องตอน ม.3 เลยออก", False),
        ("แม่เขาท้องตอนอายุ 15 เลยไม่ได้เรียน", False),
        ("ไม่ได้ออกเพราะท้องนะ", False),
        ("ตอนนี้ท้อง 5 เดือน อยากเรียน", False),
    ],
)
def test_pregnancy_told_with_the_leaving(text: str, told: bool) -> None:
    assert reasons._pregnancy_told(normalize(text)) is told


def test_a_pregnancy_told_with_the_leaving_stands_against_the_learned_reader() -> None:
    about = normalize("ลูกสาวท้องตอนอยู่ ม.4 เลยต้องออก ตอนนี้คลอดแล้ว")
    assert reasons.shaped(about, about, "pregnancy") == ("pregnancy", "firm")
