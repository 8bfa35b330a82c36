"""Train every learned part of the reader and keep its fitted numbers in `nlp/data/`.

    python -m nlp.train

1. the intent classifier (`nlp/data/model.npz`, from `nlp/data/train*.tsv`);
2. the reader of whose age and level a message tells (`nlp/data/mentions.npz`, `nlp.mentions`);
3. the reader of why the learner left (`nlp/data/reasons.npz`, `nlp.reasons`);
4. the reader of which place names are the learner's home (`nlp/data/placeroles.npz`, `nlp.placeroles`).

The last three learn from the entity-labelled files (the development sets and
`nlp/data/train_entities_*.jsonl`, `train_reasons.jsonl`) and read the rules' output as features, so they
come after the intent model, in this order. Run it after changing any training or development file,
`nlp/normalize.py` or `nlp/entities.py`: each kept file is used only while its fingerprint matches, and
otherwise that part is fitted at first load (slower) or left to the rules.
"""

from __future__ import annotations

import time

from nlp import mentions, placeroles, reasons
from nlp.classifier import MODEL_FILE, IntentModel, load_training


def train_intents() -> None:
    started = time.perf_counter()
    texts, labels = load_training()
    model = IntentModel.train(texts, labels)
    model.save()
    terms = sum(len(v) for v in model.vocabularies)
    print(
        f"intents: {len(texts)} lines, {len(model.names)} intents, {terms} features, "
        f"{time.perf_counter() - started:.1f} s → {MODEL_FILE} ({MODEL_FILE.stat().st_size // 1024} KiB)"
    )


def main() -> int:
    train_intents()
    print("mentions:", end=" ", flush=True)
    mentions.main(["--train"])
    print("reasons:", end=" ", flush=True)
    reasons.main(["--train"])
    print("place roles:", end=" ", flush=True)
    return placeroles.main(["--train"])


if __name__ == "__main__":
    raise SystemExit(main())
