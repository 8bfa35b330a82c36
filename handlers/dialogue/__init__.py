"""The pure dialogue (DESIGN §2): a table-driven state machine, no Flask, database or LINE.

    from handlers.dialogue import step, initial_state, Effect
    new_state, replies, effects = step(state, understanding, now)

- `state`: a JSON-serialisable dict (`initial_state()` for a new user); `step` never changes
  its input. Keys: `version`, `stage` (a key of `STAGES`), `pending` (the question being
  asked), `slots` (collected values; `collected(state)` gives them with every key), `consent`,
  `misses`, `updated_at` (ISO time of the last message), plus internal keys, all optional so
  that older stored states load unchanged: `unknown` (required slots the user does not know,
  left to the office), `district_hint` (a district named without its province, "เมือง"),
  `district_choices`, `district_unknown`, `editing`, `resume_stage`, `want_office`,
  `previous_place` (the last learner's home, offered for the next one), `name_before_consent`
  (a name was typed before consent: not kept, so asked again with a word of why).
- `replies`: 0–5 LINE message dicts (0 only with an effect whose reply the handler writes).
- `effects`: `Effect(type, data)` for the handler to execute in the same transaction:
  `consent {"granted"}`, `submit {"slots"}`, `status {}`, `human {}`, `erase {}`,
  `office_info {"province", "district"}`.

Modules: `machine` (stages, commands, `step`), `slots` (reading messages into slots).
"""

from handlers.dialogue.machine import (
    GLOBAL,
    IDLE_RESTART,
    KEEP_VALUES,
    LABEL_INTENTS,
    STAGES,
    VERSION,
    Effect,
    Turn,
    collected,
    initial_state,
    step,
)
from handlers.dialogue.slots import OPTIONAL, PUBLIC, REQUIRED, SLOT_ORDER

__all__ = [
    "GLOBAL",
    "IDLE_RESTART",
    "KEEP_VALUES",
    "LABEL_INTENTS",
    "OPTIONAL",
    "PUBLIC",
    "REQUIRED",
    "SLOT_ORDER",
    "STAGES",
    "VERSION",
    "Effect",
    "Turn",
    "collected",
    "initial_state",
    "step",
]
