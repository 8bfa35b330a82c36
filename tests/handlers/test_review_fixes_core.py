"""Review fixes in the dialogue and conversation core (issue 10 review): a newer stored state is
never saved over, the summary and the case share one rule, reply messages are never cut to five,
one writer of the conversation state, thresholds and precedence where the tables are read."""

from __future__ import annotations

import copy
import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from handlers import effects, ports, routing, texts, threads
from handlers import events as handlers_events
from handlers.dialogue import EFFECT_TYPES, VERSION, NewerStateVersion, State, load_state, machine, slots, thresholds
from models import Conversation, InboundEvent, OutboxMessage, faults, inbound
from models.inbound import lock_conversation, save_conversation
from nlp.understanding import Understanding
from tests.support.journeys import ONE_BY_ONE_INTAKE, linked_group
from tests.support.journeys import say_with_token as say
from tests.support.line_events import texts_of

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]

# --- 1. a state written by a newer release ---------------------------------------------------------

NEWER = {
    "version": VERSION + 1,
    "stage": "confirm",
    "pending": "confirm",
    "consent": True,
    "slots": {"role": "self", "name": "มายด์", "age": 18, "province": "52", "district": "5208"},
    "facts": {"has_case": "RT-2569-000001"},
    "a_field_of_the_next_release": [1, 2, 3],
}


def test_a_newer_state_version_is_refused_not_read_as_a_fresh_state():
    with pytest.raises(NewerStateVersion) as raised:
        load_state(copy.deepcopy(NEWER))
    assert raised.value.version == VERSION + 1
    with pytest.raises(NewerStateVersion):
        load_state(copy.deepcopy(NEWER), owned=True)


def test_a_turn_on_a_newer_state_leaves_the_row_untouched_and_apologises(line, services, caplog):
    user = "U" + "9" * 32
    with services.db.transaction() as tx:
        session = tx.session
        row = lock_conversation(session, user, now=NOW, flood_tokens=6.0)
        row.state = copy.deepcopy(NEWER)
        save_conversation(session, row)
    reply = say(line, user, "อายุผิด 16 ครับ")
    assert texts_of(reply) == texts.system_error()["text"], "the usual apology"
    with services.db.transaction(write=False) as tx:
        session = tx.session
        stored = session.scalars(select(Conversation).where(Conversation.line_user_id == user)).one()
        assert stored.state == NEWER, "the intake the newer release wrote is kept as it was"
        outcomes = session.scalars(select(InboundEvent.outcome).where(InboundEvent.source_id == user)).all()
    assert outcomes == ["failed"]
    assert any("newer" in record.getMessage() and str(VERSION + 1) in record.getMessage() for record in caplog.records)


# --- 2. the summary's note and the case's level ----------------------------------------------------

GRADES = [
    "none",
    "p3",
    "p6",
    "m1",
    "m3",
    "m4",
    "m6",
    "pvc1",
    "pvc3",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "vocational",
]


@pytest.mark.parametrize("status", ["completed", "left_during", None])
@pytest.mark.parametrize("grade", GRADES)
def test_the_summary_says_finished_school_exactly_when_the_case_says_completed_basic(grade, status):
    note = texts.summary_note({"age": 18, "grade": grade, "grade_status": status}) or ""
    finished = "จบการศึกษาขั้นพื้นฐานแล้ว" in note
    assert finished == (routing.next_level(grade, status) == "completed_basic")


def test_a_completed_coarse_vocational_level_is_not_told_it_finished_basic_education():
    assert routing.next_level("vocational", "completed") == "upper_secondary"
    assert "จบการศึกษาขั้นพื้นฐาน" not in (
        texts.summary_note({"age": 18, "grade": "vocational", "grade_status": "completed"}) or ""
    )


# --- 3. reply messages are never cut to five -------------------------------------------------------

INTAKE = ONE_BY_ONE_INTAKE
# After the submission, questions with answers of their own (none repeats another).
AFTER = [
    "เรียนฟรีไหมคะ",
    "ต้องใช้เอกสารอะไรบ้าง",
    "เปิดรับสมัครเมื่อไหร่",
    "วุฒิเท่ากับในโรงเรียนไหม",
    "ขอบคุณค่ะ",
    "ทำอะไรได้บ้าง",
]


def _flood_through_a_submission(line, clock, user: str) -> list[dict]:
    """The intake and then questions, 10 ms apart: the submission's answer is held, and more
    than five answers are held after it. The messages answered at once."""
    answered = []
    for said in [*INTAKE, *AFTER]:
        clock.advance(seconds=0.01)
        answered.extend(say(line, user, said))
    return answered


def _held(services, user: str) -> list[OutboxMessage]:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to == user, OutboxMessage.kind == "reply_fallback")
                .order_by(OutboxMessage.created_at)
            ).all()
        )


