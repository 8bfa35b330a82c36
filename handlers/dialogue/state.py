"""The conversation state: a typed, versioned value, and the one place it meets its JSON column.

`load_state(raw)` reads what `conversations.state` holds (any older version is migrated step by
step, so a version change never throws a person's intake away; a newer version, written by a newer
release during a rolling deploy or before a rollback, raises `NewerStateVersion`: the turn is
refused and the row left as it is); `dump_state(state)` writes it.
`step` works on a copy (`State.copy()`) and never changes its input.

Both copy by default, so the value read and the value written share nothing with the caller's.
A caller that owns the value and drops it right after (the turn of `handlers.conversation`:
the row's JSON was just decoded, the new state is written and forgotten) passes `owned=True`
and saves a deep copy per message: `step` already copies the state it works on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

VERSION = 3

# What a slot holds: a code or a name (str), a number (age, birth year), or None (an optional
# question answered with nothing: "ไม่มีเบอร์"). Keys: `slots.PUBLIC`.
SlotValue = str | int | None
Slots = dict[str, SlotValue]


# The JSON column's value (`conversations.state`): only `load_state`, `dump_state` and the
# migrations see the state in this form.
StoredState = dict[str, Any]


def text_slot(slots: Slots, key: str) -> str | None:
    """A slot that holds text (a name, a place code), or None when it is empty (or, damaged, not text)."""
    value = slots.get(key)
    return value if isinstance(value, str) and value else None


# Stages (the keys of the rule tables in `machine`). `collecting` carries `pending`, the slot asked.
Stage = Literal[
    "start", "consent", "collecting", "confirm", "choose_field", "confirm_cancel", "confirm_delete", "declined", "done"
]
STAGE_NAMES: tuple[Stage, ...] = get_args(Stage)
# What `State.pending` may name: a slot's question (`slots.SLOT_ORDER`, and the district asked
# apart or chosen among a postal code's), or a stage's own question; `staff_place` while the bot
# asks where the user lives, to find their office.
Question = Literal[
    "role", "name", "age", "grade", "grade_status", "location", "reason", "path", "phone", "district",
    "district_choice", "consent", "confirm", "choose_field", "confirm_cancel", "staff_place",
]
QUESTIONS: tuple[Question, ...] = get_args(Question)


@dataclass
class State:
    """One user's conversation. Only entity values and (after consent) the name live in `slots`."""

    stage: Stage = "start"
    pending: Question | None = None  # the question being asked (a slot, "consent", "confirm", "choose_field" …)
    slots: Slots = field(default_factory=dict)  # collected values, keys of `slots.PUBLIC`
    consent: bool = False
    misses: dict[str, int] = field(default_factory=dict)  # unreadable answers per slot
    updated_at: str | None = None  # ISO time of the last message
    unknown: list[str] = field(default_factory=list)  # required slots the user does not know (left to the office)
    district_hint: str | None = None  # a district named without its province ("เมือง")
    district_choices: list[str] = field(default_factory=list)  # districts of a postal code, offered as taps
    district_unknown: bool = False  # the province is enough (the user does not know the district)
    editing: str | None = None  # the field being corrected from the summary ("location"), or "values"
    # The corrected field's values as the summary showed them (a required one left unknown, or the
    # district left unknown, as None): put back when a cancel asked meanwhile is not confirmed
    # before a new value was given (`machine._put_back_edited`).
    before_edit: Slots = field(default_factory=dict)
    resume_stage: Stage | None = None  # where a confirmation (delete, cancel) returns to
    want_office: bool = False  # asked where the office is before the home was known
    previous_place: dict[str, str] = field(default_factory=dict)  # the last learner's home, offered for the next
    name_before_consent: bool = False  # a name was typed before consent (not kept): say why it is asked again
    offered: Slots = field(default_factory=dict)  # values given before "เริ่มใหม่", offered as one tap
    rule: str | None = None  # the rule that took the last message (tests, debugging)
    # Kept by other handlers (threads), JSON values the dialogue only tests: see machine "a person…".
    facts: dict[str, object] = field(default_factory=dict)
    staff_question: str | None = None  # a question the bot could not answer, offered to staff (one message long)
    version: int = VERSION

    def copy(self) -> State:
        return State(**{f.name: _copied(getattr(self, f.name)) for f in _FIELDS})

    @property
    def expecting(self) -> str | None:
        """What the next message is read as an answer to (`nlp.understand`'s `expecting`): the
        question pending, or the home after an office question asked before it was known."""
        return self.pending or ("location" if self.want_office else None)


