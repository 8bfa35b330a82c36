"""Negated values are not stated and a correction gives the new value (DESIGN §3), in Thai, in the
dialects, in romanised Thai and in English. The sentences are written for these tests."""

from datetime import date

import pytest

from nlp import understand
from nlp.entities import extract_age, extract_reason, extract_role
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("ไม่ใช่ 13 ค่ะ, 14", 14),
        ("19 ไม่ใช่ 18", 19),
        ("20 ค่ะ ไม่ใช่ 21", 20),
        ("หลานไม่ได้อายุ 12 นะ 13 แล้ว", 13),
        ("อายุไม่ใช่ 16 ครับ 17", 17),
        ("ผิด 15 ไม่ใช่ 16", 15),
    ],
)
def test_a_denied_age_is_replaced_by_the_one_after_or_before_it(text: str, age: int) -> None:
    assert extract_age(normalize(text)) == age


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ไม่ได้ออกเพราะท้องค่ะ ออกเพราะต้องดูแลยาย", "family"),
        ("ไม่ใช่เพราะไม่มีเงิน ออกเพราะป่วยหนัก", "health"),
    ],
)
def test_a_denied_cause_is_not_the_reason(text: str, reason: str) -> None:
    assert extract_reason(normalize(text)) == reason


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("ไม่ได้เรียนเองครับ ถามให้หลาน", "parent"),
        ("ลูกไม่ได้ท้องค่ะ ออกเพราะต้องทำงาน", "parent"),
    ],
)
def test_a_denied_person_is_not_the_role(text: str, role: str) -> None:
    assert extract_role(normalize(text)) == role


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("sorry I meant 16", {"age": 16}),
        ("not 14, he is 15", {"age": 15}),
        ("no, 17 not 18", {"age": 17}),
        ("the age is wrong, it's 19", {"age": 19}),
        ("mai chai 14 krub, 15", {"age": 15}),
        ("aayu phit ka, 16", {"age": 16}),
        ("mai chai por 6 ka, mor 1", {"grade": "m1"}),
        ("correction: grade 9 not grade 8", {"grade": "m3"}),
        ("บ่แม่นเด้อ 15 อายุ 16", {"age": 16}),
        ("บ่ใจ้ ป.5 เจ้า ป.6", {"grade": "p6"}),
    ],
)
def test_corrections_in_english_romanised_and_dialect_give_the_new_value(
    text: str, entities: dict[str, object]
) -> None:
    u = understand(text, today=TODAY)
    assert (u.intent, dict(u.entities)) == ("inform", entities)
