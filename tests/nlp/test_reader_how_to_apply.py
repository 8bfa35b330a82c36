"""A question word after a wish asks about the wish: "สมัครเรียน กศน. ยังไง" is DESIGN §3's own
example of `enroll`, whatever particle follows; a question about something else still wins."""

from __future__ import annotations

import pytest

from nlp import understand


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("สมัครเรียน กศน. ยังไง", "enroll"),
        ("สมัครเรียน กศน ยังไง ค่ะ", "enroll"),
        ("สมัครเรียน กศน ยังไง ครับ", "enroll"),
        ("อยากเรียนต่อ ต้องทำยังไงคะ", "enroll"),
        ("อยากสมัครเรียน ค่าเรียนเท่าไหร่คะ", "ask_cost"),
        ("ลูกอยากกลับไปเรียนค่ะ เรียนวันไหนคะ", "ask_schedule"),
    ],
)
def test_how_to_apply_is_a_wish_and_another_question_wins(text: str, intent: str) -> None:
    assert understand(text).intent == intent
