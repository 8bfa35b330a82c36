"""The intent classifier: logistic regression over TF-IDF features of the normalised text —
character n-grams (robust to missing spaces and typos) plus pythainlp `newmm` word uni- and
bigrams.

It is trained with scikit-learn by `python -m nlp.train` from the training files below (the intent
files, and the intents of the entity-labelled files at a lower weight), and the
fitted numbers (vocabularies, idf weights, coefficients) are kept in `nlp/data/model.npz` with a
fingerprint of the data they came from: plain arrays, nothing pickled, nothing downloaded. At run
time the model is read from that file (scikit-learn is not even imported) when its fingerprint
matches the training data; otherwise it is trained in-process as before (a few seconds) and a
warning says to run `python -m nlp.train`.

Logistic regression gives probability estimates; `understand` answers `out_of_scope` when the
top probability is below `MIN_CONFIDENCE` (`ACT_CONFIDENCE` for an FAQ answer or a wish to enrol)
or the top-2 margin is below `MIN_MARGIN`; `python -m nlp.tune` scores them with the whole reader on
the test and development sets, which hold chatter and other services as well as in-domain messages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pythainlp.tokenize import word_tokenize

from nlp.normalize import normalize

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
TRAIN_FILE = DATA / "train.tsv"
# Every training file, nlp/data/train*.tsv in sorted order: the hand-written sets and the composed
# multi-detail messages (`python -m nlp.compose`); a new train_*.tsv is picked up (and changes the
# fingerprint). Never dev.jsonl, test.jsonl or the held-out sets.
TRAIN_FILES = tuple(sorted(DATA.glob("train*.tsv")))
# The entity-labelled training files (`{"text", "intent", "entities", "tags"}` lines, written blind by
# other writers: many long, several-act messages of parents and youth, labelled with the strongest act of
# DESIGN §3). Their intents are trained on too, when INTENT_FROM_ENTITIES is set.
ENTITY_TRAIN_FILES = tuple(sorted(DATA.glob("train_entities_*.jsonl")))
INTENT_FROM_ENTITIES = True
# … each with this sample weight: the files are nearly all in-domain, and at full weight they tilt the
# model towards reading other people's stories and other services' questions as ours (grouped CV: the
# out-of-scope lines of the intent files starting an intake 1.4% -> 2.0% at 1.0).
ENTITY_WEIGHT = 0.5
MODEL_FILE = DATA / "model.npz"
MIN_CONFIDENCE = 0.3
MIN_MARGIN = 0.0
# An FAQ answer or the start of an intake is the costly mistake on chatter: those intents need more.
ACT_CONFIDENCE = 0.4
C = 16.0
CHAR_NGRAMS = (1, 4)
WORD_NGRAMS = (1, 2)
# Words whose character n-gram columns are kept (per model; a few MB at most: within one message
# the clauses share words, across messages common words recur).
WORD_CACHE_SIZE = 2048
# Texts whose token spans are kept: the readers of one message (`nlp.places`, `nlp.mentions`,
# `nlp.placeroles`) ask for the same text's spans; a few messages' worth.
SPANS_CACHE_SIZE = 32
# Texts whose intent readings are kept (`IntentModel.predict`): a message's clauses, a few messages' worth.
READINGS_CACHE_SIZE = 256
# Bump when the features or the model change shape: a kept model of another version is not used.
FORMAT = 2


_DIGIT = re.compile(r"\d")
_CHUNK = re.compile(r"\S+")


def features_text(normalised: str) -> str:
    """What the classifier sees: digits folded so "อายุ 17" and "อายุ 18" look alike."""
    return _DIGIT.sub("0", normalised)


@lru_cache(maxsize=4096)
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    return tuple(t for t in word_tokenize(chunk, engine="newmm", keep_whitespace=False) if t.strip())


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """newmm tokens of `text` with their character offsets, digits folded as the classifier folds
    them and cut chunk by chunk between spaces (the cache has most chunks of a message already).
    The readers of one message ask for the same text's spans (`_kept_spans`); each caller gets its
    own list."""
    return list(_kept_spans(text))


@lru_cache(maxsize=SPANS_CACHE_SIZE)
def _kept_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(_token_spans(text))


def forget_spans() -> None:
    """Drop the kept token spans (for measuring the reader itself)."""
    _kept_spans.cache_clear()


def _token_spans(text: str) -> list[tuple[int, int, str]]:
    folded = features_text(text)
    spans: list[tuple[int, int, str]] = []
    for chunk in _CHUNK.finditer(folded):
        at = chunk.start()
        for token in _chunk_tokens(chunk.group()):
            where = folded.find(token, at)
            if where < 0:
                continue
            spans.append((where, where + len(token), token))
            at = where + len(token)
    return spans


def _tokens(text: str) -> list[str]:
    """newmm tokens, space-separated chunk by chunk (newmm never joins across a space, so this is
    the same as tokenising the whole text): the clauses of a long message reuse its chunks."""
    return [token for chunk in text.split() for token in _chunk_tokens(chunk)]


def char_ngrams(text: str) -> list[str]:
    """scikit-learn's `char_wb` analyzer (lower case, n-grams inside space-padded words)."""
    grams: list[str] = []
    for word in text.lower().split():
        grams += word_char_ngrams(word)
    return grams


