"""The conversation as rule tables (python-telegram-bot's ConversationHandler, as data).

    new_state, replies, effects = step(state, understanding, now)

One message:
1. `_idle`: more than a day away mid-intake → welcome back (values older than a week dropped);
2. `_weigh`: a global quick-reply text stands for its intent (`LABEL_INTENTS`); a command, FAQ
   or small-talk intent the classifier is unsure of is read as a plain message (`thresholds`);
3. the first rule of `TABLES[stage]` whose `when` holds does its `then`. Every stage's table is
   built from the same groups, in this order: `FIRST` (follow), the stage's taps (a quick reply it
   offers is its answer, whatever the NLU thought), `ASK_INFO_TAP`, the stage's early rules, the
   global questions (`QUESTIONS`), the global commands (`COMMANDS`), the FAQ, small talk mid-intake
   (`SMALL_TALK`), and the stage's own rules, the last of which always applies. Right after `FIRST`,
   `PERSON`: while a thread with the office is open, messages go to staff (commands still work); a
   question offered to staff, the place asked to find the office, and reopening a closed case.

A collecting answer is read first (`_read_answer`: the values into the slots), then what it leads
to is decided by the table `ANSWER_RULES`, and a message that took nothing by `MISSED_RULES`
(`SUBTABLES`): each sub-rule's name follows its rule's in the record ("answer → missed → role_assumed").

The matched rule's name is kept in `State.rule` (tests and debugging), with what decided outside
the tables after it: `_weigh`'s rewrite of the intent (`· weighed:cancel→inform`) and `_finish`'s
fallback reply when no rule gave one (`· fallback:reask`, `· fallback:not_understood`). No action
calls back into the tables: a confirmation stage that lets a command through runs that command's
action itself (`_resuming`). `handlers/dialogue.md` is generated from the tables (`diagram.mermaid()`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal, NamedTuple, TypedDict, Unpack, get_args

from handlers import knowledge, texts
from handlers.dialogue import slots as sl
from handlers.dialogue.state import Question, Slots, Stage, State, text_slot
from handlers.dialogue.thresholds import (
    IDLE_RESTART,
    KEEP_VALUES,
    MAX_DISTRICT_MISSES,
    MAX_OPTIONAL_MISSES,
    MAX_REFUSED_MISSES,
    MAX_REQUIRED_MISSES,
    MIN_COMMAND_CONFIDENCE,
    MIN_CONFIRM_CONFIDENCE,
    MIN_FAQ_CONFIDENCE,
    OFFER_SKIP_AFTER_MISSES,
    READER_OVER_INTENT,
    STAFF_OFFER_MAX_OUT_OF_SCOPE,
    STAFF_QUESTION_MAX,
    THREAD_COMMAND_CONFIDENCE,
)
from handlers.knowledge import FAQ_INTENTS
from handlers.messages import Message, location_action, text
from nlp.understanding import Understanding

# What the handler does for the dialogue, in the message's transaction (`handlers.effects`), and its data:
# consent {"granted", "version"}, submit {"slots"}, status {}, human {"province", "district"}, erase {},
# office_info {"province", "district"}, ask_staff {"question", "province", "district"}, thread_message {},
# leave_thread {}, reopen {}.
EffectType = Literal[
    "consent", "submit", "status", "human", "erase", "office_info", "ask_staff", "thread_message", "leave_thread",
    "reopen",
]
EFFECT_TYPES: tuple[EffectType, ...] = get_args(EffectType)

INTAKE: tuple[Stage, ...] = ("consent", "collecting", "confirm", "choose_field")
IDLE_STAGES: tuple[Stage, ...] = ("start", "declined", "done")
# Effects whose reply the handler writes; a turn with one of them may have no reply of ours.
HANDLER_REPLIES: tuple[EffectType, ...] = ("submit", "status", "human", "erase", "office_info", "ask_staff",
                                           "thread_message", "leave_thread", "reopen")
# Intents that would take the message away from the pending question (to an answer or a
# command) although, read as an answer, it may fill it ("อำเภอป่าซาง" read as ask_office).
DIVERTING = (*FAQ_INTENTS, "status", "human", "help", "enroll", "greet", "thanks")
COMMAND_INTENTS = ("cancel", "delete_data", "status", "human")
# Commands never taken for something else (a question about the bot, the data).
SURE_COMMANDS = ("cancel", "delete_data")


class EffectData(TypedDict, total=False):
    """What an effect carries (which keys each `EffectType` gives: the comment above `EffectType`)."""

    granted: bool  # consent
    version: str  # consent: the notice's version (`texts.CONSENT_VERSION`)
    slots: Slots  # submit: `collected(state)`
    province: str  # human, office_info, ask_staff: the place whose office is meant
    district: str | None
    question: str  # ask_staff: the user's question, the first message to staff


class Place(TypedDict, total=False):
    """The learner's home as far as known (empty when no province is): the office of an enquiry."""

    province: str
    district: str | None  # only a district of that province


@dataclass(frozen=True)
class Effect:
    """Something the handler does in the message's transaction (`EffectType`). `data` holds the
    keys of `EffectData` (typed where the dialogue makes it: `Turn.effect`)."""

    type: EffectType
    data: EffectData = field(default_factory=lambda: EffectData())


# A quick reply: its label (a message action that sends the label), or a LINE action
# (`handlers.messages.location_action`, `texts.district_choice_action`).
QuickReply = str | dict[str, Any]


@dataclass(frozen=True)
class Reading:
    """What the collecting stage read in an answer (`_read_answer`), for the rules that decide
    what follows (`ANSWER_RULES`, `MISSED_RULES`)."""

    pending: Question | None  # the question answered (the first missing one when none is pending)
    before: Question | None  # the first missing question before the message
    still: Question | None  # the first missing question after it
    took: bool  # a value was taken

    @property
    def changed(self) -> bool:
        """Something was taken, or the question to ask moved on."""
        return self.took or self.still != self.before

    @property
    def slot(self) -> Question | None:
        """The question a message that changed nothing missed."""
        return self.pending or self.before


@dataclass
class Turn:
    """One step being built: the (copied) state, the message, the replies and the effects."""

    state: State
    u: Understanding
    now: datetime
    privacy_url: str | None = None
    labelled: bool = False  # the message is a global quick-reply text (`LABEL_INTENTS`)
    replies: list[Message] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    lead: str | None = None  # a line to put before the first reply (welcome back)
    offer_made: bool = False  # this turn offered to send a question to staff (kept for the next message)
    matched: Rule | None = None  # the rule of the stage's table that took the message
    reading: Reading | None = None  # what the collecting stage read in the message (`_read_answer`)
    table: Stage | None = None  # the stage whose table was read
    trace: list[str] = field(default_factory=list)  # the rule names that took the message (a tap, then its sub-rule)
    # What decided the route outside the tables: the intent rewritten by `_weigh` ("weighed:cancel→inform"),
    # the fallback reply of `_finish` ("fallback:reask", "fallback:not_understood").
    notes: list[str] = field(default_factory=list)

    @property
    def slots(self) -> Slots:
        return self.state.slots

    @property
    def stage(self) -> Stage:
        return self.state.stage

    @property
    def intent(self) -> str:
        return self.u.intent

    def say(self, body: str, quick: Sequence[QuickReply] | None = None) -> None:
        if self.lead:
            body, self.lead = f"{self.lead}\n{body}", None
        self.replies.append(text(body, None if quick is None else list(quick)))

    def effect(self, kind: EffectType, **data: Unpack[EffectData]) -> None:
        self.effects.append(Effect(kind, data))


@dataclass(frozen=True)
class Rule:
    """One line of a stage's table: `name`, `when` it applies, what it does (`then`), the
    stages it may lead to (`goes`, for the diagram; staying in the stage needs no mention), and
    in a line of prose why (`doc`, shown in handlers/dialogue.md)."""

    name: str
    when: Callable[[Turn], bool]
    then: Callable[[Turn], None]
    goes: tuple[Stage, ...] = ()
    doc: str = ""


def initial_state() -> State:
    """A fresh conversation (`State()`); its stored form is `dump_state(initial_state())`."""
    return State()


def _fresh(turn: Turn, fresh: State | None = None) -> None:
    """Start over from a fresh state, `State()` unless given (keeping the facts other handlers
    keep in it)."""
    fresh = fresh or State()
    fresh.facts = turn.state.facts
    turn.state = fresh


