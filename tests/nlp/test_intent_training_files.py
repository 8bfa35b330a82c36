"""The classifier trains on every nlp/data/train*.tsv, so a new training file is never left out."""

from nlp.classifier import DATA, TRAIN_FILES, fingerprint


def test_every_train_tsv_is_a_training_file() -> None:
    on_disk = sorted(DATA.glob("train*.tsv"))
    assert on_disk, "no training file found"
    assert list(TRAIN_FILES) == on_disk


def test_fingerprint_covers_every_training_file() -> None:
    # Dropping any one file from the list gives another fingerprint.
    whole = fingerprint()
    for left_out in TRAIN_FILES:
        assert fingerprint(tuple(p for p in TRAIN_FILES if p != left_out)) != whole
