"""A state told of now is no reason (DESIGN §3: `reason` only when it is why the learner left): what the learner
does or is today (ตอนนี้/ทุกวันนี้/เดี๋ยวนี้ …), with nothing tying it to the leaving, is neither read by the rules nor
filled in by the learned reader (`nlp.reasons.only_now`); the same habit told as why they left stays a reason."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand
from nlp.reasons import combine, only_now

TODAY = date(2026, 11, 22)

# (message, the reason the learner left, or None)
TOLD_NOW = [
    ("ลูกชายอายุ 16 ออกจากโรงเรียนตอน ม.2 ตอนนี้อยู่บ้านเฉยๆ ติดเกมทั้งวัน", None),
    ("หลานออกตอน ม.1 ค่ะ ทุกวันนี้ติดเกมทั้งวันทั้งคืน ยายเป็นห่วง", None),
    ("น้องผมออกมาได้ปีนึงแล้วครับ เดี๋ยวนี้ติดเกมหนักมาก อยากให้กลับไปเรียน", None),
    ("ลูกสาวออกตอน ป.6 ปัจจุบันอยู่บ้านติดเพื่อน", None),
    # the same habit told as why they left
    ("ติดเกมจนไม่ไปโรงเรียน", "other"),
    ("ออกเพราะติดเกม", "other"),
    ("ลูกติดเกมหนักจนไม่ยอมไปเรียน สุดท้ายโดนให้ออกตอน ม.2 ตอนนี้อายุ 15", "other"),
    ("ตอนนี้ลูกอายุ 16 ค่ะ ออกตอน ม.3 เพราะติดเกม", "other"),
]


@pytest.mark.parametrize(("text", "reason"), TOLD_NOW)
def test_a_state_of_now_is_no_reason(text: str, reason: str | None) -> None:
    assert understand(text, TODAY).told.get("reason") == reason


@pytest.mark.parametrize(
    ("about", "reason", "now"),
    [
        ("ออกตอน ม.2 ตอนนี้อยู่บ้านเฉยๆ ติดเกมทั้งวัน", "other", True),
        ("ออกตอน ม.2 ทุกวันนี้อยู่บ้านเล่นเกม", "other", True),
        ("ติดเกมจนไม่ไปโรงเรียน ตอนนี้อยู่บ้าน", "other", False),  # the habit is said outside the state of now
        ("ตอนนี้ติดเกมจนโดนให้ออก", "other", False),  # tied to the leaving
        ("ตอนนี้ติดเกม แต่ที่ออกเพราะติดเกมตั้งแต่ ม.1", "other", False),  # said again as the cause
        ("ออกตอน ม.3", "other", False),  # no state of now
    ],
)
def test_only_now(about: str, reason: str, now: bool) -> None:
    assert only_now(about, reason) is now


def test_the_learned_reader_fills_no_reason_told_only_as_now() -> None:
    sure = {"none": 0.1, "other": 0.9}
    about = "ออกตอน ม.2 ตอนนี้อยู่บ้านเฉยๆ ติดเกมทั้งวัน"
    assert combine(sure, None, about=about) is None
    assert combine(sure, None, about="ติดเกมหนักจนโดนให้ออกตอน ม.2") == "other"
    assert combine(sure, "financial", about=about) == "financial"  # no swap to it either
