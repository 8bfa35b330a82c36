"""The intent model also learns from the entity-labelled files' intents (their long, several-act messages),
never from a line that is also a development or check message."""

import json
from pathlib import Path

import pytest

from nlp import classifier
from nlp.classifier import ENTITY_TRAIN_FILES, entity_lines, load_training

INTENTS = {
    "greet", "thanks", "enroll", "ask_documents", "ask_cost", "ask_schedule", "ask_eligibility", "ask_certificate",
    "ask_office", "human", "status", "cancel", "delete_data", "help", "affirm", "deny", "inform", "out_of_scope",
}


def test_entity_files_are_trained_on() -> None:
    texts, labels = load_training()
    with_entities = set(texts)
    plain, _ = load_training(entity_paths=())
    assert ENTITY_TRAIN_FILES
    first = next(line for line in ENTITY_TRAIN_FILES[0].read_text(encoding="utf-8").splitlines() if line.strip())
    assert json.loads(first)["text"] in with_entities
    assert len(texts) > len(plain)
    assert set(labels) <= INTENTS


def test_entity_lines_skip_held_messages(tmp_path: Path) -> None:
    path = tmp_path / "train_entities_x.jsonl"
    rows = [
        {"text": "ลูกอายุ 16 ออกตอน ม.2 เรียนฟรีไหมคะ", "intent": "ask_cost", "entities": {}},
        {"text": "อยากกลับไปเรียนครับ", "intent": "enroll", "entities": {}},
        {"text": "no intent here", "entities": {}},
    ]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    assert entity_lines(path, {"อยากกลับไปเรียนครับ"}) == [("ask_cost", rows[0]["text"])]


@pytest.mark.parametrize("check", classifier.CHECK_FILES)
def test_no_check_message_is_trained_on(check: Path) -> None:
    if not check.exists():
        pytest.skip(f"{check.name} is not here")
    texts, _ = load_training(paths=())
    held = {json.loads(line)["text"].strip() for line in check.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not held & {text.strip() for text in texts}


def test_fingerprint_covers_the_entity_files() -> None:
    whole = classifier.fingerprint()
    kept = classifier.INTENT_FROM_ENTITIES
    try:
        classifier.INTENT_FROM_ENTITIES = not kept
        assert classifier.fingerprint() != whole
    finally:
        classifier.INTENT_FROM_ENTITIES = kept
