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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pythainlp.tokenize import word_tokenize
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp.normalize import normalize

DATA = Path(__file__).with_name("data")
TRAIN_FILE = DATA / "train.tsv"
# Every training file: the first hand-written set, later hand-written sets, and the composed
# multi-detail messages (`python -m nlp.compose`). Never dev.jsonl, test.jsonl or the held-out sets.
TRAIN_FILES = (TRAIN_FILE, DATA / "train_more.tsv", DATA / "train_oos.tsv", DATA / "train_composed.tsv")
MIN_CONFIDENCE = 0.2
MIN_MARGIN = 0.0


def features_text(normalised: str) -> str:
    """What the classifier sees: digits folded so "อายุ 17" and "อายุ 18" look alike."""
    return re.sub(r"\d", "0", normalised)


def _tokens(text: str) -> list[str]:
    return [t for t in word_tokenize(text, engine="newmm", keep_whitespace=False) if t.strip()]


def load_training(paths: tuple[Path, ...] = TRAIN_FILES) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for path in paths:
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
            ("model", LogisticRegression(C=c, solver="newton-cg", tol=1e-3, max_iter=200, class_weight="balanced")),
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
        # Per part of the union: its analyzer, and term → (column in the union, idf weight),
        # in plain Python floats (indexing a numpy array element by element is slow).
        self._parts: list[tuple[Callable[[str], list[str]], dict[str, tuple[int, float]]]] = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            idf = vectorizer.idf_.tolist()
            lookup = {term: (offset + j, idf[j]) for term, j in vectorizer.vocabulary_.items()}
            self._parts.append((vectorizer.build_analyzer(), lookup))
            offset += len(vectorizer.vocabulary_)
        self._coef = np.ascontiguousarray(model.coef_.T)  # features × classes
        self._intercept = model.intercept_
        self._names = [str(name) for name in self.classes]

    @classmethod
    def train(cls, texts: list[str] | None = None, labels: list[str] | None = None) -> IntentModel:
        if texts is None or labels is None:
            texts, labels = load_training()
        pipeline = build_pipeline()
        pipeline.fit([features_text(normalize(t)) for t in texts], labels)
        return cls(pipeline, pipeline.classes_)

    def _features(self, text: str) -> tuple[list[int], list[float]]:
        """The TF-IDF row of one text as the fitted union computes it (sublinear tf, l2 norm
        per part), as column indices and values."""
        indices: list[int] = []
        values: list[float] = []
        for analyzer, lookup in self._parts:
            found = [(lookup[term], count) for term, count in Counter(analyzer(text)).items() if term in lookup]
            if not found:
                continue
            weights = [idf * (1.0 + math.log(count)) for (_, idf), count in found]
            norm = math.hypot(*weights)
            indices.extend(column for (column, _), _ in found)
            values.extend(weight / norm for weight in weights)
        return indices, values

    def predict(self, normalised: str) -> list[tuple[str, float]]:
        """Intents with probabilities, most likely first."""
        indices, values = self._features(features_text(normalised))
        if indices:
            logits = (np.asarray(values) @ self._coef[indices] + self._intercept).tolist()
        else:
            logits = self._intercept.tolist()
        # The softmax of 18 numbers is cheaper in plain Python than numpy's per-call overhead.
        top = max(logits)
        exps = [math.exp(logit - top) for logit in logits]
        total = math.fsum(exps)
        return sorted(zip(self._names, (e / total for e in exps)), key=lambda pair: pair[1], reverse=True)

    def predict_with_sklearn(self, normalised: str) -> list[tuple[str, float]]:
        probabilities = self.pipeline.predict_proba([features_text(normalised)])[0]
        order = np.argsort(probabilities)[::-1]
        return [(str(self.classes[i]), float(probabilities[i])) for i in order]
