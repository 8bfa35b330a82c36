"""The conversation as a pure, table-driven state machine (diagram: `handlers/dialogue.md`).

    new_state, replies, effects = step(state, understanding, now)

Order of reading one message:
1. idle check (> 24 h mid-intake: welcome back; values older than 24 h + 7 d are dropped);
2. the follow event (welcome);
3. a quick-reply text the current stage offers → that stage's handler (`STAGES`), whatever
   the NLU thought; a global quick-reply text (`LABEL_INTENTS`) → its intent;
4. the confirm_delete stage, which takes every message;
5. guessed intents weighed: a command, FAQ or small-talk intent the classifier is unsure of
   is not acted on (`MIN_COMMAND_CONFIDENCE`, `MIN_FAQ_CONFIDENCE`);
6. the answer to what is asked, whatever the intent: "เดี๋ยวก่อน" at the consent/summary, a
   leading yes/no at the consent, and — while a question is pending — a message that fills
   it and asks nothing (`DIVERTING`, `slots.would_answer`);
7. questions about the questions: why it is asked, who the bot is, the data (privacy), the
   paths; a question no FAQ covers gets "ยังตอบเองไม่ได้", never a wrong answer;
8. global commands (`GLOBAL`) in every stage, then FAQ intents (answer, then re-ask);
9. small talk mid-intake (greet, thanks, out_of_scope), then the stage handler (`STAGES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from handlers import knowledge, texts
from handlers.dialogue import slots as sl
from handlers.knowledge import FAQ_INTENTS
from handlers.messages import Message, location_action, text
from nlp.normalize import normalize
from nlp.understanding import Understanding

VERSION = 2
IDLE_RESTART = timedelta(hours=24)
KEEP_VALUES = timedelta(days=7)
MAX_OPTIONAL_MISSES = 2
INTAKE = ("consent", "collecting", "confirm", "choose_field")
IDLE_STAGES = ("start", "declined", "done")
# Effects whose reply the handler writes; a turn with one of them may have no reply of ours.
HANDLER_REPLIES = ("submit", "status", "human", "erase", "office_info")
# Commands the classifier alone suggests below this confidence are not carried out ("มีเรื่อง
# ปรึกษา" is not a request for staff, "ใครเห็นข้อมูลบ้าง" not a deletion); the message is then
# read like any other. Typed commands score 0.7–0.99.
MIN_COMMAND_CONFIDENCE = 0.45
# Intents that would take the message away from the pending question (to an answer or a
# command) although, read as an answer, it may fill it ("อำเภอป่าซาง" read as ask_office).
DIVERTING = (*FAQ_INTENTS, "status", "human", "help", "enroll", "greet", "thanks")
# Above this confidence an FAQ or command intent keeps the message unless the NLU's entities
# answer the question; the looser readers (a name, "ไม่มีอะไร") only count below it.
READER_OVER_INTENT = 0.6
MAX_REQUIRED_MISSES = 3
# An FAQ intent below this is more likely a question the knowledge does not cover ("มีชุด
# นักเรียนไหม" read as ask_eligibility 0.25) than that FAQ: no wrong answer, staff will answer.
MIN_FAQ_CONFIDENCE = 0.35


@dataclass(frozen=True)
class Effect:
    """Something the handler does in the message's transaction (see the module docstring of
    `handlers.dialogue`): consent, submit, status, human, erase, office_info."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)


def initial_state() -> dict[str, Any]:
    """A fresh conversation. Keys the handler may read: `stage`, `pending`, `slots` (the
    collected values, see `collected`), `consent` (bool), `updated_at` (ISO time)."""
    return {
        "version": VERSION,
        "stage": "start",
        "pending": None,
        "slots": {},
        "consent": False,
        "misses": {},
        "updated_at": None,
    }


def collected(state: dict[str, Any]) -> dict[str, Any]:
    """The slot values of a state, every public key present (None when unknown)."""
    slots = state.get("slots") or {}
    return {key: slots.get(key) for key in sl.PUBLIC}


@dataclass
class Turn:
    """One step being built: the (copied) state, the replies and the effects."""

    state: dict[str, Any]
    u: Understanding
    now: datetime
    replies: list[Message] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    lead: str | None = None  # a line to put before the first reply (welcome back)

    @property
    def slots(self) -> dict[str, Any]:
        return self.state["slots"]

    @property
    def stage(self) -> str:
        return self.state["stage"]

    def say(self, body: str, quick: list[Any] | None = None) -> None:
        if self.lead:
            body, self.lead = f"{self.lead}\n{body}", None
        self.replies.append(text(body, quick))

    def effect(self, kind: str, **data: Any) -> None:
        self.effects.append(Effect(kind, data))


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


# --- asking -------------------------------------------------------------------------------------------


def _ask(turn: Turn, slot: str, prefix: str | None = None, *, offer_skip: bool = False) -> None:
    if slot == "name" and turn.state.pop("name_before_consent", None):
        prefix = _join(prefix, texts.name_again())
    body, quick = texts.question(slot, turn.slots, turn.state.get("district_choices"), hint=turn.state.get("district_hint"),
                                 previous_place=turn.state.get("previous_place"))
    if offer_skip:
        quick = [*quick, texts.SKIP]
    turn.state["stage"] = "collecting"
    turn.state["pending"] = slot
    turn.say(_join(prefix, body), quick)