def collected(state: State) -> Slots:
    """The slot values of a state, every public key present (None when unknown)."""
    return {key: state.slots.get(key) for key in sl.PUBLIC}


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _tapped(*labels: str) -> Callable[[Turn], bool]:
    def when(turn: Turn) -> bool:
        return sl.tapped(turn.u, *labels)

    when.__doc__ = " / ".join(labels)
    return when


def _always(turn: Turn) -> bool:
    return True


def _hand_to(name: str, when: Callable[[Turn], bool], rules: tuple[Rule, ...], *, doc: str = "") -> Rule:
    """A rule that hands the message to a stage's own rules (their first match acts)."""
    goes = tuple(dict.fromkeys(target for rule in rules for target in rule.goes))
    return Rule(name, when, lambda t: _run(t, rules), goes, doc)


# --- asking ------------------------------------------------------------------------------------------


def _ask(turn: Turn, slot: Question, prefix: str | None = None, *, offer_skip: bool = False) -> None:
    state = turn.state
    if slot == "name" and state.name_before_consent:
        state.name_before_consent = False
        prefix = _join(prefix, texts.name_again())
    body, quick = texts.question(slot, state.slots, state.district_choices or None, hint=state.district_hint,
                                 previous_place=state.previous_place or None)
    old = texts.offered_value(slot, state.offered)
    if old:
        body = _join(body, texts.offer_old(old))
        quick = [texts.KEEP_OLD, *quick]
    if offer_skip:
        quick = [*quick, texts.SKIP]
    state.stage, state.pending = "collecting", slot
    turn.say(_join(prefix, body), quick)


def _next(turn: Turn, prefix: str | None = None) -> None:
    """Ask the first missing slot, or show the summary when nothing is missing."""
    slot = sl.missing(turn.state)
    if slot is None:
        _summary(turn, prefix)
    else:
        _ask(turn, slot, prefix)


def _summary(turn: Turn, prefix: str | None = None) -> None:
    state = turn.state
    state.stage, state.pending, state.editing = "confirm", "confirm", None
    state.before_edit = {}
    state.offered = {}
    turn.say(_join(prefix, texts.summary(state.slots, state.unknown)), [texts.CONFIRM, texts.EDIT])


def _consent_question(turn: Turn, prefix: str | None = None, *, short: bool = False) -> None:
    """The notice and the question; asked again in the same sitting, the question alone."""
    turn.state.stage, turn.state.pending = "consent", "consent"
    body = texts.consent_question_short(turn.privacy_url) if short else texts.consent_question(turn.privacy_url)
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
    elif stage in ("confirm", "confirm_cancel"):
        _summary(turn, prefix)
    elif stage == "choose_field":
        turn.say(_join(prefix, texts.choose_field()), [*texts.FIELD_CHOICES, texts.CONFIRM])
    elif stage == "done":
        turn.say(_join(prefix, texts.after_done()), texts.DONE_MENU)
    else:
        turn.say(_join(prefix, texts.which_help()), texts.MENU)


def _answer_then_back(body: Callable[[Turn], str]) -> Callable[[Turn], None]:
    def then(turn: Turn) -> None:
        turn.say(body(turn))
        if turn.stage in INTAKE:
            _reask(turn, texts.back_to_question())
        else:
            _menu(turn, texts.after_answer())

    return then


def _start_intake(turn: Turn, prefix: str | None = None) -> None:
    if turn.state.consent:
        _next(turn, prefix or (texts.restarted() if turn.stage == "start" else None))
    else:
        _consent_question(turn, prefix)


def _absorb(turn: Turn, *, overwrite: bool = True) -> bool:
    """Entities into the slots; a ชื่อ-marked name too, but only after consent (free text)."""
    taken = sl.absorb(turn.state, turn.u, turn.now, overwrite=overwrite)
    if turn.state.consent and turn.state.editing in (None, "values", "name"):
        name = turn.u.answer.marked_name
        if name and (overwrite or not turn.slots.get("name")):
            turn.slots["name"] = name
            taken = True
    return taken


def _would_take(turn: Turn) -> bool:
    """Would the message's values change the slots? (Tried on a copy.)"""
    trial = replace(turn, state=turn.state.copy(), replies=[], effects=[])
    return _absorb(trial)


def _new_intake(turn: Turn) -> None:
    """Clear the collected values for another learner, keeping the contact person's details."""
    state = turn.state
    old = state.slots
    keep: Slots = {}
    if old.get("role") in ("parent", "other"):
        keep = {k: old[k] for k in ("role", "phone") if k in old}
    place = {k: text_slot(old, k) for k in ("province", "district")}
    if place["province"]:  # brothers and sisters often share a home: one tap at the location question
        state.previous_place = {k: v for k, v in place.items() if v}
    state.slots, state.misses, state.pending = keep, {}, None
    state.district_choices, state.district_unknown, state.editing = [], False, None
    state.before_edit = {}
    state.unknown, state.district_hint, state.offered = [], None, {}


def _field_named(turn: Turn) -> str | None:
    hit, value = sl.tapped_choice(turn.u, texts.FIELD_CHOICES)
    return value if hit else turn.u.answer.field


def _office_info(turn: Turn, entities: Mapping[str, object] | None = None) -> bool:
    """The office of the home known (`entities` first, else the slots), if a province is."""
    place = _known_place(turn, entities or {})
    if not place:
        return False
    turn.effect("office_info", **place)
    turn.state.want_office = False
    return True


# --- the weighing of the intent ------------------------------------------------------------------------

# Global quick-reply texts → the intent they stand for (matched before the NLU's intent).
LABEL_INTENTS: dict[str, str] = {
    texts.ENROLL: "enroll",
    texts.MENU_ENROLL: "enroll",
    texts.HUMAN: "human",
    texts.STATUS: "status",
    texts.RESTART: "cancel",
    texts.CANCEL: "cancel",
    texts.MENU_WORD: "help",
    texts.DELETE: "delete_data",
    **texts.FAQ_LABELS,
}


def _weigh(turn: Turn) -> None:
    u = turn.u
    labelled = next((LABEL_INTENTS[form] for form in u.answer.forms if form in LABEL_INTENTS), None)
    intent = labelled or u.intent
    guess = intent if not labelled else None
    if guess in COMMAND_INTENTS and u.confidence < MIN_COMMAND_CONFIDENCE:
        intent = "inform" if u.entities else "out_of_scope"  # a guess, not a command
    elif guess in FAQ_INTENTS and u.confidence < MIN_FAQ_CONFIDENCE and not u.answer.asks:
        intent = "inform" if u.entities else "out_of_scope"  # "ต้องไปเฮ็ดงาน" is no question about documents
    elif guess in ("greet", "thanks") and u.confidence < MIN_COMMAND_CONFIDENCE and turn.stage in INTAKE:
        intent = "inform" if u.entities else "out_of_scope"  # "Thoen" is no thank-you
    turn.labelled = labelled is not None
    if intent != u.intent:
        turn.notes.append(f"weighed:{u.intent}→{intent}")
        turn.u = replace(u, intent=intent, confidence=1.0 if labelled else u.confidence)


def _as_answer(turn: Turn) -> None:
    """Read the message as a plain answer to the pending question, whatever intent was guessed."""
    turn.u = replace(turn.u, intent="inform")
    stage_collecting(turn)


# --- the idle stages: start, declined, done -------------------------------------------------------------


def _consent_given(turn: Turn) -> None:
    turn.effect("consent", granted=True, version=texts.CONSENT_VERSION)
    turn.state.consent = True
    _absorb(turn)
    _next(turn, texts.consent_thanks())


def _another(turn: Turn) -> None:
    _new_intake(turn)
    _absorb(turn)
    _start_intake(turn, texts.another_started() if turn.state.consent else None)


def _enroll(turn: Turn) -> None:
    _absorb(turn)
    _start_intake(turn)


def _faq_menu(turn: Turn) -> None:
    if turn.stage in INTAKE:
        turn.say(texts.faq_menu_mid_intake(), list(texts.FAQ_MENU))
    else:
        turn.say(texts.faq_menu(), [*texts.FAQ_MENU, texts.ENROLL])