def word_char_ngrams(word: str) -> list[str]:
    """The `char_wb` n-grams of one (lower-case) word."""
    low, high = CHAR_NGRAMS
    grams: list[str] = []
    padded = f" {word} "
    size = len(padded)
    for n in range(low, high + 1):
        if size <= n:  # a short word is counted once
            grams.append(padded)
            break
        grams.extend([padded[offset:offset + n] for offset in range(size - n + 1)])
    return grams


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's word analyzer over newmm tokens: unigrams then bigrams."""
    tokens = _tokens(text)
    grams = list(tokens)
    low, high = WORD_NGRAMS
    for n in range(max(2, low), min(high + 1, len(tokens) + 1)):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


ANALYZERS: tuple[Callable[[str], list[str]], ...] = (char_ngrams, word_ngrams)


# The project's own test set and the development sets: a training line that is also one of their
# messages is left out, whichever training file holds it (the held-out sets of nlp.evaluate are
# never read here at all).
EVAL_FILES = (DATA / "test.jsonl", *sorted(DATA.glob("dev*.jsonl")))


def _evaluation_texts() -> set[str]:
    return _jsonl_texts(EVAL_FILES)


# Besides those, an entity-labelled line is left out when it is a message of the check sets or of
# entity_dev.jsonl (its texts are measured on).
CHECK_FILES = (*sorted(DATA.glob("check*.jsonl")), DATA / "entity_dev.jsonl")


def _jsonl_texts(paths: tuple[Path, ...]) -> set[str]:
    texts: set[str] = set()
    for path in paths:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    texts.add(str(json.loads(line)["text"]).strip())
    return texts


def intent_lines(path: Path, held: set[str]) -> list[tuple[str, str]]:
    """(intent, text) of an intent file's lines (`intent<TAB>text`, # comments), those in `held` left out."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, _, text = line.partition("\t")
        if text.strip() not in held:
            lines.append((intent.strip(), text))
    return lines


def entity_lines(path: Path, held: set[str]) -> list[tuple[str, str]]:
    """(intent, text) of an entity-labelled file's lines, those in `held` left out."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text, intent = str(row.get("text", "")), str(row.get("intent", "")).strip()
        if intent and text.strip() and text.strip() not in held:
            lines.append((intent, text))
    return lines


def load_training(
    paths: tuple[Path, ...] = TRAIN_FILES, entity_paths: tuple[Path, ...] | None = None
) -> tuple[list[str], list[str]]:
    """The training lines: the intent files', then (with INTENT_FROM_ENTITIES, or `entity_paths` given)
    the entity-labelled files' intents."""
    texts, labels = [], []
    held = _evaluation_texts()
    lines = [line for path in paths for line in intent_lines(path, held)]
    if entity_paths is None:
        entity_paths = ENTITY_TRAIN_FILES if INTENT_FROM_ENTITIES else ()
    if entity_paths:
        held |= _jsonl_texts(CHECK_FILES)
        lines += [line for path in entity_paths for line in entity_lines(path, held)]
    for intent, text in lines:
        texts.append(text)
        labels.append(intent)
    return texts, labels


def sample_weights(texts: list[str]) -> list[float] | None:
    """ENTITY_WEIGHT for a training text that only the entity-labelled files hold, 1.0 for the others
    (None when all are 1.0)."""
    if ENTITY_WEIGHT == 1.0 or not ENTITY_TRAIN_FILES:
        return None
    only = _entity_only_texts()
    weights = [ENTITY_WEIGHT if text in only else 1.0 for text in texts]
    return weights if any(w != 1.0 for w in weights) else None