def _next(turn: Turn, prefix: str | None = None) -> None:
    """Ask the first missing slot, or show the summary when nothing is missing."""
    slot = sl.missing(turn.state)
    if slot is None:
        _summary(turn, prefix)
    else:
        _ask(turn, slot, prefix)


def _summary(turn: Turn, prefix: str | None = None) -> None:
    turn.state.update(stage="confirm", pending="confirm")
    turn.state.pop("editing", None)
    turn.say(_join(prefix, texts.summary(turn.slots, turn.state.get("unknown") or ())), [texts.CONFIRM, texts.EDIT])


def _consent_question(turn: Turn, prefix: str | None = None, *, short: bool = False) -> None:
    """The notice and the question; asked again in the same sitting, the question alone."""
    turn.state.update(stage="consent", pending="consent")
    body = texts.consent_question_short() if short else texts.consent_question()
    turn.say(_join(prefix, body), [texts.CONSENT_YES, texts.CONSENT_NO])


def _menu(turn: Turn, body: str) -> None:
    turn.say(body, texts.DONE_MENU if turn.stage == "done" else texts.MENU)


def _reask(turn: Turn, prefix: str | None = None) -> None:
    """Ask again whatever the current stage waits for (never a dead end)."""
    stage = turn.stage
    if stage == "consent":
        _consent_question(turn, prefix, short=not turn.lead)  # after a day away, the whole notice
    elif stage == "collecting":
        _next(turn, prefix)
    elif stage == "confirm":
        _summary(turn, prefix)
    elif stage == "choose_field":
        turn.say(_join(prefix, texts.choose_field()), [*texts.FIELD_CHOICES, texts.CONFIRM])
    elif stage == "done":
        turn.say(_join(prefix, texts.after_done()), texts.DONE_MENU)
    else:
        turn.say(_join(prefix, "อยากให้ช่วยเรื่องไหนคะ"), texts.MENU)


def _start_intake(turn: Turn, prefix: str | None = None) -> None:
    if turn.state.get("consent"):
        _next(turn, prefix or (texts.restarted() if turn.stage == "start" else None))
    else:
        _consent_question(turn, prefix)


def _absorb(turn: Turn, *, overwrite: bool = True) -> bool:
    """Entities into the slots; a ชื่อ-marked name too, but only after consent (free text)."""
    taken = sl.absorb(turn.state, turn.u, turn.now, overwrite=overwrite)
    if turn.state.get("consent"):
        name = sl.name_in(turn.u.text)
        if name and (overwrite or not turn.slots.get("name")):
            turn.slots["name"] = name
            taken = True
    return taken


def _new_intake(turn: Turn) -> None:
    """Clear the collected values for another learner, keeping the contact person's details."""
    old = turn.slots
    keep = {}
    if old.get("role") in ("parent", "other"):
        keep = {k: old[k] for k in ("role", "phone") if k in old}
    if old.get("province"):  # brothers and sisters often share a home: one tap at the location question
        turn.state["previous_place"] = {k: old[k] for k in ("province", "district") if old.get(k)}
    turn.state.update(slots=keep, misses={}, pending=None)
    for key in ("district_choices", "district_unknown", "editing", "unknown", "district_hint"):
        turn.state.pop(key, None)


# --- stages ------------------------------------------------------------------------------------------


def stage_idle(turn: Turn) -> None:
    """start, declined and done: the menu, answers, or a new intake."""
    u, stage = turn.u, turn.stage
    if stage == "declined" and re.search(r"(?<!ไม่)ยินยอม", sl.plain(u.text)) and not sl.asks(u.text):
        # "งั้นยินยอมก็ได้": changed their mind after reading the notice; the consent is given now.
        turn.effect("consent", granted=True)
        turn.state["consent"] = True
        _absorb(turn)
        _next(turn, texts.consent_thanks())
        return
    if sl.is_label(u.text, texts.ANOTHER) or (stage == "done" and u.intent == "enroll"):
        _new_intake(turn)
        _absorb(turn)
        _start_intake(turn, texts.another_started() if turn.state.get("consent") else None)
        return
    if u.intent == "enroll" or sl.is_label(u.text, texts.ENROLL):
        _absorb(turn)
        _start_intake(turn)
        return
    if sl.is_label(u.text, texts.ASK_INFO):
        _faq_menu(turn)
        return
    if turn.state.get("want_office") and _absorb(turn) and turn.slots.get("province"):
        _office_info(turn)
        turn.say(texts.office_follow_up(), texts.MENU)
        return
    if stage != "done" and u.entities and u.intent in ("inform", "affirm", "deny", "out_of_scope", "greet"):
        # Details straight away ("ผมอายุ 17 อยู่เถิน"): they want to apply.
        fresh = turn.state.get("updated_at") is None
        _absorb(turn)
        _start_intake(turn, texts.first_contact() if fresh and not turn.state.get("consent") else None)
        return
    if u.intent in ("greet", "follow"):
        if stage == "done":
            _reask(turn, texts.greet_again())
        else:
            _menu(turn, texts.welcome())
        return
    if u.intent == "thanks":
        _menu(turn, texts.you_are_welcome())
        return
    if stage == "done":
        turn.say(texts.done_changes() if u.entities else texts.after_done(), texts.DONE_MENU)
        return
    if turn.state.get("updated_at") is None:
        _menu(turn, texts.welcome())  # a first message we could not read: the welcome
        return
    _menu(turn, texts.not_understood())