def _gives_office_place(turn: Turn) -> bool:
    if not turn.state.want_office:
        return False
    trial = replace(turn, state=turn.state.copy(), replies=[], effects=[])
    _absorb(trial)
    return bool(trial.slots.get("province"))


def _office_now(turn: Turn) -> None:
    _absorb(turn)
    _office_info(turn)
    turn.say(texts.office_follow_up(), texts.MENU)


# Intents of a first message whose details mean "I want to apply" (chatter that happens to name a
# place, read as out_of_scope, does not start an intake).
DETAIL_INTENTS = ("inform", "affirm", "deny", "greet")


def _details_first(turn: Turn) -> None:
    """Details straight away ("ผมอายุ 17 อยู่เถิน"): they want to apply."""
    fresh = turn.state.updated_at is None
    _absorb(turn)
    _start_intake(turn, texts.first_contact() if fresh and not turn.state.consent else None)


def _hello(turn: Turn) -> None:
    if turn.stage == "done":
        _reask(turn, texts.greet_again())
    else:
        _menu(turn, texts.welcome(turn.privacy_url))


def _first_message(turn: Turn) -> None:
    _menu(turn, texts.welcome(turn.privacy_url))  # a first message we could not read: the welcome


IDLE_RULES = (
    Rule("changed_mind", lambda t: t.stage == "declined" and t.u.answer.consents, _consent_given, ("collecting",)),
    Rule("another_learner", lambda t: sl.tapped(t.u, texts.ANOTHER) or (t.stage == "done" and t.intent == "enroll"),
         _another, ("consent", "collecting")),
    Rule("enroll", lambda t: t.intent == "enroll" or sl.tapped(t.u, texts.ENROLL), _enroll, ("consent", "collecting")),
    Rule("faq_menu", _tapped(texts.ASK_INFO), _faq_menu),
    Rule("office_place", _gives_office_place, _office_now),
    Rule("details_first", lambda t: t.stage != "done" and bool(t.u.entities)
         and t.intent in DETAIL_INTENTS, _details_first, ("consent", "collecting")),
    Rule("hello", lambda t: t.intent in ("greet", "follow"), _hello),
    Rule("thanks", lambda t: t.intent == "thanks", lambda t: _menu(t, texts.you_are_welcome())),
    Rule("after_submission", lambda t: t.stage == "done",
         lambda t: t.say(texts.done_changes() if t.u.entities else texts.after_done(), texts.DONE_MENU)),
    Rule("first_message", lambda t: t.state.updated_at is None, _first_message),
    Rule("not_understood", _always, lambda t: _menu(t, texts.not_understood())),
)


# --- consent -----------------------------------------------------------------------------------------


def _declines_consent(turn: Turn) -> bool:
    u = turn.u
    return sl.tapped(u, texts.CONSENT_NO) or u.answer.yes_no is False or (
        u.answer.yes_no is None and u.intent == "deny" and not sl.tapped(u, texts.CONSENT_YES))


def _gives_consent(turn: Turn) -> bool:
    u = turn.u
    # A wish to study ("อยากสมัครให้ลูก") is no consent; a mumbled "อืม" (affirm 0.29) neither.
    return sl.tapped(u, texts.CONSENT_YES) or u.answer.yes_no is True or (
        u.intent == "affirm" and u.confidence >= MIN_CONFIRM_CONFIDENCE)


def _consent_refused(turn: Turn) -> None:
    turn.effect("consent", granted=False, version=texts.CONSENT_VERSION)
    _fresh(turn, State(stage="declined"))
    turn.say(texts.consent_declined(knowledge.department_contact()), [texts.ENROLL, texts.ASK_INFO])


def _consent_unclear(turn: Turn) -> None:
    _absorb(turn)
    _consent_question(turn, texts.consent_again(), short=True)


CONSENT_RULES = (
    Rule("declined", _declines_consent, _consent_refused, ("declined",)),
    Rule("consented", _gives_consent, _consent_given, ("collecting", "confirm")),
    Rule("ask_consent_again", _always, _consent_unclear),
)


# --- collecting: one question pending -------------------------------------------------------------------


def _read_answer(turn: Turn) -> Reading:
    """Read the message for every slot; the pending question first when the message answers
    it directly ("ปวช" to the path question is the path, not a new level). No route is chosen
    here (`ANSWER_RULES` do), only bookkeeping: the office asked for before the home was known
    is given once it is, and a question answered forgets its misses."""
    state = turn.state
    pending = state.pending or sl.missing(state)
    before = sl.missing(state)
    tapped = sl.tapped(turn.u, *sl.offered_labels(pending, state))
    answers_pending = not tapped and bool(sl.ANSWER_KEYS.get(pending or "", frozenset()) & set(turn.u.entities or {}))
    province = text_slot(turn.slots, "province")
    if pending == "district" and province and turn.u.answer.district_in(province):
        answers_pending = False  # a district of the province asked about beats a province the NLU saw ("หนองบัว")
    if pending and not answers_pending and sl.missing(state) == pending and sl.read_pending(state, turn.u, pending):
        took = True
        if pending == "name" and turn.u.entities and sl.place_inside_name(state, turn.u):
            # The name was the answer; a place inside it ("จันทร์เพ็ญ" holds อ.เพ็ญ) is no home.
            turn.u = replace(turn.u, entities={k: v for k, v in turn.u.entities.items() if k not in sl.LOCATION_KEYS})
        if not turn.u.answer.only_refuses:  # "ไม่แน่ใจ" to the district says nothing about the path
            _absorb(turn, overwrite=False)  # other details fill empty slots only
    else:
        took = _absorb(turn)
        if pending == "location" and sl.missing(state) == "district":
            took = sl.district_beside_province(state, turn.u) or took
        if pending and sl.missing(state) == pending:
            if sl.read_pending(state, turn.u, pending):
                took = True
            elif not took and pending in sl.LAST_RESORT:
                took = sl.LAST_RESORT[pending](state, turn.u)
    still = sl.missing(state)
    if state.want_office and turn.slots.get("province") and still not in ("location", "district", "district_choice"):
        _office_info(turn)  # asked where the office is before the home was known: now it is
    reading = Reading(pending, before, still, took)
    if reading.changed and pending and still != pending:
        state.misses.pop(pending, None)
    return reading


def stage_collecting(turn: Turn) -> None:
    """A message read as an answer (`_read_answer`); the first of `ANSWER_RULES` that applies
    decides what follows (recorded after the rule that read it: "answer → noted")."""
    turn.reading = _read_answer(turn)
    _run(turn, ANSWER_RULES)


def _reading(turn: Turn) -> Reading:
    if turn.reading is None:
        raise LookupError("the collecting rules need the answer read first (stage_collecting)")
    return turn.reading


def _count_miss(turn: Turn, slot: str) -> int:
    turn.state.misses[slot] = turn.state.misses.get(slot, 0) + 1
    return turn.state.misses[slot]


def _nth_miss(turn: Turn, slot: str | None) -> int:
    """How many times the question `slot` went unanswered, this message included."""
    return turn.state.misses.get(slot or "", 0) + 1


def _leave_unknown(turn: Turn, slot: str) -> None:
    if slot not in turn.state.unknown:
        turn.state.unknown.append(slot)
    turn.state.misses.pop(slot, None)


def _assume_role(turn: Turn) -> None:
    turn.slots["role"] = "self"  # never a loop: the likeliest, shown in the summary to correct
    _next(turn, texts.role_assumed())


# --- collecting: what an answer leads to (after `_read_answer`) ---


def _took_nothing(turn: Turn) -> bool:
    return not _reading(turn).changed


def _role_passed_over(turn: Turn) -> bool:
    """Something else was taken while the question for whom stands."""
    reading = _reading(turn)
    return reading.pending == "role" and reading.still == "role"


def _role_passed_over_again(turn: Turn) -> bool:
    return _role_passed_over(turn) and _nth_miss(turn, "role") >= MAX_REQUIRED_MISSES


def _question_stands(turn: Turn) -> bool:
    reading = _reading(turn)
    return reading.pending is not None and reading.still == reading.pending


def _role_counted(then: Callable[[Turn], None]) -> Callable[[Turn], None]:
    def counted(turn: Turn) -> None:
        _count_miss(turn, "role")  # for whom, passed over: counted like a miss
        then(turn)

    return counted