@lru_cache(maxsize=1)
def _entity_only_texts() -> frozenset[str]:
    plain = {text for path in TRAIN_FILES for _, text in intent_lines(path, set())}
    return frozenset(text for path in ENTITY_TRAIN_FILES for _, text in entity_lines(path, set()) if text not in plain)


def fingerprint(paths: tuple[Path, ...] = TRAIN_FILES) -> str:
    """What a kept model was trained from: the training files, the normaliser and the settings."""
    digest = hashlib.sha256(f"{FORMAT} {C} {CHAR_NGRAMS} {WORD_NGRAMS} {ENTITY_WEIGHT}".encode())
    entity_paths = ENTITY_TRAIN_FILES + CHECK_FILES if INTENT_FROM_ENTITIES else ()
    for path in (*paths, *entity_paths, *EVAL_FILES, Path(__file__).with_name("normalize.py")):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build_pipeline(c: float = C) -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                                                  min_df=1)),
                        ("words", TfidfVectorizer(tokenizer=_tokens, token_pattern=None, lowercase=False,
                                                  ngram_range=WORD_NGRAMS, sublinear_tf=True)),
                    ]
                ),
            ),
            # newton-cg converges in a fraction of lbfgs's time on this data (same optimum).
            ("model", LogisticRegression(C=c, solver="newton-cg", tol=1e-3, max_iter=200, class_weight="balanced")),
        ]
    )


