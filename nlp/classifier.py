"""The intent classifier: scikit-learn logistic regression over TF-IDF features of the
normalised text — character n-grams (robust to missing spaces and typos) plus pythainlp
`newmm` word tokens. Trained at first use from `nlp/data/train.tsv` (well under a second);
nothing is downloaded or unpickled.

Logistic regression gives probability estimates; `understand` answers `out_of_scope` when the
top probability is below `MIN_CONFIDENCE` or the top-2 margin is below `MIN_MARGIN`. Both were
chosen by `python -m nlp.tune` (5-fold cross-validation on the training data only): the margin
came out at 0, i.e. the confidence floor alone does the work on this data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pythainlp.tokenize import word_tokenize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp.normalize import normalize

TRAIN_FILE = Path(__file__).with_name("data") / "train.tsv"
MIN_CONFIDENCE = 0.2
MIN_MARGIN = 0.0


def features_text(normalised: str) -> str:
    """What the classifier sees: digits folded so "อายุ 17" and "อายุ 18" look alike."""
    return re.sub(r"\d", "0", normalised)


def _tokens(text: str) -> list[str]:
    return [t for t in word_tokenize(text, engine="newmm", keep_whitespace=False) if t.strip()]


def load_training(path: Path = TRAIN_FILE) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, _, text = line.partition("\t")
        texts.append(text)
        labels.append(intent.strip())
    return texts, labels


def build_pipeline(c: float = 8.0) -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)),
                        ("words", TfidfVectorizer(tokenizer=_tokens, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True)),
                    ]
                ),
            ),
            ("model", LogisticRegression(C=c, max_iter=3000, class_weight="balanced")),
        ]
    )


@dataclass
class IntentModel:
    """The trained pipeline, plus a fast scorer for one message at a time.

    scikit-learn's per-call overhead (sparse matrices for a single row) is about a
    millisecond; `predict` computes the same TF-IDF features and logistic scores directly
    from the fitted vocabularies, idf weights and coefficients (checked equal in tests).
    """

    pipeline: Pipeline
    classes: np.ndarray

    def __post_init__(self) -> None:
        union = self.pipeline.named_steps["features"]
        model = self.pipeline.named_steps["model"]
        self._parts = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            vocabulary = vectorizer.vocabulary_
            self._parts.append((vectorizer.build_analyzer(), vocabulary, vectorizer.idf_, offset))
            offset += len(vocabulary)
        self._coef = np.ascontiguousarray(model.coef_.T)  # features × classes
        self._intercept = model.intercept_

    @classmethod
    def train(cls, texts: list[str] | None = None, labels: list[str] | None = None) -> IntentModel:
        if texts is None or labels is None:
            texts, labels = load_training()
        pipeline = build_pipeline()
        pipeline.fit([features_text(normalize(t)) for t in texts], labels)
        return cls(pipeline, pipeline.classes_)

    def _features(self, text: str) -> tuple[list[int], list[float]]:
        indices: list[int] = []
        values: list[float] = []
        for analyzer, vocabulary, idf, offset in self._parts:
            counts: dict[int, int] = {}
            for term in analyzer(text):
                j = vocabulary.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            part = [(j, (1.0 + math.log(c)) * idf[j]) for j, c in counts.items()]
            norm = math.sqrt(sum(v * v for _, v in part))
            for j, v in part:
                indices.append(offset + j)
                values.append(v / norm)
        return indices, values

    def predict(self, normalised: str) -> list[tuple[str, float]]:
        """Intents with probabilities, most likely first."""
        indices, values = self._features(features_text(normalised))
        if indices:
            logits = np.asarray(values) @ self._coef[indices] + self._intercept
        else:
            logits = self._intercept.copy()
        logits = logits - logits.max()
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum()
        order = np.argsort(probabilities)[::-1]
        return [(str(self.classes[i]), float(probabilities[i])) for i in order]

    def predict_with_sklearn(self, normalised: str) -> list[tuple[str, float]]:
        probabilities = self.pipeline.predict_proba([features_text(normalised)])[0]
        order = np.argsort(probabilities)[::-1]
        return [(str(self.classes[i]), float(probabilities[i])) for i in order]