# --- collecting: the message answered nothing (`MISSED_RULES`) ---


def _missed_slot(turn: Turn) -> Question:
    slot = _reading(turn).slot
    if slot is None:
        raise LookupError("a miss needs a question (the rule nothing_missing comes first)")
    return slot


def _said_no(turn: Turn) -> bool:
    u = turn.u
    return u.answer.refuses or (u.intent == "deny" and not u.entities)


def _repeated(turn: Turn) -> bool:
    """It said something known again (and nothing for the question): no miss, the question again."""
    u, slot = turn.u, _reading(turn).slot
    return not _said_no(turn) and any(turn.slots.get(key) == value for key, value in (u.entities or {}).items()) \
        and not (sl.ANSWER_KEYS.get(slot or "", frozenset()) & set(u.entities))


def _missed_often(slots: tuple[str, ...], limit: int) -> Callable[[Turn], bool]:
    """The question is one of `slots` and went unanswered `limit` times (this message included)."""

    def when(turn: Turn) -> bool:
        slot = _reading(turn).slot
        return slot in slots and _nth_miss(turn, slot) >= limit

    when.__doc__ = f"{' / '.join(slots)} missed {limit} times"
    return when


def _may_be_left_unknown(turn: Turn) -> bool:
    """A required question the user may not know: skipped (tapped), refused twice, or missed three times."""
    slot = _reading(turn).slot
    if slot not in sl.MAY_BE_UNKNOWN:
        return False
    misses = _nth_miss(turn, slot)
    return sl.tapped(turn.u, texts.SKIP) or (_said_no(turn) and misses >= MAX_REFUSED_MISSES) \
        or misses >= MAX_REQUIRED_MISSES


def _counted(then: Callable[[Turn, Question], None]) -> Callable[[Turn], None]:
    """`then`, after counting the miss of the question."""

    def counted(turn: Turn) -> None:
        slot = _missed_slot(turn)
        _count_miss(turn, slot)
        then(turn, slot)

    return counted


def _skip_optional(turn: Turn, slot: Question) -> None:
    turn.slots[slot] = None
    _next(turn, texts.skipped())


def _district_unknown(turn: Turn, slot: Question) -> None:
    turn.state.district_unknown = True  # asked twice: the province is enough
    _next(turn, texts.district_left_unknown(text_slot(turn.slots, "province") or ""))


def _left_unknown(turn: Turn, slot: Question) -> None:
    _leave_unknown(turn, slot)
    _next(turn, texts.left_unknown())


def _location_stuck(turn: Turn, slot: Question) -> None:
    # No case without a province, so the question stays; but never the same words again
    # and again: the location share and a person are offered.
    state = turn.state
    body, quick = texts.question(slot, turn.slots, hint=state.district_hint)
    state.stage, state.pending = "collecting", slot
    turn.say(_join(texts.location_stuck(_said_no(turn)), body), [*quick, texts.HUMAN])


def _refused_hint(turn: Turn, slot: Question) -> None:
    _ask(turn, slot, texts.refused_hint(slot, turn.slots), offer_skip=slot in sl.MAY_BE_UNKNOWN)


def _hint(prefix: Callable[[Turn, Question], str]) -> Callable[[Turn, Question], None]:
    """The question again after `prefix`; SKIP offered once a question the user may not know was missed twice."""

    def then(turn: Turn, slot: Question) -> None:
        misses = turn.state.misses.get(slot, 0)
        _ask(turn, slot, prefix(turn, slot),
             offer_skip=slot in sl.MAY_BE_UNKNOWN and misses >= OFFER_SKIP_AFTER_MISSES)

    return then


def _province_for_district(turn: Turn) -> bool:
    """The province known, given again to the district question."""
    return _reading(turn).slot == "district" and turn.u.entities.get("province") == turn.slots.get("province")


# The message changed nothing (`Reading.changed` false): which of these applies to the question
# it missed (`Reading.slot`). Optional questions get skipped and required ones the user does not
# know are left to the office, never asked in a loop; otherwise a hint and the question again.
MISSED_RULES = (
    Rule("nothing_missing", lambda t: _reading(t).slot is None, lambda t: _next(t), ("confirm",),
         doc="no question was open: the summary"),
    Rule("repeated", _repeated, lambda t: _ask(t, _missed_slot(t), texts.already_noted()),
         doc="a value already known said again: no miss, the question again"),
    # From here on the message counts as a miss of the question (`State.misses`, this one included).
    Rule("skipped", _missed_often(sl.OPTIONAL, MAX_OPTIONAL_MISSES), _counted(_skip_optional), ("confirm",),
         doc="an optional question missed MAX_OPTIONAL_MISSES times: left empty"),
    Rule("district_left_unknown", _missed_often(("district",), MAX_DISTRICT_MISSES), _counted(_district_unknown),
         ("confirm",), doc="the district missed MAX_DISTRICT_MISSES times: the province is enough"),
    Rule("role_assumed", _missed_often(("role",), MAX_REQUIRED_MISSES), _counted(lambda t, _: _assume_role(t)),
         ("confirm",), doc="for whom, missed MAX_REQUIRED_MISSES times: self, shown in the summary to correct"),
    Rule("left_unknown", _may_be_left_unknown, _counted(_left_unknown), ("confirm",),
         doc="name, age, grade or status: SKIP tapped, refused MAX_REFUSED_MISSES times or missed "
             "MAX_REQUIRED_MISSES times: left to the office"),
    Rule("location_stuck", _missed_often(("location",), MAX_REQUIRED_MISSES), _counted(_location_stuck),
         doc="the home missed MAX_REQUIRED_MISSES times (no case without it): other words, the location "
             "share and a person offered"),
    Rule("refused", lambda t: _said_no(t) and (_reading(t).slot in (*sl.MAY_BE_UNKNOWN, "location")),
         _counted(_refused_hint), doc="a refusal of a required question: why it is asked (and SKIP)"),
    Rule("province_again", _province_for_district,
         _counted(_hint(lambda t, _: texts.district_not_province(text_slot(t.slots, "province") or ""))),
         doc="the province known given again to the district question: the district of it, please"),
    Rule("phone_hint", lambda t: _reading(t).slot == "phone",
         _counted(_hint(lambda t, _: texts.hint("phone_digits" if t.u.answer.has_digits else "phone"))),
         doc="no phone number read: how one is written"),
    Rule("not_understood", lambda t: t.intent == "out_of_scope" and _reading(t).slot not in ("name", "reason"),
         _counted(_hint(lambda t, _: texts.not_understood_short())),
         doc="out of scope (a name or a reason may look so): not understood, the question again"),
    Rule("hint", _always, _counted(_hint(lambda t, slot: texts.hint(slot, t.state.misses.get(slot, 0)))),
         doc="a hint for the question (SKIP offered after OFFER_SKIP_AFTER_MISSES misses of one the user "
             "may not know)"),
)

# What an answer leads to, once read (`_read_answer`): `stage_collecting` runs this table.
ANSWER_RULES = (
    _hand_to("missed", _took_nothing, MISSED_RULES, doc="nothing taken, the question still open: MISSED_RULES"),
    Rule("edited", lambda t: bool(t.state.editing) and _reading(t).still is None,
         lambda t: _summary(t, texts.edited()), ("confirm",), doc="a correction from the summary complete"),
    Rule("role_assumed_at_last", _role_passed_over_again, _role_counted(_assume_role), ("confirm",),
         doc="something else taken while for whom stays open, MAX_REQUIRED_MISSES times: self, to correct "
             "in the summary"),
    Rule("role_passed_over", _role_passed_over, _role_counted(lambda t: _next(t, texts.noted())),
         doc="something else taken while for whom stays open (counted as a miss of it): noted, asked again"),
    Rule("noted", _question_stands, lambda t: _next(t, texts.noted()),
         doc="something else taken but the question stands: noted, asked again"),
    Rule("next", _always, lambda t: _next(t), ("confirm",), doc="the next missing question, or the summary"),
)

# The tables a rule hands a message to that no stage's table lists (handlers/dialogue.md shows them):
# the name, the rules that lead there, the rules.
SUBTABLES: dict[str, tuple[str, tuple[Rule, ...]]] = {
    "answer": ("collecting: answer, answer_tapped, skip_asked, answers_anyway (after `_read_answer`)", ANSWER_RULES),
    "missed": ("answer: missed", MISSED_RULES),
}