@dataclass
class IntentModel:
    """The fitted numbers, and a fast scorer for one message at a time.

    scikit-learn's per-call overhead (sparse matrices for a single row) is about a millisecond;
    `predict` computes the same TF-IDF features and logistic scores directly from the
    vocabularies, idf weights and coefficients (checked equal to scikit-learn in tests).
    """

    names: list[str]
    vocabularies: list[dict[str, tuple[int, float]]]  # per analyzer: term → (column, idf)
    coef: np.ndarray  # features × classes
    intercept: np.ndarray
    pipeline: Pipeline | None = field(default=None, repr=False)
    # Per word: its character n-grams in the vocabulary, as their (column, idf) keys in n-gram order, a
    # key repeated as often as its n-gram occurs. The clauses of a long message (`nlp.reader`) share its
    # words, so each word is looked up once.
    _word_columns: dict[str, tuple[tuple[int, float], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The last texts' readings: `nlp.reader` may read a clause of a long message twice (as a clause and
    # as the message's last words, or in a second look at its clauses).
    _readings: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def train(cls, texts: list[str] | None = None, labels: list[str] | None = None) -> IntentModel:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        if texts is None or labels is None:
            texts, labels = load_training()
        pipeline = build_pipeline()
        # One thread: on a shared machine BLAS threads only spin against each other.
        with threadpool_limits(1):
            weights = sample_weights(texts)
            fit_params = {"model__sample_weight": weights} if weights is not None else {}
            pipeline.fit([features_text(normalize(t)) for t in texts], labels, **fit_params)
        union = pipeline.named_steps["features"]
        vocabularies = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            idf = vectorizer.idf_.tolist()
            vocabularies.append({term: (offset + j, idf[j]) for term, j in vectorizer.vocabulary_.items()})
            offset += len(vectorizer.vocabulary_)
        model = pipeline.named_steps["model"]
        return cls([str(c) for c in model.classes_], vocabularies, np.ascontiguousarray(model.coef_.T),
                   np.asarray(model.intercept_, dtype=float), pipeline)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> IntentModel:
        """The kept model when it was trained from today's data, else one trained now."""
        wanted = fingerprint()
        try:
            with np.load(path, allow_pickle=False) as kept:
                if str(kept["fingerprint"]) == wanted:
                    return cls._from_arrays(kept)
            log.warning("nlp/data/model.npz is stale (training data changed): training now; run python -m nlp.train")
        except (OSError, KeyError, ValueError):
            log.warning("nlp/data/model.npz missing or unreadable: training now; run python -m nlp.train")
        return cls.train()

    @classmethod
    def _from_arrays(cls, kept: np.lib.npyio.NpzFile) -> IntentModel:
        vocabularies = []
        for part in range(len(ANALYZERS)):
            terms = kept[f"terms{part}"].tolist()
            columns = kept[f"columns{part}"].tolist()
            idf = kept[f"idf{part}"].tolist()
            rows = zip(terms, columns, idf, strict=True)
            vocabularies.append({term: (column, weight) for term, column, weight in rows})
        return cls(kept["names"].tolist(), vocabularies, np.ascontiguousarray(kept["coef"]), kept["intercept"])

    def save(self, path: Path = MODEL_FILE) -> None:
        arrays: dict[str, np.ndarray] = {
            "fingerprint": np.array(fingerprint()),
            "names": np.array(self.names),
            "coef": self.coef.astype(np.float64),
            "intercept": self.intercept.astype(np.float64),
        }
        for part, vocabulary in enumerate(self.vocabularies):
            terms = sorted(vocabulary)
            arrays[f"terms{part}"] = np.array(terms)
            arrays[f"columns{part}"] = np.array([vocabulary[t][0] for t in terms], dtype=np.int32)
            arrays[f"idf{part}"] = np.array([vocabulary[t][1] for t in terms], dtype=np.float64)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    def _features(self, text: str) -> tuple[list[int], list[float]]:
        """The TF-IDF row of one text as the fitted union computes it (sublinear tf, l2 norm
        per part), as column indices and values."""
        indices: list[int] = []
        values: list[float] = []
        log = math.log
        for part, (analyzer, lookup) in enumerate(zip(ANALYZERS, self.vocabularies, strict=True)):
            if part == 0 and analyzer is char_ngrams:
                found = self._char_columns(text, lookup)
            else:
                known = lookup.get
                counted = Counter(analyzer(text)).items()
                found = [(key, count) for term, count in counted if (key := known(term)) is not None]
            if not found:
                continue
            # A term seen once weighs its idf (1 + log 1 is exactly 1).
            weights = [idf if count == 1 else idf * (1.0 + log(count)) for (_, idf), count in found]
            norm = math.hypot(*weights)
            indices.extend([column for (column, _), _ in found])
            values.extend([weight / norm for weight in weights])
        return indices, values

    def _char_columns(self, text: str, lookup: dict[str, tuple[int, float]]) -> list[tuple[tuple[int, float], int]]:
        """The character n-grams of a text found in the vocabulary, with their counts, word by word."""
        # Counted in one pass over every word's keys: the same counts, in the same first-seen order, as
        # counting each word's n-grams and adding them up word by word (the keys are one per term).
        cache = self._word_columns
        known = lookup.get
        words = text.lower().split()
        founds = []
        for word in words:
            found = cache.get(word)
            if found is None:
                found = tuple(filter(None, map(known, word_char_ngrams(word))))
                if len(cache) >= WORD_CACHE_SIZE:
                    cache.clear()
                cache[word] = found
            founds.append(found)
        return list(Counter(chain.from_iterable(founds)).items())

    def predict(self, normalised: str) -> list[tuple[str, float]]:
        """Intents with probabilities, most likely first."""
        kept = self._readings.get(normalised)
        if kept is None:
            kept = tuple(self._predict(normalised))
            if len(self._readings) >= READINGS_CACHE_SIZE:
                self._readings.clear()
            self._readings[normalised] = kept
        return list(kept)

    def forget(self) -> None:
        """Drop the kept readings (for measuring the reader itself)."""
        self._readings.clear()

    def _predict(self, normalised: str) -> list[tuple[str, float]]:
        indices, values = self._features(features_text(normalised))
        if indices:
            logits = (np.asarray(values) @ self.coef[indices] + self.intercept).tolist()
        else:
            logits = self.intercept.tolist()
        # The softmax of 18 numbers is cheaper in plain Python than numpy's per-call overhead.
        top = max(logits)
        exps = [math.exp(logit - top) for logit in logits]
        total = math.fsum(exps)
        scored = zip(self.names, (e / total for e in exps), strict=True)
        return sorted(scored, key=lambda pair: pair[1], reverse=True)

    def predict_with_sklearn(self, normalised: str) -> list[tuple[str, float]]:
        if self.pipeline is None:
            raise ValueError("a kept model has no scikit-learn pipeline; use IntentModel.train()")
        probabilities = self.pipeline.predict_proba([features_text(normalised)])[0]
        order = np.argsort(probabilities)[::-1]
        return [(self.names[i], float(probabilities[i])) for i in order]