_CONSENT_NO = re.compile(r"^(?:ไม่ยินยอม|ไม่ยอม|ไม่ให้|ไม่ตกลง|ไม่เอา|ไม่สะดวก|ไม่อนุญาต|ไม่ค่ะ|ไม่ครับ|ไม่$|ไม่ใช่)")
_CONSENT_YES = re.compile(
    r"^(?:ยินยอม|ยอม|ตกลง|โอเค|ok(?:ay)?(?![a-z])|ได้(?!ยิน|วุฒิ|ข่าว|ไหม)|ยินดี|เอา(?=$|\s|ค่ะ|ครับ)|ใช่|ค่ะ|ครับ|เจ้า|อนุญาต"
    r"|ให้(?:เก็บ|ส่ง)?(?:ข้อมูล)?(?:ได้|เลย)|ไม่มีปัญหา|เรียบร้อย|ถูก(?:ต้อง|หมด|แล้ว|ค่ะ|ครับ|$)|ครบ(?:แล้ว)?|ส่ง(?:ได้|เลย)|👍|🙆|✅)"
)


def consent_reply(said: str | None) -> bool | None:
    """A yes or no to the consent question at the start of the message, whatever follows
    ("ได้ครับ ลูกชื่อเมย์ อายุ 14", "ยินยอมให้เก็บข้อมูลค่ะ"); None when it is neither."""
    for form in (sl.norm(said), normalize(said or "")):
        form = form.strip()
        if _CONSENT_NO.match(form) and not form.startswith("ไม่มีปัญหา"):
            return False
        if _CONSENT_YES.match(form):
            return True
    return None


def stage_consent(turn: Turn) -> None:
    u = turn.u
    if _WAIT.match(sl.plain(u.text)):
        turn.say(texts.take_your_time_consent(), [texts.CONSENT_YES, texts.CONSENT_NO])
        return
    reply = None if sl.asks(u.text) else consent_reply(u.text)
    if sl.is_label(u.text, texts.CONSENT_NO) or reply is False or (
            reply is None and u.intent == "deny" and not sl.is_label(u.text, texts.CONSENT_YES)):
        turn.effect("consent", granted=False)
        turn.state.clear()
        turn.state.update(initial_state(), stage="declined")
        turn.say(texts.consent_declined(knowledge.department_contact()), [texts.ENROLL, texts.ASK_INFO])
        return
    sure = u.confidence >= MIN_CONFIRM_CONFIDENCE  # a mumbled "อืม" (affirm 0.29) is no consent
    # A wish to study ("อยากสมัครให้ลูก") is no consent: the notice asks a yes or a no.
    if sl.is_label(u.text, texts.CONSENT_YES) or reply is True or (u.intent == "affirm" and sure):
        turn.effect("consent", granted=True)
        turn.state["consent"] = True
        _absorb(turn)
        _next(turn, texts.consent_thanks())
        return
    _absorb(turn)
    _consent_question(turn, texts.consent_again(), short=True)


def stage_collecting(turn: Turn) -> None:
    """Read the message for every slot; the pending question first when the message answers
    it directly ("ปวช" to the path question is the path, not a new level)."""
    pending = turn.state.get("pending") or sl.missing(turn.state)
    before = sl.missing(turn.state)
    reader = sl.READERS.get(pending or "")
    tapped = sl.is_label(turn.u.text, *sl.offered_labels(pending, turn.state))
    answers_pending = not tapped and bool(sl.ANSWER_KEYS.get(pending or "", frozenset()) & set(turn.u.entities or {}))
    if pending == "district" and turn.slots.get("province") and sl.district_in_province(turn.u.text, turn.slots["province"]):
        answers_pending = False  # a district of the province asked about beats a province the NLU saw ("หนองบัว")
    if reader and not answers_pending and sl.missing(turn.state) == pending and reader(turn.state, turn.u):
        took = True
        if pending == "name" and turn.u.entities and sl.place_inside(turn.slots.get("name"), turn.u.entities):
            # The name was the answer; a place inside it ("จันทร์เพ็ญ" holds อ.เพ็ญ) is no home.
            turn.u = Understanding(turn.u.intent, turn.u.confidence,
                                   {k: v for k, v in turn.u.entities.items() if k not in sl.LOCATION_KEYS}, turn.u.text)
        if not sl.only_refuses(turn.u.text):  # "ไม่แน่ใจ" to the district says nothing about the path
            _absorb(turn, overwrite=False)  # other details fill empty slots only
    else:
        took = _absorb(turn)
        if pending == "location" and sl.missing(turn.state) == "district":
            took = sl.district_beside_province(turn.state, turn.u.text) or took
        if pending and sl.missing(turn.state) == pending:
            if reader and reader(turn.state, turn.u):
                took = True
            elif not took and pending in sl.LAST_RESORT:
                took = sl.LAST_RESORT[pending](turn.state, turn.u)
    still = sl.missing(turn.state)
    if turn.state.get("want_office") and turn.slots.get("province") and still not in ("location", "district", "district_choice"):
        _office_info(turn)  # asked where the office is before the home was known: now it is
    if still != before or took:
        if still != pending:
            turn.state.get("misses", {}).pop(pending, None)
        if turn.state.get("editing") and still is None:
            _summary(turn, texts.edited())
        elif pending == "role" and still == "role" and _count_miss(turn, "role") >= MAX_REQUIRED_MISSES:
            turn.slots["role"] = "self"  # for whom, passed over three times: the likeliest, shown to correct
            _next(turn, texts.role_assumed())
        else:
            # Something else was taken but the question stands: say so before asking it again.
            _next(turn, texts.noted() if pending and still == pending else None)
        return
    _missed(turn, pending or before)