def _answers_anyway(turn: Turn) -> bool:
    """The pending question's answer is in the message and nothing is asked: take it, whatever a
    guessed intent says ("อำเภอป่าซาง" is no question about the office)."""
    if turn.labelled or turn.intent not in DIVERTING or turn.u.answer.asks:
        return False
    loose = turn.intent in ("enroll", "greet", "thanks") or turn.u.confidence < READER_OVER_INTENT
    return sl.would_answer(turn.state, turn.u, turn.now, entities_only=not loose)


def _why_we_ask(turn: Turn) -> None:
    slot = turn.state.pending or "name"
    _ask(turn, slot, texts.why_we_ask(slot), offer_skip=slot in sl.MAY_BE_UNKNOWN)


def _about_paths(turn: Turn) -> bool:
    u = turn.u
    return turn.state.pending == "path" and u.answer.asks and not u.entities and u.intent not in COMMAND_INTENTS \
        and u.answer.about_paths


COLLECTING_EARLY = (
    # "ไม่บอกได้ไหม": a refusal put as a question is a refusal, whatever intent was guessed.
    Rule("skip_asked", lambda t: not t.labelled and t.intent not in SURE_COMMANDS and t.u.answer.asks_to_skip,
         _as_answer, ("confirm",)),
    Rule("answers_anyway", _answers_anyway, _as_answer, ("confirm",)),
    Rule("why_we_ask", lambda t: not t.labelled and t.u.answer.why_ask and t.intent not in SURE_COMMANDS, _why_we_ask),
    Rule("about_paths", _about_paths, _answer_then_back(lambda t: knowledge.text("paths"))),
)
COLLECTING_RULES = (Rule("answer", _always, stage_collecting, ("confirm",),
                         doc="read as an answer (`_read_answer`), then the table answer decides"),)


# --- the summary and corrections -----------------------------------------------------------------------


def _edit(turn: Turn, field_name: str) -> None:
    state = turn.state
    keys = sl.FIELD_KEYS.get(field_name, (field_name,))
    before: Slots = {key: state.slots[key] for key in keys if key in state.slots}
    before.update({key: None for key in keys if key in state.unknown})  # not known: None
    if field_name == "location" and state.district_unknown:
        before["district"] = None
    sl.clear_field(state, field_name)
    state.editing, state.before_edit = field_name, before
    _next(turn)


def _put_back_edited(state: State) -> None:
    """The field being corrected as it was at the summary, unless a new value (or part of one)
    was given meanwhile: a cancel asked during a correction and not confirmed loses nothing."""
    keys = sl.FIELD_KEYS.get(state.editing or "", ())
    before, state.before_edit = state.before_edit, {}
    given = any(key in state.slots or key in state.unknown for key in keys) or (
        state.editing == "location" and (bool(state.district_choices) or state.district_unknown))
    if not before or given:
        return
    for key, value in before.items():
        if value is None and key in sl.MAY_BE_UNKNOWN:
            state.unknown.append(key)
        elif value is None and key == "district":
            state.district_unknown = True
        else:
            state.slots[key] = value
    state.editing = None


def _submits(turn: Turn) -> bool:
    u = turn.u
    sure = u.confidence >= MIN_CONFIRM_CONFIDENCE or u.answer.yes_no is True
    return sl.tapped(u, texts.CONFIRM) or (u.intent == "affirm" and not u.entities and sure)


def _submit(turn: Turn) -> None:
    turn.effect("submit", slots=collected(turn.state))
    state = turn.state
    state.stage, state.pending, state.misses, state.editing, state.offered = "done", None, {}, None, {}


def _clears_optional(turn: Turn) -> bool:
    """"ไม่อยากบอกสาเหตุ": an optional field named with a refusal."""
    return _field_named(turn) in sl.OPTIONAL and not turn.u.entities and turn.u.answer.refuses


def _clear_optional(turn: Turn) -> None:
    turn.slots[_field_named(turn) or ""] = None
    turn.slots.pop("", None)
    _summary(turn, texts.edited())


def _wants_edit(turn: Turn) -> bool:
    u = turn.u
    return sl.tapped(u, texts.EDIT) or (u.intent == "deny" and not u.entities and not u.answer.marked_name)


def _edit_or_choose(turn: Turn) -> None:
    field_name = _field_named(turn)
    if field_name:
        _edit(turn, field_name)
        return
    turn.state.stage, turn.state.pending = "choose_field", "choose_field"
    turn.say(texts.choose_field(), [*texts.FIELD_CHOICES, texts.CONFIRM])


def _corrected_district(turn: Turn) -> str | None:
    """"เขตผิด เป็นจอมทอง": a district of the known province named in a correction although the
    NLU could not place it (a name several provinces share, or an everyday word)."""
    province = text_slot(turn.slots, "province")
    if not province or _field_named(turn) != "location":
        return None
    found = turn.u.answer.corrected_district(province)
    return found if found and found != turn.slots.get("district") else None


def _set_corrected_district(turn: Turn) -> None:
    sl.set_district(turn.state, _corrected_district(turn) or "")
    _summary(turn, texts.edited())


def _corrects(turn: Turn) -> bool:
    """New values typed at the summary or the field menu ("อายุผิด 16 ครับ")."""
    return bool(turn.u.entities or turn.u.answer.marked_name) and _would_take(turn)


def _correct(turn: Turn) -> None:
    _absorb(turn)
    if sl.missing(turn.state) is not None:
        turn.state.editing = turn.state.editing or "values"
        _next(turn)
    else:
        _summary(turn, texts.edited())


def _field_to_edit(turn: Turn) -> bool:
    return _field_named(turn) is not None and turn.intent in ("inform", "deny", "out_of_scope")


CONFIRM_RULES = (
    Rule("submit", _submits, _submit, ("done",)),
    Rule("clear_optional", _clears_optional, _clear_optional),
    Rule("edit", _wants_edit, _edit_or_choose, ("collecting", "choose_field")),
    Rule("district_corrected", lambda t: _corrected_district(t) is not None, _set_corrected_district),
    Rule("correction", _corrects, _correct, ("collecting",)),
    Rule("field_named", _field_to_edit, lambda t: _edit(t, _field_named(t) or ""), ("collecting",)),
    Rule("summary_again", _always, lambda t: _summary(t, texts.confirm_unclear())),
)


def _field_tapped(turn: Turn) -> bool:
    return sl.tapped_choice(turn.u, texts.FIELD_CHOICES)[0]


CHOOSE_FIELD_RULES = (
    Rule("field_chosen", _field_tapped, lambda t: _edit(t, sl.tapped_choice(t.u, texts.FIELD_CHOICES)[1] or ""),
         ("collecting",)),
    Rule("correction", _corrects, _correct, ("confirm", "collecting")),
    Rule("nothing_to_edit", lambda t: sl.tapped(t.u, texts.CONFIRM) or t.intent == "affirm", _summary, ("confirm",)),
    Rule("field_named", lambda t: _field_named(t) is not None, lambda t: _edit(t, _field_named(t) or ""),
         ("collecting",)),
    Rule("choose_again", _always,
         lambda t: t.say(texts.choose_field_again(), [*texts.FIELD_CHOICES, texts.CONFIRM])),
)


# --- global commands ------------------------------------------------------------------------------------


def _restart(turn: Turn) -> None:
    """"เริ่มใหม่": the intake from its first question, each value given before offered as one tap."""
    state = turn.state
    _put_back_edited(state)  # a value being corrected is offered too, unless a new one was given
    offered = {**state.offered, **{k: v for k, v in state.slots.items() if v is not None}}
    consent = state.consent
    _fresh(
        turn,
        State(consent=consent, offered=offered, previous_place=state.previous_place, updated_at=state.updated_at),
    )
    if consent:
        _next(turn, texts.restarted_with_values() if offered else texts.restarted())
    else:
        _consent_question(turn)


def _finished_summary(turn: Turn) -> bool:
    """At a finished summary, or correcting one of its fields (the field is empty meanwhile)."""
    if turn.stage == "collecting":
        return turn.state.editing is not None
    return turn.stage in ("confirm", "choose_field") and sl.missing(turn.state) is None


