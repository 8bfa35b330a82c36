"""The conversation state: typed, versioned, migrated from every older version (a stored
intake is never lost), read and written in one place, never changed by `step`."""

from __future__ import annotations

import copy
import json

from handlers.dialogue import VERSION, State, dump_state, load_state, step
from handlers.dialogue.state import MIGRATIONS
from tests.handlers.conftest import NOW, Transcript, u
from tests.handlers.test_dialogue import consented

V1 = {  # what version 1 stored (handlers/dialogue.py before the package)
    "version": 1,
    "stage": "collecting",
    "pending": "grade",
    "consent": True,
    "misses": {"age": 1},
    "slots": {"role": "self", "name": "ฝน", "age": 17},
    "updated_at": "2026-11-22T02:00:00+00:00",
    "collected_at": "2026-11-22T01:00:00+00:00",
}
V2 = {  # what version 2 stores today (a loose dict with optional keys)
    "version": 2,
    "stage": "collecting",
    "pending": "grade",
    "consent": True,
    "misses": {},
    "slots": {"role": "parent", "name": "มายด์", "age": 14, "province": "52"},
    "updated_at": "2026-11-22T02:00:00+00:00",
    "editing": True,
    "district_choices": None,
    "previous_place": {"province": "52", "district": "5208"},
    "unknown": ["grade_status"],
    "_throttled": True,
    "facts": {"thread": {"id": 3}},
}


def test_there_is_a_migration_from_every_older_version():
    assert sorted(MIGRATIONS) == list(range(1, VERSION))


def test_a_version_1_intake_loads_and_continues_where_it_was():
    state = load_state(copy.deepcopy(V1))
    assert state.version == VERSION and state.stage == "collecting" and state.pending == "grade"
    assert state.slots == {"role": "self", "name": "ฝน", "age": 17} and state.consent and state.misses == {"age": 1}
    chat = Transcript(state=load_state(copy.deepcopy(V1)))
    chat.user("ม.2", grade="m2").expect(pending="grade_status")
    assert chat.slots["name"] == "ฝน" and chat.state.version == VERSION


def test_a_version_2_intake_keeps_every_value_and_the_facts_of_other_handlers():
    state = load_state(copy.deepcopy(V2))
    assert state.slots == V2["slots"] and state.editing == "values" and state.district_choices == []
    assert state.previous_place == {"province": "52", "district": "5208"} and state.unknown == ["grade_status"]
    assert state.facts == {"thread": {"id": 3}}
    stored = dump_state(state)
    assert "_throttled" not in stored and json.loads(json.dumps(stored)) == stored
    assert load_state(stored) == state


def test_damaged_values_fall_back_to_defaults_never_to_an_exception():
    state = load_state(
        {
            "version": 2,
            "stage": "collecting",
            "slots": "junk",
            "misses": [1],
            "unknown": "x",
            "consent": "yes",
            "pending": 5,
        }
    )
    assert state.slots == {} and state.misses == {} and state.unknown == [] and state.consent is True
    new, replies, _ = step(state, u("greet", "สวัสดี"), NOW)
    assert replies


def test_step_never_changes_a_typed_state_and_returns_a_new_one():
    chat = consented()
    state = chat.state
    before = copy.deepcopy(state)
    new, replies, _ = step(state, u("inform", "ตัวเอง", role="self"), NOW)
    assert state == before and isinstance(new, State) and new is not state and new.slots["role"] == "self"
    assert replies


def test_an_owned_value_loads_and_dumps_as_a_copied_one_and_only_a_copy_shares_nothing():
    for stored in (V1, V2, dump_state(load_state(copy.deepcopy(V2)))):
        copied = load_state(copy.deepcopy(stored))
        assert load_state(copy.deepcopy(stored), owned=True) == copied
        assert dump_state(copied, owned=True) == dump_state(copied)
    raw = copy.deepcopy(V2)
    state = load_state(raw)
    state.slots["name"] = "changed"
    assert raw["slots"]["name"] == "มายด์", "a copied load shares nothing with its input"
    stored = dump_state(state)
    state.previous_place["district"] = "0000"
    assert stored["previous_place"]["district"] == "5208", "a copied dump shares nothing with the state"


def test_a_current_state_with_wrong_types_keeps_the_values_it_can():
    state = load_state(
        {"version": VERSION, "stage": "nowhere", "pending": ["x"], "editing": 3, "slots": None, "misses": {"a": 1},
         "consent": 1, "facts": [], "resume_stage": "nowhere"}
    )
    assert state.stage == "start" and state.pending is None and state.resume_stage is None
    # The typed state holds its types: a number where text belongs, or a None where a dict does
    # (which failed every message of that user), is the field's default.
    assert state.editing is None and state.slots == {}
    assert state.misses == {"a": 1} and state.consent is State().consent and state.facts == {}


def test_values_of_the_wrong_type_inside_the_state_are_dropped_and_the_intake_goes_on():
    state = load_state(
        {
            "version": VERSION,
            "stage": "collecting",
            "pending": "no_such_question",
            "consent": True,
            "slots": {"role": "self", "name": "ฝน", "age": [17], "province": {"x": 1}},
            "misses": {"grade": "1", "age": 1},
            "unknown": [3, "grade_status"],
            "district_choices": ["5208", None],
            "previous_place": {"province": "52", "district": 5208},
        }
    )
    assert state.slots == {"role": "self", "name": "ฝน"} and state.misses == {"age": 1}
    assert state.unknown == ["grade_status"] and state.district_choices == ["5208"]
    assert state.previous_place == {"province": "52"} and state.pending is None
    new, replies, _ = step(state, u("inform", "17", age=17), NOW)
    assert new.slots["age"] == 17 and new.pending == "grade" and replies
