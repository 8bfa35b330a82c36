"""Reading a message into the slots: entities (from every message, for every slot), and the
direct answers to the pending question that the entities do not cover (one reader a slot).

All pure; functions take the turn's `state` dict and change it in place (the machine works
on its own copy).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import geothai

from handlers import texts
from nlp.normalize import normalize
from nlp.understanding import Understanding

BANGKOK = ZoneInfo("Asia/Bangkok")

# Asking order. `location` stands for province + district; `grade_status` is asked only when
# a level other than "none" is known without it.
SLOT_ORDER = ("role", "name", "age", "grade", "grade_status", "location", "reason", "path", "phone")
REQUIRED = ("role", "name", "age", "grade", "grade_status", "location")
OPTIONAL = ("reason", "path", "phone")
# Required slots a user may truly not know ("ไม่รู้" twice): then they stay empty, marked in
# `state["unknown"]`, and the office asks. The location never is: no case without a province.
MAY_BE_UNKNOWN = ("name", "age", "grade", "grade_status")
# The values the handler receives on submit (`Effect("submit", {"slots": ...})`).
PUBLIC = ("role", "name", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict", "postal_code", "reason", "path", "phone")
ENTITY_KEYS = ("role", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict", "postal_code", "reason", "path", "phone")
LOCATION_KEYS = ("province", "district", "subdistrict", "postal_code")

_POLITE_TAIL = re.compile(
    r"(?:\s*(?:ครับผม|ครับ|คร้าบ|ค้าบ|คับ|ฮับ|ค่ะ|ค่า|คร่า|คร้า|คะ|(?<!วัง)(?<!กะ)(?<!พระ)เจ้า|จ้า|จ้ะ|จ๊ะ|นะคะ|นะครับ|นะ|เด้อ|เด้|เน้อ|ฮะ|ค่ะๆ|[!.~ๆ😊🙏👍]))+\s*$"
)


def warm_up() -> None:
    """Build the place-name tables now, not on the first message that needs them."""
    _place_names()
    _province_names()
    _district_names()


def copy_state(value: Any) -> Any:
    """A deep copy of a JSON-like state (dicts, lists, scalars), at a third of `copy.deepcopy`'s cost."""
    if isinstance(value, dict):
        return {key: copy_state(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_state(item) for item in value]
    return value


@lru_cache(maxsize=256)
def squeezed(text: str | None) -> str:
    """The message with single spaces. (Cached, as `norm`.)"""
    return re.sub(r"\s+", " ", text or "").strip()


@lru_cache(maxsize=256)
def norm(text: str | None) -> str:
    """The message as a label would be typed: single spaces, no polite tail or end punctuation.
    (Cached: one message's text is read this way by many readers in one step.)"""
    said = squeezed(text)
    return _POLITE_TAIL.sub("", said).strip() or said


def is_label(text: str | None, *labels: str) -> bool:
    said, raw = norm(text), squeezed(text)
    return any(raw == label or said == label for label in labels)


def choice(text: str | None, choices: dict[str, Any]) -> tuple[bool, Any]:
    said, raw = norm(text), squeezed(text)
    for label, value in choices.items():
        if raw == label or said == label:
            return True, value
    return False, None


# --- state helpers ---------------------------------------------------------------------------------


def missing(state: dict[str, Any]) -> str | None:
    """The next question to ask, in asking order, or None when everything is known."""
    slots = state["slots"]
    unknown = state.get("unknown") or ()
    for slot in SLOT_ORDER:
        if slot in unknown:
            continue
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
    if state.get("unknown"):
        state["unknown"] = [slot for slot in state["unknown"] if slot not in (field_name, *keys)]
    state.pop("district_hint", None)


def age_from_birth_year(birth_year_be: int, now: datetime) -> int | None:
    age = now.astimezone(BANGKOK).year + 543 - int(birth_year_be)
    return age if 3 <= age <= 100 else None


def districts_of_postal_code(code: str) -> list[str]:
    return sorted({s.district_code for s in geothai.by_postal_code(str(code))})


def set_district(state: dict[str, Any], district: str) -> None:
    _set_district(state, district)


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


_NO_PHONE = re.compile(r"ไม่(?:มี|สะดวก|อยาก)?(?:ให้)?\s*เบอร์|ติดต่อ(?:ทาง)?ไลน์|ทางไลน์")
_NUMBER_WORD = r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+"
# A plain number standing alone in a longer answer, not a count, a house number or a level.
_BARE_AGE = re.compile(
    r"(?:^|(?<=\s))(\d{1,2}|" + _NUMBER_WORD + r")(?=$|\s|ค่ะ|ครับ|คะ|จ้ะ|นะ|ปี|ขวบ)"
    r"(?!\s*(?:คน|ครั้ง|บาท|เดือน|วัน|โมง|ชม|ชั่วโมง|นาที|กม|กิโล|ห้อง|หลัง|%|/|:|-|\.\d))"
)
_NOT_AN_AGE_BEFORE = re.compile(r"(?:เลขที่|หมู่|ม\.|ป\.|ซอย|ซ\.|ถนน|ถ\.|ชั้น|ปวช\.?|ปี|ห้อง|(?<![ก-๛])(?:ม|ป|มอ)|ประถม|มัธยม|เทอม|ที่)\s*$")


def bare_age(text: str | None) -> int | None:
    """The age in "24 สายสามัญ", "ปาล์ม 12", "ยี่สิบ จ้า เบอร์ …": one plain number, 5–99."""
    from pythainlp.util import thaiword_to_num

    said = normalize(text or "")
    said = re.sub(r"(?:\+?66|0)(?:[\s\-.]?\d){8,9}", " ", said)  # phones
    said = re.sub(r"\d{3,}", " ", said)
    found = []
    for match in _BARE_AGE.finditer(said):
        if _NOT_AN_AGE_BEFORE.search(said[:match.start()]):
            continue
        raw = match.group(1)
        try:
            value = int(raw) if raw.isdigit() else thaiword_to_num(raw)
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if isinstance(value, int) and 10 <= value <= 99:  # a lone 6 in a longer answer is no age
            found.append(value)
    return found[0] if len(found) == 1 else None


def absorb(state: dict[str, Any], u: Understanding, now: datetime, *, overwrite: bool = True) -> bool:
    """Put the message's entities into the slots. `overwrite=False` only fills empty slots
    (used for questions, whose details may be hypothetical). True when something was taken."""
    entities = dict(u.entities or {})
    slots = state["slots"]
    was = (dict(slots), state.get("district_choices"), state.get("district_unknown"))
    taken = False

    def free(key: str) -> bool:
        return overwrite or slots.get(key) in (None, "")

    asked_elsewhere = state.get("stage") == "collecting"
    if asked_elsewhere and "age" not in entities and "birth_year_be" not in entities and slots.get("age") is None:
        bare = bare_age(u.text)
        if bare is not None:
            entities["age"] = bare  # "24 0665980611", "ปาล์ม 12": the one plain number is the age
    if asked_elsewhere and entities.get("grade") == "vocational" and slots.get("grade") and "path" not in slots \
            and state.get("pending") not in ("grade", "grade_status") \
            and not re.search(r"(?:จบ|ออกตอน|เรียนถึง|ค้าง|เรียน)\s*ปวช", plain(u.text)):
        del entities["grade"]  # a bare "ปวช" once the level is known is the path wished for
        entities.pop("grade_status", None)
        entities.setdefault("path", "vocational")
    if "phone" not in slots and "phone" not in entities and _NO_PHONE.search(plain(u.text)):
        slots["phone"] = None  # "ไม่สะดวกให้เบอร์" said along with other answers: LINE only
    if slots.get("role") and asked_elsewhere and state.get("pending") != "role":
        entities.pop("role", None)  # a role word in another answer does not change who studies
    if asked_elsewhere and state.get("pending") != "path" and entities.get("path") == "unsure" \
            and not re.search(r"สาย|สามัญ|อาชีพ|ปวช|เรียนอะไร|เรียนต่อ", u.text or ""):
        entities.pop("path")  # "ยังไม่รู้" to the phone question says nothing of the path
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
    if status and slots.get("grade_status") and "grade" not in entities and asked_elsewhere \
            and state.get("pending") not in ("grade", "grade_status"):
        status = None  # a status alone, not asked for, does not replace a known one ("เอาที่จบเร็ว")
    if status and (overwrite or not slots.get("grade_status")) and slots.get("grade") != "none":
        slots["grade_status"] = status
        taken = True
    if slots.get("grade") == "none":
        slots.pop("grade_status", None)

    pending = state.get("pending")
    if asked_elsewhere and slots.get("province") and pending not in ("location", "district", "district_choice"):
        # A place in the answer to another question ("ต้องเลี้ยงน้อง" once read as อ.ลี้) does not
        # move a home already given (a real move is corrected at the summary); it may still
        # fill the district of the province given.
        place = entities.get("district") or entities.get("province") or ""
        if slots.get("district") or place[:2] != slots["province"]:
            for key in LOCATION_KEYS:
                entities.pop(key, None)
    _absorb_place(state, entities, overwrite)
    # Something new only when a value changed (a repeated role is no answer to the name).
    return was != (dict(slots), state.get("district_choices"), state.get("district_unknown"))


def _absorb_place(state: dict[str, Any], entities: dict[str, Any], overwrite: bool) -> bool:
    slots = state["slots"]
    has_place = bool(slots.get("province"))
    district = entities.get("district")
    if not overwrite and has_place:
        # Only what is still empty: the district of the known province ("อำเภอป่าซาง" in a question).
        if not slots.get("district") and isinstance(district, str) and district[:2] == slots["province"] and geothai.district(district):
            _set_district(state, district)
            return True
        return False
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
        set_province(state, province)
        return True
    return False


def set_province(state: dict[str, Any], province: str) -> None:
    """The province, and the district named earlier without it ("อำเภอเมือง" → which province?)."""
    slots = state["slots"]
    if slots.get("province") != province:
        for key in ("district", "subdistrict", "postal_code"):
            slots.pop(key, None)
        state.pop("district_unknown", None)
        state.pop("district_choices", None)
    slots["province"] = province
    hint = state.pop("district_hint", None)
    if hint and not slots.get("district"):
        found = district_in_province(hint, province)
        if found:
            _set_district(state, found)


# "ชื่อต้น", "ชื่อเล่นว่าฝน", "ลูกชื่อน้องมายด์" inside a longer message.
NAMED = re.compile(
    r"ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ|เป็น)?\s*((?:น้อง)?[ก-๛A-Za-z]{1,30}?)"
    r"(?=\s|$|ครับ|คับ|คร้าบ|ค่ะ|คะ|ค่า|คร่า|คร้า|เจ้า|จ้า|จ้ะ|นะ|เด้อ|ก็ได้|อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|โทร|ออก|เลข|[0-9,.!])"
)
_NOT_NAMES = re.compile(
    r"ไม่|บ่|อยาก|ทำไม|อะไร|ไหม|มั้ย|ยังไง|อย่างไร|เหรอ|หรอ|ที่ไหน|เท่าไหร่|ได้ไหม|\?|"
    r"สมัคร|เรียนต่อ|กลับไปเรียน|ยินยอม|ยืนยัน|ตกลง|โอเค|ถูกต้อง|สวัสดี|หวัดดี|ขอบคุณ|เจ้าหน้าที่|ข้อมูล|เอกสาร|"
    r"ถูก|ผิด|แก้(?:ไข|ชื่อ|เป็น|ให้)|เปลี่ยน"
)
# A yes or a no is no name ("ได้ค่ะ" said to the name question meant the consent before).
_YES_NO_WORD = re.compile(
    r"^(?:ได้|ใช่|โอเค|ok|okay|ตกลง|ยินดี|เอา|แม่น|ถูก|อืม|อือ|อื้อ|เค|ครับ|ค่ะ|คะ|จ้า|จ้ะ|ค่า|เจ้า|ไม่|บ่|ยืนยัน|ยินยอม|ครับผม)"
    r"(?:เลย|แล้ว|ค่ะ|ครับ|คะ|จ้า|ๆ)*$", re.I)
# Words that begin another answer after a name ("ข้าว ไม่สะดวกให้เบอร์", "ต่าย สายสามัญ").
_OTHER_ANSWER = re.compile(r"^(?:ไม่|บ่|ทาง|ติดต่อ|ใช้|สาย|อยาก|เอา|ต้อง|ที่บ้าน|ครับ|ค่ะ|คะ|จ้า|นะ|เด้อ|ปวช|ลูก|หลาน|เพื่อน)")
# A title before a name ("นายสมชาย", "ด.ญ.ฝน", Isan "บักเอ็ม"), dropped when a name follows it.
_TITLE = re.compile(r"^(?:นางสาว|นาย|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|ดช\.?|ดญ\.?|เด็กชาย|เด็กหญิง|บัก|ไอ้)\s*(?=[ก-๛A-Za-z]{2,})")
_NAME_PREFIX = re.compile(
    r"^(?:(?:ผม|หนู|ฉัน|เรา|ข่อย|ลูก(?:สาว|ชาย)?|หลาน(?:สาว|ชาย)?|เขา|น้องเขา|ดิฉัน)\s*)?"
    r"(?:ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ|เป็น)?|เรียก(?:ว่า)?)\s*"
)
_NAME_STOP = re.compile(r"\s*(?:อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|โทร|ออก|เลข|ม\.|ป\.|(?<![ก-๛])มอ\s?\d|(?<![ก-๛])[มป]\s?\d|\d|ก็ได้).*$")
_PRONOUN_ONLY = re.compile(
    r"^(?:ผม|หนู|ฉัน|เรา|ข่อย|ดิฉัน|ตัวเอง|น้อง|ลูก(?:ชาย|สาว)?|หลาน(?:ชาย|สาว)?|เหลน|ลูกศิษย์|นักเรียน|เพื่อน|คนอื่น)(?:เอง|ของ.*)?$"
)


_NOT_A_NAME_WORD = {"ผิด", "ถูก", "ใหม่", "เดิม", "ของ", "ด้วย", "อะไร", "ไม่", "ว่า", "คือ", "เล่น", "จริง", "น้อง", "เต็ม"}


def name_in(text: str | None) -> str | None:
    """A name marked with ชื่อ inside any message ("ผมเอง ชื่อต้น อายุ 17", "ชื่อผิด ชื่อแพรว")."""
    for found in NAMED.finditer(text or ""):
        name = re.sub(r"^ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ)?", "", found.group(1) or "")  # "ชื่อเล่นชื่อฝ้าย"
        name = _TITLE.sub("", name)
        if name and name not in _NOT_A_NAME_WORD and not _PRONOUN_ONLY.match(name) and not _NOT_NAMES.search(name):
            return name
    return None


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    names: set[str] = set()
    for province in geothai.provinces():
        names.add(province.name_th)
        for district in geothai.districts(province.code):
            names.add(district.name_th.removeprefix("เขต"))
    return frozenset(names)


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
    name = _TITLE.sub("", name).strip()
    name = _NAME_STOP.sub("", name).strip()
    words = name.split()
    if len(words) > 1 and (u.entities or _OTHER_ANSWER.search(" ".join(words[1:]))):
        name = norm(words[0])  # "ข้าว ไม่สะดวกให้เบอร์", "ต่ายจ้า ทางไลน์": the name, then other answers
    name = re.sub(r"[\"'“”!?.,:;()\[\]{}<>*#@/\\_=+|~^]", "", name).strip()
    name = norm(name)
    if not name or _PRONOUN_ONLY.match(name) or _NOT_NAMES.search(name) or _YES_NO_WORD.match(norm(name)):
        return None
    if re.search(r"\d", name) or not re.search(r"[ก-๛A-Za-z]", name):
        return None
    if len(name.split()) > 4:
        return None  # a sentence, not a name
    if set(u.entities or {}) & set(LOCATION_KEYS) and re.sub(r"^(?:อยู่|จังหวัด|จ\.|อำเภอ|อ\.)", "", name) in _place_names():
        return None  # "ลำปาง": where they live, not who they are
    all_labels = {*texts.MENU, *texts.FAQ_MENU, *texts.HELP_MENU, *texts.ROLE_CHOICES, *texts.GRADE_CHOICES, *texts.STATUS_CHOICES,
                  *texts.REASON_CHOICES, *texts.PATH_CHOICES, *texts.FIELD_CHOICES, texts.PHONE_NONE, texts.UNKNOWN_DISTRICT,
                  texts.CONFIRM, texts.EDIT, texts.CONSENT_YES, texts.CONSENT_NO, texts.ANOTHER, texts.SKIP}
    if name in all_labels:
        return None
    return name[:60]


# --- direct answers to the pending question ----------------------------------------------------------

Reader = Callable[[dict[str, Any], Understanding], bool]

_UNKNOWN = re.compile(r"^(?:ไม่รู้|ไม่ทราบ|ไม่ทราบเขต|ไม่แน่ใจ|ไม่รู้อำเภอ|ไม่ทราบอำเภอ|จำไม่ได้|บ่รู้|บ่ฮู้|บ่แน่ใจ|ไม่รู้เหมือนกัน|ข้าม|ไม่รู้จัก|ลืม)")
_SKIP = re.compile(r"^(?:ข้าม|ไม่อยากบอก|ไม่บอก|ไม่ตอบ|ไม่อยากตอบ|ผ่าน|skip|ไม่มี$|ไม่มีอะไร|ไม่มีเหตุผล|ไม่ระบุ|ไม่สะดวกบอก|บ่บอก|บ่อยากบอก|ไว้ก่อน|ยังไม่บอก|ขอไม่บอก|ขอข้าม)", re.I)
_QUESTION = re.compile(r"ไหม|มั้ย|อะไร|ยังไง|อย่างไร|เหรอ|หรอ|ที่ไหน|เท่าไหร่|ทำไม|หรือเปล่า|รึเปล่า|\?")
# A question or a request inside a message (on the normalised text, see `asks`).
_ASKS = re.compile(
    r"ไหม|หรือเปล่า|รึเปล่า|หรือยัง|อะไร|อย่างไร|เหรอ|หรอ|ไหน|เท่าไหร่|เมื่อไหร่|กี่|ได้บ้าง|ใคร|คืออะไร|ต่างกัน|ทำไม|\?"
    r"|^(?:ขอ)?(?:ถาม|สอบถาม)|อยากรู้|อยากทราบ|^ขอ(?:ทราบ|เบอร์|ที่อยู่|ข้อมูล|แผนที่)"
)
_NOT_ASKING = re.compile(r"ไม่มีอะไร|(?:อะไร|ไหน|ใคร)ก็ได้|ไม่มีใคร|ไม่รู้อะไร|ไม่(?:รู้|ทราบ)(?:ว่า)?(?:อยู่)?(?:อำเภอ|เขต|จังหวัด)?ไหน")


def asks(text: str | None) -> bool:
    """True when the message asks something ("…ไหม", "ขอเบอร์ศูนย์"), not only answers."""
    said = _NOT_ASKING.sub(" ", normalize(text or ""))
    return bool(_ASKS.search(said))


_ASKS_TO_SKIP = re.compile(r"^(?:ขอ)?(?:ไม่บอก|ข้าม|ไม่ตอบ|ไม่ใส่|ไม่ให้|ไม่ต้อง)(?:ได้)?(?:ไหม|ได้ไหม|ได้หรือเปล่า)")


def asks_to_skip(text: str | None) -> bool:
    """"ไม่บอกได้ไหม", "ข้ามได้ไหมคะ": a refusal put as a question."""
    return bool(_ASKS_TO_SKIP.match(normalize(norm(text)).replace(" ", "")))


def place_inside(name: str | None, entities: dict[str, Any]) -> bool:
    """Is the place the NLU found only a part of the name taken ("จันทร์เพ็ญ" → อ.เพ็ญ)?"""
    if not name:
        return False
    for key in ("district", "province"):
        code = entities.get(key)
        unit = (geothai.district(code) if key == "district" else geothai.province(code)) if isinstance(code, str) else None
        if unit and unit.name_th.removeprefix("เขต") in name:
            return True
    return False


def names_a_place(text: str | None) -> bool:
    """The message marks a place: อยู่, อำเภอ/อ., จังหวัด/จ., เขต, ตำบล, or a postal code."""
    return bool(re.search(r"อยู่|อำเภอ|อ\.|จังหวัด|จ\.|เขต|ตำบล|ต\.|(?<!\d)\d{5}(?!\d)", plain(text)))


def plain(text: str | None) -> str:
    """The message as typed (`norm`), dialect and chat spellings made standard ("จำบ่ได้")."""
    return normalize(norm(text))


def only_refuses(text: str | None) -> bool:
    """The whole message is a refusal ("ไม่แน่ใจค่ะ"), not a refusal inside other answers."""
    return refuses(text) and len(plain(text).replace(" ", "")) <= 16


def refuses(text: str | None) -> bool:
    """"ไม่รู้", "ข้าม", "ไม่บอก", "จำไม่ได้": an answer that gives no value."""
    said = plain(text)
    return bool(_UNKNOWN.match(said) or _SKIP.match(said)
                or re.search(r"ไม่(?:อยาก|สะดวก)?(?:บอก|ให้|ตอบ)|ไม่ทราบ|ไม่รู้|จำไม่ได้|ไม่แน่ใจ|^ไม่มี", said))


def _read_role(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.ROLE_CHOICES)
    said = plain(u.text)
    if not hit:
        if re.search(r"^(?:ของ|ให้|สำหรับ)?(?:ตัวเอง|ผม|หนู|ฉัน|เรา|ข่อย|เค้า|ดิฉัน|กู)(?:เอง)?$|เอง$|ตัวเอง", said):
            hit, value = True, "self"
        elif re.search(r"ให้น้อง(?!ๆ)|^น้อง(?:ของ)?(?:ผม|หนู|ฉัน|เรา)?$", said) and not u.entities.get("role"):
            hit, value = True, "other"  # a younger brother or sister
        elif re.match(r"(?:ผม|หนู|ฉัน|ข่อย|ดิฉัน|กู)\s*(?:อายุ|ชื่อ|จบ|เรียน|ออก|อยู่|เกิด)", said) and not u.entities.get("role"):
            hit, value = True, "self"  # "ผมอายุ 17 ครับ ชื่อบอส" to "for whom?": the speaker
        elif re.search(r"ลูก|หลาน|เหลน|^(?:เป็น)?(?:แม่|พ่อ|ยาย|ตา|ย่า|ปู่|ผู้ปกครอง|ป้า|น้า|อา|ลุง)(?:เขา|ของ.*|เอง)?$", said):
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
    said = plain(u.text)
    if not hit and only_refuses(u.text):
        return False  # "บ่ฮู้คือกัน" is not knowing, not a "no"
    if not hit:
        if re.search(r"ไม่จบ|บ่จบ|ยังไม่จบ|ออก|ดรอป|ค้าง|ไม่ได้จบ|เรียนไม่ครบ", said) or u.intent == "deny":
            hit, value = True, "left_during"
        elif re.search(r"จบ|ได้วุฒิ|ได้ใบ", said) or u.intent == "affirm":
            hit, value = True, "completed"
    if hit:
        state["slots"]["grade_status"] = value
    return hit


# --- places named in the context of the question ---------------------------------------------------

_PLACE_PREFIX = re.compile(r"^(?:บ้านอยู่|อาศัยอยู่|อยู่)?(?:ที่)?(?:ใน)?(?:ตัว)?")
_UNIT_PREFIX = re.compile(r"^(?:จังหวัด|จ\.|อำเภอ|อ\.|เขต)")


def _place_core(text: str | None) -> tuple[str, str]:
    """(unit word or "", the bare name) of a short place answer: "อยู่ จ.แพร่ ค่ะ" → ("จ.", "แพร่")."""
    said = normalize(norm(text)).replace(" ", "")
    said = re.sub(r"(?:ครับ|ค่ะ|คะ|นะ|จ้ะ)+$", "", said)
    said = _PLACE_PREFIX.sub("", said)
    unit = _UNIT_PREFIX.match(said)
    return (unit.group(0) if unit else ""), _UNIT_PREFIX.sub("", said)


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    from nlp.places import PROVINCE_ALIASES

    names = {p.name_th: p.code for p in geothai.provinces()}
    names.update({alias: code for alias, code in PROVINCE_ALIASES.items() if code})
    return names


@lru_cache(maxsize=1)
def _district_names() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            names.setdefault(district.name_th.removeprefix("เขต"), []).append(district.code)
    return {name: tuple(codes) for name, codes in names.items()}


def _close(word: str, candidates: list[str], cutoff: float) -> str | None:
    """The one candidate a typo is close to ("ลปาง" → ลำปาง), or None when none or several are."""
    if len(word) < 3:
        return None
    found = difflib.get_close_matches(word, candidates, n=2, cutoff=cutoff)
    if len(found) == 1 or (len(found) == 2 and difflib.SequenceMatcher(None, word, found[0]).ratio()
                             - difflib.SequenceMatcher(None, word, found[1]).ratio() > 0.1):
        return found[0]
    return None


def district_in_province(text: str | None, province: str) -> str | None:
    """A district of a known province named in the text ("เมือง", "อ.เกาะคา", "ในตัวเมือง", "เถิ้น")."""
    said = normalize(norm(text)).replace(" ", "")
    said = re.sub(r"(?:ครับ|ค่ะ|คะ|นะ|จ้ะ)+$", "", said)
    said = _PLACE_PREFIX.sub("", said)
    said = re.sub(r"^(?:อำเภอ|อ\.|เขต)", "", said)
    if not said:
        return None
    districts = geothai.districts(province)
    mueang_name = "เมือง" + texts.province_name(province)
    if said.startswith("เมือง"):
        mueang = [d.code for d in districts if d.name_th == mueang_name]
        named = [d.code for d in districts if d.name_th != mueang_name and d.name_th in said]
        if named:
            return named[0] if len(named) == 1 else None
        return mueang[0] if len(mueang) == 1 else None
    hits = [d.code for d in districts if d.name_th.removeprefix("เขต") in said]
    if len(hits) == 1:
        return hits[0]
    if hits:
        return None
    names = {d.name_th.removeprefix("เขต"): d.code for d in districts}
    close = _close(said, list(names), 0.75)
    return names[close] if close else None


def _read_location(state: dict[str, Any], u: Understanding) -> bool:
    """What the entities leave out, read as the answer to "which district and province?": a
    province that is also a word ("แพร่", "น่าน"), a typo ("ลปาง"), or a district named without
    its province that several provinces have ("อำเภอเมือง": kept until the province comes)."""
    previous = state.get("previous_place")
    if previous and (is_label(u.text, texts.SAME_PLACE) or re.search(r"ที่(?:อยู่)?เดิม|ที่เดียวกัน|เหมือน(?:เดิม|กัน|คนก่อน)|บ้านเดียวกัน", plain(u.text))):
        set_province(state, previous["province"])
        if previous.get("district"):
            _set_district(state, previous["district"])
        return True
    unit, name = _place_core(u.text)
    if not name or re.search(r"\d", name):
        return False
    provinces = _province_names()
    if _province_and_district(state, u.text):
        return True
    province = provinces.get(name)
    if province is None and unit not in ("อำเภอ", "อ.", "เขต"):
        close = _close(name, list(provinces), 0.8)
        province = provinces.get(close) if close else None
    if province:
        set_province(state, province)
        return True
    if unit in ("จังหวัด", "จ."):
        return False
    districts = _district_names()
    codes = districts.get(name, ())
    if len(codes) == 1 and len(name) >= 3:
        _set_district(state, codes[0])  # one district has this name, an everyday word too ("บ้านนา")
        return True
    if name == "เมือง" or len(codes) > 1:
        state["district_hint"] = name
        return True
    return False


def _province_and_district(state: dict[str, Any], said: str | None) -> bool:
    """"บ้านตาก ตาก", "สามเงา ตาก": words apart, one of them a province (any, even one that is
    also a word), the rest a district of it."""
    words = [_place_core(word) for word in norm(said).split()]
    provinces = _province_names()
    found = [provinces[name] for unit, name in words if name in provinces and unit not in ("อำเภอ", "อ.", "เขต")]
    if len(words) < 2 or len(set(found)) != 1:
        return False
    province = found[0]
    rest = " ".join(unit + name for unit, name in words if provinces.get(name) != province)
    district = district_in_province(rest, province) if rest else None
    if not district:
        return False
    _set_district(state, district)
    return True


def district_beside_province(state: dict[str, Any], said: str | None) -> bool:
    """After the province was read from a message, its district named in the same message in
    words the reader leaves out ("เมือง น่าน", "ตัวเมืองลำปาง")."""
    province = state["slots"].get("province")
    if not province or state["slots"].get("district"):
        return False
    names = [name for name, code in _province_names().items() if code == province]
    rest = norm(said)
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, " ")
    rest = re.sub(r"(?:จังหวัด|จ\.)\s*(?=\s|$)", " ", rest).strip()
    found = district_in_province(rest, province) if rest and rest != norm(said) else None
    if found:
        _set_district(state, found)
    return bool(found)