def _ask_before_cancel(turn: Turn) -> None:
    turn.state.resume_stage = turn.stage
    turn.state.stage, turn.state.pending = "confirm_cancel", "confirm_cancel"
    turn.say(texts.confirm_cancel(), [texts.CANCEL_YES, texts.CANCEL_NO])


def _cancel(turn: Turn) -> None:
    _fresh(turn, State(consent=turn.state.consent))
    turn.say(texts.cancelled(), texts.MENU)


def _help(turn: Turn) -> None:
    if turn.stage in INTAKE:
        turn.say(texts.help_text())
        _reask(turn, texts.back_to_question())
    else:
        turn.say(texts.help_text(), texts.HELP_MENU)


def _human(turn: Turn) -> None:
    _to_staff(turn, None)  # a thread with the office (see "a person on the other end" below)


def _status(turn: Turn) -> None:
    turn.effect("status")
    if turn.stage in INTAKE:
        _reask(turn, texts.meanwhile())


def _delete(turn: Turn) -> None:
    turn.state.resume_stage = turn.stage
    turn.state.stage = "confirm_delete"
    turn.say(texts.confirm_delete(), [texts.DELETE_YES, texts.DELETE_NO])


def _is(intent: str) -> Callable[[Turn], bool]:
    def when(turn: Turn) -> bool:
        return turn.intent == intent

    when.__doc__ = f"intent {intent}"
    return when


COMMANDS = (
    Rule("restart", lambda t: t.intent == "cancel" and t.u.answer.restart, _restart, ("consent", "collecting")),
    Rule("cancel_asks_first", lambda t: t.intent == "cancel" and _finished_summary(t), _ask_before_cancel,
         ("confirm_cancel",)),
    Rule("cancel", _is("cancel"), _cancel, ("start",)),
    Rule("help", _is("help"), _help),
    Rule("human", _is("human"), _human),
    Rule("status", _is("status"), _status),
    Rule("delete_data", _is("delete_data"), _delete, ("confirm_delete",)),
)


# --- questions, anywhere --------------------------------------------------------------------------------


def _privacy_question(turn: Turn) -> bool:
    """What happens to my data? (asked before consent most often): answered from knowledge.yml."""
    u = turn.u
    if turn.labelled or (u.intent in SURE_COMMANDS and u.confidence >= MIN_COMMAND_CONFIDENCE):
        return False
    about_data = u.answer.about_data or (turn.stage == "consent" and u.answer.about_data_at_consent)
    return about_data and (u.answer.asks or u.intent == "help")


def _topic_question(turn: Turn) -> bool:
    """A question of the most-asked kind (study days, online, disability, เทียบระดับ, a lost ID,
    pregnancy): its short answer from knowledge.yml, better than the intent's general one."""
    u = turn.u
    sure_command = u.intent in SURE_COMMANDS and u.confidence >= MIN_COMMAND_CONFIDENCE
    if turn.labelled or sure_command or u.intent == "ask_office":
        return False
    return bool(u.answer.topic) and (u.answer.asks or u.intent in FAQ_INTENTS)


def _for_staff(turn: Turn) -> bool:
    """A question worth a person's answer: about our topics (an FAQ intent read with low
    confidence) or not clearly about something else (out of scope, read with low confidence)."""
    u = turn.u
    return u.intent in FAQ_INTENTS or (u.intent == "out_of_scope" and u.confidence < STAFF_OFFER_MAX_OUT_OF_SCOPE)


def _unanswerable_question(turn: Turn) -> bool:
    """A question no answer covers (an unsure FAQ intent, or out of scope, asked as a question)."""
    u = turn.u
    if turn.labelled or not u.answer.asks:
        return False
    if not ((u.intent in FAQ_INTENTS and u.confidence < MIN_FAQ_CONFIDENCE) or u.intent == "out_of_scope"):
        return False
    # A question-shaped message that still answers the pending question ("อายุ 14 ได้ไหม") is an answer.
    return not (turn.stage == "collecting" and sl.would_answer(turn.state, u, turn.now, entities_only=True))


def _unanswerable(turn: Turn) -> None:
    """Say so honestly and offer to send the question to staff (mid-intake, when the office is
    already known; else the office will answer once the details are sent)."""
    _absorb(turn, overwrite=False)
    question = (turn.u.text or "").strip()
    place_known = bool(turn.state.facts.get("has_case") or _known_place(turn, turn.u.entities))
    if turn.stage in INTAKE and not place_known or not question or not _for_staff(turn):
        if turn.stage in INTAKE:
            turn.say(texts.cannot_answer(mid_intake=True))
            _reask(turn, texts.back_to_question())
        else:
            turn.say(texts.cannot_answer(mid_intake=False), [texts.ENROLL, texts.HUMAN, texts.ASK_INFO])
        return
    turn.state.staff_question = question[:STAFF_QUESTION_MAX]
    turn.offer_made = True
    turn.say(texts.staff_offer(), [texts.SEND_TO_STAFF, texts.NOT_NOW])


def _faq(turn: Turn) -> None:
    intent, stage, state = turn.intent, turn.stage, turn.state
    if stage in INTAKE or stage == "start":
        _absorb(turn, overwrite=False)  # details in a question fill empty slots only
    back = texts.next_question() if stage == "collecting" and sl.missing(state) != state.pending \
        else texts.back_to_question()
    if intent == "ask_office" and _office_info(turn, turn.u.entities):
        if stage in INTAKE:
            _reask(turn, texts.meanwhile())
        else:
            turn.say(texts.office_follow_up(), texts.MENU)
        return
    if intent == "ask_office":
        state.want_office = True
    answer = knowledge.answer(intent, turn.u.entities)
    if intent == "ask_office" and stage == "collecting":
        answer = knowledge.text("office_later")  # the location question comes: the office then
    if stage in INTAKE:
        turn.say(answer)
        _reask(turn, back)
    elif intent == "ask_office":
        turn.say(answer, [location_action(texts.SHARE_LOCATION), texts.ENROLL, texts.ASK_INFO])
    else:
        quick = [q for q in texts.FAQ_MENU if texts.FAQ_LABELS[q] != intent]
        turn.say(_join(answer, texts.after_answer()), [texts.ENROLL, *quick])


QUESTIONS = (
    Rule("about_the_bot",
         lambda t: not t.labelled and t.u.answer.about_bot and t.intent not in (*SURE_COMMANDS, "human"),
         _answer_then_back(lambda t: texts.about_the_bot())),
    Rule("privacy", _privacy_question,
         _answer_then_back(lambda t: _join(knowledge.text("privacy"), texts.privacy_link(t.privacy_url)))),
    Rule("topic", _topic_question, _answer_then_back(lambda t: knowledge.topic_answer(t.u.answer.topic) or "")),
    Rule("unanswerable", _unanswerable_question, _unanswerable, ("confirm",)),  # details in it may complete the intake
)
FAQ = (Rule("faq", lambda t: t.intent in FAQ_INTENTS, _faq, ("confirm",)),)  # details in it may complete the intake


# --- small talk mid-intake, follow, taps ----------------------------------------------------------------


def _small_talk(intent: str, *, unless_pending: str | None = None, stages: tuple[Stage, ...] = INTAKE,
                unless: Callable[[Turn], bool] | None = None) -> Callable[[Turn], bool]:
    def when(turn: Turn) -> bool:
        return turn.intent == intent and not turn.u.entities and turn.stage in stages \
            and (unless_pending is None or turn.state.pending != unless_pending) and not (unless and unless(turn))

    return when


SMALL_TALK = (
    Rule("greet_midway", _small_talk("greet", unless_pending="name"), lambda t: _reask(t, texts.greet_again())),
    Rule("thanks_midway", _small_talk("thanks"), lambda t: _reask(t, texts.you_are_welcome())),
    Rule("unclear_midway", _small_talk("out_of_scope", stages=("consent", "confirm", "choose_field"),
                                       unless=lambda t: _field_named(t) is not None),
         lambda t: _reask(t, texts.not_understood_short())),
    Rule("enroll_midway", _small_talk("enroll", unless_pending="name", stages=("collecting",)),
         lambda t: _reask(t, texts.already_enrolling())),
)


