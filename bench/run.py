"""The webhook benchmark: our bot under gunicorn on SQLite and on PostgreSQL, and a minimal
echo bot with the same SDK under the same gunicorn settings, all replying to the same fake
LINE server; the same load from separate processes at each.

    python -m bench.run [--duration 15] [--concurrency 16] [--backends sqlite,postgresql]

Targets (issues 2 and 4): throughput ≥ 0.7 × echo's, p99 ≤ 2 × echo's.

Besides events/s and latency it prints CPU milliseconds per event, read from /proc over the
measured window: of the server's process tree (`app`), of PostgreSQL's processes, and of the
whole machine (load generator and fake LINE server included). Events/s move by tens of percent
between runs when anything else shares this 2-core machine; CPU per event moves much less.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


from bench import cpu
from bench.loadgen import LoadResult, run
from models.db import scratch_postgres_database

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET, TOKEN = "bench-secret", "bench-token"
# The same for the bot and the echo bot.
GUNICORN = "--workers 4 --worker-class gthread --threads 4"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(url: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


@contextmanager
def serve(app: str, env: dict[str, str], settings: str):
    port = free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), *settings.split(), "--log-level", "warning", "--bind", f"127.0.0.1:{port}", app], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def base_env(fake_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL", "FLOOD_"))}
    env.update(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE_URL=fake_url, **extra)
    return env


def bot_env(fake_url: str, database_url: str) -> dict[str, str]:
    # The load generator's users each send one or two messages a second, to get through whole
    # intakes within a run; per-user flood control (6 at once, then 1 a second) would slow
    # some of them and the run would measure the cheap "please slow down" path instead.
    return base_env(fake_url, DATABASE_URL=database_url, FLOOD_BURST="50", FLOOD_RATE_PER_SECOND="20")


def what_the_bot_did(database_url: str) -> str:
    """A check that the run measured real work: how the recorded events ended, and how many
    intakes reached a submitted case (a bot answering 200 with apologies would show here)."""
    from sqlalchemy import func, select

    from models import Case, Database, InboundEvent

    db = Database(database_url)
    try:
        with db.read() as session:
            outcomes = dict(session.execute(select(InboundEvent.outcome, func.count()).group_by(InboundEvent.outcome)).all())
            cases = session.scalar(select(func.count()).select_from(Case))
    finally:
        db.dispose()
    return f"events {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}; cases submitted {cases}"


FAKE_PID = 0  # the fake LINE server's gunicorn, set by fresh_fake_line()


@contextmanager
def fresh_fake_line() -> Iterator[str]:
    """A new fake LINE server for each measured bot: the fake keeps what it was sent, and a
    process that holds more objects spends more on garbage collection, which would tax
    whichever bot ran later."""
    global FAKE_PID
    with serve("bench.fake_line_server:app", dict(os.environ), "--workers 2 --worker-class gthread --threads 8") as (url, process):
        FAKE_PID = process.pid
        wait(url + "/_fake/health")
        yield url


def _cpu_sample(pid: int) -> tuple[float, dict[int, float], float, float, float]:
    # app, PostgreSQL, machine, fake LINE server, everything this process started (the load
    # generator's processes among them)
    return cpu.tree_seconds(pid), cpu.postgres_seconds(), cpu.machine_seconds(), cpu.tree_seconds(FAKE_PID), cpu.tree_seconds(os.getpid())


def measure(name: str, app: str, env: dict[str, str], args: argparse.Namespace) -> LoadResult:
    with serve(app, env, args.gunicorn) as (url, process):
        wait(url + "/healthz")
        samples: list[tuple[float, dict[int, float], float, float, float]] = []
        # Sample CPU at the edges of the measured window (after the warm-up).
        timers = [threading.Timer(args.warmup, lambda: samples.append(_cpu_sample(process.pid))),
                  threading.Timer(args.warmup + args.duration, lambda: samples.append(_cpu_sample(process.pid)))]
        for timer in timers:
            timer.start()
        result = run(url + "", SECRET, concurrency=args.concurrency, warmup=args.warmup, duration=args.duration)
        for timer in timers:
            timer.join()
    events = result.events_per_second * args.duration
    if len(samples) == 2 and events:
        (app0, pg0, all0, fake0, own0), (app1, pg1, all1, fake1, own1) = samples
        result.app_cpu_ms = (app1 - app0) / events * 1000
        result.postgres_cpu_ms = cpu.delta(pg0, pg1) / events * 1000
        result.machine_cpu_ms = (all1 - all0) / events * 1000
        result.fake_line_cpu_ms = (fake1 - fake0) / events * 1000
        # What this process started, less the app and the fake: the load generator.
        result.loadgen_cpu_ms = ((own1 - own0) - (app1 - app0) - (fake1 - fake0)) / events * 1000
    print(
        f"  {name:18} {result.events_per_second:7.1f} ev/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  "
        f"errors {result.errors}\n  {'':18} CPU ms/event: app {result.app_cpu_ms:.2f}, postgres {result.postgres_cpu_ms:.2f}, "
        f"fake LINE {result.fake_line_cpu_ms:.2f}, load generator {result.loadgen_cpu_ms:.2f}; whole machine {result.machine_cpu_ms:.2f}",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--gunicorn", default=GUNICORN, help="gunicorn settings, the same for the echo bot and ours")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args(argv)
    results: dict[str, LoadResult] = {}
    print(f"gunicorn {args.gunicorn}; concurrency {args.concurrency}; {args.duration:g} s after {args.warmup:g} s warm-up", flush=True)
    with fresh_fake_line() as fake_url:
        results["echo"] = measure("echo bot", "bench.echo_bot:create_app()", base_env(fake_url), args)
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with fresh_fake_line() as fake_url, tempfile.TemporaryDirectory() as folder:
                env = bot_env(fake_url, f"sqlite:///{folder}/bench.sqlite3")
                subprocess.run([str(BIN / "flask"), "--app", "bot", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
                results["bot-sqlite"] = measure("bot (SQLite)", "bot:create_app()", env, args)
                print(f"  {'':18} {what_the_bot_did(env['DATABASE_URL'])}", flush=True)
        elif backend == "postgresql":
            with fresh_fake_line() as fake_url, scratch_postgres_database(args.postgres, "rianto_bench") as url:
                env = bot_env(fake_url, url)
                subprocess.run([str(BIN / "flask"), "--app", "bot", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
                results["bot-postgresql"] = measure("bot (PostgreSQL)", "bot:create_app()", env, args)
                print(f"  {'':18} {what_the_bot_did(url)}", flush=True)
    echo = results["echo"]
    print()
    ok = True
    for name, result in results.items():
        if name == "echo":
            continue
        ratio = result.events_per_second / echo.events_per_second if echo.events_per_second else 0.0
        p99_ratio = result.p99_ms / echo.p99_ms if echo.p99_ms else float("inf")
        passed = ratio >= 0.7 and p99_ratio <= 2.0 and result.errors == 0
        ok &= passed
        print(f"  {name:16} throughput {ratio:.2f}× echo, p99 {p99_ratio:.2f}× echo  {'PASS' if passed else 'FAIL'}")
        # On a CPU-bound machine throughput goes as 1 / (CPU of everything per event). This
        # ratio leaves out whatever else the machine was doing during the runs.
        ours, theirs = result.cpu_per_event_ms, echo.cpu_per_event_ms
        if ours and theirs:
            print(f"  {'':16} CPU per event {ours:.2f} ms vs echo {theirs:.2f} ms: {theirs / ours:.2f}× echo's events per CPU-second")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps({k: vars(v) for k, v in results.items()}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