def _read_district(state: dict[str, Any], u: Understanding) -> bool:
    province = state["slots"].get("province")
    if not province:
        return False
    found = district_in_province(u.text, province)
    if found:
        _set_district(state, found)
        return True
    if is_label(u.text, texts.UNKNOWN_DISTRICT, texts.UNKNOWN_KHET) or _UNKNOWN.match(plain(u.text)) or u.intent == "deny":
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
    choices = state.get("district_choices") or []
    named = {district_in_province(u.text, province) for province in {code[:2] for code in choices}} & set(choices)
    if len(named) == 1:  # "ในเมือง": the เมือง district among the choices
        _set_district(state, named.pop())
        return True
    return False


def _read_reason(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.REASON_CHOICES)
    said = plain(u.text)
    if not hit and (u.intent == "deny" or _SKIP.match(said) or _UNKNOWN.match(said)):
        hit, value = True, None
    if hit:
        state["slots"]["reason"] = value
    return hit


def _reason_in_own_words(state: dict[str, Any], u: Understanding) -> bool:
    """A reason the reader has no category for ("เบื่อ ไม่อยากไปโรงเรียน") is `other`."""
    said = norm(u.text)
    if u.intent in ("inform", "out_of_scope") and len(re.findall(r"[ก-๛]", said)) >= 4 and not _QUESTION.search(said):
        state["slots"]["reason"] = "other"
        return True
    return False


