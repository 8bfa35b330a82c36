"""The learned reader of whose age and level a message tells (`nlp.mentions`)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from nlp import mentions
from nlp.entities import extract_entities, learner_parts
from nlp.kept import ReadOnce
from nlp.normalize import normalize

TODAY = date(2026, 11, 22)


def _reading(text: str) -> mentions.Reading:
    normalised = normalize(text)
    about, _home, two = learner_parts(normalised)
    return mentions.prepare(normalised, about, two, extract_entities(normalised, TODAY, learned=False))


def test_age_candidates_are_every_plausible_number_but_a_level():
    reading = _reading("แม่อายุ 40 ลูกชายอายุ ๑๕ ออกตอน ม.2 เมื่อ 3 ปีก่อน")
    assert [c.value for c in reading.ages] == [40, 15]  # not the 2 of ม.2, not 3 (below 5)


def test_spelled_out_ages_are_candidates():
    assert [c.value for c in _reading("หลานอายุสิบหกค่ะ").ages] == [16]


def test_a_level_asked_about_or_a_range_is_no_candidate():
    assert _reading("จบ ม.6 ใช้เวลากี่เทอม").grades == []
    assert _reading("รับวุฒิ ม.3 ขึ้นไป").grades == []
    assert [c.value for c in _reading("ออกตอน ม.2 ค่ะ").grades] == ["m2"]


def test_candidates_carry_context_features():
    reading = _reading("ผมอายุ 45 ลูกชาย 14 เรียน กศน ได้ไหมครับ")
    first, second = reading.ages
    assert "p:self" in first.features
    assert "p:child" in second.features
    assert "cb:age" in first.features


def _tiny_reader() -> mentions.Reader:
    texts = [
        ("ลูกอายุ 15 ออกตอน ม.2", {"age": 15, "grade": "m2", "grade_status": "left_during"}),
        ("แม่อายุ 40 ลูกอายุ 16 จบ ป.6", {"age": 16, "grade": "p6", "grade_status": "completed"}),
        ("ผม 17 ครับ ออก ม.3", {"age": 17, "grade": "m3", "grade_status": "left_during"}),
        ("ราคา 12 บาท", {}),
        ("พี่จบ ม.6 แล้ว หนูออกตอน ม.1", {"grade": "m1", "grade_status": "left_during"}),
    ]
    readings = [_reading(text) for text, _ in texts]
    return mentions.fit(readings, [gold for _, gold in texts])


def test_kept_numbers_read_as_the_fitted_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    reader = _tiny_reader()
    path = tmp_path / "mentions.npz"
    mentions.save(reader, path)
    with np.load(path, allow_pickle=False) as kept:  # numbers and strings only: nothing pickled
        assert all(kept[name].dtype != object for name in kept.files)
    again = mentions.load(path)
    assert again is not None
    for text in ("ลูกอายุ 14 ออกตอน ม.1", "หนู 18 จบ ม.3 แล้ว", "ค่าเทอม 20 บาท"):
        reading = _reading(text)
        assert again.read(reading) == reader.read(reading)


def test_a_stale_kept_file_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    path = tmp_path / "mentions.npz"
    mentions.save(_tiny_reader(), path)
    with np.load(path, allow_pickle=False) as kept:
        arrays = {name: kept[name] for name in kept.files}
    arrays["fingerprint"] = np.array("stale")
    np.savez_compressed(path, **arrays)
    with caplog.at_level(logging.WARNING, logger="nlp.mentions"):
        assert mentions.load(path) is None
    assert "stale" in caplog.text
    assert mentions.load(tmp_path / "missing.npz") is None


def test_a_stale_reader_is_fitted_now_else_the_rules_stand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    examples = [
        mentions.Example("x.jsonl", text, gold, [], {}, _reading(text))
        for text, gold in (("ลูกอายุ 15 ออกตอน ม.2", {"age": 15, "grade": "m2"}), ("ราคา 12 บาท", {}))
    ]
    monkeypatch.setattr(mentions, "load_examples", lambda: examples)
    assert mentions.load_or_train(tmp_path / "missing.npz") is not None

    def no_data() -> list[mentions.Example]:
        raise OSError("no files")

    monkeypatch.setattr(mentions, "load_examples", no_data)
    assert mentions.load_or_train(tmp_path / "missing.npz") is None


def test_a_message_read_while_fitting_gets_the_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Fitting reads the labelled files through the rules; a reader loading meanwhile (nlp.reasons reads
    through extract_entities) must not wait for this one nor start fitting it again."""
    nested: list[dict[str, object]] = []
    examples = [mentions.Example("x.jsonl", "ลูกอายุ 15", {"age": 15}, [], {}, _reading("ลูกอายุ 15"))]

    def reading_meanwhile() -> list[mentions.Example]:
        nested.append(mentions.complete(normalize("ลูกอายุ 15 ออกตอน ม.2"), {"role": "parent"}))
        return examples

    monkeypatch.setattr(mentions, "_reader", ReadOnce(lambda: mentions.load_or_train()))
    monkeypatch.setattr(mentions, "MODEL_FILE", tmp_path / "missing.npz")
    monkeypatch.setattr(mentions, "load", lambda path=None: None)
    monkeypatch.setattr(mentions, "load_examples", reading_meanwhile)
    assert mentions.kept_reader() is not None
    assert nested == [{"role": "parent"}]


def test_complete_never_raises_and_keeps_the_rules_on_failure(monkeypatch: pytest.MonkeyPatch):
    rules = {"role": "parent"}

    def broken() -> mentions.Reader:
        raise RuntimeError("boom")

    monkeypatch.setattr(mentions, "kept_reader", broken)
    assert mentions.complete("ลูกอายุ 15", rules) == rules


def test_the_rules_values_stand_and_two_children_give_none():
    reader = _tiny_reader()
    reading = _reading("ผมอายุ 45 ลูกชาย 14 เรียน กศน ได้ไหมครับ")
    assert reader.read(reading)["age"] == reading.rule_age == 14
    twins = _reading("ลูกแฝดค่ะ อายุ 15 ทั้งคู่ ออกตอน ม.2")
    assert twins.two and reader.read(twins) == {}


def test_the_kept_reader_is_current():
    """nlp/data/mentions.npz was fitted on today's labelled files (run python -m nlp.mentions --train)."""
    assert mentions.load() is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ages and levels the rules alone left empty (lines of the development sets)
        ("16 ออก ม.2 อยู่กาฬสินธุ์", {"age": 16, "grade": "m2", "grade_status": "left_during"}),
        ("25 แล้วจบแค่ ป.6 ยังเรียนทันไหมคะ", {"age": 25, "grade": "p6", "grade_status": "completed"}),
    ],
)
def test_understand_reads_what_the_rules_missed(text: str, expected: dict[str, object]):
    entities = extract_entities(normalize(text), TODAY)
    assert {k: entities.get(k) for k in expected} == expected


def test_scoring_is_fast():
    import time

    reader = mentions.kept_reader()
    if reader is None:
        pytest.skip("no current kept reader")
    text = normalize("สวัสดีค่ะ แม่อายุ 42 ค่ะ ลูกสาวคนเดียว ตอนนี้ 16 ออกตอน ม.3 เพราะที่บ้านไม่มีเงิน อยู่ อ.เถิน ลำปาง")
    mentions.complete(text, {})
    started = time.perf_counter()
    for _ in range(50):
        mentions.complete(text, {})
    assert (time.perf_counter() - started) / 50 < 0.005  # well under 5 ms even on a loaded machine
