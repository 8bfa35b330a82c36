"""CPU per webhook event, measured in-process: robust on a loaded machine, where wall-clock
ratios move with whatever else runs.

Drives the benchmark's realistic intakes (bench.loadgen's scripts, one signed event per
request) through the WSGI app with Flask's test client, against the fake LINE API on loopback
(under gunicorn, as `make bench` runs it) and a fresh migrated database with every office linked. Only the CPU
time of the thread that runs the app is counted (`time.thread_time`; the profile's timer too).

    .venv/bin/python -m bench.profile_events                 # SQLite, 800 events
    .venv/bin/python -m bench.profile_events --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.profile_events --profile 30     # + the 30 costliest functions
    .venv/bin/python -m bench.profile_events --phases         # + CPU per phase, SQL statements per event
    .venv/bin/python -m bench.profile_events --echo           # the echo bot (bench.echo_bot), the same way

With a PostgreSQL URL, a scratch database of its own is created on that server and dropped.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from bench import loadgen

SECRET = "bench-secret"
TOKEN = "bench-token"
CHUNKS = 8


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'profile.sqlite3'}"
        return
    from tests.support.databases import scratch_postgres_database

    with scratch_postgres_database(url, "profile") as scratch:
        yield scratch


# The phases of one event (`--phases`): (module, function, label). Each is timed with
# `time.thread_time` around the call, so a phase includes the phases it calls.
PHASES = (
    ("bot.webhook", "handle_webhook", "webhook request, whole"),
    ("bot.webhook", "parse_events", "  parse and clean the body"),
    ("handlers.conversation", "read", "  NLU reading (before the transaction)"),
    ("handlers.events", "_in_transaction", "  the event's transaction, commit included"),
    ("handlers.events", "record_event", "    record the event (backlog checked)"),
    ("handlers.conversation", "lock_conversation", "    lock the conversation"),
    ("handlers.conversation", "step", "    the dialogue's step"),
    ("handlers.effects", "execute", "    effects (a case submitted, …)"),
    ("handlers.conversation", "save_conversation", "    save the conversation"),
    ("handlers.events", "_send_reply", "  the reply to LINE (after the commit)"),
)


@contextmanager
def _phases(counts: dict[str, float], statements: dict[str, int]) -> Iterator[None]:
    """Time the `PHASES` and count SQL statements while the block runs (monkeypatched wrappers:
    a measuring tool, not a test)."""
    import functools
    import importlib

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def wrapped(fn: Any, label: str) -> Any:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                counts[label] = counts.get(label, 0.0) + time.thread_time() - started

        return timed

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        statements[verb] = statements.get(verb, 0) + 1

    originals = []
    for module_name, name, label in PHASES:
        module = importlib.import_module(module_name)
        originals.append((module, name, getattr(module, name)))
        setattr(module, name, wrapped(getattr(module, name), label))
    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", count)
        for module, name, original in originals:
            setattr(module, name, original)


def _sender(client: Any, users: int, name: str) -> Callable[[int], None]:
    """`send(step)`: the step-th signed event of the realistic intakes (bench.loadgen's scripts,
    `users` users in turn) posted to `client`'s `/callback`; anything but 200 stops the run."""
    seed = uuid.uuid4().hex[:8]
    ids = [f"U{seed}{n:08d}".ljust(33, "0")[:33] for n in range(users)]
    scripts = [loadgen.script(n) for n in range(users)]

    def send(step: int) -> None:
        user = step % users
        messages = scripts[user]
        body = loadgen.event_body(ids[user], messages[(step // users) % len(messages)])
        answer = client.post(
            "/callback",
            data=body,
            headers={"X-Line-Signature": loadgen.sign(body, SECRET)},
            content_type="application/json",
        )
        if answer.status_code != 200:
            raise SystemExit(f"{name} answered {answer.status_code}")

    return send


def _chunked(send: Callable[[int], None], first_step: int, events: int) -> list[float]:
    """CPU seconds of this thread per event, for `events` steps from `first_step`, in `CHUNKS`
    chunks: the median chunk is the figure (a busy machine slows some chunks down: caches and
    cores shared with other work)."""
    chunks: list[float] = []
    size = max(1, events // CHUNKS)
    end = first_step + events
    for first in range(first_step, end, size):
        started = time.thread_time()
        for step in range(first, min(first + size, end)):
            send(step)
        chunks.append((time.thread_time() - started) / (min(first + size, end) - first))
    return chunks


def run(
    database_url: str | None, events: int, warmup: int, users: int, profile: int, phases: bool = False
) -> tuple[float, float]:
    """CPU milliseconds of the app per event (after `warmup` events): the median and the
    lowest over `CHUNKS` chunks of the events."""
    import nlp
    from bench.run import fresh_fake_line, link_every_office
    from bot import create_app
    from models import Database, migrate
    from models.directory import seed_offices

    nlp.warm_up()
    with _database(database_url) as url, fresh_fake_line() as (fake_url, _):
        setup = Database(url)
        migrate(setup)
        with setup.transaction() as tx:
            session = tx.session
            seed_offices(session)
        setup.dispose()
        link_every_office(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "LINE_CHANNEL_SECRET": SECRET,
                "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                "LINE_API_BASE_URL": fake_url,
                "SECRET_KEY": "bench-" + "0" * 32,
                "FLOOD_BURST": 50,
                "FLOOD_RATE_PER_SECOND": 20,
            }
        )
        send = _sender(app.test_client(), users, "webhook")
        for step in range(warmup):
            send(step)
        spent: dict[str, float] = {}
        statements: dict[str, int] = {}
        measuring = _phases(spent, statements) if phases else nullcontext()
        measuring.__enter__()
        profiler = cProfile.Profile(time.thread_time) if profile else None
        if profiler:
            profiler.enable()
        chunks = _chunked(send, warmup, events)
        if profiler:
            profiler.disable()
        measuring.__exit__(None, None, None)
        app.extensions["rianto"].db.dispose()
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
        if phases:
            print("CPU ms per event, by phase (a phase includes those under it):")
            for _, _, label in PHASES:
                print(f"  {spent.get(label, 0.0) / events * 1000:7.3f}  {label}")
            total = sum(statements.values())
            ordered = sorted(statements.items(), key=lambda kv: -kv[1])
            detail = ", ".join(f"{verb} {n / events:.2f}" for verb, n in ordered)
            print(f"SQL statements per event: {total / events:.2f} ({detail})")
    return statistics.median(chunks) * 1000, min(chunks) * 1000


def run_echo(events: int, warmup: int, users: int) -> tuple[float, float]:
    """The same measure for the benchmark's echo bot (`bench.echo_bot`): its CPU per event."""
    import os

    from bench.run import fresh_fake_line

    with fresh_fake_line() as (fake_url, _):
        names = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL")
        saved = {k: os.environ.get(k) for k in names}
        os.environ.update(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE_URL=fake_url)
        try:
            from bench.echo_bot import create_app

            client = create_app().test_client()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        send = _sender(client, users, "echo bot")
        for step in range(warmup):
            send(step)
        chunks = _chunked(send, warmup, events)
    return statistics.median(chunks) * 1000, min(chunks) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: SQLite file)")
    parser.add_argument("--events", type=int, default=800)
    parser.add_argument("--warmup", type=int, default=160)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cumulative)")
    parser.add_argument("--phases", action="store_true", help="print CPU per phase and SQL statements per event")
    parser.add_argument("--echo", action="store_true", help="measure the benchmark's echo bot instead")
    args = parser.parse_args(argv)
    if args.echo:
        median, lowest = run_echo(args.events, args.warmup, args.users)
        print(
            f"echo bot: {median:.2f} ms CPU per event (median of {CHUNKS} chunks; lowest {lowest:.2f}) over "
            f"{args.events} events (app thread, in-process)"
        )
        return 0
    median, lowest = run(args.database_url, args.events, args.warmup, args.users, args.profile, args.phases)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{backend}: {median:.2f} ms CPU per event (median of {CHUNKS} chunks; lowest {lowest:.2f}) over "
        f"{args.events} events (app thread, in-process)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
