"""CPU time, read from Linux's /proc: of a process and its descendants, and of the whole
machine. On a CPU-bound machine, CPU milliseconds per event decide throughput, and they move
far less between runs than events per second do when other work shares the machine."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def tree_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and every live descendant."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        todo.extend(_children(current))
    return total


def postgres_seconds() -> dict[int, float]:
    """CPU seconds of each PostgreSQL server process, by pid (its backends do a share of the
    work). Compare two readings with `delta`: backends come and go."""
    found: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        if name.startswith("postgres"):
            fields = rest.split()
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return found


def delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two `postgres_seconds` readings by the processes alive at
    the second (a process new since the first counts from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def machine_seconds() -> float:
    """Busy CPU seconds of the whole machine, all cores (everything but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / TICKS
