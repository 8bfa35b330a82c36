"""The learned reason reader's told shapes, its English and romanised lexicons, and how its reading is combined
with the rules' for questions and for messages in Latin letters (nlp.reasons)."""

from __future__ import annotations

import pytest

from nlp import reasons, understand

WORK, CARE, OTHERS = (pattern for pattern, _ in reasons._TOLD_SHAPES)


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("ผมออกจาก ม.5 ไปเป็นทหารพราน", WORK),
        ("ปวช.ปี 2 ไปไม่รอดครับ ลาออกมาขับแกร็บ", WORK),
        ("เซาเฮียนตั้งแต่ ม.3 ไปเฮ็ดงานก่อสร้าง", WORK),
        ("ได้งานเป็นพนักงานเสิร์ฟตอน ม.4 ได้เงินดีเลยลาออกมาทำเต็มเวลา", WORK),
        ("I'm 19, dropped out in grade 10 because I had to work.", WORK),
        ("หนูเลยต้องออกมาเลี้ยงหลานให้", CARE),
        ("ลูกบ้านข้างๆ ออกจากโรงเรียนตอน ม.2", OTHERS),
        ("ข่าวว่าปีนี้เด็กออกกลางคันเยอะ", OTHERS),
    ],
)
def test_told_shapes_are_seen(text: str, shape: object) -> None:
    assert shape.search(text)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    ["ออกจากโรงเรียนตอน ม.3 ตอนนี้อยู่บ้านเฉยๆ", "ออกตอน ม.2 เป็นอะไรไม่รู้", "จบ ม.3 แล้วค่ะ"],
)
def test_no_work_shape_without_what_they_left_for(text: str) -> None:
    assert not WORK.search(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("she quit in grade 7 'cause we had no money for the bus", "financial"),
        ("mae puay tong dulae mae loei ork ton m.1 ka", "family"),
        ("oak rong rian tae M.3 phro tong tam ngan chuay pho mae ka", "work"),
        ("my brother got caught with drugs in M.3 and was in juvenile detention", "legal"),
        ("We moved from Lampang to Chiang Mai last year", "migration"),
        ("he stopped school because other kids bullied him", "bullying"),
    ],
)
def test_latin_lexicons_light_the_reason_features(text: str, reason: str) -> None:
    row = reasons._dense(text, None, text)
    start = len(reasons.CLASSES)
    found = row[start : start + len(reasons.REASONS)]
    lit = {name for name, value in zip(reasons.REASONS, found, strict=True) if value}
    assert reason in lit


def test_a_question_that_tells_no_leaving_gets_no_filled_reason() -> None:
    sure = {"none": 0.1, "documents": 0.9}
    assert reasons.combine(sure, None) == "documents"
    assert reasons.combine(sure, None, asked=True) is None
    assert reasons.combine(sure, "documents", asked=True) == "documents"  # the rules' reading is not touched
    assert reasons._asked("เด็กที่ไม่มีสัญชาติสมัครได้ไหม")
    assert not reasons._asked("ออกตอน ม.2 เพราะไม่มีบัตร เรียนได้ไหม")


def test_latin_messages_take_a_less_sure_learned_reason() -> None:
    assert reasons._latin("phom eng rian eng krub ayu 22 tong ork ma tham ngan")
    assert not reasons._latin("ผมอายุ 17 ครับ dropped out ม.4 เพราะ family problem")
    assert reasons._fill("my son left school in P.6") == reasons.LATIN_FILL < reasons.FILL
    assert reasons._fill("ลูกออกตอน ป.6") == reasons.FILL


# Transcript-like: what a learner or parent writes, and the reason understood (the kept model).
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("My son is 15, he dropped out in M.2 because we had no money for the uniform. We live in Khon Kaen.",
         "financial"),
        ("my daughter left school in M.3 because she got pregnant, she is 17 now", "pregnancy"),
        ("nong ork rongrian ton m.2 pro tong pai tham ngan chuay mae ka", "work"),
        ("he stopped school in P.6 because other kids bullied him every day", "bullying"),
        ("เด็กที่ไม่มีสัญชาติสมัครได้ไหม", None),
        ("ไม่มีบัตรประชาชนสมัครได้มั้ย", None),
        ("My son is 16 and left school in M.4, can he study on weekends?", None),
    ],
)
def test_reasons_understood(text: str, reason: str | None) -> None:
    assert understand(text).entities.get("reason") == reason