def _read_path(state: dict[str, Any], u: Understanding) -> bool:
    hit, value = choice(u.text, texts.PATH_CHOICES)
    said = plain(u.text)
    if not hit:
        if re.search(r"ไม่รู้|บ่รู้|บ่ฮู้|ไม่ทราบ|ไม่แน่ใจ|บ่แน่ใจ|แล้วแต่|ยังไม่รู้|ยังไม่ได้คิด|อะไรก็ได้", said):
            hit, value = True, "unsure"
        elif re.search(r"สามัญ|ได้วุฒิ|ม\.3|ม\.6|ม\.ปลาย|ม\.ต้น|^(?:แบบ|สาย)?(?:ปกติ|ทั่วไป)$", said):
            hit, value = True, "general"
        elif re.search(r"อาชีพ|ปวช|ช่าง|อาชีวะ", said):
            hit, value = True, "vocational"
        elif u.intent == "deny" or _SKIP.match(said):
            hit, value = True, None
    if hit:
        state["slots"]["path"] = value
    return hit


def _read_phone(state: dict[str, Any], u: Understanding) -> bool:
    said = plain(u.text)
    line_only = re.search(r"ไม่มี|บ่มี|ไม่สะดวก|บ่สะดวก|ไลน์|line|ไม่ให้|ไม่อยากให้|แชท|แชต|ทางนี้", said)
    if is_label(u.text, texts.PHONE_NONE) or line_only or u.intent == "deny" or _SKIP.match(said) or (refuses(u.text) and not re.search(r"\d", said)):
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
        _, quick = texts.question(pending, state["slots"], state.get("district_choices"), previous_place=state.get("previous_place"))
    except KeyError:
        return set()
    labels = {q for q in quick if isinstance(q, str)}
    labels |= {q["text"] for q in quick if isinstance(q, dict) and q.get("type") == "message"}
    extra = {"grade_status": set(texts.STATUS_CHOICES), "reason": {texts.SKIP}, "path": {texts.SKIP}, "phone": {texts.SKIP}}
    if pending in MAY_BE_UNKNOWN:
        labels.add(texts.SKIP)  # offered once the user has said they do not know
    return labels | extra.get(pending, set())


def would_answer(state: dict[str, Any], u: Understanding, now: datetime, *, entities_only: bool = False) -> bool:
    """Would this message, read as a plain answer, fill the pending question? Tried on a copy.
    `entities_only`: count only the NLU's entities, not the looser readers of the question."""
    pending = state.get("pending")
    reader = READERS.get(pending or "")
    if reader is None:
        return False
    trial = copy_state(state)
    plain = Understanding("inform", u.confidence, dict(u.entities or {}), u.text)
    before = missing(trial)
    absorb(trial, plain, now)
    if missing(trial) != before:
        return True
    if entities_only:
        return False
    if missing(trial) == pending and (reader(trial, plain) or (pending in LAST_RESORT and LAST_RESORT[pending](trial, plain))):
        return True
    return pending == "name" and bool(state.get("consent")) and name_in(u.text) is not None
