"""Where `nlp.understand` spends its time: the standard library's profiler over the reader, and its
latency on long messages.

    python -m bench.reader_profile                  # profile lines over 120 characters
    python -m bench.reader_profile --min-chars 0    # every line
    python -m bench.reader_profile --latency        # latency only (median, p99; best of --repeat runs)

Lines come from the training and development files only (`reader_lines`): never the blind
held-out or chatter files. Call counts and cumulative times are what to read on a loaded machine;
wall-clock latency there moves with the other work, so take the best of several runs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"
TODAY = date(2026, 11, 22)
# Training and development files. The blind sets (heldout*.jsonl, chatter*.jsonl) are never read.
TRAIN_GLOBS = ("train*.tsv", "train_entities_*.jsonl", "train_reasons.jsonl")
DEV_GLOBS = ("dev*.jsonl", "entity_dev.jsonl", "test.jsonl", "check11.jsonl", "check12.jsonl")
BLIND_PREFIXES = ("heldout", "chatter")


def reader_files(data: Path = DATA) -> list[Path]:
    """Every training and development file under `data`, sorted; never a blind one."""
    found: dict[Path, None] = {}
    for pattern in (*TRAIN_GLOBS, *DEV_GLOBS):
        for path in sorted(data.glob(pattern)):
            if not path.name.startswith(BLIND_PREFIXES):
                found[path] = None
    return list(found)


def file_texts(path: Path) -> Iterator[str]:
    """The message texts of one file (a TSV's text column, a JSONL's "text")."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if path.suffix == ".tsv":
            _, sep, text = line.partition("\t")
            if sep:
                yield text
        else:
            text = json.loads(line).get("text")
            if isinstance(text, str):
                yield text


def reader_lines(min_chars: int = 0, data: Path = DATA) -> list[tuple[str, str]]:
    """(file name, text) of every line of every training and development file at least `min_chars` long."""
    return [(path.name, text) for path in reader_files(data) for text in file_texts(path) if len(text) >= min_chars]


def _reader():  # type: ignore[no-untyped-def]
    import nlp
    from nlp import reader

    started = time.perf_counter()
    nlp.warm_up()
    print(f"first load {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return nlp.understand, reader.forget_readings


def latency(texts: list[str], repeat: int) -> list[tuple[float, float, float, float]]:
    """(median ms, p99 ms, wall-clock s, CPU s) of each of `repeat` passes over `texts`, kept readings dropped
    before each. The CPU seconds (this process's) move far less with the machine's load than the wall clock."""
    understand, forget = _reader()
    for text in texts:  # one pass to warm every lazily built table
        understand(text, today=TODAY)
    runs = []
    for _ in range(repeat):
        times = []
        cpu = time.process_time()
        for text in texts:
            forget()
            t0 = time.perf_counter()
            understand(text, today=TODAY)
            times.append((time.perf_counter() - t0) * 1000)
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        runs.append((statistics.median(ordered), p99, sum(times) / 1000, time.process_time() - cpu))
    return runs


def profile(texts: list[str], top: int, sort: str) -> None:
    understand, forget = _reader()
    for text in texts:
        understand(text, today=TODAY)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        forget()
        understand(text, today=TODAY)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats(sort).print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-chars", type=int, default=120, help="only lines at least this long (default 120)")
    parser.add_argument("--latency", action="store_true", help="measure latency instead of profiling")
    parser.add_argument("--repeat", type=int, default=3, help="latency passes (the best is reported)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime", help="pstats sort key: tottime, cumulative, ncalls")
    args = parser.parse_args(argv)
    texts = [text for _, text in reader_lines(args.min_chars)]
    print(f"{len(texts)} lines of at least {args.min_chars} characters", file=sys.stderr)
    if args.latency:
        runs = latency(texts, args.repeat)
        for median, p99, wall, cpu in runs:
            print(f"run: median {median:.3f} ms, p99 {p99:.3f} ms, wall {wall:.2f} s, CPU {cpu:.2f} s "
                  f"({cpu / len(texts) * 1000:.3f} ms CPU a line)")
        print(f"best of {len(runs)}: median {min(r[0] for r in runs):.3f} ms, p99 {min(r[1] for r in runs):.3f} ms, "
              f"CPU {min(r[3] for r in runs) / len(texts) * 1000:.3f} ms a line")
        return 0
    profile(texts, args.top, args.sort)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
