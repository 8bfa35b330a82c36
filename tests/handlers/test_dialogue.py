"""The pure dialogue: transcripts with hand-made understandings, and properties."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.dialogue import collected, initial_state, step
from nlp.understanding import INTENTS, Understanding

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)


def u(intent, text="", **entities):
    return Understanding(intent, 0.9, entities, text)


def run(turns, state=None, now=NOW):
    state = state or initial_state()
    out = []
    for understanding in turns:
        now += timedelta(seconds=30)
        state, replies, effects = step(state, understanding, now)
        out.append((replies, effects))
    return state, out


def test_step_does_not_change_its_input():
    state = initial_state()
    before = json.dumps(state)
    step(state, u("enroll", "อยากเรียน"), NOW)
    assert json.dumps(state) == before


def test_consent_before_anything_and_effects():
    state, out = run([u("inform", "อายุ 17", age=17), u("affirm", "ยินยอม")])
    assert "ยินยอม" in out[0][0][-1]["text"]
    assert [e.type for e in out[1][1]] == ["consent"] and out[1][1][0].data == {"granted": True}
    assert collected(state)["age"] == 17


def test_several_slots_at_once_then_summary_and_submit():
    state, out = run([
        u("enroll", "อยากเรียน"), u("affirm", "ยินยอม"),
        u("inform", "ผมเอง ชื่อต้น อายุ 17 อยู่เถิน จบ ม.2", role="self", age=17, district="5208", grade="m2", grade_status="completed"),
        u("inform", "ไม่อยากบอก"), u("inform", "สายสามัญ", path="general"), u("inform", "0812345678", phone="0812345678"),
        u("affirm", "ยืนยัน"),
    ])
    assert "ขอทวนข้อมูล" in out[-2][0][-1]["text"]
    (submit,) = out[-1][1]
    assert submit.type == "submit"
    assert submit.data["slots"] | {} == {**submit.data["slots"], "province": "52", "district": "5208", "name": "ต้น", "reason": None}
    assert state["stage"] == "done"


def test_delete_requires_confirmation():
    state, out = run([u("delete_data", "ลบข้อมูลของฉัน"), u("deny", "ไม่ลบ")])
    assert out[1][1] == []
    state, out = run([u("delete_data", "ลบข้อมูลของฉัน"), u("affirm", "ยืนยันลบ")])
    assert [e.type for e in out[1][1]] == ["erase"] and state["slots"] == {}


def test_postal_code_with_several_districts_asks_which():
    state, out = run([u("enroll"), u("affirm", "ยินยอม"), u("inform", "ตัวเอง", role="self"), u("inform", "ต้น"), u("inform", "17", age=17),
                      u("inform", "ม.2", grade="m2"), u("inform", "ออกกลางคัน", grade_status="left_during"), u("inform", "10230", postal_code="10230")])
    replies = out[-1][0]
    assert "หลายอำเภอ" in replies[-1]["text"] and len(replies[-1]["quickReply"]["items"]) >= 2


intents = st.sampled_from(INTENTS)
entity_values = st.fixed_dictionaries({}, optional={
    "age": st.integers(5, 99), "grade": st.sampled_from(["none", "p6", "m2", "m3", "m6", "pvc3", "primary", "vocational"]),
    "grade_status": st.sampled_from(["completed", "left_during"]), "province": st.just("52"), "district": st.just("5208"),
    "role": st.sampled_from(["self", "parent", "other"]), "phone": st.just("0812345678"), "postal_code": st.sampled_from(["52160", "10230"]),
    "birth_year_be": st.integers(2500, 2565), "reason": st.sampled_from(["work", "family"]), "path": st.sampled_from(["general", "unsure"]),
})
understandings = st.builds(lambda i, e, t: Understanding(i, 0.8, e, t), intents, entity_values,
                           st.sampled_from(["", "ยินยอม", "ยืนยัน", "แก้ไข", "ยืนยันลบ", "ไม่ทราบอำเภอ", "ติดต่อทางไลน์", "อายุ", "ต้น", "🤖", "x" * 80]))


@settings(max_examples=150, deadline=None)
@given(st.lists(understandings, max_size=25), st.lists(st.integers(1, 60 * 60 * 30), min_size=25, max_size=25))
def test_never_raises_and_always_answers(turns, gaps):
    state, now = initial_state(), NOW
    for understanding, gap in zip(turns, gaps):
        now += timedelta(seconds=gap)
        state, replies, effects = step(state, understanding, now)
        json.dumps(state)
        assert 0 <= len(replies) <= 5
        assert replies or any(e.type in ("submit", "status", "human", "erase", "office_info") for e in effects)
        for reply in replies:
            assert reply["type"] == "text" and 0 < len(reply["text"]) <= 5000
            for item in (reply.get("quickReply") or {}).get("items", []):
                assert len(item["action"]["label"]) <= 20