def test_a_flooding_user_gets_the_submission_and_its_reference_from_the_worker(
    line, services, clock, shipped_flood_settings
):
    linked_group(line, "5208")
    user = "U" + "e" * 32
    answered = _flood_through_a_submission(line, clock, user)
    assert "RT-" not in texts_of(answered), "the submission's answer was held (the flood is slowed)"
    held = _held(services, user)
    # More than five answers held, fitted to one LINE call (handlers.messages.fitted): one push.
    assert len(held) == 1 and 1 <= len(held[0].messages) <= 5, "one push's worth"
    clock.advance(seconds=10)
    line.run_worker()
    pushes = [s for s in line.fake.sent(user) if s.kind == "push"]
    assert len(pushes) == len(held) and all(len(p.messages) <= 5 for p in pushes)
    pushed = [m for p in pushes for m in p.messages]
    assert "RT-" in texts_of(pushed), "the confirmation with the case's reference reaches LINE"
    card = next(i for i, m in enumerate(pushed) if m.get("type") == "flex")
    thanks = next(i for i, m in enumerate(pushed) if m.get("type") == "text" and texts.you_are_welcome() in m["text"])
    assert card < thanks, "in the order they were answered"
    assert _held(services, user) == [] or all(row.status == "delivered" for row in _held(services, user))


def test_held_answers_go_whole_with_the_next_reply_and_nothing_follows_it(
    line, services, clock, shipped_flood_settings
):
    linked_group(line, "5208")
    user = "U" + "d" * 32
    _flood_through_a_submission(line, clock, user)
    clock.advance(seconds=3)  # the bucket has tokens again: the next message is answered at once
    reply = say(line, user, "สวัสดีค่ะ")
    assert 1 <= len(reply) <= 5, "one reply carries the whole answer (handlers.messages.fitted)"
    line.run_worker()
    assert [s for s in line.fake.sent(user) if s.kind == "push"] == [], "no push can come after the reply"
    assert "RT-" in texts_of(reply), "the confirmation with the case's reference reaches LINE"
    assert texts.greet_again() in texts_of(reply[-1:]), "the answer to the newest message comes last"


# --- 4. one writer of the conversation state ------------------------------------------------------

V2_STATE = {
    "version": 2,
    "stage": "collecting",
    "pending": "grade",
    "consent": True,
    "editing": True,
    "slots": {"role": "self", "name": "มายด์", "age": 16},
    "district_choices": None,
    "facts": {"has_case": "RT-2569-000007"},
}


def _stored_state(db, user: str) -> dict:
    with db.transaction(write=False) as tx:
        session = tx.session
        return session.scalars(select(Conversation.state).where(Conversation.line_user_id == user)).one()


def _seed(db, user: str, state: dict) -> None:
    with db.transaction() as tx:
        session = tx.session
        row = lock_conversation(session, user, now=NOW, flood_tokens=6.0)
        row.state = copy.deepcopy(state)
        save_conversation(session, row)


def test_a_fact_set_by_staff_goes_through_the_typed_state_and_its_migrations(db):
    user = "U" + "4" * 32
    _seed(db, user, V2_STATE)
    with db.transaction() as tx:
        session = tx.session
        threads.set_fact(session, user, threads.FACT_THREAD, {"id": 1, "label": "RT-2569-000007", "office": "5208"})
    stored = _stored_state(db, user)
    assert stored["version"] == VERSION, "written as the current version, as the turn writes it"
    assert stored["editing"] == "values", "migrated on the way (version 2's flag is the field being corrected)"
    state = load_state(stored)
    assert state.facts == {
        "has_case": "RT-2569-000007",
        "thread": {"id": 1, "label": "RT-2569-000007", "office": "5208"},
    }
    assert (state.stage, state.pending, state.slots) == ("collecting", "grade", V2_STATE["slots"])
    with db.transaction() as tx:
        session = tx.session
        threads.set_fact(session, user, threads.FACT_THREAD, None)
    assert load_state(_stored_state(db, user)).facts == {"has_case": "RT-2569-000007"}


def test_a_fact_is_never_written_over_a_newer_release_s_state_nor_for_a_user_without_one(db):
    user, nobody = "U" + "5" * 32, "U" + "6" * 32
    _seed(db, user, NEWER)
    with pytest.raises(NewerStateVersion), db.transaction() as tx:
        session = tx.session
        threads.set_fact(session, user, threads.FACT_CLOSED_CASE, {"id": 1})
    assert _stored_state(db, user) == NEWER
    with db.transaction() as tx:
        session = tx.session
        threads.set_fact(session, nobody, threads.FACT_CLOSED_CASE, {"id": 1})
    with db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalars(select(Conversation).where(Conversation.line_user_id == nobody)).all() == []


def test_one_function_locks_a_conversation():
    assert threads.lock_conversation is inbound.lock_conversation
    assert not hasattr(threads, "facts_of")
    source = Path(threads.__file__).read_text(encoding="utf-8")
    assert "with_for_update()" not in source and '["facts"]' not in source


