"""The learned reader gives no value from another adult's stretch (`nlp.mentions.FILL_NOT_ADULTS`): an adult's
own age or level, said right after the adult when a child or a student is named after as the one to learn,
is not filled in as the learner's. The adult who writes, introduces themself, raises someone or is a partner
keeps the reader's fill. Whole readings of age, grade, grade_status and role."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import mentions
from nlp.entities import extract_entities, learner_parts
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)
KEYS = ("age", "grade", "grade_status", "role")


def _reading(text: str) -> mentions.Reading:
    normalised = normalize(text)
    about, _home, two = learner_parts(normalised)
    return mentions.prepare(normalised, about, two, extract_entities(normalised, TODAY, learned=False))


def _marked(reading: mentions.Reading) -> list[object]:
    return [c.value for c in (*reading.ages, *reading.grades) if "mark:adult" in c.features]


# (message, the values marked as another adult's)
MARKED = [
    ("แม่อายุ 40 จบแค่ ป.6 อยากให้ลูกได้เรียนสูงกว่าแม่ ลูกตอนนี้ 13 ขวบ", [40, "p6"]),
    ("พ่ออายุ 45 จบ ม.3 อยากให้ลูกสาวเรียนต่อ ลูกอายุ 16 ออกจากโรงเรียนแล้ว", [45, "m3"]),
    ("ลุงอายุ 50 เรียนถึง ป.4 อยากให้หลานได้เรียน หลานอายุ 14", [50, "p4"]),
    # the adult is the learner: no child named, the adult writes (เอง), the child is denied
    ("แม่อายุ 38 จบ ม.3 ค่ะ อยากเรียนต่อ", []),
    ("แม่เองค่ะ แม่อายุ 45 จบแค่ ป.6 ไม่ใช่ถามให้ลูกนะ", []),
    ("ไม่ได้สมัครให้ลูกนะคะ สมัครให้ตัวเอง แม่อายุ 32 จบแค่ ป.6", []),
    ("คนที่จะเรียนคือแม่ผมเองครับ อายุ 47 จบ ป.4 ผมลูกชายพิมพ์ให้", []),
    # the writer introduces themself as the parent or teacher, or raises the child: the details are the child's
    ("ผมเป็นพ่อของน้องเบียร์ อายุ 15 ออกจาก ม.2 ครับ", []),
    ("ตาอายุ 80 ยายอายุ 76 เลี้ยงเหลน อายุ 12 จบ ป.6 ปีนี้ จะเข้า ม.1 ที่ กศน. ได้ไหมลูก", [76]),
    # a partner is often the learner
    ("แฟนหนูอายุ 19 ค่ะ เขาออกจาก ม.5 เรามีลูกด้วยกันแล้ว", []),
]


@pytest.mark.parametrize(("text", "marked"), MARKED)
def test_another_adults_stretch_is_marked(text: str, marked: list[object]):
    assert _marked(_reading(text)) == marked


# (message, whole reading of the learner's age, grade, grade_status and role by the kept reader)
READINGS = [
    ("แม่อายุ 40 จบแค่ ป.6 อยากให้ลูกได้เรียนสูงกว่าแม่ ลูกตอนนี้ 13 ขวบ", {"age": 13, "role": "parent"}),
    (
        "พ่ออายุ 45 จบ ม.3 อยากให้ลูกสาวเรียนต่อ ลูกอายุ 16 ออกจากโรงเรียนแล้ว",
        {"age": 16, "grade_status": "left_during", "role": "parent"},
    ),
    ("ลุงอายุ 50 เรียนถึง ป.4 อยากให้หลานได้เรียน หลานอายุ 14", {"age": 14, "role": "parent"}),
    ("แม่ผมเรียน กศน. จนจบ ม.6 ตอนอายุ 40 ผมเลยอยากเรียนบ้าง", {}),
    ("ไม่มีใบเกิด โรงเรียนเลยไม่รับเข้า ม.1 ค่ะ", {}),
]


@pytest.mark.parametrize(("text", "expected"), READINGS)
def test_no_fill_from_another_adult(text: str, expected: dict[str, object]):
    got = extract_entities(normalize(text), TODAY)
    assert {k: got[k] for k in KEYS if k in got} == expected


def test_the_mark_is_no_feature_of_the_models():
    assert "mark:".startswith(mentions.DROP) or any("mark:".startswith(d) for d in mentions.DROP)


# -- the role model never gives "self" nor turns the rules' "parent" into "other" (grouped CV: those swaps were
# mostly wrong); other swaps stand.
SWAPS = [
    # (the rules' role, the model's sure choice, the role read)
    (None, "self", None),
    ("other", "self", "other"),
    ("parent", "self", "parent"),
    ("parent", "other", "parent"),
    (None, "other", "other"),
    (None, "parent", "parent"),
    ("other", "parent", "parent"),
    ("other", "none", None),
    ("self", "none", "self"),  # the rules' self comes from explicit words (ผมเอง, ตัวเอง): it stands
]


@pytest.mark.parametrize(("rule", "sure", "expected"), SWAPS)
def test_the_role_model_never_gives_self_nor_parent_to_other(rule, sure, expected):
    import numpy as np

    classes = list(mentions.ROLES)
    logits = np.array([10.0 if c == sure else 0.0 for c in classes])
    reader = mentions.Reader(None, None, None, mentions.Linear(classes, {}, logits))  # type: ignore[arg-type]
    reading = _reading("ผมอยากถามเรื่องการเรียนต่อของคนในบ้านหน่อยครับ อายุ 17")
    reading.rule_role = rule
    assert reader.read_role(reading) == expected


# Messages with a bare ผม/หนู (no ผมเอง, ตัวเอง): no role, whatever the role model thinks.
BARE_SELF = [
    "ผมอายุ 17 ออกจากโรงเรียนตอน ม.4 เพราะต้องทำงานช่วยที่บ้าน อยากกลับไปเรียนครับ",
    "หนูอายุ 16 ค่ะ ออกตอน ม.3 เพราะท้อง ตอนนี้อยากเรียนต่อ กศน. ค่ะ",
]


@pytest.mark.parametrize("text", BARE_SELF)
def test_a_bare_self_gives_no_role(text: str):
    assert "role" not in extract_entities(normalize(text), TODAY)
