"""Putting what a message says into the slots: the entities (from every message, for every slot)
and the direct answers to the pending question (`Understanding.answer`, read in `nlp.answers`).

No reading of Thai here: every function takes an `Understanding` and the `State`, and changes the
state in place (the machine works on its own copy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypeVar

import geothai

from handlers import texts
from handlers.dialogue.state import Question, State, text_slot
from handlers.dialogue.thresholds import MAX_AGE, MAX_DISTRICT_CHOICES, MIN_AGE
from nlp.answers import place_inside
from nlp.places import districts_for_postal_code
from nlp.thaitime import age_from_birth_year
from nlp.understanding import Understanding

# Asking order. `location` stands for province + district; `grade_status` is asked only when
# a level other than "none" is known without it.
SLOT_ORDER: tuple[Question, ...] = (
    "role", "name", "age", "grade", "grade_status", "location", "reason", "path", "phone"
)
REQUIRED = ("role", "name", "age", "grade", "grade_status", "location")
OPTIONAL = ("reason", "path", "phone")
# Required slots a user may truly not know ("ไม่รู้" twice): then they stay empty, marked in
# `state.unknown`, and the office asks. The location never is: no case without a province.
MAY_BE_UNKNOWN = ("name", "age", "grade", "grade_status")
# The values the handler receives on submit (`Effect("submit", {"slots": ...})`).
PUBLIC = ("role", "name", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict",
          "postal_code", "reason", "path", "phone")
LOCATION_KEYS = ("province", "district", "subdistrict", "postal_code")
# The slot keys each field of the summary stands for (what a correction of that field may change).
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "role": ("role",),
    "name": ("name",),
    "age": ("age", "birth_year_be"),
    "grade": ("grade", "grade_status"),
    "location": LOCATION_KEYS,
    "reason": ("reason",),
    "path": ("path",),
    "phone": ("phone",),
}


def warm_up() -> None:
    """Build the place-name tables the answer readers use now, not on the first message."""
    from nlp.answers import warm_up as warm_answers

    warm_answers()


def tapped(u: Understanding, *labels: str) -> bool:
    """The message is one of these quick-reply texts (as typed, or with a polite tail)."""
    return any(form in labels for form in u.answer.forms)


T = TypeVar("T")


def tapped_choice(u: Understanding, choices: Mapping[str, T]) -> tuple[bool, T | None]:
    """(True, its value) when the message is one of the `choices` (quick-reply text → value)."""
    for form in u.answer.forms:
        if form in choices:
            return True, choices[form]
    return False, None


# --- state helpers ---------------------------------------------------------------------------------


def missing(state: State) -> Question | None:
    """The next question to ask, in asking order, or None when everything is known."""
    slots = state.slots
    for slot in SLOT_ORDER:
        if slot in state.unknown:
            continue
        if slot == "grade_status":
            if slots.get("grade") not in (None, "none") and not slots.get("grade_status"):
                return slot
            continue
        if slot == "location":
            if state.district_choices:
                return "district_choice"
            if not slots.get("province"):
                return "location"
            if not slots.get("district") and not state.district_unknown:
                return "district"
            continue
        if slot in OPTIONAL:
            if slot not in slots:
                return slot
            continue
        if slots.get(slot) in (None, ""):
            return slot
    return None


def clear_field(state: State, field_name: str) -> None:
    """Forget one field so that it is asked again."""
    keys = FIELD_KEYS.get(field_name, (field_name,))
    if field_name == "location":
        state.district_unknown = False
        state.district_choices = []
    for key in keys:
        state.slots.pop(key, None)
    state.misses.pop(field_name, None)
    state.unknown = [slot for slot in state.unknown if slot not in (field_name, *keys)]
    state.district_hint = None


def set_district(state: State, district: str) -> None:
    slots = state.slots
    if slots.get("district") != district:
        slots.pop("subdistrict", None)
        postal = text_slot(slots, "postal_code")
        if postal and district not in districts_for_postal_code(postal):
            slots.pop("postal_code", None)
    slots["district"] = district
    slots["province"] = district[:2]
    state.district_choices = []
    state.district_unknown = False


def set_province(state: State, province: str) -> None:
    """The province, and the district named earlier without it ("อำเภอเมือง" → which province?)."""
    slots = state.slots
    if slots.get("province") != province:
        for key in ("district", "subdistrict", "postal_code"):
            slots.pop(key, None)
        state.district_unknown = False
        state.district_choices = []
    slots["province"] = province
    hint, state.district_hint = state.district_hint, None
    if hint and not slots.get("district"):
        found = _hinted_district(hint, province)
        if found:
            set_district(state, found)


def _hinted_district(hint: str, province: str) -> str | None:
    """The district a hint ("เมือง", a name several provinces share) names in this province."""
    return Understanding("inform", 1.0, {}, hint).answer.district_in(province)


# --- entities ----------------------------------------------------------------------------------------


def absorb(state: State, u: Understanding, now: datetime, *, overwrite: bool = True) -> bool:
    """Put the message's entities into the slots. `overwrite=False` only fills empty slots
    (used for questions, whose details may be hypothetical). While a field of the summary is
    being corrected, only that field changes. True when something was taken."""
    entities = dict(u.entities or {})
    slots = state.slots
    was = (dict(slots), list(state.district_choices), state.district_unknown)
    if state.editing in FIELD_KEYS:
        entities = {key: value for key, value in entities.items()
                    if key in FIELD_KEYS[state.editing] or (state.editing == "age" and key == "birth_year_be")}

    def free(key: str) -> bool:
        return overwrite or slots.get(key) in (None, "")

    asked_elsewhere = state.stage == "collecting"
    if asked_elsewhere and "age" not in entities and "birth_year_be" not in entities and slots.get("age") is None \
            and state.editing in (None, "values", "age"):
        bare = u.answer.bare_age
        if bare is not None:
            entities["age"] = bare  # "24 0665980611", "ปาล์ม 12": the one plain number is the age
    if asked_elsewhere and entities.get("grade") == "vocational" and slots.get("grade") and "path" not in slots \
            and state.pending not in ("grade", "grade_status") and not u.answer.vocational_as_level:
        del entities["grade"]  # a bare "ปวช" once the level is known is the path wished for
        entities.pop("grade_status", None)
        entities.setdefault("path", "vocational")
    if "phone" not in slots and "phone" not in entities and state.editing in (None, "values", "phone") \
            and u.answer.no_phone_inline:
        slots["phone"] = None  # "ไม่สะดวกให้เบอร์" said along with other answers: LINE only
    if slots.get("role") and asked_elsewhere and state.pending != "role":
        entities.pop("role", None)  # a role word in another answer does not change who studies
    if asked_elsewhere and state.pending != "path" and entities.get("path") == "unsure" and not u.answer.mentions_path:
        entities.pop("path")  # "ยังไม่รู้" to the phone question says nothing of the path
    for key in ("role", "reason", "path", "phone"):
        if key in entities and entities[key] not in (None, "") and free(key):
            slots[key] = entities[key]

    age = entities.get("age")
    if "birth_year_be" in entities:
        from_year = age_from_birth_year(int(entities["birth_year_be"]), now)
        if from_year is not None:
            age = from_year
            if free("age"):
                slots["birth_year_be"] = int(entities["birth_year_be"])
    if isinstance(age, int) and MIN_AGE <= age <= MAX_AGE and free("age"):
        if "birth_year_be" not in entities:
            slots.pop("birth_year_be", None)
        slots["age"] = age

    grade = entities.get("grade")
    if grade and free("grade"):
        if grade != slots.get("grade"):
            slots.pop("grade_status", None)
        slots["grade"] = grade
    status = entities.get("grade_status")
    if status and slots.get("grade_status") and "grade" not in entities and asked_elsewhere \
            and state.pending not in ("grade", "grade_status"):
        status = None  # a status alone, not asked for, does not replace a known one ("เอาที่จบเร็ว")
    if status and (overwrite or not slots.get("grade_status")) and slots.get("grade") != "none":
        slots["grade_status"] = status
    if slots.get("grade") == "none":
        slots.pop("grade_status", None)

    if asked_elsewhere and slots.get("province") and state.pending not in ("location", "district", "district_choice"):
        # A place in the answer to another question ("ต้องเลี้ยงน้อง" once read as อ.ลี้) does not
        # move a home already given (a real move is corrected at the summary); it may still
        # fill the district of the province given.
        place = entities.get("district") or entities.get("province") or ""
        if slots.get("district") or place[:2] != slots["province"]:
            for key in LOCATION_KEYS:
                entities.pop(key, None)
    _absorb_place(state, entities, overwrite)
    # Something new only when a value changed (a repeated role is no answer to the name).
    return was != (dict(slots), list(state.district_choices), state.district_unknown)


def _absorb_place(state: State, entities: Mapping[str, object], overwrite: bool) -> bool:
    slots = state.slots
    has_place = bool(slots.get("province"))
    district = entities.get("district")
    if not overwrite and has_place:
        # Only what is still empty: the district of the known province ("อำเภอป่าซาง" in a question).
        if not slots.get("district") and isinstance(district, str) and district[:2] == slots["province"] \
                and geothai.district(district):
            set_district(state, district)
            return True
        return False
    sub = entities.get("subdistrict")
    if not district and isinstance(sub, str) and len(sub) == 6 and geothai.district(sub[:4]):
        district = sub[:4]
    if isinstance(district, str) and geothai.district(district):
        set_district(state, district)
        if isinstance(sub, str) and sub[:4] == district:
            slots["subdistrict"] = sub
        if entities.get("postal_code"):
            slots["postal_code"] = str(entities["postal_code"])
        return True
    province = entities.get("province")
    postal = entities.get("postal_code")
    if postal:
        districts = districts_for_postal_code(str(postal))
        if province:
            districts = [d for d in districts if d[:2] == province] or districts
        if districts:
            slots["postal_code"] = str(postal)
        if len(districts) == 1:
            set_district(state, districts[0])
            return True
        if districts:
            for key in ("district", "subdistrict"):
                slots.pop(key, None)
            state.district_unknown = False
            state.district_choices = districts[:MAX_DISTRICT_CHOICES]
            provinces = {d[:2] for d in districts}
            if len(provinces) == 1:
                slots["province"] = provinces.pop()
            else:
                slots.pop("province", None)
            return True
    if isinstance(province, str) and geothai.province(province):
        set_province(state, province)
        return True
    return False


# --- direct answers to the pending question ----------------------------------------------------------

Reader = Callable[[State, Understanding], bool]


def _read_role(state: State, u: Understanding) -> bool:
    hit, value = tapped_choice(u, texts.ROLE_CHOICES)
    if not hit and u.answer.role:
        hit, value = True, u.answer.role
    if hit:
        state.slots["role"] = value
    return hit


def _read_name(state: State, u: Understanding) -> bool:
    name = u.answer.name
    if name and name in texts.ALL_LABELS:
        name = None  # a quick-reply text of another question is no name
    if name:
        state.slots["name"] = name
    return bool(name)


def _read_age(state: State, u: Understanding) -> bool:
    if u.answer.age is None:
        return False
    state.slots["age"] = u.answer.age
    state.slots.pop("birth_year_be", None)
    return True


def _read_grade(state: State, u: Understanding) -> bool:
    hit, value = tapped_choice(u, texts.GRADE_CHOICES)
    if hit:
        if state.slots.get("grade") != value:
            state.slots.pop("grade_status", None)
        state.slots["grade"] = value
    return hit


def _read_grade_status(state: State, u: Understanding) -> bool:
    hit, value = tapped_choice(u, texts.STATUS_CHOICES)
    if not hit and u.answer.grade_status:
        hit, value = True, u.answer.grade_status
    if hit:
        state.slots["grade_status"] = value
    return hit


def _read_location(state: State, u: Understanding) -> bool:
    """What the entities leave out, read as the answer to "which district and province?": a
    province that is also a word ("แพร่", "น่าน"), a typo ("ลปาง"), or a district named without
    its province that several provinces have ("อำเภอเมือง": kept until the province comes)."""
    previous = state.previous_place
    if previous and (tapped(u, texts.SAME_PLACE) or u.answer.same_place):
        set_province(state, previous["province"])
        if previous.get("district"):
            set_district(state, previous["district"])
        return True
    place = u.answer.place
    if place is None:
        return False
    kind, value = place
    if kind == "province":
        set_province(state, value)
    elif kind == "district":
        set_district(state, value)
    else:
        state.district_hint = value
    return True


def place_inside_name(state: State, u: Understanding) -> bool:
    """The name just taken holds the place the NLU found ("จันทร์เพ็ญ" holds อ.เพ็ญ)."""
    return place_inside(text_slot(state.slots, "name"), u.entities)


def district_beside_province(state: State, u: Understanding) -> bool:
    """After the province was read from a message, its district named in the same message in
    words the reader leaves out ("เมือง น่าน", "ตัวเมืองลำปาง")."""
    province = text_slot(state.slots, "province")
    if not province or state.slots.get("district"):
        return False
    found = u.answer.district_beside(province)
    if found:
        set_district(state, found)
    return bool(found)


def _read_district(state: State, u: Understanding) -> bool:
    province = text_slot(state.slots, "province")
    if not province:
        return False
    found = u.answer.district_in(province)
    if found:
        set_district(state, found)
        return True
    if tapped(u, texts.UNKNOWN_DISTRICT, texts.UNKNOWN_KHET) or u.answer.unknown or u.intent == "deny":
        state.district_unknown = True
        return True
    return False


def _read_district_choice(state: State, u: Understanding) -> bool:
    choices = list(state.district_choices)
    for code in choices:
        action = texts.district_choice_action(code)
        if tapped(u, action["label"], action["text"]):
            set_district(state, code)
            return True
    named = {u.answer.district_in(province) or "" for province in {code[:2] for code in choices}} & set(choices)
    if len(named) == 1:  # "ในเมือง": the เมือง district among the choices
        set_district(state, named.pop())
        return True
    return False


def _read_reason(state: State, u: Understanding) -> bool:
    hit, value = tapped_choice(u, texts.REASON_CHOICES)
    if not hit and (u.answer.declines or u.answer.unknown):
        hit, value = True, None
    if hit:
        state.slots["reason"] = value
    return hit


def _reason_in_own_words(state: State, u: Understanding) -> bool:
    """A reason the reader has no category for ("เบื่อ ไม่อยากไปโรงเรียน") is `other`."""
    if u.answer.reason_in_own_words:
        state.slots["reason"] = "other"
        return True
    return False


def _read_path(state: State, u: Understanding) -> bool:
    hit, value = tapped_choice(u, texts.PATH_CHOICES)
    if not hit and u.answer.path:
        hit, value = True, u.answer.path
    elif not hit and u.answer.declines:
        hit, value = True, None
    if hit:
        state.slots["path"] = value
    return hit


def _read_phone(state: State, u: Understanding) -> bool:
    if tapped(u, texts.PHONE_NONE) or u.answer.no_phone:
        state.slots["phone"] = None
        return True
    return False


def _read_offered(state: State, u: Understanding, slot: str) -> bool:
    """"ใช้ข้อมูลเดิม" after a restart: the value given before for this question."""
    keys = FIELD_KEYS.get("location" if slot in ("district", "district_choice") else slot, ())
    values = {key: state.offered[key] for key in keys if key in state.offered}
    if not values or not tapped(u, texts.KEEP_OLD):
        return False
    state.slots.update(values)
    state.district_choices = []
    return True


READERS: dict[str, Reader] = {
    "role": _read_role,
    "name": _read_name,
    "age": _read_age,
    "grade": _read_grade,
    "grade_status": _read_grade_status,
    "location": _read_location,
    "district": _read_district,
    "district_choice": _read_district_choice,
    "reason": _read_reason,
    "path": _read_path,
    "phone": _read_phone,
}
# Readers tried only when the message gave no entity at all.
LAST_RESORT: dict[str, Reader] = {"reason": _reason_in_own_words}
# The entity keys that answer each question: a message carrying one of them answers it.
ANSWER_KEYS: dict[str, frozenset[str]] = {
    "role": frozenset({"role"}),
    "name": frozenset(),
    "age": frozenset({"age", "birth_year_be"}),
    "grade": frozenset({"grade", "grade_status"}),
    "grade_status": frozenset({"grade", "grade_status"}),
    "location": frozenset(LOCATION_KEYS),
    "district": frozenset(LOCATION_KEYS),
    "district_choice": frozenset(LOCATION_KEYS),
    "reason": frozenset({"reason"}),
    "path": frozenset({"path"}),
    "phone": frozenset({"phone"}),
}


def read_pending(state: State, u: Understanding, pending: str) -> bool:
    """The message as the direct answer to the pending question (a restart's old value first)."""
    if state.offered and _read_offered(state, u, pending):
        return True
    reader = READERS.get(pending)
    return bool(reader and reader(state, u))


def offered_labels(pending: str | None, state: State) -> set[str]:
    """The quick-reply texts the pending question offers: a message that is exactly one of them
    is an answer to that question, whatever the NLU made of it."""
    if pending is None:
        return set()
    if pending == "district_choice":
        labels: set[str] = set()
        for code in state.district_choices:
            action = texts.district_choice_action(code)
            labels |= {action["label"], action["text"]}
        return labels
    try:
        _, quick = texts.question(pending, state.slots, state.district_choices or None,
                                  previous_place=state.previous_place or None)
    except KeyError:
        return set()
    labels = {q for q in quick if isinstance(q, str)}
    labels |= {q["text"] for q in quick if isinstance(q, dict) and q.get("type") == "message"}
    extra = {"grade_status": set(texts.STATUS_CHOICES), "reason": {texts.SKIP}, "path": {texts.SKIP},
             "phone": {texts.SKIP}}
    if pending in MAY_BE_UNKNOWN:
        labels.add(texts.SKIP)  # offered once the user has said they do not know
    if state.offered:
        labels.add(texts.KEEP_OLD)
    return labels | extra.get(pending, set())


def would_answer(state: State, u: Understanding, now: datetime, *, entities_only: bool = False) -> bool:
    """Would this message, read as a plain answer, fill the pending question? Tried on a copy.
    `entities_only`: count only the NLU's entities, not the looser readers of the question."""
    pending = state.pending
    if pending not in READERS:
        return False
    trial = state.copy()
    plain = Understanding("inform", u.confidence, dict(u.entities or {}), u.text)
    before = missing(trial)
    absorb(trial, plain, now)
    if missing(trial) != before:
        return True
    if entities_only:
        return False
    if missing(trial) == pending and (read_pending(trial, plain, pending)
                                      or (pending in LAST_RESORT and LAST_RESORT[pending](trial, plain))):
        return True
    return pending == "name" and state.consent and plain.answer.marked_name is not None