def _count_miss(turn: Turn, slot: str) -> int:
    misses = turn.state.setdefault("misses", {})
    misses[slot] = misses.get(slot, 0) + 1
    return misses[slot]


def _leave_unknown(turn: Turn, slot: str) -> None:
    unknown = turn.state.setdefault("unknown", [])
    if slot not in unknown:
        unknown.append(slot)
    turn.state.get("misses", {}).pop(slot, None)


def _missed(turn: Turn, slot: str | None) -> None:
    """The message answered nothing: a hint and the question again (optional ones get skipped,
    required ones the user does not know are left to the office, never asked in a loop)."""
    if slot is None:
        _next(turn)
        return
    u = turn.u
    misses = turn.state.setdefault("misses", {})
    said_no = sl.refuses(u.text) or (u.intent == "deny" and not u.entities)
    repeated = not said_no and any(turn.slots.get(key) == value for key, value in (u.entities or {}).items()) \
        and not (sl.ANSWER_KEYS.get(slot, frozenset()) & set(u.entities))
    if repeated:
        _ask(turn, slot, texts.already_noted())  # it said something known again: no miss, the question again
        return
    misses[slot] = misses.get(slot, 0) + 1
    if slot in sl.OPTIONAL and misses[slot] >= MAX_OPTIONAL_MISSES:
        turn.slots[slot] = None
        _next(turn, texts.skipped())
        return
    if slot == "district" and misses[slot] >= 2:
        turn.state["district_unknown"] = True  # asked twice: the province is enough
        _next(turn, texts.district_left_unknown(turn.slots.get("province") or ""))
        return
    if slot == "role" and misses[slot] >= MAX_REQUIRED_MISSES:
        turn.slots["role"] = "self"  # never a loop: the likeliest, shown in the summary to correct
        _next(turn, texts.role_assumed())
        return
    if slot in sl.MAY_BE_UNKNOWN and (sl.is_label(u.text, texts.SKIP) or (said_no and misses[slot] >= 2)
                                      or misses[slot] >= MAX_REQUIRED_MISSES):
        _leave_unknown(turn, slot)
        _next(turn, texts.left_unknown())
        return
    if slot == "location" and misses[slot] >= MAX_REQUIRED_MISSES:
        # No case without a province, so the question stays; but never the same words again
        # and again: the location share and a person are offered.
        body, quick = texts.question(slot, turn.slots, hint=turn.state.get("district_hint"))
        turn.state.update(stage="collecting", pending=slot)
        turn.say(_join(texts.location_stuck(said_no), body), [*quick, texts.HUMAN])
        return
    if said_no and (slot in sl.MAY_BE_UNKNOWN or slot == "location"):
        _ask(turn, slot, texts.refused_hint(slot, turn.slots), offer_skip=slot in sl.MAY_BE_UNKNOWN)
        return
    if slot == "district" and u.entities.get("province") == turn.slots.get("province"):
        prefix = texts.district_not_province(turn.slots.get("province") or "")
    elif slot == "phone":
        prefix = texts.hint("phone_digits" if re.search(r"\d{3}", normalize(u.text or "")) else "phone")
    elif u.intent == "out_of_scope" and slot not in ("name", "reason"):
        prefix = texts.not_understood_short()
    else:
        prefix = texts.hint(slot, misses[slot])
    _ask(turn, slot, prefix, offer_skip=slot in sl.MAY_BE_UNKNOWN and misses[slot] >= 2)


# "เดี๋ยวก่อน", "รอแป๊บ", "ขอเช็คก่อน": not yet; nothing is sent or dropped.
_WAIT = re.compile(r"^(?:เดี๋ยว|รอ(?:ก่อน|แป๊บ|สักครู่)|แป๊บ|ขอ(?:เช็ค|ดู|คิด|ตรวจ)(?:ก่อน)?|ยังก่อน|ยังไม่(?:ยืนยัน|ส่ง))")
MIN_CONFIRM_CONFIDENCE = 0.5


