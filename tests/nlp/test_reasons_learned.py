"""The learned reason reader (nlp.reasons): what it trains on, its kept numbers, its fast scorer, and that
`understand` never fails because of it."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from nlp import reasons


def test_training_files_never_hold_the_test_or_blind_sets() -> None:
    names = {path.name for path in reasons.training_files()}
    assert "dev.jsonl" in names and "entity_dev.jsonl" in names
    assert not [name for name in names if name.startswith(("heldout", "chatter", "check11", "test."))]


def test_fingerprint_covers_every_training_file() -> None:
    files = reasons.training_files()
    whole = reasons.fingerprint(files)
    for left_out in files:
        assert reasons.fingerprint(tuple(p for p in files if p != left_out)) != whole


def test_kept_reason_model_is_trained_from_todays_data() -> None:
    """`python -m nlp.reasons --train` was run after the last change to the labelled files."""
    with np.load(reasons.MODEL_FILE, allow_pickle=False) as kept:
        assert str(kept["fingerprint"]) == reasons.fingerprint(), "run: python -m nlp.reasons --train"
        assert not any(array.dtype == object for array in kept.values())  # numbers and strings, no pickle


@pytest.fixture(scope="module")
def small_fit() -> tuple[list[reasons.Example], object]:
    examples = reasons.load_examples((reasons.DATA / "train_reasons.jsonl",))
    return examples, reasons._fit(examples[::2])


def test_fast_scorer_equals_scikit_learn(small_fit: tuple[list[reasons.Example], object]) -> None:
    examples, fitted = small_fit
    model = reasons.ReasonModel.from_fitted(fitted)
    expected = reasons._sk_probabilities(fitted, examples[1::2])
    for example, row in zip(examples[1::2], expected, strict=True):
        got = model.probabilities(example.about, example.full, example.rule)
        assert [got.get(name, 0.0) for name in reasons.CLASSES] == pytest.approx(row.tolist(), abs=1e-9)


def test_kept_arrays_round_trip(small_fit: tuple[list[reasons.Example], object], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    examples, fitted = small_fit
    model = reasons.ReasonModel.from_fitted(fitted)
    path = tmp_path / "reasons.npz"
    model.save(path)
    loaded = reasons.ReasonModel.load(path)
    assert loaded is not None
    for example in examples[1:40:2]:
        assert loaded.probabilities(example.about, example.full, example.rule) == pytest.approx(
            model.probabilities(example.about, example.full, example.rule)
        )


def test_stale_model_falls_back_to_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "reasons.npz"
    np.savez(path, fingerprint=np.array("old"))
    with caplog.at_level(logging.WARNING, logger="nlp.reasons"):
        assert reasons.ReasonModel.load(path) is None
    assert "stale" in caplog.text
    assert reasons.ReasonModel.load(tmp_path / "missing.npz") is None


def test_a_failing_reader_leaves_the_rules_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def probabilities(self, *_: object) -> dict[str, float]:
            raise RuntimeError("boom")

    monkeypatch.setattr(reasons, "_reader", lambda: Broken())
    assert reasons.read_reason("ไม่มีเงินค่ะ", "ไม่มีเงินค่ะ", "financial") == "financial"
    assert reasons.read_reason("", "", None) is None
