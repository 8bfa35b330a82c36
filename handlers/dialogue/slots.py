"""Reading a message into the slots: entities (from every message, for every slot), and the
direct answers to the pending question that the entities do not cover (one reader a slot).

All pure; functions take the turn's `state` dict and change it in place (the machine works
on its own copy).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import geothai

from handlers import texts
from nlp.understanding import Understanding

BANGKOK = ZoneInfo("Asia/Bangkok")

# Asking order. `location` stands for province + district; `grade_status` is asked only when
# a level other than "none" is known without it.
SLOT_ORDER = ("role", "name", "age", "grade", "grade_status", "location", "reason", "path", "phone")
REQUIRED = ("role", "name", "age", "grade", "grade_status", "location")
OPTIONAL = ("reason", "path", "phone")
# The values the handler receives on submit (`Effect("submit", {"slots": ...})`).
PUBLIC = ("role", "name", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict", "postal_code", "reason", "path", "phone")
ENTITY_KEYS = ("role", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict", "postal_code", "reason", "path", "phone")
LOCATION_KEYS = ("province", "district", "subdistrict", "postal_code")

_POLITE_TAIL = re.compile(r"(?:\s*(?:ครับผม|ครับ|คับ|ค่ะ|ค่า|คะ|จ้า|จ้ะ|จ้ะ|นะคะ|นะครับ|นะ|เด้อ|เน้อ|จ้ะ|ฮะ|ค่ะๆ|[!.~ๆ😊🙏👍]))+\s*$")


def norm(text: str | None) -> str:
    """The message as a label would be typed: single spaces, no polite tail or end punctuation."""
    said = re.sub(r"\s+", " ", text or "").strip()
    return _POLITE_TAIL.sub("", said).strip() or said


def is_label(text: str | None, *labels: str) -> bool:
    said, raw = norm(text), re.sub(r"\s+", " ", text or "").strip()
    return any(raw == label or said == label for label in labels)


def choice(text: str | None, choices: dict[str, Any]) -> tuple[bool, Any]:
    said, raw = norm(text), re.sub(r"\s+", " ", text or "").strip()
    for label, value in choices.items():
        if raw == label or said == label:
            return True, value
    return False, None


# --- state helpers ---------------------------------------------------------------------------------


def missing(state: dict[str, Any]) -> str | None:
    """The next question to ask, in asking order, or None when everything is known."""
    slots = state["slots"]
    for slot in SLOT_ORDER:
        if slot == "grade_status":
            if slots.get("grade") not in (None, "none") and not slots.get("grade_status"):
                return slot
            continue
        if slot == "location":
            if state.get("district_choices"):
                return "district_choice"
            if not slots.get("province"):
                return "location"
            if not slots.get("district") and not state.get("district_unknown"):
                return "district"
            continue
        if slot in OPTIONAL:
            if slot not in slots:
                return slot
            continue
        if slots.get(slot) in (None, ""):
            return slot
    return None


def clear_field(state: dict[str, Any], field_name: str) -> None:
    """Forget one field so that it is asked again."""
    slots = state["slots"]
    if field_name == "grade":
        keys: tuple[str, ...] = ("grade", "grade_status")
    elif field_name == "location":
        keys = LOCATION_KEYS
        state.pop("district_unknown", None)
        state.pop("district_choices", None)
    elif field_name == "age":
        keys = ("age", "birth_year_be")
    else:
        keys = (field_name,)
    for key in keys:
        slots.pop(key, None)
    state.get("misses", {}).pop(field_name, None)


def age_from_birth_year(birth_year_be: int, now: datetime) -> int | None:
    age = now.astimezone(BANGKOK).year + 543 - int(birth_year_be)
    return age if 3 <= age <= 100 else None


def districts_of_postal_code(code: str) -> list[str]:
    return sorted({s.district_code for s in geothai.by_postal_code(str(code))})


def _set_district(state: dict[str, Any], district: str) -> None:
    slots = state["slots"]
    if slots.get("district") != district:
        slots.pop("subdistrict", None)
        if slots.get("postal_code") and district not in districts_of_postal_code(slots["postal_code"]):
            slots.pop("postal_code", None)
    slots["district"] = district
    slots["province"] = district[:2]
    state.pop("district_choices", None)
    state.pop("district_unknown", None)


# --- entities ----------------------------------------------------------------------------------------


def absorb(state: dict[str, Any], u: Understanding, now: datetime, *, overwrite: bool = True) -> bool:
    """Put the message's entities into the slots. `overwrite=False` only fills empty slots
    (used for questions, whose details may be hypothetical). True when something was taken."""
    entities = dict(u.entities or {})
    slots = state["slots"]
    was = (dict(slots), state.get("district_choices"), state.get("district_unknown"))
    taken = False

    def free(key: str) -> bool:
        return overwrite or slots.get(key) in (None, "")

    for key in ("role", "reason", "path", "phone"):
        if key in entities and entities[key] not in (None, "") and free(key):
            slots[key] = entities[key]
            taken = True

    age = entities.get("age")
    if "birth_year_be" in entities:
        from_year = age_from_birth_year(entities["birth_year_be"], now)
        if from_year is not None:
            age = from_year
            if free("age"):
                slots["birth_year_be"] = int(entities["birth_year_be"])
    if isinstance(age, int) and 3 <= age <= 100 and free("age"):
        if "birth_year_be" not in entities:
            slots.pop("birth_year_be", None)
        slots["age"] = age
        taken = True

    grade = entities.get("grade")
    if grade and free("grade"):
        if grade != slots.get("grade"):
            slots.pop("grade_status", None)
        slots["grade"] = grade
        taken = True
    status = entities.get("grade_status")
    if status and (overwrite or not slots.get("grade_status")) and slots.get("grade") != "none":
        slots["grade_status"] = status
        taken = True
    if slots.get("grade") == "none":
        slots.pop("grade_status", None)

    _absorb_place(state, entities, overwrite)
    # Something new only when a value changed (a repeated role is no answer to the name).
    return was != (dict(slots), state.get("district_choices"), state.get("district_unknown"))


def _absorb_place(state: dict[str, Any], entities: dict[str, Any], overwrite: bool) -> bool:
    slots = state["slots"]
    has_place = bool(slots.get("province"))
    if not overwrite and has_place:
        return False
    district = entities.get("district")
    sub = entities.get("subdistrict")
    if not district and isinstance(sub, str) and len(sub) == 6 and geothai.district(sub[:4]):
        district = sub[:4]
    if isinstance(district, str) and geothai.district(district):
        _set_district(state, district)
        if isinstance(sub, str) and sub[:4] == district:
            slots["subdistrict"] = sub
        if entities.get("postal_code"):
            slots["postal_code"] = str(entities["postal_code"])
        return True
    province = entities.get("province")
    postal = entities.get("postal_code")
    if postal:
        districts = districts_of_postal_code(str(postal))
        if province:
            districts = [d for d in districts if d[:2] == province] or districts
        if districts:
            slots["postal_code"] = str(postal)
        if len(districts) == 1:
            _set_district(state, districts[0])
            return True
        if districts:
            for key in ("district", "subdistrict"):
                slots.pop(key, None)
            state.pop("district_unknown", None)
            state["district_choices"] = districts[:12]
            provinces = {d[:2] for d in districts}
            if len(provinces) == 1:
                slots["province"] = provinces.pop()
            else:
                slots.pop("province", None)
            return True
    if isinstance(province, str) and geothai.province(province):
        if slots.get("province") != province:
            for key in ("district", "subdistrict", "postal_code"):
                slots.pop(key, None)
            state.pop("district_unknown", None)
            state.pop("district_choices", None)
        slots["province"] = province
        return True
    return False


# "ชื่อต้น", "ชื่อเล่นว่าฝน", "ลูกชื่อน้องมายด์" inside a longer message.
NAMED = re.compile(
    r"ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ)?\s*((?:น้อง)?[ก-๛A-Za-z]{1,30}?)"
    r"(?=\s|$|ครับ|คับ|ค่ะ|คะ|ค่า|จ้า|นะ|เด้อ|อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|โทร|ออก|เลข|[0-9,.!])"
)
_NOT_NAMES = re.compile(
    r"ไม่|บ่|อยาก|ทำไม|อะไร|ไหม|มั้ย|ยังไง|อย่างไร|เหรอ|หรอ|ที่ไหน|เท่าไหร่|ได้ไหม|\?|"
    r"สมัคร|เรียนต่อ|กลับไปเรียน|ยินยอม|ยืนยัน|ตกลง|โอเค|ถูกต้อง|สวัสดี|หวัดดี|ขอบคุณ|เจ้าหน้าที่|ข้อมูล|เอกสาร"
)
_NAME_PREFIX = re.compile(
    r"^(?:(?:ผม|หนู|ฉัน|เรา|ข่อย|ลูก(?:สาว|ชาย)?|หลาน(?:สาว|ชาย)?|เขา|น้องเขา|ดิฉัน)\s*)?"
    r"(?:ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ)?|เรียก(?:ว่า)?)\s*"
)
_NAME_STOP = re.compile(r"\s*(?:อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|โทร|ออก|เลข|ม\.|ป\.|\d).*$")
_PRONOUN_ONLY = re.compile(
    r"^(?:ผม|หนู|ฉัน|เรา|ข่อย|ดิฉัน|ตัวเอง|น้อง|ลูก(?:ชาย|สาว)?|หลาน(?:ชาย|สาว)?|เหลน|ลูกศิษย์|นักเรียน|เพื่อน|คนอื่น)(?:เอง|ของ.*)?$"
)


_NOT_A_NAME_WORD = {"ผิด", "ถูก", "ใหม่", "เดิม", "ของ", "ด้วย", "อะไร", "ไม่", "ว่า", "คือ", "เล่น", "จริง", "น้อง", "เต็ม"}


def name_in(text: str | None) -> str | None:
    """A name marked with ชื่อ inside any message ("ผมเอง ชื่อต้น อายุ 17", "ชื่อผิด ชื่อแพรว")."""
    for found in NAMED.finditer(text or ""):
        name = found.group(1)
        if name and name not in _NOT_A_NAME_WORD and not _PRONOUN_ONLY.match(name) and not _NOT_NAMES.search(name):
            return name
    return None


def name_answer(u: Understanding) -> str | None:
    """The whole message read as the answer to "what is the name?"."""
    raw = re.sub(r"\s+", " ", u.text or "").strip()
    if not raw or u.intent not in ("inform", "out_of_scope", "greet", "enroll", "affirm", "thanks"):
        return None
    marked = name_in(raw)
    if marked:
        return marked
    name = norm(raw)
    name = _NAME_PREFIX.sub("", name).strip()
    name = _NAME_STOP.sub("", name).strip()
    name = re.sub(r"[\"'“”!?.,:;()\[\]{}<>*#@/\\_=+|~^]", "", name).strip()
    name = norm(name)
    if not name or _PRONOUN_ONLY.match(name) or _NOT_NAMES.search(name):
        return None
    if re.search(r"\d", name) or not re.search(r"[ก-๛A-Za-z]", name):
        return None
    if len(name.split()) > 4:
        return None  # a sentence, not a name
    all_labels = {*texts.MENU, *texts.FAQ_MENU, *texts.HELP_MENU, *texts.ROLE_CHOICES, *texts.GRADE_CHOICES, *texts.STATUS_CHOICES,
                  *texts.REASON_CHOICES, *texts.PATH_CHOICES, *texts.FIELD_CHOICES, texts.PHONE_NONE, texts.UNKNOWN_DISTRICT,
                  texts.CONFIRM, texts.EDIT, texts.CONSENT_YES, texts.CONSENT_NO, texts.ANOTHER, texts.SKIP}
    if name in all_labels:
        return None
    return name[:60]


# --- direct answers to the pending question ----------------------------------------------------------

Reader = Callable[[dict[str, Any], Understanding], bool]

_UNKNOWN = re.compile(r"^(?:ไม่รู้|ไม่ทราบ|ไม่ทราบเขต|ไม่แน่ใจ|ไม่รู้อำเภอ|ไม่ทราบอำเภอ|จำไม่ได้|บ่รู้|บ่ฮู้|บ่แน่ใจ|ไม่รู้เหมือนกัน|ข้าม)")
_SKIP = re.compile(r"^(?:ข้าม|ไม่อยากบอก|ไม่บอก|ไม่ตอบ|ไม่อยากตอบ|ผ่าน|skip|ไม่มี|ไม่มีอะไร|ไม่ระบุ|ไม่สะดวกบอก|บ่บอก|บ่อยากบอก|ไว้ก่อน|ยังไม่บอก)", re.I)
_QUESTION = re.compile(r"ไหม|มั้ย|อะไร|ยังไง|อย่างไร|เหรอ|หรอ|ที่ไหน|เท่าไหร่|\?")


def _read_role(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.ROLE_CHOICES)
    said = norm(u.text)
    if not hit:
        if re.search(r"^(?:ตัวเอง|ผม|หนู|ฉัน|เรา|ข่อย|เค้า|ดิฉัน|กู)(?:เอง)?$|เอง$|ตัวเอง", said):
            hit, value = True, "self"
        elif re.search(r"ลูก|หลาน|เหลน", said):
            hit, value = True, "parent"
        elif re.search(r"นักเรียน|ลูกศิษย์|เพื่อน|คนอื่น|ครู|แฟน|น้องชาย|น้องสาว|พี่ชาย|พี่สาว|ญาติ|คนรู้จัก", said):
            hit, value = True, "other"
    if hit:
        state["slots"]["role"] = value
    return hit


def _read_name(state: dict[str, Any], u: Understanding) -> bool:
    name = name_answer(u)
    if name:
        state["slots"]["name"] = name
    return bool(name)


def _read_age(state: dict[str, Any], u: Understanding) -> bool:
    said = norm(u.text)
    found = re.fullmatch(r"(?:อายุ\s*)?(\d{1,2})(?:\s*(?:ปี|ขวบ))?", said)
    if found and 3 <= int(found.group(1)) <= 100:
        state["slots"]["age"] = int(found.group(1))
        state["slots"].pop("birth_year_be", None)
        return True
    return False


def _read_grade(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.GRADE_CHOICES)
    if hit:
        if state["slots"].get("grade") != value:
            state["slots"].pop("grade_status", None)
        state["slots"]["grade"] = value
    return hit


def _read_grade_status(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.STATUS_CHOICES)
    said = norm(u.text)
    if not hit:
        if re.search(r"ไม่จบ|บ่จบ|ยังไม่จบ|ออก|ดรอป|ค้าง|ไม่ได้จบ|เรียนไม่ครบ", said) or u.intent == "deny":
            hit, value = True, "left_during"
        elif re.search(r"จบ|ได้วุฒิ", said) or u.intent == "affirm":
            hit, value = True, "completed"
    if hit:
        state["slots"]["grade_status"] = value
    return hit


def district_in_province(text: str | None, province: str) -> str | None:
    """A district of a known province named in the text ("เมือง", "อ.เกาะคา")."""
    said = norm(text).replace(" ", "")
    said = re.sub(r"^(?:อยู่|ที่)?(?:อำเภอ|อ\.|เขต)?", "", said)
    if not said:
        return None
    districts = geothai.districts(province)
    if said.startswith("เมือง"):
        mueang = [d.code for d in districts if d.name_th == "เมือง" + texts.province_name(province)]
        named = [d.code for d in districts if d.name_th != "เมือง" + texts.province_name(province) and d.name_th in said]
        if named:
            return named[0] if len(named) == 1 else None
        return mueang[0] if len(mueang) == 1 else None
    hits = [d.code for d in districts if d.name_th.removeprefix("เขต") in said]
    return hits[0] if len(hits) == 1 else None


def _read_location(state: dict[str, Any], u: Understanding) -> bool:
    return False  # read from entities only (text, postal code or a shared location)


def _read_district(state: dict[str, Any], u: Understanding) -> bool:
    province = state["slots"].get("province")
    if not province:
        return False
    found = district_in_province(u.text, province)
    if found:
        _set_district(state, found)
        return True
    if is_label(u.text, texts.UNKNOWN_DISTRICT, texts.UNKNOWN_KHET) or _UNKNOWN.match(norm(u.text)) or u.intent == "deny":
        state["district_unknown"] = True
        return True
    return False


def _read_district_choice(state: dict[str, Any], u: Understanding) -> bool:
    for code in state.get("district_choices") or []:
        action = texts.district_choice_action(code)
        if is_label(u.text, action["label"], action["text"]):
            _set_district(state, code)
            return True
    for code in state.get("district_choices") or []:
        if texts.district_name(code) in (u.text or ""):
            _set_district(state, code)
            return True
    return False


def _read_reason(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.REASON_CHOICES)
    said = norm(u.text)
    if not hit and (u.intent == "deny" or _SKIP.match(said) or _UNKNOWN.match(said)):
        hit, value = True, None
    if hit:
        state["slots"]["reason"] = value
    return hit


def _reason_in_own_words(state: dict[str, Any], u: Understanding) -> bool:
    """A reason the reader has no category for ("เบื่อ ไม่อยากไปโรงเรียน") is `other`."""
    said = norm(u.text)
    if u.intent in ("inform", "out_of_scope") and len(re.findall(r"[ก-๛]", said)) >= 6 and not _QUESTION.search(said):
        state["slots"]["reason"] = "other"
        return True
    return False


def _read_path(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.PATH_CHOICES)
    said = norm(u.text)
    if not hit:
        if re.search(r"ไม่รู้|บ่รู้|บ่ฮู้|ไม่ทราบ|ไม่แน่ใจ|บ่แน่ใจ|แล้วแต่|ยังไม่รู้|ยังไม่ได้คิด|อะไรก็ได้", said):
            hit, value = True, "unsure"
        elif re.search(r"สามัญ|ได้วุฒิ|ม\.3|ม\.6|ม\.ปลาย|ม\.ต้น", said):
            hit, value = True, "general"
        elif re.search(r"อาชีพ|ปวช|ช่าง", said):
            hit, value = True, "vocational"
        elif u.intent == "deny" or _SKIP.match(said):
            hit, value = True, None
    if hit:
        state["slots"]["path"] = value
    return hit


def _read_phone(state: dict[str, Any], u: Understanding) -> bool:
    said = norm(u.text).lower()
    line_only = re.search(r"ไม่มี|บ่มี|ไม่สะดวก|บ่สะดวก|ไลน์|line|ไม่ให้|ไม่อยากให้|แชท|แชต|ทางนี้", said)
    if is_label(u.text, texts.PHONE_NONE) or line_only or u.intent == "deny" or _SKIP.match(said):
        state["slots"]["phone"] = None
        return True
    return False


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

# The quick-reply texts each question offers: a message that is exactly one of them is an
# answer to that question, whatever the NLU made of it.
def offered_labels(pending: str | None, state: dict[str, Any]) -> set[str]:
    if pending is None:
        return set()
    if pending == "district_choice":
        labels: set[str] = set()
        for code in state.get("district_choices") or []:
            action = texts.district_choice_action(code)
            labels |= {action["label"], action["text"]}
        return labels
    try:
        _, quick = texts.question(pending, state["slots"], state.get("district_choices"))
    except KeyError:
        return set()
    labels = {q for q in quick if isinstance(q, str)}
    extra = {"grade_status": set(texts.STATUS_CHOICES), "reason": {texts.SKIP}, "path": {texts.SKIP}, "phone": {texts.SKIP}}
    return labels | extra.get(pending, set())