def stage_confirm(turn: Turn) -> None:
    u = turn.u
    if _WAIT.match(sl.plain(u.text)):
        turn.say(texts.take_your_time(), [texts.CONFIRM, texts.EDIT])
        return
    sure = u.confidence >= MIN_CONFIRM_CONFIDENCE or consent_reply(u.text) is True
    if sl.is_label(u.text, texts.CONFIRM) or (u.intent == "affirm" and not u.entities and sure):
        turn.effect("submit", slots=collected(turn.state))
        turn.state.update(stage="done", pending=None, misses={})
        turn.state.pop("editing", None)
        return
    named = _field_named(u.text)
    if named in sl.OPTIONAL and not u.entities and sl.refuses(u.text):
        turn.slots[named] = None  # "ไม่อยากบอกสาเหตุ": cleared, no need to ask it
        _summary(turn, texts.edited())
        return
    if sl.is_label(u.text, texts.EDIT) or (u.intent == "deny" and not u.entities and not sl.name_in(u.text)):
        field_name = _field_named(u.text)
        if field_name:
            _edit(turn, field_name)
            return
        turn.state.update(stage="choose_field", pending="choose_field")
        turn.say(texts.choose_field(), [*texts.FIELD_CHOICES, texts.CONFIRM])
        return
    if _district_corrected(turn) or _correct(turn):
        return
    field_name = _field_named(u.text)
    if field_name and u.intent in ("inform", "deny", "out_of_scope"):
        _edit(turn, field_name)
        return
    _summary(turn, texts.confirm_unclear())


def _district_corrected(turn: Turn) -> bool:
    """"เขตผิด เป็นจอมทอง": a district of the known province, named in a correction although the
    NLU could not place it (a name several provinces share, or an everyday word)."""
    province = turn.slots.get("province")
    said = turn.u.text or ""
    if not province or _field_named(said) != "location":
        return False
    rest = re.sub(r"^.*?(?:ผิด|ไม่ใช่)\S*\s*(?:ค่ะ|ครับ|คะ|นะ)?\s*(?:เป็น|คือ|อยู่)?", "", said)
    found = sl.district_in_province(rest, province) if rest != said else None
    if not found or found == turn.slots.get("district"):
        return False
    sl.set_district(turn.state, found)
    _summary(turn, texts.edited())
    return True


def _correct(turn: Turn) -> bool:
    """New values typed at the summary or the field menu ("อายุผิด 16 ครับ"): take them."""
    if not (turn.u.entities or sl.name_in(turn.u.text)):
        return False
    if not _absorb(turn):
        return False
    if sl.missing(turn.state) is not None:
        turn.state["editing"] = True
        _next(turn)
    else:
        _summary(turn, texts.edited())
    return True


_FIELD_WORDS = (
    ("phone", ("เบอร์", "โทร")),
    ("name", ("ชื่อ",)),
    ("age", ("อายุ", "ปีเกิด")),
    ("grade", ("ชั้น", "ระดับ", "จบ")),
    ("location", ("ที่อยู่", "อำเภอ", "จังหวัด", "บ้าน", "เขต")),
    ("reason", ("สาเหตุ", "เหตุผล")),
    ("path", ("สาย",)),
    ("role", ("ผู้สมัคร", "สมัครให้")),
)


def _field_named(said: str | None) -> str | None:
    hit, value = sl.choice(said, texts.FIELD_CHOICES)
    if hit:
        return value
    for field_name, words in _FIELD_WORDS:
        if any(word in (said or "") for word in words):
            return field_name
    return None


def _edit(turn: Turn, field_name: str) -> None:
    sl.clear_field(turn.state, field_name)
    turn.state["editing"] = True
    _next(turn)


def stage_choose_field(turn: Turn) -> None:
    hit, field_name = sl.choice(turn.u.text, texts.FIELD_CHOICES)
    if hit:
        _edit(turn, field_name)
        return
    if _correct(turn):
        return
    if sl.is_label(turn.u.text, texts.CONFIRM) or turn.u.intent == "affirm":
        _summary(turn)
        return
    field_name = _field_named(turn.u.text)
    if field_name:
        _edit(turn, field_name)
        return
    turn.say(texts.choose_field_again(), list(texts.FIELD_CHOICES) + [texts.CONFIRM])


def stage_confirm_delete(turn: Turn) -> None:
    u = turn.u
    if sl.is_label(u.text, texts.DELETE_YES) or (u.intent in ("affirm", "delete_data") and not sl.is_label(u.text, texts.DELETE_NO)):
        turn.effect("erase")
        turn.state.clear()
        turn.state.update(initial_state())
        return
    turn.state["stage"] = turn.state.pop("resume_stage", None) or "start"
    intent = _label_intent(u.text) or u.intent
    if intent != "cancel" and (intent in GLOBAL or intent in FAQ_INTENTS or sl.is_label(u.text, texts.ASK_INFO)):
        turn.lead = texts.delete_aborted()
        _dispatch(turn)  # not deleted; the question or command is answered as usual
        return
    _reask(turn, texts.delete_aborted())


# stage name → handler. `collecting` carries a `pending` slot (the question being asked).
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


