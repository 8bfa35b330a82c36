"""The FAQ answers, from `knowledge.yml` (one data file an office can edit)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

KNOWLEDGE_FILE = Path(__file__).with_name("knowledge.yml")
FAQ_INTENTS = ("ask_documents", "ask_cost", "ask_schedule", "ask_eligibility", "ask_certificate", "ask_office")
_REQUIRED = set(FAQ_INTENTS) | {"eligibility_under_15", "eligibility_adult", "eligibility_ok", "equivalency"}


class KnowledgeError(Exception):
    """knowledge.yml is missing an answer or is malformed."""


@lru_cache(maxsize=1)
def load(path: Path = KNOWLEDGE_FILE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers = (data or {}).get("answers") or {}
    missing = _REQUIRED - set(answers)
    if missing:
        raise KnowledgeError(f"{path.name} lacks answers for: {', '.join(sorted(missing))}")
    return data


def text(key: str, **values: Any) -> str:
    return str(load()["answers"][key]).strip().format(**values)


def department_contact() -> str:
    return str(load()["department"]["contact"]).strip()


def answer(intent: str, entities: dict[str, Any] | None = None) -> str:
    """The answer to one FAQ intent, tailored where the message says enough (an age)."""
    entities = entities or {}
    if intent == "ask_eligibility" and isinstance(entities.get("age"), int):
        age = entities["age"]
        if age < 15:
            return text("eligibility_under_15", age=age)
        if age >= 20:
            return text("eligibility_adult", age=age)
        return text("eligibility_ok", age=age)
    return text(intent)
