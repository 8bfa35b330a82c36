"""The intent classifier's character n-gram columns (issue 11's latency): counted in one pass over the
words' kept keys, they are the counts, in the first-seen order, of counting every n-gram of the text
afresh, whether the words' keys are kept already or not."""

from __future__ import annotations

from collections import Counter

import pytest

from nlp import classifier, reader
from nlp.normalize import normalize

TEXTS = [
    "เรียน เรียน เรียน",
    "อยากเรียน กศน ค่ะ อยากเรียน กศน จริงๆ",
    "ลูก 2 คน คนโต อายุ 17 คนเล็ก อายุ 15 ออกจากโรงเรียน ทั้ง 2 คน",
    "aaaa aaaa bbbb aaaa",
    "ก ข ก ข ก",
    "   ",
    "x",
]


def _afresh(model: classifier.IntentModel, folded: str) -> list[tuple[tuple[int, float], int]]:
    lookup = model.vocabularies[0]
    return [(lookup[term], count) for term, count in Counter(classifier.char_ngrams(folded)).items()
            if term in lookup]


@pytest.mark.parametrize("text", TEXTS)
def test_char_columns_count_as_afresh_cold_and_warm(text: str) -> None:
    model = reader._load()
    folded = classifier.features_text(normalize(text))
    model._word_columns.clear()
    cold = model._char_columns(folded, model.vocabularies[0])
    warm = model._char_columns(folded, model.vocabularies[0])
    expected = _afresh(model, folded)
    assert cold == expected
    assert warm == expected
