"""Score the NLU on a JSON-lines file of {"text", "intent", "entities"}.

    python -m nlp.evaluate nlp/data/test.jsonl [--json] [--worst 20]

Prints accuracy, per-intent precision/recall/F1 and macro-F1, the confusion matrix, per-entity
accuracy (per key, and exact match of the whole entity dict), the worst errors, first-load time
and latency (median, p99) after warm-up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 22)


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row.setdefault("entities", {})
            row["line"] = number
            rows.append(row)
    return rows


def evaluate(rows: list[dict[str, Any]], worst: int = 20) -> dict[str, Any]:
    started = time.perf_counter()
    import nlp
    from nlp import reader

    nlp.warm_up()
    first_load = time.perf_counter() - started
    predictions, latencies = [], []
    for row in rows:
        t0 = time.perf_counter()
        u = nlp.understand(row["text"], today=TODAY)
        latencies.append((time.perf_counter() - t0) * 1000)
        predictions.append(u)
    # Second pass for steady-state latency of a message not read before: the model is warm,
    # and the kept readings (`nlp.reader`) are dropped before each one.
    latencies = []
    for row in rows:
        reader.forget_readings()
        t0 = time.perf_counter()
        nlp.understand(row["text"], today=TODAY)
        latencies.append((time.perf_counter() - t0) * 1000)

    intents = sorted(set(nlp.INTENTS))
    confusion: dict[str, Counter] = defaultdict(Counter)
    correct = 0
    for row, u in zip(rows, predictions):
        confusion[row["intent"]][u.intent] += 1
        correct += row["intent"] == u.intent
    per_intent = {}
    f1s = []
    for intent in intents:
        tp = confusion[intent][intent]
        fp = sum(confusion[other][intent] for other in intents if other != intent)
        fn = sum(c for predicted, c in confusion[intent].items() if predicted != intent)
        support = tp + fn
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if support:
            f1s.append(f1)
            per_intent[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    keys = sorted({k for row in rows for k in row["entities"]} | {k for u in predictions for k in u.entities})
    per_entity = {}
    for key in keys:
        relevant = [(row, u) for row, u in zip(rows, predictions) if key in row["entities"] or key in u.entities]
        right = sum(row["entities"].get(key) == u.entities.get(key) for row, u in relevant)
        per_entity[key] = {"accuracy": right / len(relevant) if relevant else 1.0, "n": len(relevant)}
    exact = sum(row["entities"] == u.entities for row, u in zip(rows, predictions)) / len(rows)
    errors = []
    for row, u in zip(rows, predictions):
        wrong_entities = {k for k in set(row["entities"]) | set(u.entities) if row["entities"].get(k) != u.entities.get(k)}
        if row["intent"] != u.intent or wrong_entities:
            errors.append(
                {
                    "line": row["line"],
                    "text": row["text"],
                    "expected_intent": row["intent"],
                    "intent": u.intent,
                    "confidence": round(u.confidence, 3),
                    "expected_entities": row["entities"],
                    "entities": u.entities,
                    "score": (row["intent"] != u.intent) * 2 + len(wrong_entities) + u.confidence * (row["intent"] != u.intent),
                }
            )
    errors.sort(key=lambda e: -e["score"])
    ordered = sorted(latencies)
    return {
        "n": len(rows),
        "accuracy": correct / len(rows),
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "per_intent": per_intent,
        "confusion": {gold: dict(counts) for gold, counts in sorted(confusion.items())},
        "entity_exact_match": exact,
        "per_entity": per_entity,
        "worst_errors": errors[:worst],
        "error_count": len(errors),
        "first_load_seconds": first_load,
        "latency_ms": {"median": statistics.median(ordered), "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]},
    }


def _print(result: dict[str, Any]) -> None:
    out = sys.stdout.write
    out(f"examples            {result['n']}\n")
    out(f"intent accuracy     {result['accuracy']:.3f}\n")
    out(f"macro-F1            {result['macro_f1']:.3f}\n")
    out(f"entity exact match  {result['entity_exact_match']:.3f}\n")
    out(f"first load          {result['first_load_seconds']:.2f} s\n")
    out(f"latency             median {result['latency_ms']['median']:.3f} ms, p99 {result['latency_ms']['p99']:.3f} ms\n\n")
    out(f"{'intent':18} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>5}\n")
    for intent, m in result["per_intent"].items():
        out(f"{intent:18} {m['precision']:6.2f} {m['recall']:6.2f} {m['f1']:6.2f} {m['support']:5d}\n")
    out("\nconfusion (gold → predicted: count)\n")
    for gold, counts in result["confusion"].items():
        others = ", ".join(f"{p}: {c}" for p, c in sorted(counts.items(), key=lambda x: -x[1]))
        out(f"  {gold:16} → {others}\n")
    out(f"\n{'entity':16} {'accuracy':>8} {'n':>5}\n")
    for key, m in result["per_entity"].items():
        out(f"{key:16} {m['accuracy']:8.3f} {m['n']:5d}\n")
    out(f"\nworst errors ({len(result['worst_errors'])} of {result['error_count']})\n")
    for e in result["worst_errors"]:
        out(f"  line {e['line']}: {e['text']!r}\n    expected {e['expected_intent']} {json.dumps(e['expected_entities'], ensure_ascii=False)}\n    got      {e['intent']} ({e['confidence']}) {json.dumps(e['entities'], ensure_ascii=False)}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--worst", type=int, default=20)
    args = parser.parse_args(argv)
    result = evaluate(load(args.file), worst=args.worst)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
