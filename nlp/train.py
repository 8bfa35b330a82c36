"""Train the intent classifier and keep its fitted numbers in `nlp/data/model.npz`.

    python -m nlp.train

Run it after changing any training file (or nlp/normalize.py): `understand` uses the kept model
only while its fingerprint matches the data, and otherwise trains at first load (slower).
"""

from __future__ import annotations

import time

from nlp.classifier import MODEL_FILE, IntentModel, load_training


def main() -> int:
    started = time.perf_counter()
    texts, labels = load_training()
    model = IntentModel.train(texts, labels)
    model.save()
    terms = sum(len(v) for v in model.vocabularies)
    print(f"{len(texts)} lines, {len(model.names)} intents, {terms} features, "
          f"{time.perf_counter() - started:.1f} s → {MODEL_FILE} ({MODEL_FILE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
