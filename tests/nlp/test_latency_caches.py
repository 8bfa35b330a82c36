"""The reader's per-text caches (issue 11's latency): a kept result is the same as one computed afresh,
each caller gets its own copy, and `forget_readings` drops them all."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from nlp import classifier, reader
from nlp.normalize import normalize

TEXTS = [
    "สวัสดีครับ",
    "ลูกอายุ 15 ออกตอน ม.2 อยู่ อ.เถิน ลำปางค่ะ อยากให้กลับไปเรียน ต้องไปสมัครที่ไหนคะ",
    "หลานชายอายุ16ออกจากโรงเรียนตอนม3เพราะต้องไปช่วยพ่อทำงานก่อสร้างตอนนี้อยากกลับมาเรียนเรียนฟรีไหมคะ",
    "my niece is 14 and left in M.1, can she study again?",
    "ผม อายุ 22 ครับ จบ ป.6 ไม่ได้เรียนต่อ เพราะ ที่บ้าน ไม่มีเงิน ตอนนี้ ทำงาน ร้าน ข้าว อยู่ ชลบุรี",
    "",
    "a",
]


def _old_char_wb(word: str) -> list[str]:
    """The n-grams of one word as scikit-learn's `char_wb` analyzer makes them (its loop, written out)."""
    low, high = classifier.CHAR_NGRAMS
    grams: list[str] = []
    padded = f" {word} "
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < len(padded):
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:
            break
    return grams


@pytest.mark.parametrize("word", ["", "a", "ab", "abc", "เรียน", "กศน", "ม.2", "0000000000", "สมัครเรียนต่อได้ไหมคะ"])
def test_word_ngrams_are_the_char_wb_ones(word: str) -> None:
    assert classifier.word_char_ngrams(word) == _old_char_wb(word)


@pytest.mark.parametrize("text", TEXTS)
def test_the_features_are_those_of_the_vocabulary_lookup(text: str) -> None:
    model = reader._load()
    folded = classifier.features_text(normalize(text))
    indices, values = model._features(folded)
    expected_indices: list[int] = []
    expected_values: list[float] = []
    for analyzer, lookup in zip(classifier.ANALYZERS, model.vocabularies, strict=True):
        found = [(lookup[t], c) for t, c in Counter(analyzer(folded)).items() if t in lookup]
        if not found:
            continue
        weights = [idf * (1.0 + math.log(c)) for (_, idf), c in found]
        norm = math.hypot(*weights)
        expected_indices.extend(column for (column, _), _ in found)
        expected_values.extend(w / norm for w in weights)
    assert indices == expected_indices
    assert values == expected_values


@pytest.mark.parametrize("text", TEXTS)
def test_a_kept_intent_reading_is_the_fresh_one_and_the_callers_own(text: str) -> None:
    model = reader._load()
    normalised = normalize(text)
    fresh = model._predict(normalised)
    first = model.predict(normalised)
    first.append(("spoiled", 1.0))
    assert model.predict(normalised) == fresh


@pytest.mark.parametrize("text", TEXTS)
def test_kept_token_spans_are_the_fresh_ones_and_the_callers_own(text: str) -> None:
    normalised = normalize(text)
    spans = classifier.token_spans(normalised)
    assert spans == classifier._token_spans(normalised)
    spans.clear()
    assert classifier.token_spans(normalised) == classifier._token_spans(normalised)


def test_forget_readings_drops_the_per_text_caches() -> None:
    model = reader._load()
    text = normalize(TEXTS[1])
    model.predict(text)
    classifier.token_spans(text)
    reader._asks(text)
    reader.forget_readings()
    assert not model._readings
    assert classifier._kept_spans.cache_info().currsize == 0
    assert reader._asks.cache_info().currsize == 0


@pytest.mark.parametrize("text", TEXTS)
def test_a_message_reads_the_same_with_its_caches_warm_or_dropped(text: str) -> None:
    reader.forget_readings()
    cold = reader.understand(text)
    warm = reader.understand(text)
    reader.forget_readings()
    again = reader.understand(text)
    for other in (warm, again):
        assert (other.intent, other.confidence, other.entities, other.aside) == (
            cold.intent,
            cold.confidence,
            cold.entities,
            cold.aside,
        )


def test_the_caches_stay_bounded() -> None:
    model = reader._load()
    for n in range(classifier.READINGS_CACHE_SIZE + 10):
        model.predict(f"อายุ {n} ปี")
        classifier.token_spans(f"อายุ {n} ปี")
    assert len(model._readings) <= classifier.READINGS_CACHE_SIZE
    assert classifier._kept_spans.cache_info().currsize <= classifier.SPANS_CACHE_SIZE