# --- 5. one consent version ------------------------------------------------------------------------


def test_the_consent_version_lives_with_the_consent_text_only():
    assert "CONSENT_TEXT_VERSION" not in {f.name for f in dataclasses.fields(Settings)}
    assert not hasattr(ports.Settings, "CONSENT_TEXT_VERSION")
    assert "CONSENT_TEXT_VERSION" not in (ROOT / "README.md").read_text(encoding="utf-8")
    assert texts.CONSENT_VERSION


# --- 6. thresholds in thresholds.py ----------------------------------------------------------------


@pytest.mark.parametrize(("age", "kept"), [(3, False), (4, False), (5, True), (99, True), (100, False)])
def test_an_age_fills_the_slot_only_within_the_plausible_years(age, kept):
    state = State(stage="collecting", pending="age", consent=True)
    slots.absorb(state, Understanding("inform", 0.9, {"age": age}, str(age)), NOW)
    assert ("age" in state.slots) is kept
    assert (thresholds.MIN_AGE, thresholds.MAX_AGE) == (5, 99), "DESIGN §3: plausible ages 5–99"


def test_the_dialogue_compares_with_no_bare_numbers():
    for name in ("machine.py", "slots.py"):
        source = (ROOT / "handlers" / "dialogue" / name).read_text(encoding="utf-8")
        assert not re.search(r"(?:misses|age)\s*[<>]=?\s*\d|\d\s*<=\s*age|(?:districts|choices)\[:\d", source), name


# --- 7. precedence outside the tables is recorded ---------------------------------------------------


def test_an_intent_rewritten_before_the_tables_is_recorded_with_the_rule():
    state = State(stage="collecting", pending="name", consent=True, updated_at=NOW.isoformat())
    turn = machine.run(state, Understanding("cancel", 0.2, {}, "ยกเลิกมั้ง"), NOW)
    assert turn.state.rule is not None and turn.matched is not None
    assert turn.state.rule.startswith(turn.matched.name)
    assert "weighed:cancel→out_of_scope" in turn.state.rule


def test_a_fallback_reply_is_recorded_with_the_rule():
    turn = machine.Turn(State(stage="start"), Understanding("greet", 0.9, {}, "สวัสดี"), NOW)
    machine._finish(turn)
    assert turn.replies and turn.notes == ["fallback:not_understood"]
    turn = machine.Turn(
        State(stage="collecting", pending="age", consent=True), Understanding("greet", 0.9, {}, ""), NOW
    )
    turn.lead = "ยินดีต้อนรับกลับค่ะ"
    machine._finish(turn)
    assert turn.replies and turn.notes == ["fallback:reask"]


def test_the_diagram_says_what_decides_outside_the_tables():
    document = (ROOT / "handlers" / "dialogue.md").read_text(encoding="utf-8")
    assert "weighed:" in document and "fallback:" in document


# --- 8. the effects the dialogue emits are the ones the handler executes ---------------------------


def test_every_effect_type_has_an_executor_and_every_executor_an_effect():
    assert set(EFFECT_TYPES) == set(effects.EXECUTORS)
    assert "open_thread" not in EFFECT_TYPES
    assert set(machine.HANDLER_REPLIES) <= set(EFFECT_TYPES)
    source = (ROOT / "handlers" / "dialogue" / "machine.py").read_text(encoding="utf-8")
    emitted = set(re.findall(r"\.effect\(\s*\"(\w+)\"", source))
    assert emitted == set(EFFECT_TYPES), "every effect is emitted by some rule, and only these"


def test_no_stale_notes_on_effects_and_events():
    assert "H-console" not in (ROOT / "handlers" / "events.py").read_text(encoding="utf-8")
    assert "≤ 2" not in (ROOT / "handlers" / "effects.py").read_text(encoding="utf-8")


# --- 9. one key and one row for the webhook backlog ------------------------------------------------


def test_the_backlog_chat_and_row_are_built_in_one_place():
    import bot.webhook

    assert not hasattr(bot.webhook, "_chat_of") and not hasattr(handlers_events, "_backlog_key")
    staff = {
        "webhookEventId": "e" * 80,
        "source": {"type": "group", "groupId": "C" + "1" * 32, "userId": "U" + "x" * 70},
    }
    assert faults.backlog_chat(staff) == ("U" + "x" * 70)[:64], "the sender first, cut to the column"
    assert faults.backlog_chat({"source": {"type": "room", "roomId": "R1"}}) == "R1"
    assert faults.backlog_chat({"source": "junk"}) is None and faults.backlog_chat("junk") is None
    row = faults.backlog_row(staff, NOW)
    assert row["source_id"] == faults.backlog_chat(staff) and row["webhook_event_id"] == "e" * 64
    assert row["event"] is staff and row["received_at"] == NOW and row["attempts"] == 0
