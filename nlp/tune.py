"""Choose the out-of-scope thresholds on data that holds out-of-scope messages.

    python -m nlp.tune            # the whole reader on the development sets (quick)
    python -m nlp.tune --folds    # also 5-fold cross-validation of the classifier alone (slow)
    python -m nlp.tune --reader-folds  # the whole reader on 5 folds of the training data (slow)
    python -m nlp.tune --file-folds    # the whole reader on each training file, trained without it (slow)

The reader answers `out_of_scope` when the classifier's top probability is below
`MIN_CONFIDENCE` (or `ACT_CONFIDENCE` for an FAQ answer or a wish to enrol: on chatter those
are the costly mistakes) or its margin over the runner-up is below `MIN_MARGIN`. The grid is
scored with the whole reader (rules, chatter gate and all) on nlp/data/test.jsonl and the
development sets nlp/data/dev*.jsonl, which hold chatter, other services and look-alikes as well
as in-domain messages; the cross-validation folds of the training data hold a large out-of-scope
set too. Copy the chosen values into `nlp/classifier.py`.

`--reader-folds` scores the whole reader (rules, clause reading, chatter gate and the thresholds in
`nlp/reader.py`: OOS_SURE, OOS_CERTAIN, UNSURE_CHAT, ASK_MASS, TRUST_*, CLAUSE_*, STORY_*) with a classifier
trained without each fold: in-domain accuracy, out-of-scope accuracy, and how often an
out-of-scope line would start an intake or get an FAQ answer. The development sets are fitted by
now; these folds (thousands of lines, a third of them out of scope) are the fairer check.

`--file-folds` is the grouped cross-validation: each training file is read by a classifier trained on
the other files only. A file is written in one sitting, in one voice and often from templates, so random
folds share near-paraphrases between training and test lines; a whole file left out does not. Its
out-of-scope intake rate matched the blind chatter sets' (2.5%) when random folds gave 0.8%. The
entity-labelled files (`train_entities_*.jsonl`) are folds too, and trained on as the shipped model is
(`classifier.INTENT_FROM_ENTITIES`, `ENTITY_WEIGHT`).

The held-out sets of `nlp.evaluate` (heldout*.jsonl, chatter*.jsonl) are never read here.
"""

from __future__ import annotations

import argparse
import itertools
import json
from datetime import date
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

from nlp import classifier, reader
from nlp.classifier import DATA, IntentModel, load_training
from nlp.normalize import normalize

CONFIDENCES = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
ACT_CONFIDENCES = (0.3, 0.35, 0.4, 0.45, 0.5)
MARGINS = (0.0, 0.03, 0.06, 0.1)
TODAY = date(2026, 11, 22)


def development_rows() -> list[dict]:
    rows = []
    for path in (DATA / "test.jsonl", *sorted(DATA.glob("dev*.jsonl"))):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row.get("intent")]


def reader_accuracy(rows: list[dict], confidence: float, act: float, margin: float) -> tuple[float, float]:
    """(intent accuracy, share of out_of_scope messages read as something else) with these thresholds."""
    classifier.MIN_CONFIDENCE, classifier.ACT_CONFIDENCE, classifier.MIN_MARGIN = confidence, act, margin
    reader.forget_readings()
    right = leaked = chat = 0
    for row in rows:
        intent = reader.understand(row["text"], today=TODAY).intent
        right += intent == row["intent"]
        if row["intent"] == "out_of_scope":
            chat += 1
            leaked += intent != "out_of_scope"
    return right / len(rows), leaked / (chat or 1)


def cross_validated_rankings(folds: int = 5, seed: int = 7) -> list[tuple[str, list[tuple[str, float]]]]:
    texts, labels = load_training()
    out: list[tuple[str, list[tuple[str, float]]]] = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(texts, labels):
        model = IntentModel.train([texts[i] for i in train], [labels[i] for i in train])
        out.extend((labels[i], model.predict(normalize(texts[i]))) for i in test)
    return out


