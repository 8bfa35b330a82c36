"""Score the NLU on JSON-lines files of {"text", "intent", "entities", "tags"}.

    python -m nlp.evaluate nlp/data/test.jsonl [nlp/data/heldout.jsonl ...] [--json] [--worst 20]

For each file: accuracy, per-intent precision/recall/F1 and macro-F1, the confusion matrix,
per-entity accuracy (per key, and exact match of the whole entity dict), a table per tag
(category: n, intent accuracy, entity exact match), for lines tagged `chatter` how often real
chatter would start an intake (predicted `enroll` or `inform`) or get an FAQ answer (predicted
`ask_*`), the worst errors, first-load time and latency (median, p99) after warm-up.

`tags` is optional (a list of category names); lines without it count in the overall figures only.
With `--json`, one JSON object per file is printed, one per line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from nlp.understanding import INTENTS, Understanding

TODAY = date(2026, 11, 22)
CHATTER_TAG = "chatter"
# Predictions that would start an intake, and those that would get an FAQ answer.
INTAKE_INTENTS = frozenset({"enroll", "inform"})
FAQ_PREFIX = "ask_"

Reader = Callable[[str], Understanding]

_first_load_seconds: float | None = None


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row.get("intent"), str) or not isinstance(row.get("text"), str):
                raise SystemExit(f"{path}:{number}: every line needs a text and an intent (a string)")
            row.setdefault("entities", {})
            row["tags"] = list(row.get("tags") or [])
            row["line"] = number
            rows.append(row)
    return rows


def _default_reader() -> tuple[Reader, Callable[[], None], float]:
    """The real reader, warmed up; a function dropping its kept readings; the first-load time."""
    global _first_load_seconds
    started = time.perf_counter()
    import nlp
    from nlp import reader

    nlp.warm_up()
    if _first_load_seconds is None:
        _first_load_seconds = time.perf_counter() - started
    forget: Callable[[], None] = getattr(reader, "forget_readings", lambda: None)
    return (lambda text: nlp.understand(text, today=TODAY)), forget, _first_load_seconds


def per_tag(rows: Sequence[dict[str, Any]], predictions: Sequence[Understanding]) -> dict[str, dict[str, Any]]:
    """n, intent accuracy and entity exact match for every tag that occurs, sorted by tag."""
    groups: dict[str, list[tuple[dict[str, Any], Understanding]]] = defaultdict(list)
    for row, u in zip(rows, predictions, strict=True):
        for tag in dict.fromkeys(row["tags"]):
            groups[tag].append((row, u))
    table = {}
    for tag in sorted(groups):
        pairs = groups[tag]
        table[tag] = {
            "n": len(pairs),
            "intent_accuracy": sum(row["intent"] == u.intent for row, u in pairs) / len(pairs),
            "entity_exact_match": sum(row["entities"] == u.entities for row, u in pairs) / len(pairs),
        }
    return table


def chatter_rates(rows: Sequence[dict[str, Any]], predictions: Sequence[Understanding]) -> dict[str, Any] | None:
    """For lines tagged chatter: the share predicted as starting an intake, and as an FAQ question."""
    predicted = [u.intent for row, u in zip(rows, predictions, strict=True) if CHATTER_TAG in row["tags"]]
    if not predicted:
        return None
    intake = sum(intent in INTAKE_INTENTS for intent in predicted)
    faq = sum(intent.startswith(FAQ_PREFIX) for intent in predicted)
    return {
        "n": len(predicted),
        "starts_intake": intake,
        "starts_intake_rate": intake / len(predicted),
        "gets_faq_answer": faq,
        "gets_faq_answer_rate": faq / len(predicted),
    }


def evaluate(rows: list[dict[str, Any]], worst: int = 20, read: Reader | None = None) -> dict[str, Any]:
    """Score `rows`; `read` replaces the real reader (`nlp.understand`) when given."""
    if read is None:
        read, forget, first_load = _default_reader()
    else:
        forget, first_load = (lambda: None), 0.0
    predictions = [read(row["text"]) for row in rows]
    # Second pass for steady-state latency of a message not read before: the model is warm,
    # and the kept readings (`nlp.reader`) are dropped before each one.
    latencies = []
    for row in rows:
        forget()
        t0 = time.perf_counter()
        read(row["text"])
        latencies.append((time.perf_counter() - t0) * 1000)

    intents = sorted(set(INTENTS))
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    correct = 0
    for row, u in zip(rows, predictions, strict=True):
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
        relevant = [
            (row, u) for row, u in zip(rows, predictions, strict=True) if key in row["entities"] or key in u.entities
        ]
        right = sum(row["entities"].get(key) == u.entities.get(key) for row, u in relevant)
        per_entity[key] = {"accuracy": right / len(relevant) if relevant else 1.0, "n": len(relevant)}
    exact = sum(row["entities"] == u.entities for row, u in zip(rows, predictions, strict=True)) / len(rows)
    errors = []
    for row, u in zip(rows, predictions, strict=True):
        wrong_entities = {
            k for k in set(row["entities"]) | set(u.entities) if row["entities"].get(k) != u.entities.get(k)
        }
        intent_wrong = row["intent"] != u.intent
        if intent_wrong or wrong_entities:
            errors.append(
                {
                    "line": row["line"],
                    "text": row["text"],
                    "tags": row["tags"],
                    "expected_intent": row["intent"],
                    "intent": u.intent,
                    "confidence": round(u.confidence, 3),
                    "expected_entities": row["entities"],
                    "entities": u.entities,
                    "score": intent_wrong * 2 + len(wrong_entities) + u.confidence * intent_wrong,
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
        "per_tag": per_tag(rows, predictions),
        "chatter": chatter_rates(rows, predictions),
        "worst_errors": errors[:worst],
        "error_count": len(errors),
        "first_load_seconds": first_load,
        "latency_ms": {
            "median": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        },
    }


def _print(result: dict[str, Any]) -> None:
    out = sys.stdout.write
    out(f"examples            {result['n']}\n")
    out(f"intent accuracy     {result['accuracy']:.3f}\n")
    out(f"macro-F1            {result['macro_f1']:.3f}\n")
    out(f"entity exact match  {result['entity_exact_match']:.3f}\n")
    out(f"first load          {result['first_load_seconds']:.2f} s\n")
    latency = result["latency_ms"]
    out(f"latency             median {latency['median']:.3f} ms, p99 {latency['p99']:.3f} ms\n")
    chatter = result["chatter"]
    if chatter:
        out(
            f"chatter             {chatter['n']} lines: starts an intake {chatter['starts_intake_rate']:.3f} "
            f"({chatter['starts_intake']}), gets an FAQ answer {chatter['gets_faq_answer_rate']:.3f} "
            f"({chatter['gets_faq_answer']})\n"
        )
    out(f"\n{'intent':18} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>5}\n")
    for intent, m in result["per_intent"].items():
        out(f"{intent:18} {m['precision']:6.2f} {m['recall']:6.2f} {m['f1']:6.2f} {m['support']:5d}\n")
    if result["per_tag"]:
        out(f"\n{'tag':20} {'n':>5} {'intent':>7} {'exact':>7}\n")
        for tag, m in result["per_tag"].items():
            out(f"{tag:20} {m['n']:5d} {m['intent_accuracy']:7.3f} {m['entity_exact_match']:7.3f}\n")
    out("\nconfusion (gold → predicted: count)\n")
    for gold, counts in result["confusion"].items():
        others = ", ".join(f"{p}: {c}" for p, c in sorted(counts.items(), key=lambda x: -x[1]))
        out(f"  {gold:16} → {others}\n")
    out(f"\n{'entity':16} {'accuracy':>8} {'n':>5}\n")
    for key, m in result["per_entity"].items():
        out(f"{key:16} {m['accuracy']:8.3f} {m['n']:5d}\n")
    out(f"\nworst errors ({len(result['worst_errors'])} of {result['error_count']})\n")
    for e in result["worst_errors"]:
        expected = json.dumps(e["expected_entities"], ensure_ascii=False)
        got = json.dumps(e["entities"], ensure_ascii=False)
        out(
            f"  line {e['line']}: {e['text']!r}\n"
            f"    expected {e['expected_intent']} {expected}\n"
            f"    got      {e['intent']} ({e['confidence']}) {got}\n"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.add_argument("--worst", type=int, default=20)
    args = parser.parse_args(argv)
    for number, path in enumerate(args.files):
        result = evaluate(load(path), worst=args.worst)
        if args.json:
            print(json.dumps({"file": str(path), **result}, ensure_ascii=False))
            continue
        if len(args.files) > 1:
            sys.stdout.write(f"{'' if number == 0 else chr(10)}=== {path} ===\n")
        _print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
