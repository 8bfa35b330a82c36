"""The chatter gate (issue 11 item 9): classes of chatter that started an intake in grouped cross-validation
(`python -m nlp.tune --file-folds`), each beside in-scope look-alikes that must still be read. Lines written
for this test, apart from the training and development files."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand
from nlp.entities import extract_entities
from nlp.normalize import normalize
from nlp.reader import _gated
from nlp.understanding import Understanding

TODAY = date(2026, 11, 22)
INTAKE = {"enroll", "inform"}


@pytest.mark.parametrize(
    "text",
    [
        # A wish that names no studying, no level, no path: a wish for something else.
        "อยากกลับไปนอนต่อจัง",
        "อยากไปทะเลกับเพื่อนๆ",
        "อยากมีบ้านเป็นของตัวเองสักหลัง",
        "อยากกลับไปเป็นเด็กอีกครั้ง",
        # Job and certificate adverts: open posts, cash on delivery, levels to choose from.
        "เปิดรับพนักงานแพ็คของ 5 อัตรา ไม่จำกัดวุฒิ อายุ 18-40 ปี",
        "ตำแหน่งว่าง พนักงานล้างจาน ร้านอาหารแถวบางแสน",
        "มีวุฒิ ม.3 ม.6 ให้เลือกครับ เก็บเงินปลายทางได้",
        # A post to share, a thing for sale at a price, told with a place.
        "ฝากแชร์ค่ะ กระเป๋าสตางค์หายแถวตลาดเทศบาล อ.เมืองตาก",
        "ขายตู้เย็นมือสอง ยังใช้ได้ดี ราคา 2500 อยู่ อ.เมืองลำพูน",
        # Another office's errand asked about in words that read like details.
        "สอบถามเรื่องเบี้ยคนพิการของแม่ค่ะ ต้องไปยื่นที่ อบต. ใช่ไหมคะ",
        # A detail beside the news of the day.
        "อายุ 18 แล้ว ยังไม่มีแฟนเลย",
        "หลานชาย เป็นหวัดค่ะ",
        "อยู่ลำปาง ไฟดับทั้งคืนเลย",
        "ลูกสาวค่ะ ไปงานแต่งเพื่อน",
        "อายุ 30 แล้ว ปวดหลังทุกวัน",
    ],
)
def test_chatter_starts_no_intake(text: str) -> None:
    assert understand(text, TODAY).intent not in INTAKE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A wish to study names studying, a level or a path, in Thai or romanised Thai.
        ("อยากเรียนสายสามัญครับ อายุ 20", "enroll"),
        ("ลูกอยากกลับไปเรียนค่ะ", "enroll"),
        ("yak rien tor krub", "enroll"),
        # A partner, a job now, a quarrel that ended school: details, not the news of the day.
        ("แฟนผมครับ อายุ 19", "inform"),
        ("ตอนนี้ทำงานร้านกาแฟค่ะ อายุ 18", "inform"),
        ("มีเรื่องทะเลาะกับครูบ่อย เลยไม่ไปโรงเรียน", "inform"),
        # Our own service asked about beside another office's word.
        ("ไม่มีบัตรประชาชน สมัคร กศน. ได้ไหมคะ", "ask_eligibility"),
    ],
)
def test_in_scope_look_alikes_are_still_read(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


def _forced(text: str, intent: str, confidence: float) -> Understanding:
    """What the gate makes of `intent` read with this confidence (as a classifier trained without lines
    like this one might read it), with the message's own entities."""
    entities = extract_entities(normalize(text), TODAY)
    return _gated(Understanding(intent, confidence, entities, text), 1.0 - confidence)


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        # However sure the classifier is, a wish that names no studying is not a wish to enrol.
        ("อยากกลับไปเป็นเด็กอีกครั้ง", "enroll", 0.97),
        ("อยากไปเที่ยวญี่ปุ่นสักครั้ง", "enroll", 0.97),
        ("พ่อครับ อยากได้รถใหม่", "enroll", 0.9),
        # A detail and the news of the day, read as details by an unsure classifier.
        ("อายุ 18 แล้ว ยังไม่มีแฟนเลย", "inform", 0.7),
        ("หลานชาย เป็นหวัดค่ะ", "inform", 0.7),
        ("อยู่ลำปาง ไฟดับทั้งคืนเลย", "inform", 0.7),
        ("ลูกสาวค่ะ ไปงานแต่งเพื่อน", "inform", 0.7),
        ("อายุ 30 แล้ว ปวดหลังทุกวัน", "inform", 0.7),
        ("น้องชาย เมาทุกคืน", "inform", 0.7),
    ],
)
def test_the_gate_turns_chatter_away(text: str, intent: str, confidence: float) -> None:
    assert _forced(text, intent, confidence).intent == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("อยากเรียนสายสามัญครับ อายุ 20", "enroll", 0.7),
        ("อยากได้สายอาชีพค่ะ", "enroll", 0.97),
        ("yak rien tor krub", "enroll", 0.97),
        ("ฝากหลานด้วยนะคะ", "enroll", 0.9),
        ("แฟนผมครับ อายุ 19", "inform", 0.7),
        ("ตอนนี้ทำงานร้านกาแฟค่ะ อายุ 18", "inform", 0.7),
        ("มีเรื่องทะเลาะกับครูบ่อย เลยไม่ไปโรงเรียน", "inform", 0.7),
        ("เรียนเดือนละครั้งได้ไหมคะ", "ask_schedule", 0.7),
        # Daily-life words inside other words: เมา in แม่เมาะ (a district).
        ("อยู่แม่เมาะ ลำปางค่ะ อายุ 17", "inform", 0.7),
    ],
)
def test_the_gate_lets_look_alikes_through(text: str, intent: str, confidence: float) -> None:
    assert _forced(text, intent, confidence).intent == intent