def _copied(value: Any) -> Any:
    """A deep copy of a JSON-like value (what a state holds), without `copy.deepcopy`'s memo
    and dispatch: a state is copied on every message."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if isinstance(value, (set, tuple)):
        return copy.deepcopy(value)
    return value  # str, int, float, bool, None, dates: immutable


_FIELDS = fields(State)
_NAMES = tuple(f.name for f in _FIELDS)


def dump_state(state: State, *, owned: bool = False) -> StoredState:
    """The JSON column's value. `owned`: the caller drops `state` right after, so the value may
    share its lists and dicts (no copy)."""
    if owned:
        return {name: getattr(state, name) for name in _NAMES}
    return {name: _copied(getattr(state, name)) for name in _NAMES}


class NewerStateVersion(Exception):
    """A stored state of a version newer than this code's `VERSION`: it must be left as it is
    (the caller's transaction is rolled back), never read as a fresh state and saved over."""

    def __init__(self, version: int) -> None:
        super().__init__(f"conversation state version {version} is newer than this release's {VERSION}")
        self.version = version


def load_state(raw: Mapping[str, Any] | None, *, owned: bool = False) -> State:
    """A stored (JSON) state (any older version) as the current `State`; anything unreadable is
    a fresh one. Raises `NewerStateVersion` for a state a newer release wrote.
    `owned`: `raw` is the caller's to give (decoded just now, not used again), so the state
    may keep its lists and dicts (no copy)."""
    if not isinstance(raw, Mapping) or not raw:
        return State()
    data = dict(raw) if owned else _copied(dict(raw))
    version = data.get("version")
    if isinstance(version, int) and version > VERSION:
        # Written by a newer release (a rolling deploy, a rollback): this code cannot read it, and
        # a fresh state saved over it would throw the person's intake away. The turn is refused.
        raise NewerStateVersion(version)
    if not isinstance(version, int) or version < 1:
        return State()
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return _from_current(data)


# The type a stored value must have to be kept: its field's default's (a str for a field that
# defaults to None: every such field holds text).
_TYPES: dict[str, type] = {name: str if default is None else type(default) for name, default in vars(State()).items()}
_DEFAULTS = State()


def _slot_values(slots: Slots) -> Slots:
    return {key: value for key, value in slots.items() if value is None or isinstance(value, (str, int))}


def _from_current(data: StoredState) -> State:
    values = {key: value for key, value in data.items() if key in _TYPES}
    state = State(**values)
    # Wrong types (a hand-edited row, a bug) fall back to the field's default, never an exception
    # later (a `"slots": null` would fail every message of that user). Only the values given are
    # checked: the others are their defaults.
    for name, value in values.items():
        if value is None and getattr(_DEFAULTS, name) is None:
            continue
        if not isinstance(value, _TYPES[name]):
            setattr(state, name, getattr(State(), name))
    # Inside the containers, only values of their declared types are kept.
    state.slots = _slot_values(state.slots)
    state.offered = _slot_values(state.offered)
    state.before_edit = _slot_values(state.before_edit)
    state.misses = {key: value for key, value in state.misses.items() if isinstance(value, int)}
    state.previous_place = {key: value for key, value in state.previous_place.items() if isinstance(value, str)}
    state.unknown = [slot for slot in state.unknown if isinstance(slot, str)]
    state.district_choices = [code for code in state.district_choices if isinstance(code, str)]
    if state.stage not in STAGE_NAMES:
        state.stage, state.pending = "start", None
    if state.pending not in (None, *QUESTIONS):
        state.pending = None  # collecting asks the first missing slot again
    if state.resume_stage not in (None, *STAGE_NAMES):
        state.resume_stage = None  # a confirmation then returns to "start"
    state.version = VERSION
    return state


def _v1_to_v2(data: StoredState) -> StoredState:
    """Version 1 kept `collected_at` (never read since); everything else carried over."""
    data.pop("collected_at", None)
    data["version"] = 2
    return data


def _v2_to_v3(data: StoredState) -> StoredState:
    """Version 2 was a loose dict: optional keys became fields with defaults; `editing` was a
    flag (now the field being corrected); `district_choices` None is an empty list."""
    if data.get("editing") is True:
        data["editing"] = "values"
    elif not isinstance(data.get("editing"), str):
        data.pop("editing", None)
    for key in ("district_choices", "unknown"):
        if data.get(key) is None:
            data.pop(key, None)
    for key in ("previous_place", "misses", "slots"):
        if not isinstance(data.get(key), dict):
            data.pop(key, None)
    for key in ("district_unknown", "want_office", "name_before_consent", "consent"):
        if key in data:
            data[key] = bool(data[key])
    data.pop("_throttled", None)  # flood control's mark, kept by the handler, not the dialogue
    data["version"] = 3
    return data


# version → the function that brings a state of that version to the next one.
MIGRATIONS: dict[int, Callable[[StoredState], StoredState]] = {1: _v1_to_v2, 2: _v2_to_v3}