# --- global commands and questions --------------------------------------------------------------------


def _cancel(turn: Turn) -> None:
    consent = bool(turn.state.get("consent"))
    turn.state.clear()
    turn.state.update(initial_state(), consent=consent)
    turn.say(texts.cancelled(), texts.MENU)


def _help(turn: Turn) -> None:
    if turn.stage in INTAKE:
        turn.say(texts.help_text())
        _reask(turn, texts.back_to_question())
    else:
        turn.say(texts.help_text(), texts.HELP_MENU)


def _human(turn: Turn) -> None:
    turn.effect("human")
    if turn.stage in INTAKE:
        _reask(turn, texts.meanwhile())


def _status(turn: Turn) -> None:
    turn.effect("status")
    if turn.stage in INTAKE:
        _reask(turn, texts.meanwhile())


def _delete(turn: Turn) -> None:
    turn.state["resume_stage"] = turn.stage
    turn.state["stage"] = "confirm_delete"
    turn.say(texts.confirm_delete(), [texts.DELETE_YES, texts.DELETE_NO])


# intent → command, in every stage.
GLOBAL: dict[str, Callable[[Turn], None]] = {
    "cancel": _cancel,
    "help": _help,
    "human": _human,
    "status": _status,
    "delete_data": _delete,
}

# Global quick-reply texts → the intent they stand for (matched before the NLU's intent).
LABEL_INTENTS: dict[str, str] = {
    texts.ENROLL: "enroll",
    "สมัครเรียน": "enroll",
    texts.HUMAN: "human",
    texts.STATUS: "status",
    texts.RESTART: "cancel",
    "ยกเลิก": "cancel",
    "เมนู": "help",
    "ลบข้อมูลของฉัน": "delete_data",
    **texts.FAQ_LABELS,
}


def _faq_menu(turn: Turn) -> None:
    if turn.stage in INTAKE:
        turn.say(texts.faq_menu_mid_intake(), list(texts.FAQ_MENU))
    else:
        turn.say(texts.faq_menu(), [*texts.FAQ_MENU, texts.ENROLL])


_PRIVACY = re.compile(
    r"ข้อมูล.{0,25}(?:ทำอะไร|ไปไหน|ใคร|ปลอดภัย|รั่ว|ขาย|ใช้ผิด|เก็บไว้|นานแค่ไหน|ไปใช้|ถูกใช้)|(?:ใคร|ทำไม).{0,20}ข้อมูล"
    r"|ทำไม.{0,12}ยินยอม|ไม่ยินยอม(?:ได้ไหม|แล้วจะ)"
    r"|ความเป็นส่วนตัว|pdpa|privacy|(?:ให้|ขอ|เก็บ)ข้อมูลอะไร",
    re.I,
)
# Asked at the consent question, these are about the data even without the word ข้อมูล.
_PRIVACY_AT_CONSENT = re.compile(r"ปลอดภัย|ความลับ|รั่ว|เปิดเผย|เอาไปขาย|ใคร(?:จะ)?เห็น|เอาไป(?:ทำ|ใช้)|เก็บอะไร|เก็บไว้")
# "ทำไมต้องถาม", "ถามทำไม", "จะเอาไปทำอะไร": why the pending question is asked.
_WHY_ASK = re.compile(r"ทำไม(?:ต้อง|ถึง)?(?:ถาม|บอก|รู้|ขอ|ใช้|ให้)|(?:ถาม|ขอ|รู้)(?:ไป)?ทำไม|เอาไป(?:ทำ|ใช้)อะไร|จะเอาไปทำไม")
GLOBAL_SURE = ("cancel", "delete_data")
_ABOUT_BOT = re.compile(r"บอท|หุ่นยนต์|\bbot\b|\bai\b|เป็นคน(?:จริง)?(?:หรือ|ไหม|รึ)|คุณ(?:เป็น)?ใคร|(?:คุณ|แอด(?:มิน)?)ชื่ออะไร")
_PATH_QUESTION = re.compile(r"ต่างกัน|คืออะไร|แบบไหน|อันไหน|อย่างไร|ดีกว่า|แนะนำ|เรียนอะไร|สายไหน")


def _privacy_question(u: Understanding, stage: str) -> bool:
    """What happens to my data? (asked before consent most often): answered from knowledge.yml."""
    if u.intent in ("delete_data", "cancel") and u.confidence >= MIN_COMMAND_CONFIDENCE:
        return False
    said = normalize(u.text or "")
    about_data = _PRIVACY.search(said) or (stage == "consent" and _PRIVACY_AT_CONSENT.search(said))
    return bool(about_data) and (sl.asks(u.text) or u.intent == "help")


def _answers_quietly(turn: Turn) -> bool:
    """A question-shaped message that still answers the pending question ("อายุ 14 ได้ไหม")."""
    return turn.stage == "collecting" and sl.would_answer(turn.state, turn.u, turn.now, entities_only=True)


