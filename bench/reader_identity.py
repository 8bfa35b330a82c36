"""Two readers give the same readings: every line of every training and development file is read by the
reader of a base tree (e.g. a worktree of main) and by this tree's, and any difference is reported.

    python -m bench.reader_identity --base /tmp/wt-base            # exit status 1 on any difference
    python -m bench.reader_identity --base /tmp/wt-base --min-chars 120

Each tree is read in its own process (its own `nlp` package and kept models in `nlp/data/*.npz`: train
both first with `python -m nlp.train`, or a stale model makes them differ). Compared: intent,
confidence (to `TOLERANCE`), entities, the entities set aside, and the text. Each process also reads
every line a second time, in reverse order with its kept readings dropped, and must give the same
readings again: a cache that kept something from one message into another would show there.

The lines are those of `bench.reader_profile.reader_lines`: never the blind held-out or chatter files.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.reader_profile import TODAY, reader_lines

HERE = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-9

# Run in the tree's own process: reads the texts (a JSON list) and writes one reading per text.
_CHILD = r"""
import json, sys
from datetime import date
from pathlib import Path
import nlp
from nlp import reader

tree, texts_file, out_file, today = sys.argv[1:5]
if Path(nlp.__file__).resolve().parent.parent != Path(tree).resolve():
    raise SystemExit(f"nlp imported from {nlp.__file__}, not from {tree}")
texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
day = date.fromisoformat(today)
nlp.warm_up()

def reading(text):
    u = nlp.understand(text, today=day)
    return {"intent": u.intent, "confidence": u.confidence, "entities": u.entities, "aside": u.aside,
            "text": u.text}

first = [reading(text) for text in texts]
again = [None] * len(texts)
for i in reversed(range(len(texts))):
    reader.forget_readings()
    again[i] = reading(texts[i])
unstable = [i for i, (a, b) in enumerate(zip(first, again)) if a != b]
Path(out_file).write_text(json.dumps({"readings": first, "unstable": unstable}, ensure_ascii=False),
                          encoding="utf-8")
"""


def read_all(tree: Path, texts_file: Path, python: str) -> dict[str, Any]:
    """The readings of every text by the `nlp` of `tree`, in a process of its own."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    try:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run(
            [python, "-c", _CHILD, str(tree), str(texts_file), str(out_path), TODAY.isoformat()],
            cwd=tree, env=env, check=True,
        )
        result: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
        return result
    finally:
        out_path.unlink(missing_ok=True)


def differences(base: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    """What differs between two readings (empty when they are the same)."""
    found = []
    if base["intent"] != mine["intent"]:
        found.append(f"intent {base['intent']} -> {mine['intent']}")
    if abs(base["confidence"] - mine["confidence"]) > TOLERANCE:
        found.append(f"confidence {base['confidence']!r} -> {mine['confidence']!r}")
    for key in ("entities", "aside", "text"):
        if base[key] != mine[key]:
            was, now = (json.dumps(reading[key], ensure_ascii=False) for reading in (base, mine))
            found.append(f"{key} {was} -> {now}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="the tree whose reader is the reference")
    parser.add_argument("--mine", type=Path, default=HERE, help="the tree to check (default: this one)")
    parser.add_argument("--min-chars", type=int, default=0, help="only lines at least this long")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--show", type=int, default=20, help="differences to print")
    args = parser.parse_args(argv)
    lines = reader_lines(args.min_chars, args.mine / "nlp" / "data")
    files = sorted({name for name, _ in lines})
    print(f"{len(lines)} lines from {len(files)} files: {', '.join(files)}")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump([text for _, text in lines], handle, ensure_ascii=False)
        texts_file = Path(handle.name)
    try:
        base = read_all(args.base, texts_file, args.python)
        mine = read_all(args.mine, texts_file, args.python)
    finally:
        texts_file.unlink(missing_ok=True)
    failed = 0
    for tree, result in ((args.base, base), (args.mine, mine)):
        if result["unstable"]:
            failed += len(result["unstable"])
            print(f"{tree}: {len(result['unstable'])} readings changed when read again (first: line "
                  f"{result['unstable'][0]}: {lines[result['unstable'][0]][1]!r})")
    differing = 0
    exact_confidence = 0
    for (name, text), a, b in zip(lines, base["readings"], mine["readings"], strict=True):
        exact_confidence += a["confidence"] == b["confidence"]
        found = differences(a, b)
        if found:
            differing += 1
            if differing <= args.show:
                print(f"{name}: {text!r}\n    " + "\n    ".join(found))
    print(f"differences: {differing} of {len(lines)} readings; confidences bit-identical: {exact_confidence}; "
          f"unstable on a second reading: {failed}")
    return 1 if differing or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
