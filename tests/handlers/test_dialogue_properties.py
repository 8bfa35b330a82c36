"""Properties of the pure dialogue over random conversations (hypothesis): `step` never raises,
answers every message with 1–5 valid LINE messages (or leaves the reply to a handler effect),
keeps a JSON-serialisable state, never changes its input, and keeps no name before consent."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import texts
from handlers.dialogue import State, dump_state, load_state, step
from handlers.dialogue.machine import HANDLER_REPLIES
from nlp.understanding import INTENTS, Understanding
from tests.handlers.conftest import NOW, check_batch

LABELS = [
    *texts.MENU,
    *texts.FAQ_MENU,
    *texts.HELP_MENU,
    *texts.ROLE_CHOICES,
    *texts.GRADE_CHOICES,
    *texts.STATUS_CHOICES,
    *texts.REASON_CHOICES,
    *texts.PATH_CHOICES,
    *texts.FIELD_CHOICES,
    texts.CONSENT_YES,
    texts.CONSENT_NO,
    texts.CONFIRM,
    texts.EDIT,
    texts.DELETE_YES,
    texts.DELETE_NO,
    texts.ANOTHER,
    texts.UNKNOWN_DISTRICT,
    texts.PHONE_NONE,
    "อำเภอบางกะปิ กรุงเทพมหานคร",
]
TEXTS = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(["", "ต้น", "ชื่อฝนค่ะ", "ไม่รู้", "ข้าม", "อายุผิด 16", "🤖", "x" * 6000, "ม.", "?"]),
    st.text(max_size=40),
)
ENTITIES = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(5, 99),
        "birth_year_be": st.integers(2480, 2570),
        "grade": st.sampled_from(
            [
                "none",
                "p1",
                "p6",
                "m2",
                "m3",
                "m6",
                "pvc3",
                "primary",
                "lower_secondary",
                "upper_secondary",
                "vocational",
            ]
        ),
        "grade_status": st.sampled_from(["completed", "left_during"]),
        "province": st.sampled_from(["52", "10", "50", "34"]),
        "district": st.sampled_from(["5208", "5203", "1005", "5001", "3401"]),
        "subdistrict": st.sampled_from(["520801", "100508"]),
        "postal_code": st.sampled_from(["52160", "10230", "50000", "99999"]),
        "phone": st.sampled_from(["0812345678", "053123456"]),
        "role": st.sampled_from(["self", "parent", "other"]),
        "reason": st.sampled_from(["work", "family", "other", "pregnancy"]),
        "path": st.sampled_from(["general", "vocational", "unsure"]),
    },
)
UNDERSTANDINGS = st.builds(
    lambda intent, conf, entities, text: Understanding(intent, conf, entities, text),
    st.sampled_from([*INTENTS, "follow"]),
    st.floats(0, 1),
    ENTITIES,
    TEXTS,
)
GAPS = st.sampled_from([1, 30, 600, 3600 * 23, 3600 * 25, 3600 * 24 * 9])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(UNDERSTANDINGS, GAPS), max_size=30))
def test_random_conversations_always_get_a_valid_answer(turns):
    state, now = State(), NOW
    for understanding, gap in turns:
        now += timedelta(seconds=gap)
        before = copy.deepcopy(state)
        new, replies, effects = step(state, understanding, now)
        assert state == before
        check_batch(before, new, replies, effects)
        if understanding.intent not in ("status", "human", "delete_data") and not any(
            e.type in HANDLER_REPLIES for e in effects
        ):
            assert replies, (understanding, before)
        if not new.consent:
            assert "name" not in new.slots
        if any(e.type == "erase" for e in effects):
            assert new.slots == {} and new.stage == "start"
        assert load_state(json.loads(json.dumps(dump_state(new)))) == new
        state = new


@settings(max_examples=150, deadline=None)
@given(st.lists(UNDERSTANDINGS, max_size=12))
def test_the_last_message_of_a_batch_carries_the_quick_replies(turns):
    """LINE shows quick replies only on the last message: earlier ones never carry them."""
    state, now = State(), NOW
    for understanding in turns:
        now += timedelta(seconds=30)
        state, replies, _ = step(state, understanding, now)
        assert all("quickReply" not in message for message in replies[:-1])