def _unanswerable(turn: Turn) -> None:
    """A question the bot has no answer for: say so, point to staff, and go on."""
    _absorb(turn, overwrite=False)
    if turn.stage in INTAKE:
        turn.say(texts.cannot_answer(mid_intake=True))
        _reask(turn, texts.back_to_question())
    else:
        turn.say(texts.cannot_answer(mid_intake=False), [texts.ENROLL, texts.HUMAN, texts.ASK_INFO])


def _label_intent(said: str | None) -> str | None:
    """The intent of a global quick-reply text, as typed or with a polite tail (`sl.is_label`)."""
    return LABEL_INTENTS.get(sl.squeezed(said)) or LABEL_INTENTS.get(sl.norm(said))


def _office_info(turn: Turn, entities: dict[str, Any] | None = None) -> bool:
    entities = entities or {}
    district = entities.get("district") or turn.slots.get("district")
    province = entities.get("province") or (district[:2] if district else None) or turn.slots.get("province")
    if not province:
        return False
    turn.effect("office_info", province=province, district=district if district and district[:2] == province else None)
    turn.state.pop("want_office", None)
    return True


def _faq(turn: Turn) -> None:
    intent, stage = turn.u.intent, turn.stage
    pending = turn.state.get("pending")
    if stage in INTAKE or stage == "start":
        _absorb(turn, overwrite=False)  # details in a question fill empty slots only
    if stage == "collecting" and sl.missing(turn.state) != pending:
        back = texts.next_question()
    else:
        back = texts.back_to_question()
    if intent == "ask_office" and _office_info(turn, turn.u.entities):
        if stage in INTAKE:
            _reask(turn, texts.meanwhile())
        else:
            turn.say(texts.office_follow_up(), texts.MENU)
        return
    if intent == "ask_office":
        turn.state["want_office"] = True
    answer = knowledge.answer(intent, turn.u.entities)
    if intent == "ask_office" and stage == "collecting":
        answer = knowledge.text("office_later")  # the location question comes: the office then
    if stage in INTAKE:
        turn.say(answer)
        _reask(turn, back)
    elif intent == "ask_office":
        turn.say(answer, [location_action(), texts.ENROLL, texts.ASK_INFO])
    else:
        quick = [q for q in texts.FAQ_MENU if texts.FAQ_LABELS[q] != intent]
        turn.say(_join(answer, texts.after_answer()), [texts.ENROLL, *quick])


# --- the step ---------------------------------------------------------------------------------------


def _idle(turn: Turn) -> None:
    """More than 24 h since the last message: welcome back, keep or drop the values."""
    last = turn.state.get("updated_at")
    if not last:
        return
    try:
        idle = turn.now - datetime.fromisoformat(last)
    except (TypeError, ValueError):
        return
    if idle <= IDLE_RESTART:
        return
    mid_intake = turn.stage in INTAKE or turn.stage == "confirm_delete"
    if idle > IDLE_RESTART + KEEP_VALUES:
        had = bool(turn.slots) or turn.state.get("consent") or mid_intake
        turn.state.clear()
        turn.state.update(initial_state())
        if mid_intake or had:
            turn.lead = texts.welcome_back(False)
        return
    if turn.stage == "confirm_delete":
        turn.state["stage"] = turn.state.pop("resume_stage", None) or "start"
    if turn.stage in INTAKE:
        turn.lead = texts.welcome_back(True)


