"""The result of reading one message (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