def reader_folds(folds: int = 5, seed: int = 7, errors: list[tuple[str, str, str]] | None = None) -> dict[str, float]:
    """The whole reader on cross-validation folds of the training data (see the module text).
    `errors`, when given, receives each misread line as (gold, got, text): the folds are the place
    to read errors now that the development sets are fitted."""
    texts, labels = load_training()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    kept = reader._load()
    counts = {"in": 0, "in_right": 0, "out": 0, "out_right": 0, "intake": 0, "faq": 0}
    try:
        for train, test in splitter.split(texts, labels):
            reader._model = IntentModel.train([texts[i] for i in train], [labels[i] for i in train])
            reader.forget_readings()
            for i in test:
                got = reader.understand(texts[i], today=TODAY).intent
                if errors is not None and got != labels[i]:
                    errors.append((labels[i], got, texts[i]))
                if labels[i] == "out_of_scope":
                    counts["out"] += 1
                    counts["out_right"] += got == "out_of_scope"
                    counts["intake"] += got in ("enroll", "inform")
                    counts["faq"] += got.startswith("ask_")
                else:
                    counts["in"] += 1
                    counts["in_right"] += got == labels[i]
    finally:
        reader._model = kept
        reader.forget_readings()
    return {
        "in_domain_accuracy": counts["in_right"] / max(counts["in"], 1),
        "out_of_scope_accuracy": counts["out_right"] / max(counts["out"], 1),
        "out_of_scope_intake": counts["intake"] / max(counts["out"], 1),
        "out_of_scope_faq": counts["faq"] / max(counts["out"], 1),
    }


def file_folds(
    paths: tuple[Path, ...] = classifier.TRAIN_FILES,
    errors: list[tuple[str, str, str, str]] | None = None,
    entity_paths: tuple[Path, ...] | None = None,
) -> dict[str, dict[str, float]]:
    """The whole reader on each training file, with a classifier trained on the other files (see the
    module text): the intent files and, as the shipped model is trained (`classifier.load_training`), the
    entity-labelled files' intents at their weight. Per file and in total: out-of-scope lines, the share
    that would start an intake or get an FAQ answer, in-domain lines and their intent accuracy. `errors`
    receives (file, gold, got, text) for each misread line."""
    held = classifier._evaluation_texts()
    files = {path.name: classifier.intent_lines(path, held) for path in paths}
    if entity_paths is None:
        entity_paths = classifier.ENTITY_TRAIN_FILES if classifier.INTENT_FROM_ENTITIES else ()
    if entity_paths:  # trained on as `load_training` does, and each left out in turn like the others
        held |= classifier._jsonl_texts(classifier.CHECK_FILES)
        files.update({path.name: classifier.entity_lines(path, held) for path in entity_paths})
    kept = reader._load()
    table: dict[str, dict[str, float]] = {}
    try:
        for name, test in files.items():
            # A text the left-out file shares with another file is not trained on either.
            tested = {text.strip() for _, text in test}
            train = [
                line for other, lines in files.items() if other != name for line in lines
                if line[1].strip() not in tested
            ]
            reader._model = IntentModel.train([text for _, text in train], [intent for intent, _ in train])
            reader.forget_readings()
            counts: dict[str, float] = dict.fromkeys(("out", "intake", "faq", "in", "in_right"), 0.0)
            for gold, text in test:
                got = reader.understand(text, today=TODAY).intent
                if errors is not None and got != gold:
                    errors.append((name, gold, got, text))
                if gold == "out_of_scope":
                    counts["out"] += 1
                    counts["intake"] += got in ("enroll", "inform")
                    counts["faq"] += got.startswith("ask_")
                else:
                    counts["in"] += 1
                    counts["in_right"] += got == gold
            table[name] = counts
    finally:
        reader._model = kept
        reader.forget_readings()
    return table


