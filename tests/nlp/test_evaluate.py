"""`python -m nlp.evaluate`: the per-tag table, the chatter rates, and several files in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nlp
from nlp import evaluate
from nlp.understanding import Understanding

LINES = [
    {"text": "a", "intent": "enroll", "entities": {"age": 15}, "tags": ["everyday"]},
    {"text": "b", "intent": "ask_cost", "entities": {}, "tags": ["everyday", "multi_act"]},
    {"text": "c", "intent": "inform", "entities": {"grade": "m2"}, "tags": ["everyday", "multi_act"]},
    {"text": "d", "intent": "out_of_scope", "entities": {}, "tags": ["chatter"]},
    {"text": "e", "intent": "out_of_scope", "entities": {}, "tags": ["chatter"]},
    {"text": "f", "intent": "greet", "entities": {}, "tags": ["chatter"]},
    {"text": "g", "intent": "out_of_scope", "entities": {}, "tags": ["chatter"]},
    {"text": "h", "intent": "thanks", "entities": {}},
]

# What a reader says about each line: right, right with a wrong entity, wrong, ...
READINGS = {
    "a": Understanding("enroll", 0.9, {"age": 15}),
    "b": Understanding("ask_cost", 0.8, {"age": 16}),
    "c": Understanding("ask_schedule", 0.6, {"grade": "m2"}),
    "d": Understanding("inform", 0.5, {}),
    "e": Understanding("ask_documents", 0.5, {}),
    "f": Understanding("greet", 0.9, {}),
    "g": Understanding("enroll", 0.4, {}),
    "h": Understanding("out_of_scope", 0.3, {}),
}


def write(path: Path, lines: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    return path


def test_per_tag_table_and_chatter_rates(tmp_path):
    rows = evaluate.load(write(tmp_path / "tiny.jsonl", LINES))
    result = evaluate.evaluate(rows, read=READINGS.__getitem__)

    assert result["n"] == 8
    assert result["accuracy"] == pytest.approx(3 / 8)  # a, b, f
    table = result["per_tag"]
    assert list(table) == ["chatter", "everyday", "multi_act"]  # untagged "h" has no row
    assert table["everyday"] == {"n": 3, "intent_accuracy": pytest.approx(2 / 3), "entity_exact_match": 2 / 3}
    assert table["multi_act"] == {"n": 2, "intent_accuracy": 0.5, "entity_exact_match": 0.5}
    assert table["chatter"]["n"] == 4 and table["chatter"]["intent_accuracy"] == 0.25

    chatter = result["chatter"]
    # d (inform) and g (enroll) would start an intake; e (ask_documents) would get an FAQ answer.
    assert chatter == {
        "n": 4,
        "starts_intake": 2,
        "starts_intake_rate": 0.5,
        "gets_faq_answer": 1,
        "gets_faq_answer_rate": 0.25,
    }
    worst = {e["line"]: e for e in result["worst_errors"]}
    assert set(worst) == {2, 3, 4, 5, 7, 8} and worst[3]["tags"] == ["everyday", "multi_act"]


def test_a_file_without_chatter_or_tags_has_no_rates(tmp_path):
    plain = [{"text": "a", "intent": "enroll", "entities": {"age": 15}}]
    result = evaluate.evaluate(evaluate.load(write(tmp_path / "plain.jsonl", plain)), read=READINGS.__getitem__)
    assert result["chatter"] is None and result["per_tag"] == {}
    assert result["accuracy"] == 1.0 and result["entity_exact_match"] == 1.0


def test_command_line_reads_several_files_with_the_real_reader(tmp_path, capsys):
    first = write(tmp_path / "one.jsonl", LINES[:3])
    chatter_texts = ["ROV ใครเล่นบ้าง มาตี้กัน", "ขายไอดี ROV สกินเยอะ", "สวัสดีวันจันทร์ค่ะทุกคน", "หวยออกเลขอะไร"]
    second = write(
        tmp_path / "two.jsonl", [{**line, "text": text} for line, text in zip(LINES[3:7], chatter_texts, strict=True)]
    )
    assert evaluate.main([str(first), str(second), "--json"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in results] == [str(first), str(second)]
    assert results[0]["per_tag"]["everyday"]["n"] == 3 and results[0]["chatter"] is None

    chatter = results[1]["chatter"]
    predicted = [nlp.understand(line["text"], today=evaluate.TODAY).intent for line in evaluate.load(second)]
    assert chatter["n"] == 4
    assert chatter["starts_intake"] == sum(intent in {"enroll", "inform"} for intent in predicted)
    assert chatter["gets_faq_answer"] == sum(intent.startswith("ask_") for intent in predicted)
    assert results[1]["per_tag"]["chatter"]["intent_accuracy"] == results[1]["accuracy"]


def test_command_line_prints_the_tables(tmp_path, capsys):
    path = write(tmp_path / "one.jsonl", LINES)
    assert evaluate.main([str(path), "--worst", "3"]) == 0
    out = capsys.readouterr().out
    assert "intent accuracy" in out and "chatter             4 lines: starts an intake" in out
    tag_header = next(line for line in out.splitlines() if line.startswith("tag "))
    assert tag_header.split() == ["tag", "n", "intent", "exact"]
    assert any(line.split()[:2] == ["everyday", "3"] for line in out.splitlines())
    assert "worst errors (3 of" in out


def test_a_line_without_an_intent_is_refused_with_its_place(tmp_path):
    from nlp.evaluate import load

    path = tmp_path / "set.jsonl"
    lines = ['{"text": "สวัสดีค่ะ", "intent": "greet"}', '{"text": "ลองไปสมัครดูแล้ว", "intent": null}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"set\.jsonl:2: every line needs a text and an intent"):
        load(path)
