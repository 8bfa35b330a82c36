"""The pure dialogue (DESIGN §2): rule tables over a typed state; no Flask, database or LINE.

    from handlers.dialogue import load_state, dump_state, step
    state = load_state(conversation.state)            # the JSON column, any older version migrated
    new_state, replies, effects = step(state, understanding, now, privacy_url=settings.PRIVACY_URL)
    conversation.state = dump_state(new_state)

`step` takes and returns only the typed `State`; the JSON form lives at the storage edge
(`load_state`, `dump_state`, the migrations in `state.py`). A fresh conversation is `State()`
(`initial_state()`). `step` returns a `Step`, a named tuple (new_state, replies, effects).

- `State` (`state.py`): stage, pending question, collected slots, consent … `step` never changes
  its input. `State.pending` is what to pass to `nlp.understand(..., expecting=...)`.
- `replies`: LINE message dicts, in order (none only with an effect whose reply the handler
  writes); the handler sends what one LINE call cannot carry as further pushes.
- `effects`: `Effect(type, data)` for the handler to execute in the same transaction; `type` is
  one of `EffectType` (consent, submit, status, human, erase, office_info, ask_staff,
  thread_message, leave_thread, reopen), its `data` the keys of `EffectData`.
- `State.slots` holds `Slots` (`SlotValue`: str, int or None); `collected(state)` every public key.

Modules: `machine` (the rule tables and `step`), `slots` (values into the slots), `state`,
`thresholds`, `diagram` (handlers/dialogue.md from the tables). Thai is read in `nlp` only
(`Understanding.answer`, `nlp/answers.py`).
"""

from handlers.dialogue.machine import (
    EFFECT_TYPES,
    LABEL_INTENTS,
    TABLES,
    Effect,
    EffectData,
    EffectType,
    Rule,
    Step,
    Turn,
    collected,
    initial_state,
    run,
    step,
)
from handlers.dialogue.slots import OPTIONAL, PUBLIC, REQUIRED, SLOT_ORDER
from handlers.dialogue.state import (
    VERSION,
    NewerStateVersion,
    Slots,
    SlotValue,
    State,
    StoredState,
    dump_state,
    load_state,
)
from handlers.dialogue.thresholds import IDLE_RESTART, KEEP_VALUES

STAGES = tuple(TABLES)

__all__ = [
    "EFFECT_TYPES",
    "IDLE_RESTART",
    "KEEP_VALUES",
    "LABEL_INTENTS",
    "NewerStateVersion",
    "OPTIONAL",
    "PUBLIC",
    "REQUIRED",
    "SLOT_ORDER",
    "STAGES",
    "TABLES",
    "VERSION",
    "Effect",
    "EffectData",
    "EffectType",
    "Rule",
    "SlotValue",
    "Slots",
    "State",
    "Step",
    "StoredState",
    "Turn",
    "collected",
    "dump_state",
    "initial_state",
    "load_state",
    "run",
    "step",
]
