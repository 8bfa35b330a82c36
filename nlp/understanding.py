"""The result of reading one message (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.answers import Answer

INTENTS: tuple[str, ...] = (
    "greet",
    "thanks",
    "enroll",
    "ask_documents",
    "ask_cost",
    "ask_schedule",
    "ask_eligibility",
    "ask_certificate",
    "ask_office",
    "human",
    "status",
    "cancel",
    "delete_data",
    "help",
    "affirm",
    "deny",
    "inform",
    "out_of_scope",
)


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    entities: dict[str, Any] = field(default_factory=dict)
    # The message text (with any national ID masked); not part of equality.
    text: str = field(default="", compare=False)
    # The slot the bot had just asked for (DESIGN §3 `expecting`), when the reader was told.
    expecting: str | None = field(default=None, compare=False)
    # What a message read as out_of_scope told all the same (chatter, another service): its entities
    # describe no learner (DESIGN §3), so they are set aside here rather than given; a message sent
    # in answer to the bot's question (`nlp.answers.with_expecting`) gets them back. Not part of equality.
    aside: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def told(self) -> dict[str, Any]:
        """Everything the text stated, the entities set aside included (`aside`)."""
        return {**self.aside, **self.entities} if self.aside else self.entities

    @cached_property
    def answer(self) -> Answer:
        """The dialogue's readings of the text as an answer (`nlp.answers`), read on first use."""
        from nlp.answers import Answer

        return Answer(self.text, self.intent, self.entities)
