"""The conversation as a pure, table-driven state machine (diagram: `dialogue.md`).

    new_state, replies, effects = step(state, understanding, now)

No Flask, database or LINE here: `handlers.conversation` does the I/O around it and executes
the effects (consent, submit, status, human, erase, office_info) in the same transaction.

The state is a JSON-serialisable dict: `stage` (a key of `STAGES`), `pending` (the slot being
asked), `slots` (what was collected), `consent`, `misses` (failed answers per slot), and
`updated_at`. Global commands (`GLOBAL`) work in every stage; FAQ intents are answered in any
stage, after which the pending question is asked again.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import geothai

from handlers import knowledge, texts
from handlers.knowledge import FAQ_INTENTS
from handlers.messages import Message, text
from nlp.understanding import Understanding

VERSION = 1
BANGKOK = ZoneInfo("Asia/Bangkok")
IDLE_RESTART = timedelta(hours=24)
KEEP_VALUES = timedelta(days=7)
SLOT_ORDER = ("role", "name", "age", "grade", "grade_status", "location", "reason", "path", "phone")
OPTIONAL = {"reason", "path", "phone"}
ENTITY_SLOTS = ("role", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict", "postal_code", "reason", "path", "phone")


@dataclass(frozen=True)
class Effect:
    type: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Turn:
    """What one step builds: the state being changed, replies and effects."""

    state: dict[str, Any]
    u: Understanding
    now: datetime
    replies: list[Message] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def slots(self) -> dict[str, Any]:
        return self.state["slots"]

    def say(self, body: str, quick: list[Any] | None = None) -> None:
        self.replies.append(text(body, quick))


def initial_state() -> dict[str, Any]:
    return {"version": VERSION, "stage": "start", "pending": None, "slots": {}, "consent": False, "misses": {}, "updated_at": None, "collected_at": None}


# --- helpers ------------------------------------------------------------------------------------


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def _is(turn: Turn, *labels: str) -> bool:
    """The message is (one of) these quick-reply texts."""
    said = _clean(turn.u.text).rstrip("ค่ะครับคะจ้า ").strip()
    return any(said == label or _clean(turn.u.text) == label for label in labels)


def _choice(turn: Turn, choices: dict[str, Any]) -> tuple[bool, Any]:
    said = _clean(turn.u.text)
    for label, value in choices.items():
        if said == label or said.rstrip("ค่ะครับคะจ้า ").strip() == label:
            return True, value
    return False, None


def _ask(turn: Turn, slot: str, prefix: str | None = None) -> None:
    body, quick = texts.question(slot, turn.slots)
    turn.state["pending"] = slot
    turn.say(f"{prefix}\n{body}" if prefix else body, quick)


def _missing(state: dict[str, Any]) -> str | None:
    slots = state["slots"]
    for slot in SLOT_ORDER:
        if slot == "grade_status":
            if slots.get("grade") not in (None, "none") and not slots.get("grade_status"):
                return slot
            continue
        if slot == "location":
            if slots.get("_district_choices"):
                return "district_choice"
            if not slots.get("province") or (not slots.get("district") and not slots.get("_district_unknown")):
                return "location"
            continue
        if slot in OPTIONAL:
            if slot not in slots:
                return slot
            continue
        if slots.get(slot) in (None, ""):
            return slot
    return None


def _age_from_birth_year(birth_year_be: int, now: datetime) -> int | None:
    age = now.astimezone(BANGKOK).year + 543 - birth_year_be
    return age if 3 <= age <= 100 else None


def _absorb(turn: Turn, *, overwrite: bool = True) -> bool:
    """Put every entity of the message into the slots. True when something was taken."""
    entities = turn.u.entities or {}
    slots = turn.slots
    taken = False
    for key in ENTITY_SLOTS:
        if key not in entities:
            continue
        value = entities[key]
        if key == "birth_year_be":
            age = _age_from_birth_year(int(value), turn.now)
            if age is not None and (overwrite or slots.get("age") is None):
                slots["age"] = age
                slots["birth_year_be"] = int(value)
                taken = True
            continue
        if key == "postal_code":
            if not slots.get("district") or overwrite:
                districts = sorted({s.district_code for s in geothai.by_postal_code(str(value))})
                if len(districts) == 1:
                    slots["district"], slots["province"] = districts[0], districts[0][:2]
                    slots.pop("_district_choices", None)
                    taken = True
                elif districts:
                    slots["_district_choices"] = districts[:12]
                    slots["province"] = slots.get("province") or districts[0][:2]
                    taken = True
                slots["postal_code"] = str(value)
            continue
        if key in ("province", "district") and not overwrite and slots.get(key):
            continue
        if key == "grade" and value != slots.get("grade"):
            slots.pop("grade_status", None)
        if not overwrite and slots.get(key) not in (None, ""):
            continue
        slots[key] = value
        taken = True
    if "district" in entities:
        slots["province"] = entities.get("province") or entities["district"][:2]
        slots.pop("_district_choices", None)
        slots.pop("_district_unknown", None)
    elif "province" in entities and slots.get("district") and slots["district"][:2] != entities["province"]:
        slots.pop("district", None)
    if slots.get("grade") == "none":
        slots.pop("grade_status", None)
    if turn.state.get("consent"):
        named = _NAMED.search(turn.u.text or "")
        if named and (overwrite or not slots.get("name")):
            slots["name"] = named.group(1)
            taken = True
    if taken and not turn.state.get("collected_at"):
        turn.state["collected_at"] = turn.now.isoformat()
    return taken


# "ชื่อต้น", "ชื่อเล่นว่าฝน", "ลูกชื่อน้องมายด์" inside a longer message.
_NAMED = re.compile(
    r"ชื่อ(?:เล่น|จริง)?(?:ว่า)?\s*((?:น้อง)?[ก-๛A-Za-z]{1,30}?)(?=\s|$|ครับ|ค่ะ|คะ|นะ|อายุ|อยู่|จบ|เรียน|เกิด|เบอร์|โทร|[0-9,.!])"
)

_QUESTIONISH = re.compile(r"\?|ไหม|มั้ย|อะไร|ยังไง|อย่างไร|ที่ไหน|เมื่อไหร่|เท่าไหร่|ทำไม|หรือเปล่า|ได้ไหม")

_NAME_NOISE = re.compile(
    r"^(?:ชื่อเล่น|ชื่อจริง|ชื่อ|เรียกว่า|เรียก|ผมชื่อ|หนูชื่อ|ฉันชื่อ|ลูกชื่อ|หลานชื่อ|เขาชื่อ|น้องชื่อ)\s*|"
    r"\s*(?:ครับผม|ครับ|ค่ะ|คะ|คับ|จ้า|จ้ะ|นะคะ|นะครับ|นะ|ค่า|เด้อ|ก็ได้|เลย)+\s*$"
)


def _name_from(turn: Turn) -> str | None:
    raw = _clean(turn.u.text)
    if not raw or turn.u.intent not in ("inform", "out_of_scope", "greet", "affirm", "enroll"):
        return None
    name = raw
    for _ in range(3):
        name = _NAME_NOISE.sub("", name).strip()
    name = re.sub(r"[\"'“”!?.,:;()\[\]{}<>]", "", name).strip()
    name = re.sub(r"^(?:ผม|หนู|ฉัน|ลูก|หลาน)\s*", "", name) if len(name) > 4 else name
    if _QUESTIONISH.search(raw):
        return None
    if not name or len(name) > 60 or re.search(r"\d{3,}", name) or not re.search(r"[ก-๛A-Za-z]", name):
        return None
    return name[:60]


# --- stages ---------------------------------------------------------------------------------------


def _welcome(turn: Turn) -> None:
    turn.say(texts.welcome(), texts.MENU)


def _start_intake(turn: Turn) -> None:
    if turn.state.get("consent"):
        turn.state["stage"] = "collecting"
        _next(turn)
        return
    turn.state["stage"] = "consent"
    turn.state["pending"] = "consent"
    turn.say(texts.consent_question(), [texts.CONSENT_YES, texts.CONSENT_NO])


def _next(turn: Turn, prefix: str | None = None) -> None:
    slot = _missing(turn.state)
    if slot is None:
        _show_summary(turn, prefix)
        return
    turn.state["stage"] = "collecting"
    _ask(turn, slot, prefix)


def _show_summary(turn: Turn, prefix: str | None = None) -> None:
    turn.state["stage"] = "confirm"
    turn.state["pending"] = "confirm"
    body = texts.summary(turn.slots)
    turn.say(f"{prefix}\n{body}" if prefix else body, [texts.CONFIRM, texts.EDIT])


def _reask(turn: Turn, prefix: str | None = None) -> None:
    """Ask again whatever the current stage is waiting for."""
    stage = turn.state["stage"]
    if stage == "consent":
        turn.say(((prefix + "\n") if prefix else "") + texts.consent_question(), [texts.CONSENT_YES, texts.CONSENT_NO])
    elif stage == "collecting":
        _next(turn, prefix)
    elif stage == "confirm":
        _show_summary(turn, prefix)
    elif stage == "choose_field":
        turn.say(((prefix + "\n") if prefix else "") + texts.choose_field(), list(texts.FIELD_CHOICES))
    elif stage == "done":
        turn.say(((prefix + "\n") if prefix else "") + texts.after_done(), [texts.ANOTHER, "เรื่องถึงไหนแล้ว", "ถามข้อมูล"])
    else:
        turn.say(((prefix + "\n") if prefix else "") + texts.not_understood() if prefix is None else prefix + "\nอยากให้ช่วยเรื่องไหนคะ", texts.MENU)


def stage_idle(turn: Turn) -> None:
    """start, declined and done: the menu, or a new intake."""
    u = turn.u
    if u.intent == "enroll" or _is(turn, "อยากกลับไปเรียน", texts.ANOTHER, "สมัครเรียน"):
        if turn.state["stage"] == "done" or _is(turn, texts.ANOTHER):
            keep = {k: turn.slots[k] for k in ("role", "phone") if k in turn.slots and turn.slots.get("role") == "parent"}
            turn.state["slots"] = keep
            turn.state["misses"] = {}
        _absorb(turn)
        _start_intake(turn)
        return
    if _is(turn, "ถามข้อมูล"):
        turn.say(texts.faq_menu(), texts.FAQ_MENU)
        return
    if u.intent == "inform" and u.entities:
        _absorb(turn)
        _start_intake(turn)
        return
    if u.intent in ("greet", "follow"):
        _welcome(turn)
        return
    if u.intent == "thanks":
        turn.say(texts.you_are_welcome(), texts.MENU if turn.state["stage"] != "done" else [texts.ANOTHER, "เรื่องถึงไหนแล้ว"])
        return
    if turn.state["stage"] == "done":
        _reask(turn)
        return
    turn.say(texts.not_understood(), texts.MENU)


def stage_consent(turn: Turn) -> None:
    u = turn.u
    if _is(turn, texts.CONSENT_NO) or u.intent == "deny":
        turn.effects.append(Effect("consent", {"granted": False}))
        turn.state.update(stage="declined", pending=None, slots={}, consent=False, misses={}, collected_at=None)
        turn.say(texts.consent_declined(knowledge.department_contact()), ["อยากกลับไปเรียน", "ถามข้อมูล"])
        return
    if _is(turn, texts.CONSENT_YES) or u.intent in ("affirm", "enroll"):
        turn.effects.append(Effect("consent", {"granted": True}))
        turn.state["consent"] = True
        _absorb(turn)
        _next(turn, "ขอบคุณค่ะ 🙏")
        return
    _absorb(turn)
    _reask(turn, "ขอความยินยอมก่อนนะคะ จะได้เริ่มเก็บข้อมูลได้ค่ะ")


def _read_choice(slot: str, choices: dict[str, Any]) -> Callable[[Turn], bool]:
    """A reader that takes one of the offered quick-reply texts for `slot`."""

    def read(turn: Turn) -> bool:
        hit, value = _choice(turn, choices)
        if hit:
            turn.slots[slot] = value
            if slot == "grade":
                turn.slots.pop("grade_status", None)
        return hit

    return read


def _read_role(turn: Turn) -> bool:
    if _read_choice("role", texts.ROLE_CHOICES)(turn):
        return True
    if re.search(r"ตัวเอง|ผมเอง|หนูเอง|ฉันเอง|เราเอง", turn.u.text or ""):
        turn.slots["role"] = "self"
        return True
    return False


def _read_name(turn: Turn) -> bool:
    name = _name_from(turn)
    if name:
        turn.slots["name"] = name
    return bool(name)


def _read_grade_status(turn: Turn) -> bool:
    if _read_choice("grade_status", texts.STATUS_CHOICES)(turn):
        return True
    said = turn.u.text or ""
    if turn.u.intent == "affirm" or re.search(r"(?<!ไม่)(?<!บ่)จบ", said):
        turn.slots["grade_status"] = "completed"
        return True
    if turn.u.intent == "deny" or re.search(r"ไม่จบ|บ่จบ|ออก|ยัง", said):
        turn.slots["grade_status"] = "left_during"
        return True
    return False


def _read_location(turn: Turn) -> bool:
    unknown = _is(turn, texts.UNKNOWN_DISTRICT, "ไม่ทราบ", "ไม่รู้", "ไม่แน่ใจ") or turn.u.intent == "deny"
    if turn.slots.get("province") and unknown:
        turn.slots["_district_unknown"] = True
        return True
    return False


def _read_reason(turn: Turn) -> bool:
    if _read_choice("reason", texts.REASON_CHOICES)(turn):
        return True
    u = turn.u
    if u.intent in ("deny", "cancel") or _is(turn, *texts.SKIP_WORDS, "ไม่มี", "ไม่รู้", "ไม่ทราบ"):
        turn.slots["reason"] = None
        return True
    if u.intent in ("inform", "out_of_scope") and len(_clean(u.text)) >= 4:
        turn.slots["reason"] = "other"  # a reason the reader has no category for
        return True
    return False


def _read_path(turn: Turn) -> bool:
    if _read_choice("path", texts.PATH_CHOICES)(turn):
        return True
    if re.search(r"ไม่รู้|บ่รู้|ไม่ทราบ|ไม่แน่ใจ|บ่แน่ใจ|แล้วแต่", turn.u.text or ""):
        turn.slots["path"] = "unsure"
        return True
    if turn.u.intent == "deny" or _is(turn, *texts.SKIP_WORDS):
        turn.slots["path"] = None
        return True
    return False


def _read_phone(turn: Turn) -> bool:
    said = (turn.u.text or "").lower()
    line_only = re.search(r"ไม่มี|บ่มี|ไม่สะดวก|บ่สะดวก|ไลน์|line|ไม่ให้|ไม่อยากให้", said)
    if _is(turn, texts.PHONE_NONE) or turn.u.intent == "deny" or line_only or _is(turn, *texts.SKIP_WORDS):
        turn.slots["phone"] = None
        return True
    return False


# Direct answers to the pending question that the entities did not cover, one reader a slot
# (age and the district choice are read from entities only).
READERS: dict[str, Callable[[Turn], bool]] = {
    "role": _read_role,
    "name": _read_name,
    "grade": _read_choice("grade", texts.GRADE_CHOICES),
    "grade_status": _read_grade_status,
    "location": _read_location,
    "reason": _read_reason,
    "path": _read_path,
    "phone": _read_phone,
}


def _fill_pending(turn: Turn, slot: str) -> bool:
    reader = READERS.get(slot)
    return reader(turn) if reader else False


def stage_collecting(turn: Turn) -> None:
    pending = turn.state.get("pending") or _missing(turn.state)
    took = _absorb(turn)
    if pending and _missing(turn.state) == pending and not took:
        took = _fill_pending(turn, pending)
    elif pending and _missing(turn.state) == pending and took:
        # Other details were given but not this one: also try a direct reading.
        _fill_pending(turn, pending) if pending in ("location",) else None
    if pending and pending == "district_choice" and turn.u.entities.get("district"):
        took = True
    if not took and pending and _missing(turn.state) == pending:
        misses = turn.state.setdefault("misses", {})
        misses[pending] = misses.get(pending, 0) + 1
        if pending in OPTIONAL and misses[pending] >= 2:
            turn.slots[pending] = None
            _next(turn, "ข้ามข้อนี้ไปก่อนนะคะ")
            return
        if pending == "location" and misses[pending] >= 3 and turn.slots.get("province"):
            turn.slots["_district_unknown"] = True
            _next(turn)
            return
        prefix = texts.not_understood() if turn.u.intent == "out_of_scope" else texts.hint(pending)
        _ask(turn, pending, prefix)
        return
    if turn.state.get("editing"):
        turn.state.pop("editing", None)
        if _missing(turn.state) is None:
            _show_summary(turn, "แก้ไขแล้วค่ะ")
            return
    _next(turn)


def stage_confirm(turn: Turn) -> None:
    u = turn.u
    if _is(turn, texts.CONFIRM) or u.intent == "affirm":
        turn.effects.append(Effect("submit", {"slots": _public_slots(turn.slots)}))
        turn.state.update(stage="done", pending=None)
        return
    if _is(turn, texts.EDIT) or (u.intent == "deny" and not u.entities):
        turn.state.update(stage="choose_field", pending="choose_field")
        turn.say(texts.choose_field(), list(texts.FIELD_CHOICES))
        return
    if u.entities:
        _absorb(turn)
        if _missing(turn.state) is not None:
            _next(turn)
            return
        _show_summary(turn, "แก้ไขให้แล้วค่ะ")
        return
    _show_summary(turn, "ขอโทษค่ะ ยังไม่แน่ใจว่าข้อมูลถูกต้องไหม")


def stage_choose_field(turn: Turn) -> None:
    hit, field_name = _choice(turn, texts.FIELD_CHOICES)
    if hit:
        slots = turn.slots
        if field_name == "grade":
            slots.pop("grade", None)
            slots.pop("grade_status", None)
        elif field_name == "location":
            for key in ("province", "district", "subdistrict", "postal_code", "_district_unknown", "_district_choices"):
                slots.pop(key, None)
        elif field_name == "age":
            slots.pop("age", None)
            slots.pop("birth_year_be", None)
        else:
            slots.pop(field_name, None)
        turn.state["editing"] = True
        turn.state["stage"] = "collecting"
        _next(turn)
        return
    if turn.u.entities:
        _absorb(turn)
        _show_summary(turn, "แก้ไขให้แล้วค่ะ")
        return
    if _is(turn, texts.CONFIRM) or turn.u.intent == "affirm":
        _show_summary(turn)
        return
    turn.say(texts.choose_field(), list(texts.FIELD_CHOICES))


def stage_confirm_delete(turn: Turn) -> None:
    resume = turn.state.pop("resume_stage", "start")
    if _is(turn, texts.DELETE_YES) or turn.u.intent in ("affirm", "delete_data"):
        turn.effects.append(Effect("erase", {}))
        turn.state.clear()
        turn.state.update(initial_state())
        return
    turn.state["stage"] = resume
    if resume in ("collecting", "consent", "confirm", "choose_field", "done"):
        _reask(turn, texts.delete_aborted())
    else:
        turn.say(texts.delete_aborted(), texts.MENU)


STAGES: dict[str, Callable[[Turn], None]] = {
    "start": stage_idle,
    "declined": stage_idle,
    "done": stage_idle,
    "consent": stage_consent,
    "collecting": stage_collecting,
    "confirm": stage_confirm,
    "choose_field": stage_choose_field,
    "confirm_delete": stage_confirm_delete,
}


# --- global commands and questions ---------------------------------------------------------------


def _cancel(turn: Turn) -> None:
    consent = turn.state.get("consent", False)
    turn.state.clear()
    turn.state.update(initial_state(), consent=consent)
    turn.say(texts.cancelled(), texts.MENU)


def _help(turn: Turn) -> None:
    turn.say(texts.help_text(), texts.HELP_MENU)
    if turn.state["stage"] in ("consent", "collecting", "confirm", "choose_field"):
        _reask(turn, texts.back_to_question())


def _human(turn: Turn) -> None:
    turn.effects.append(Effect("human", {}))
    if turn.state["stage"] in ("consent", "collecting", "confirm", "choose_field"):
        _reask(turn, "ระหว่างรอ คุยต่อกับเราได้นะคะ")


def _status(turn: Turn) -> None:
    turn.effects.append(Effect("status", {}))
    if turn.state["stage"] in ("consent", "collecting", "confirm", "choose_field"):
        _reask(turn, texts.back_to_question())


def _delete(turn: Turn) -> None:
    if turn.state["stage"] != "confirm_delete":
        turn.state["resume_stage"] = turn.state["stage"]
    turn.state["stage"] = "confirm_delete"
    turn.say(texts.confirm_delete(), [texts.DELETE_YES, texts.DELETE_NO])


GLOBAL: dict[str, Callable[[Turn], None]] = {
    "cancel": _cancel,
    "help": _help,
    "human": _human,
    "status": _status,
    "delete_data": _delete,
}


def _faq(turn: Turn) -> None:
    intent, stage = turn.u.intent, turn.state["stage"]
    idle = stage in ("start", "declined", "done")
    quick = texts.FAQ_MENU + ["อยากกลับไปเรียน"] if idle else None
    if intent == "ask_office":
        province = turn.u.entities.get("province") or turn.slots.get("province")
        district = turn.u.entities.get("district") or turn.slots.get("district")
        if district and not province:
            province = district[:2]
        if province:
            turn.effects.append(Effect("office_info", {"province": province, "district": district}))
        else:
            turn.say(knowledge.answer(intent, turn.u.entities), [texts.location_action()] if idle else None)
    else:
        turn.say(knowledge.answer(intent, turn.u.entities), quick)
    if not idle:
        if turn.state.get("consent") and stage != "consent":
            _absorb(turn, overwrite=False)
        _reask(turn, texts.back_to_question())


# --- the step -----------------------------------------------------------------------------------------


def _idle(turn: Turn) -> None:
    last = turn.state.get("updated_at")
    if not last or turn.state["stage"] not in ("consent", "collecting", "confirm", "choose_field"):
        return
    idle = turn.now - datetime.fromisoformat(last)
    if idle <= IDLE_RESTART:
        return
    kept = idle <= IDLE_RESTART + KEEP_VALUES
    if not kept:
        turn.state.clear()
        turn.state.update(initial_state())
    turn.state["_welcomed_back"] = kept


def step(state: dict[str, Any], understanding: Understanding, now: datetime) -> tuple[dict[str, Any], list[Message], list[Effect]]:
    """Apply one message to the conversation. Pure: the input state is not changed."""
    current = copy.deepcopy(state) if state else initial_state()
    if current.get("version") != VERSION:
        current = initial_state()
    turn = Turn(current, understanding, now)
    _idle(turn)
    came_back = turn.state.pop("_welcomed_back", None)
    intent = understanding.intent

    if came_back is not None:
        turn.say(texts.welcome_back(came_back))
        if came_back and intent in ("greet", "follow", "thanks", "out_of_scope"):
            _reask(turn)
            return _finish(turn)
        if not came_back and intent in ("greet", "follow", "thanks", "out_of_scope"):
            _welcome(turn)
            return _finish(turn)

    if intent == "follow":
        _welcome(turn)
        if turn.state["stage"] in ("consent", "collecting", "confirm", "choose_field"):
            _reask(turn, "เรามาคุยต่อจากเดิมกันนะคะ")
        return _finish(turn)
    if turn.state["stage"] == "confirm_delete":
        if intent == "cancel":
            turn.state["stage"] = turn.state.pop("resume_stage", "start")
            _reask(turn, texts.delete_aborted())
            return _finish(turn)
        stage_confirm_delete(turn)
        return _finish(turn)
    if intent in GLOBAL:
        GLOBAL[intent](turn)
        return _finish(turn)
    if intent in FAQ_INTENTS:
        _faq(turn)
        return _finish(turn)
    stage = turn.state["stage"]
    in_intake = stage in ("consent", "collecting", "confirm", "choose_field")
    if in_intake and intent == "greet" and not understanding.entities:
        _reask(turn, texts.greet_again())
        return _finish(turn)
    if in_intake and intent == "thanks" and not understanding.entities:
        _reask(turn, texts.you_are_welcome())
        return _finish(turn)
    if stage == "collecting" and intent == "enroll" and not understanding.entities and turn.state.get("pending") != "name":
        _reask(turn, "กำลังสมัครอยู่ค่ะ 😊")
        return _finish(turn)
    STAGES[stage](turn)
    return _finish(turn)


def _finish(turn: Turn) -> tuple[dict[str, Any], list[Message], list[Effect]]:
    turn.state["updated_at"] = turn.now.isoformat()
    if not turn.replies and not any(e.type in ("submit", "status", "human", "erase", "office_info") for e in turn.effects):
        turn.say(texts.not_understood(), texts.MENU)
    return turn.state, turn.replies[:5], turn.effects


def _public_slots(slots: dict[str, Any]) -> dict[str, Any]:
    keys = ("role", "name", "age", "birth_year_be", "grade", "grade_status", "province", "district", "subdistrict", "postal_code", "reason", "path", "phone")
    return {k: slots.get(k) for k in keys}


def collected(state: dict[str, Any]) -> dict[str, Any]:
    """The slot values in a state (for the handler and tests)."""
    return _public_slots(state.get("slots") or {})