def _follow(turn: Turn) -> None:
    if turn.stage in INTAKE:
        _reask(turn, texts.welcome_back(True) if not turn.lead else None)
    else:
        _menu(turn, texts.welcome(turn.privacy_url))


FIRST = (Rule("follow", _is("follow"), _follow),)
ASK_INFO_TAP = (Rule("faq_menu_tapped", _tapped(texts.ASK_INFO), _faq_menu),)


def _offered_tapped(turn: Turn) -> bool:
    return sl.tapped(turn.u, *sl.offered_labels(turn.state.pending, turn.state))


TAPS: dict[Stage, tuple[Rule, ...]] = {
    "start": (_hand_to("menu_tapped", _tapped(texts.ANOTHER, texts.ASK_INFO), IDLE_RULES),),
    "consent": (_hand_to("consent_tapped", _tapped(texts.CONSENT_YES, texts.CONSENT_NO), CONSENT_RULES),),
    "collecting": (Rule("answer_tapped", _offered_tapped, stage_collecting, ("confirm",)),),
    "confirm": (_hand_to("summary_tapped", _tapped(texts.CONFIRM, texts.EDIT), CONFIRM_RULES),),
    "choose_field": (_hand_to("field_tapped", _tapped(*texts.FIELD_CHOICES, texts.CONFIRM), CHOOSE_FIELD_RULES),),
}
TAPS["declined"] = TAPS["done"] = TAPS["start"]


# --- confirmations: delete, cancel ----------------------------------------------------------------------


def _erase(turn: Turn) -> None:
    turn.effect("erase")
    turn.state = State()


def _leave_confirmation(turn: Turn) -> None:
    """Back to the stage the confirmation interrupted; a cancel not confirmed during a correction
    puts the field's old value back (`_put_back_edited`)."""
    state = turn.state
    if state.stage == "confirm_cancel":
        _put_back_edited(state)
    state.stage = state.resume_stage or "start"
    state.resume_stage = None


def _resuming(rule: Rule, lead: Callable[[], str]) -> Rule:
    """`rule`, run in the stage the confirmation interrupted (the confirmation is dropped)."""

    def then(turn: Turn) -> None:
        _leave_confirmation(turn)
        turn.lead = lead()
        rule.then(turn)

    return Rule(f"{rule.name} (not {'deleted' if lead is texts.delete_aborted else 'cancelled'})",
                lambda t: rule.when(t) and t.intent != "cancel", then, (*INTAKE, *IDLE_STAGES, *rule.goes))


def _back_from_confirmation(lead: Callable[[], str]) -> Callable[[Turn], None]:
    def then(turn: Turn) -> None:
        _leave_confirmation(turn)
        _reask(turn, lead())

    return then


_PASSED_THROUGH = (*ASK_INFO_TAP, *COMMANDS, *FAQ)

CONFIRM_DELETE_RULES = (
    Rule("erase", lambda t: sl.tapped(t.u, texts.DELETE_YES)
         or (t.intent in ("affirm", "delete_data") and not sl.tapped(t.u, texts.DELETE_NO) and not t.u.answer.negative),
         _erase, ("start",)),
    *(_resuming(rule, texts.delete_aborted) for rule in _PASSED_THROUGH if rule.name != "delete_data"),
    Rule("not_deleted", _always, _back_from_confirmation(texts.delete_aborted), INTAKE + IDLE_STAGES),
)


def _restart_instead(turn: Turn) -> None:
    _leave_confirmation(turn)
    _restart(turn)


CONFIRM_CANCEL_RULES = (
    # "เริ่มใหม่" (typed or tapped) is no "yes, cancel": the intake again, the values given offered.
    Rule("restart (not cancelled)", lambda t: t.intent == "cancel" and t.u.answer.restart
         and not sl.tapped(t.u, texts.CANCEL_YES), _restart_instead, ("consent", "collecting")),
    Rule("cancel_confirmed", lambda t: sl.tapped(t.u, texts.CANCEL_YES)
         or (t.intent in ("affirm", "cancel") and not sl.tapped(t.u, texts.CANCEL_NO) and not t.u.answer.negative),
         _cancel, ("start",)),
    *(_resuming(rule, texts.cancel_aborted) for rule in _PASSED_THROUGH
      if not rule.name.startswith(("cancel", "restart"))),
    Rule("not_cancelled", _always, _back_from_confirmation(texts.cancel_aborted),
         ("confirm", "choose_field", "collecting")),
)


# --- a person on the other end: threads, reopening, questions for staff (DESIGN §2 step 6-7, §9) --------
# Facts the handlers keep in `state.facts` (never set here): "thread" while the user talks with their office
# through the bot, "closed_case" after staff closed their case, "has_case" once they submitted one.

THREAD_PASSES = ("cancel", "delete_data", "status", "help", "human", "follow")
STAFF_PLACE: Question = "staff_place"  # `pending` while the bot asks where the user lives, to find their office


def _in_thread(turn: Turn) -> bool:
    return bool(turn.state.facts.get("thread"))


def _command_in_thread(turn: Turn) -> bool:
    """What the bot still answers while the user talks with staff: a tapped menu or quick reply
    of the bot's, and the commands (cancel, delete, status, help, follow)."""
    if turn.labelled or turn.intent == "follow" or sl.tapped(turn.u, texts.ASK_INFO):
        return True
    # Talking to a person, a message is theirs unless it is clearly a command ("ช่วยบอกหน่อย" is no help request).
    return turn.intent in THREAD_PASSES and turn.u.confidence >= THREAD_COMMAND_CONFIDENCE


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _known_place(turn: Turn, entities: Mapping[str, object]) -> Place:
    """The learner's home as far as known (the message's `entities` first, then the slots), for
    the office of an enquiry; empty without a province."""
    district = _text(entities.get("district")) or text_slot(turn.slots, "district")
    province = (
        _text(entities.get("province")) or (district[:2] if district else None) or text_slot(turn.slots, "province")
    )
    if not province:
        return {}
    return {"province": province, "district": district if district and district[:2] == province else None}


def _to_staff(turn: Turn, question: str | None) -> None:
    """Open the thread (with `question` as its first message), or ask the place first when
    there is no case and no known place (an enquiry goes to the office near the user)."""
    place = _known_place(turn, turn.u.entities)
    # Mid-intake the place may be what the user cannot give: the request goes on without it (to
    # the admin group), never a question asked again.
    if turn.state.facts.get("has_case") or place or _in_thread(turn) or turn.stage in INTAKE:
        if question:
            turn.effect("ask_staff", question=question, **place)
        else:
            turn.effect("human", **place)
        turn.state.staff_question = None
        if turn.stage in INTAKE:
            _reask(turn, texts.meanwhile())
        return
    turn.state.staff_question = question
    turn.state.pending = STAFF_PLACE
    turn.offer_made = True
    turn.say(texts.enquiry_where(), [location_action(texts.SHARE_LOCATION), texts.NOT_NOW])


def _place_for_staff(turn: Turn) -> bool:
    return turn.state.pending == STAFF_PLACE and bool(_known_place(turn, turn.u.entities)) and not turn.labelled


def _staff_place_given(turn: Turn) -> None:
    question = turn.state.staff_question
    turn.state.pending = sl.missing(turn.state) if turn.stage == "collecting" else None
    if turn.stage in INTAKE:
        _absorb(turn, overwrite=False)
    _to_staff(turn, question)


def _staff_declined(turn: Turn) -> None:
    turn.state.staff_question = None
    if turn.state.pending == STAFF_PLACE:
        turn.state.pending = sl.missing(turn.state) if turn.stage == "collecting" else None
    if turn.stage in INTAKE:
        _reask(turn, texts.staff_offer_declined())
    else:
        _menu(turn, texts.staff_offer_declined())


def _offer_open(turn: Turn) -> bool:
    return bool(turn.state.staff_question) or turn.state.pending == STAFF_PLACE


def _sends_to_staff(turn: Turn) -> bool:
    return bool(turn.state.staff_question) and turn.state.pending != STAFF_PLACE and (
        sl.tapped(turn.u, texts.SEND_TO_STAFF) or (not turn.labelled and turn.u.answer.yes_no is True))


def _declines_staff(turn: Turn) -> bool:
    if not _offer_open(turn):
        return False
    return sl.tapped(turn.u, texts.NOT_NOW) or (not turn.labelled and turn.u.answer.yes_no is False)


