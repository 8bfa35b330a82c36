"""Why the learner left, told as a story (issue 11, item 5; nlp.reasons.shaped), and reasons that are not why
the learner left: each row is a Thai message and the `reason` it gives (None: no reason)."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import reasons, understand

TODAY = date(2026, 11, 22)

TOLD = [
    # left school to be or do a job ("ออก … ไปเป็น …", "ลาออกมาขับ …")
    ("ผมลาออกตอน ม.4 ไปเป็นเด็กเสิร์ฟร้านหมูกระทะครับ", "work"),
    ("ลูกชายเลิกเรียนตั้งแต่ ม.2 ไปเป็นลูกมือช่างแอร์ค่ะ", "work"),
    ("หนูออกจากโรงเรียนตอน ป.6 มาขายของออนไลน์กับพี่สาว", "work"),
    # a job got first, then the leaving
    ("ได้งานล้างจานที่ร้านอาหารญี่ปุ่น เงินดี ผมเลยลาออกตอน ม.3", "work"),
    ("หลานได้งานที่ปั๊มน้ำมันแถวบ้านก็เลยไม่ไปเรียนต่อ ม.4", "work"),
    # left school to care for someone
    ("หนูต้องลาออกตอน ม.2 มาดูแลยายที่นอนติดเตียงค่ะ", "family"),
    ("ผมออกจาก ม.1 ไปเฝ้าไข้พ่อที่โรงพยาบาลครับ", "family"),
    # a move told as what made them leave
    ("ย้ายกลับมาอยู่บ้านที่สกลนครกลางปี เลยค้าง ม.3 ไว้ค่ะ", "migration"),
    ("ครอบครัวย้ายกลับจากกัมพูชาตอนหนูอยู่ ป.5 ก็เลยไม่ได้เรียนต่อ", "migration"),
    # the family's trouble told in a clause about the parents, then the learner's leaving
    ("พ่อกับแม่เขาหย่ากันตอนปีที่แล้ว ลูกเลยต้องออกกลางเทอม ม.2", "family"),
    ("พ่อแม่แยกทางกัน หลานก็เลยไม่ได้ไปโรงเรียนตั้งแต่ ม.1", "family"),
]

NOT_WHY = [
    # a parent's death said to explain who raises the learner
    ("ผมเป็นผู้ปกครองของหลานครับ เพราะพ่อแม่เขาเสียหมดแล้ว หลานอายุ 14 ออกตอน ม.1", None),
    ("ยายเลี้ยงหลานมาตั้งแต่แม่เขาเสีย หลานอายุ 16 ออกตอน ม.3 อยากให้เรียนต่อค่ะ", None),
    # money trouble told with a question about the cost, no leaving told
    ("เดือนนี้ร้านขาดทุน ไม่มีเงินเลยค่ะ ลูกเรียน กศน ต้องเสียเงินไหมคะ", None),
    ("ที่บ้านลำบากมากครับ ค่าเรียนกี่บาทครับ", None),
    # a welfare payment or card of another service
    ("เบี้ยคนพิการเดือนนี้เข้าวันไหนคะ", None),
    ("จะทำบัตรคนพิการให้ยายต้องไปที่ไหน", None),
    # a story of people outside the conversation, with no one to enrol
    ("ลูกคนข้างบ้านออกจากโรงเรียนไปทำงานโรงงานตั้งแต่ ม.2 แล้ว", None),
    ("ข่าวเมื่อวาน เด็ก ม.1 ต้องออกเพราะที่บ้านไม่มีเงิน น่าสงสารมาก", None),
    # a story shape that is no school leaving
    ("ค้างคาวบินออกมาเป็นพันตัวเลย สวยมาก", None),
    # someone else's child, told as news with no one to enrol
    ("ลูกชายของญาติเลิกเรียนตั้งแต่ ม.3 ไปขับรถส่งของ รายได้ดีกว่าเราอีก", None),
    # having a child, told as a fact of now and not tied to the leaving
    ("หนูอายุ 19 มีลูกแล้วหนึ่งคนค่ะ ลูกสามขวบ หนูออกตอน ม.4 อยากเรียนตอนเย็น", None),
    ("ออกตอน ม.2 ค่ะ ตอนนี้มีลูกสองคนแล้ว อายุ 23", None),
    # someone who raises the learner: raising them is not why they left
    ("พี่สาวคนโตเลี้ยงน้องมาตลอดค่ะ น้องอายุ 15 ออกตอน ม.3", None),
    ("แฟนหนูเป็นคนเลี้ยงน้องเขาเองค่ะ น้องอายุ 16 ออก ม.2", None),
]

# Raising siblings as a duty or a help is still family.
RAISING_TIED = [
    ("หนูต้องอยู่บ้านเลี้ยงน้องสามคนให้แม่ค่ะ ออกตอน ม.1", "family"),
    ("ลูกสาวออกตอน ม.3 มาช่วยยายเลี้ยงน้องค่ะ", "family"),
]

# Having a child tied to the leaving is still pregnancy.
CHILD_TIED = [
    ("มีลูกตอนอายุ 15 เลยต้องลาออกจาก ม.3 ค่ะ", "pregnancy"),
    ("หนูออกเพราะมีลูกตอนเรียน ม.4 ค่ะ", "pregnancy"),
]


@pytest.mark.parametrize(("text", "reason"), TOLD + NOT_WHY + CHILD_TIED + RAISING_TIED)
def test_reason_told_as_a_story(text: str, reason: str | None) -> None:
    assert understand(text, today=TODAY).told.get("reason") == reason


@pytest.mark.parametrize(("text", "reason"), TOLD)
def test_story_shapes_hold_without_the_learned_reader(text: str, reason: str) -> None:
    """The shapes read the story themselves: the rules' reading with the shapes gives it."""
    about, full, rule = reasons.rule_inputs(text)
    assert reasons.shaped(about, full, rule)[0] == reason


@pytest.mark.parametrize(("text", "reason"), NOT_WHY)
def test_not_why_holds_without_the_learned_reader(text: str, reason: None) -> None:
    about, full, rule = reasons.rule_inputs(text)
    assert reasons.shaped(about, full, rule)[0] is None


@pytest.mark.parametrize(
    "text",
    [
        # a job after leaving is no reason; the leaving's own reason stands
        "ออกตอน ม.3 แล้วได้งานที่โรงงานแถวบ้าน ตอนนี้อายุ 19",
        # a wish or a question: the rules read the reason as before
        "ลูกอายุ 15 ออกตอน ม.2 เพราะโดนเพื่อนแกล้ง อยากให้เรียน กศน ค่ะ",
    ],
)
def test_shapes_leave_other_readings_alone(text: str) -> None:
    about, full, rule = reasons.rule_inputs(text)
    assert reasons.shaped(about, full, rule)[0] == rule
