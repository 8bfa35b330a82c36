"""The FAQ answers, from `knowledge.yml` (one data file an office can correct without code).

`answer(intent, entities)` gives the Thai answer to one FAQ intent, tailored where the message
says enough (an age). The file is loaded and validated once (cached); a missing or malformed
answer raises `KnowledgeError` at the first use, and the tests load it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

from handlers.routing import compulsory_age

KNOWLEDGE_FILE = Path(__file__).with_name("knowledge.yml")
FAQ_INTENTS = ("ask_documents", "ask_cost", "ask_schedule", "ask_eligibility", "ask_certificate", "ask_office")
# Answers and the placeholders each may use.
ANSWERS: dict[str, set[str]] = {
    **{intent: set() for intent in FAQ_INTENTS},
    "eligibility_under_15": {"age"},
    "eligibility_adult": {"age"},
    "eligibility_ok": {"age"},
    "equivalency": set(),
    "privacy": set(),
    "office_later": set(),
    "paths": set(),
}
# Short answers to the most-asked specific questions (`topics:` in the file; `nlp.topics` reads them).
TOPICS = ("study_days", "online", "disability", "equivalency", "lost_id", "pregnancy")
# The intents whose question a topic answer may answer in place of the general one.
TOPIC_INTENTS = ("ask_schedule", "ask_eligibility", "ask_documents", "ask_certificate", "ask_cost")
MAX_ANSWER = 1500  # well under LINE's 5000, with room for the question asked again


class KnowledgeError(Exception):
    """knowledge.yml is missing an answer or is malformed."""


def validate(data: Any, name: str = "knowledge.yml") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise KnowledgeError(f"{name}: expected a mapping at the top")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise KnowledgeError(f"{name}: 'answers' must be a mapping")
    missing = set(ANSWERS) - set(answers)
    if missing:
        raise KnowledgeError(f"{name} lacks answers for: {', '.join(sorted(missing))}")
    for key, allowed in ANSWERS.items():
        value = answers[key]
        if not isinstance(value, str) or not value.strip():
            raise KnowledgeError(f"{name}: answer '{key}' must be non-empty text")
        if len(value) > MAX_ANSWER:
            raise KnowledgeError(f"{name}: answer '{key}' is longer than {MAX_ANSWER} characters")
        try:
            used = {field for _, field, _, _ in Formatter().parse(value) if field is not None}
        except ValueError as error:
            raise KnowledgeError(f"{name}: answer '{key}' has a broken {{placeholder}}: {error}") from None
        if used - allowed:
            raise KnowledgeError(f"{name}: answer '{key}' uses unknown placeholders {sorted(used - allowed)}")
    topics = data.get("topics")
    if not isinstance(topics, dict) or set(TOPICS) - set(topics):
        raise KnowledgeError(f"{name}: 'topics' must answer: {', '.join(TOPICS)}")
    for key in TOPICS:
        value = topics[key]
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_ANSWER or "{" in value:
            raise KnowledgeError(f"{name}: topic '{key}' must be plain text of at most {MAX_ANSWER} characters")
    department = data.get("department")
    if not isinstance(department, dict) or not str(department.get("contact") or "").strip():
        raise KnowledgeError(f"{name}: 'department.contact' is required")
    return data


@lru_cache(maxsize=4)
def load(path: Path = KNOWLEDGE_FILE) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path.name} is not valid YAML: {error}") from None
    return validate(data, path.name)


def text(key: str, **values: Any) -> str:
    return str(load()["answers"][key]).strip().format(**values)


def department_contact() -> str:
    return str(load()["department"]["contact"]).strip()


def topic_answer(topic: str | None) -> str | None:
    """The short answer to one of the most-asked questions (`nlp.topics.topic_of`), or None."""
    if topic not in TOPICS:
        return None
    return str(load()["topics"][topic]).strip()


def answer(intent: str, entities: dict[str, Any] | None = None, topic: str | None = None) -> str:
    """The answer to one FAQ intent, tailored where the message says enough (an age), or the
    short answer of its `topic` (`nlp.topics.topic_of(text)`) when the question has one."""
    entities = entities or {}
    if intent not in FAQ_INTENTS:
        raise KeyError(intent)
    if topic and intent in TOPIC_INTENTS:
        specific = topic_answer(topic)
        if specific:
            return specific
    age = entities.get("age")
    if intent == "ask_eligibility" and isinstance(age, int) and not isinstance(age, bool):
        if compulsory_age(age, entities.get("grade"), entities.get("grade_status")):
            return text("eligibility_under_15", age=age)
        if age >= 20:
            return text("eligibility_adult", age=age)
        return text("eligibility_ok", age=age)
    return text(intent)