def print_file_folds(table: dict[str, dict[str, float]]) -> None:
    print(f"{'file':<24} {'oos':>5} {'intake':>7} {'faq':>6} {'in':>5} {'accuracy':>8}")
    hand = dict.fromkeys(("out", "intake", "faq", "in", "in_right"), 0.0)
    total = dict(hand)
    for name, counts in table.items():
        for key, value in counts.items():
            total[key] += value
            if "composed" not in name:
                hand[key] += value
    for name, counts in (*table.items(), ("all", total), ("all but composed", hand)):
        out, inside = max(counts["out"], 1), max(counts["in"], 1)
        print(
            f"{name:<24} {int(counts['out']):>5} {counts['intake'] / out:>7.4f} {counts['faq'] / out:>6.4f} "
            f"{int(counts['in']):>5} {counts['in_right'] / inside:>8.4f}"
        )


def fold_score(rankings: list[tuple[str, list[tuple[str, float]]]], confidence: float, margin: float) -> float:
    right = 0
    for gold, ranked in rankings:
        (top, p1), (_, p2) = ranked[0], ranked[1]
        predicted = "out_of_scope" if p1 < confidence or p1 - p2 < margin else top
        right += predicted == gold
    return right / len(rankings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", action="store_true", help="also cross-validate the classifier alone")
    parser.add_argument("--reader-folds", action="store_true", help="only score the whole reader on 5 folds")
    parser.add_argument("--file-folds", action="store_true", help="only score the whole reader file by file")
    parser.add_argument("--errors", metavar="FILE", help="with --reader-folds or --file-folds: write the misread lines")
    args = parser.parse_args(argv)
    if args.file_folds:
        misread: list[tuple[str, str, str, str]] = []
        print_file_folds(file_folds(errors=misread))
        if args.errors:
            with open(args.errors, "w", encoding="utf-8") as out:
                out.writelines("\t".join(row) + "\n" for row in sorted(misread))
        return 0
    if args.reader_folds:
        errors: list[tuple[str, str, str]] | None = [] if args.errors else None
        for name, value in reader_folds(errors=errors).items():
            print(f"{name:<24} {value:.4f}")
        if args.errors and errors is not None:
            with open(args.errors, "w", encoding="utf-8") as out:
                out.writelines(f"{gold}\t{got}\t{text}\n" for gold, got, text in sorted(errors))
        return 0
    kept = (classifier.MIN_CONFIDENCE, classifier.ACT_CONFIDENCE, classifier.MIN_MARGIN)
    rows = development_rows()
    reader.warm_up()
    grid = {}
    for c, a, m in itertools.product(CONFIDENCES, ACT_CONFIDENCES, MARGINS):
        if a >= c:
            grid[(c, a, m)] = reader_accuracy(rows, c, a, m)
    classifier.MIN_CONFIDENCE, classifier.ACT_CONFIDENCE, classifier.MIN_MARGIN = kept
    reader.forget_readings()
    best = max(accuracy for accuracy, _ in grid.values())
    print(f"{len(rows)} development messages; best intent accuracy {best:.3f}")
    print("confidence  act   margin  accuracy  out-of-scope read as something else")
    for (c, a, m), (accuracy, leaked) in sorted(grid.items(), key=lambda item: -item[1][0])[:12]:
        print(f"{c:<11} {a:<5} {m:<7} {accuracy:.3f}     {leaked:.3f}")
    # Within a point of the best, the one that lets the least chat through, then the strictest.
    chosen = min(
        (key for key, (accuracy, _) in grid.items() if accuracy >= best - 0.01),
        key=lambda key: (grid[key][1], -key[1], -key[0]),
    )
    print(
        f"chosen: MIN_CONFIDENCE = {chosen[0]}, ACT_CONFIDENCE = {chosen[1]}, MIN_MARGIN = {chosen[2]} "
        f"(accuracy {grid[chosen][0]:.3f}, out-of-scope leaked {grid[chosen][1]:.3f}); "
        f"now {kept}"
    )
    if args.folds:
        rankings = cross_validated_rankings()
        for c, m in itertools.product(CONFIDENCES, MARGINS):
            print(f"folds: confidence {c} margin {m}: {fold_score(rankings, c, m):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