def _wants_reopen(turn: Turn) -> bool:
    """"ให้ติดต่อกลับ" / "ยังอยากเรียน" (tapped or typed), or a wish to study from someone whose
    case was closed: the case opens again instead of a new intake."""
    if sl.tapped(turn.u, texts.CALL_ME_BACK, texts.STILL_WANT):
        return True
    if not turn.state.facts.get("closed_case") or turn.stage not in IDLE_STAGES or turn.labelled:
        return False
    return turn.intent in ("enroll", "status", "out_of_scope", "inform") and turn.u.answer.wants_study


def _reopen(turn: Turn) -> None:
    turn.effect("reopen")


def _place_again(turn: Turn) -> bool:
    return turn.state.pending == STAFF_PLACE and turn.stage in IDLE_STAGES and not turn.labelled \
        and turn.intent in ("inform", "out_of_scope", "affirm")


def _ask_place_again(turn: Turn) -> None:
    turn.offer_made = True
    turn.say(texts.enquiry_where_again(), [location_action(texts.SHARE_LOCATION), texts.NOT_NOW])


def _drop_stale_offer(turn: Turn) -> None:
    """An offer not taken up by this message lapses (the question is not kept)."""
    if turn.offer_made:
        return
    turn.state.staff_question = None
    if turn.state.pending == STAFF_PLACE:
        turn.state.pending = sl.missing(turn.state) if turn.stage == "collecting" else None


THREAD = (
    Rule("leave_thread", lambda t: sl.tapped(t.u, texts.LEAVE_THREAD), lambda t: t.effect("leave_thread")),
    Rule("thread_message", lambda t: _in_thread(t) and not _command_in_thread(t), lambda t: t.effect("thread_message")),
)
TO_STAFF = (
    Rule("staff_place", _place_for_staff, _staff_place_given, ("confirm",)),
    Rule("staff_declined", _declines_staff, _staff_declined, ("confirm",)),
    Rule("staff_place_again", _place_again, _ask_place_again),
    Rule("send_to_staff", _sends_to_staff, lambda t: _to_staff(t, t.state.staff_question), ("confirm",)),
    Rule("reopen", _wants_reopen, _reopen),
)
PERSON = (*THREAD, *TO_STAFF)


# --- the tables ----------------------------------------------------------------------------------------

ANYWHERE = (*QUESTIONS, *COMMANDS, *FAQ)

TABLES: dict[Stage, tuple[Rule, ...]] = {
    "start": (*FIRST, *PERSON, *TAPS["start"], *ASK_INFO_TAP, *ANYWHERE, *IDLE_RULES),
    "declined": (*FIRST, *PERSON, *TAPS["declined"], *ASK_INFO_TAP, *ANYWHERE, *IDLE_RULES),
    "done": (*FIRST, *PERSON, *TAPS["done"], *ASK_INFO_TAP, *ANYWHERE, *IDLE_RULES),
    "consent": (*FIRST, *PERSON, *TAPS["consent"], *ASK_INFO_TAP,
                # "เดี๋ยวก่อน": nothing sent, nothing dropped
                Rule("wait", lambda t: not t.labelled and t.u.answer.wait,
                     lambda t: t.say(texts.take_your_time_consent(), [texts.CONSENT_YES, texts.CONSENT_NO])),
                _hand_to("yes_or_no", lambda t: not t.labelled and t.u.answer.yes_no is not None, CONSENT_RULES),
                *ANYWHERE, *SMALL_TALK, *CONSENT_RULES),
    "collecting": (*FIRST, *PERSON, *TAPS["collecting"], *ASK_INFO_TAP, *COLLECTING_EARLY, *ANYWHERE, *SMALL_TALK,
                   *COLLECTING_RULES),
    "confirm": (*FIRST, *PERSON, *TAPS["confirm"], *ASK_INFO_TAP,
                Rule("wait", lambda t: not t.labelled and t.u.answer.wait,
                     lambda t: t.say(texts.take_your_time(), [texts.CONFIRM, texts.EDIT])),
                *ANYWHERE, *SMALL_TALK, *CONFIRM_RULES),
    "choose_field": (*FIRST, *PERSON, *TAPS["choose_field"], *ASK_INFO_TAP, *ANYWHERE, *SMALL_TALK,
                     *CHOOSE_FIELD_RULES),
    "confirm_delete": (*FIRST, *CONFIRM_DELETE_RULES),
    "confirm_cancel": (*FIRST, *CONFIRM_CANCEL_RULES),
}


def first_match(turn: Turn, rules: tuple[Rule, ...]) -> Rule:
    for rule in rules:
        if rule.when(turn):
            return rule
    raise LookupError(f"no rule of stage {turn.stage} applies")  # every table ends with an `_always` rule


def _run(turn: Turn, rules: tuple[Rule, ...]) -> None:
    """A tap or an early rule hands the message to the stage's own rules (a sub-table)."""
    rule = first_match(turn, rules)
    turn.trace.append(rule.name)
    rule.then(turn)


# --- the step ------------------------------------------------------------------------------------------


def _idle(turn: Turn) -> None:
    """More than 24 h since the last message: welcome back, keep or drop the values."""
    last = turn.state.updated_at
    if not last:
        return
    try:
        idle = turn.now - datetime.fromisoformat(last)
    except (TypeError, ValueError):
        return
    if idle <= IDLE_RESTART:
        return
    state = turn.state
    mid_intake = state.stage in INTAKE or state.stage in ("confirm_delete", "confirm_cancel")
    if idle > IDLE_RESTART + KEEP_VALUES:
        had = bool(state.slots) or state.consent or mid_intake
        _fresh(turn)
        if had:
            turn.lead = texts.welcome_back(False)
        return
    if state.stage in ("confirm_delete", "confirm_cancel"):
        if state.stage == "confirm_cancel":
            _put_back_edited(state)  # the cancel question lapsed: nothing cancelled
        state.stage, state.resume_stage = state.resume_stage or "start", None
    if state.stage in INTAKE:
        turn.lead = texts.welcome_back(True)


def run(state: State, understanding: Understanding, now: datetime, *, privacy_url: str | None = None) -> Turn:
    """One message through the tables, on a copy of `state`; the whole turn (for tests)."""
    turn = Turn(state.copy(), understanding, now, privacy_url=privacy_url)
    _idle(turn)
    _weigh(turn)
    turn.table = turn.stage
    rule = turn.matched = first_match(turn, TABLES[turn.stage])
    turn.trace.append(rule.name)
    rule.then(turn)
    _drop_stale_offer(turn)
    _finish(turn)
    turn.state.rule = " → ".join(turn.trace) + "".join(f" · {note}" for note in turn.notes)
    return turn


class Step(NamedTuple):
    """What one message does: `new_state, replies, effects = step(...)`."""

    new_state: State  # a new value: the state given to `step` is never changed
    replies: list[Message]  # LINE message dicts, in order
    effects: list[Effect]  # for the handler to execute in the message's transaction


def step(state: State, understanding: Understanding, now: datetime, *, privacy_url: str | None = None) -> Step:
    """Apply one message to the conversation. Pure: the input state is not changed.

    `privacy_url`: the link the consent notice shows (configuration). A stored (JSON) state is
    read with `load_state` first, and the new state written with `dump_state`: the dialogue
    itself sees only `State`."""
    turn = run(state, understanding, now, privacy_url=privacy_url)  # on a copy of `state`
    return Step(turn.state, list(turn.replies), list(turn.effects))


def _finish(turn: Turn) -> None:
    state = turn.state
    state.updated_at = turn.now.isoformat()
    if not state.consent:
        # Before consent only entity values may wait here: never a name (free text); only the
        # fact that one was given, so that the name question can say why it comes again.
        state.slots.pop("name", None)
        if turn.u.answer.marked_name and state.stage in ("start", "consent"):
            state.name_before_consent = True
    if turn.lead and not turn.replies and not any(e.type in HANDLER_REPLIES for e in turn.effects):
        turn.notes.append("fallback:reask")  # the welcome back goes with the question it returns to
        _reask(turn)
    if not turn.replies and not any(e.type in HANDLER_REPLIES for e in turn.effects):
        turn.notes.append("fallback:not_understood")  # never a turn without an answer
        turn.say(texts.not_understood(), texts.MENU)