def _dispatch(turn: Turn) -> None:
    u = turn.u
    stage = turn.stage
    if u.intent == "follow":
        if stage in INTAKE:
            _reask(turn, texts.welcome_back(True) if not turn.lead else None)
        else:
            _menu(turn, texts.welcome())
        return
    if stage == "confirm_delete":
        stage_confirm_delete(turn)
        return
    # A quick reply this stage offers is its answer, whatever the NLU made of it.
    if stage == "collecting" and sl.is_label(u.text, *sl.offered_labels(turn.state.get("pending"), turn.state)):
        stage_collecting(turn)
        return
    stage_labels = {
        "consent": (texts.CONSENT_YES, texts.CONSENT_NO),
        "confirm": (texts.CONFIRM, texts.EDIT),
        "choose_field": (*texts.FIELD_CHOICES, texts.CONFIRM),
    }.get(stage, ())
    if stage_labels and sl.is_label(u.text, *stage_labels):
        STAGES[stage](turn)
        return
    if stage in IDLE_STAGES and sl.is_label(u.text, texts.ANOTHER, texts.ASK_INFO):
        stage_idle(turn)
        return
    if sl.is_label(u.text, texts.ASK_INFO):
        _faq_menu(turn)
        return
    labelled = _label_intent(u.text)
    intent = labelled or u.intent
    if not labelled and intent in ("cancel", "delete_data", "status", "human") and u.confidence < MIN_COMMAND_CONFIDENCE:
        intent = "inform" if u.entities else "out_of_scope"  # a guess, not a command
    if not labelled and intent in FAQ_INTENTS and u.confidence < MIN_FAQ_CONFIDENCE and not sl.asks(u.text):
        intent = "inform" if u.entities else "out_of_scope"  # "ต้องไปเฮ็ดงาน" is no question about documents
    if not labelled and intent in ("greet", "thanks") and u.confidence < MIN_COMMAND_CONFIDENCE and stage in INTAKE:
        intent = "inform" if u.entities else "out_of_scope"  # "Thoen" is no thank-you
    if intent != u.intent:
        turn.u = u = Understanding(intent, 1.0 if labelled else u.confidence, u.entities, u.text)
    if stage in ("consent", "confirm") and not labelled and _WAIT.match(sl.plain(u.text)):
        STAGES[stage](turn)  # "เดี๋ยวก่อน": not yet, nothing sent, nothing dropped
        return
    if stage == "consent" and not labelled and not sl.asks(u.text) and consent_reply(u.text) is not None:
        stage_consent(turn)  # "ยินยอมให้เก็บข้อมูลค่ะ", "ได้ครับ ลูกชื่อเมย์": the answer, whatever the intent
        return
    if stage == "collecting" and not labelled and intent in DIVERTING and sl.asks_to_skip(u.text):
        turn.u = Understanding("inform", u.confidence, u.entities, u.text)
        stage_collecting(turn)  # "ไม่บอกได้ไหม": a refusal, answered as one
        return
    if stage == "collecting" and not labelled and intent in DIVERTING and not sl.asks(u.text):
        # The pending question's answer is in the message and nothing is asked: take it,
        # whatever a guessed intent says ("อำเภอป่าซาง" is no question about the office).
        loose = intent in ("enroll", "greet", "thanks") or u.confidence < READER_OVER_INTENT
        if sl.would_answer(turn.state, u, turn.now, entities_only=not loose):
            turn.u = Understanding("inform", u.confidence, u.entities, u.text)
            stage_collecting(turn)
            return
    if stage == "collecting" and not labelled and _WHY_ASK.search(normalize(u.text or "")) and intent not in GLOBAL_SURE:
        slot = turn.state.get("pending") or "name"
        _ask(turn, slot, texts.why_we_ask(slot), offer_skip=slot in sl.MAY_BE_UNKNOWN)
        return
    if not labelled and _ABOUT_BOT.search(normalize(u.text or "")) and intent not in (*GLOBAL_SURE, "human"):
        turn.say(texts.about_the_bot())  # "เป็นบอทหรือคน", "คุณชื่ออะไร"
        if stage in INTAKE:
            _reask(turn, texts.back_to_question())
        else:
            _menu(turn, texts.after_answer())
        return
    if _privacy_question(u, stage) and not labelled:
        turn.say(knowledge.text("privacy"))
        if stage in INTAKE:
            _reask(turn, texts.back_to_question())
        else:
            _menu(turn, texts.after_answer())
        return
    if stage == "collecting" and turn.state.get("pending") == "path" and sl.asks(u.text) and not u.entities \
            and intent not in ("cancel", "delete_data", "status", "human") and _PATH_QUESTION.search(normalize(u.text or "")):
        turn.say(knowledge.text("paths"))
        _reask(turn, texts.back_to_question())
        return
    if not labelled and (intent in FAQ_INTENTS and u.confidence < MIN_FAQ_CONFIDENCE or intent == "out_of_scope") \
            and sl.asks(u.text) and not _answers_quietly(turn):
        _unanswerable(turn)
        return
    if intent in GLOBAL:
        GLOBAL[intent](turn)
        return
    if intent in FAQ_INTENTS:
        _faq(turn)
        return
    if stage in INTAKE and not u.entities:
        pending = turn.state.get("pending")
        if intent == "greet" and pending != "name":
            _reask(turn, texts.greet_again())
            return
        if intent == "thanks":
            _reask(turn, texts.you_are_welcome())
            return
        if intent == "out_of_scope" and stage != "collecting":
            _reask(turn, texts.not_understood_short())
            return
        if intent == "enroll" and stage == "collecting" and pending != "name":
            _reask(turn, texts.already_enrolling())
            return
    STAGES.get(stage, stage_idle)(turn)


def step(state: dict[str, Any] | None, understanding: Understanding, now: datetime) -> tuple[dict[str, Any], list[Message], list[Effect]]:
    """Apply one message to the conversation. Pure: the input state is not changed."""
    current = sl.copy_state(state) if state else initial_state()
    if not isinstance(current, dict) or current.get("version") != VERSION or current.get("stage") not in STAGES:
        current = initial_state()
    turn = Turn(current, understanding, now)
    _idle(turn)
    _dispatch(turn)
    return _finish(turn)


def _finish(turn: Turn) -> tuple[dict[str, Any], list[Message], list[Effect]]:
    turn.state["updated_at"] = turn.now.isoformat()
    if not turn.state.get("consent"):
        # Before consent only entity values may wait here: never a name (free text); only the
        # fact that one was given, so that the name question can say why it comes again.
        turn.slots.pop("name", None)
        if sl.name_in(turn.u.text) and turn.stage in ("start", "consent"):
            turn.state["name_before_consent"] = True
    if turn.lead and not turn.replies and not any(e.type in HANDLER_REPLIES for e in turn.effects):
        _reask(turn)
    if not turn.replies and not any(e.type in HANDLER_REPLIES for e in turn.effects):
        turn.say(texts.not_understood(), texts.MENU)
    return turn.state, turn.replies[:5], list(turn.effects)
