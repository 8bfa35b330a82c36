"""CPU per webhook event, measured in-process: robust on a loaded machine, where wall-clock
ratios move with whatever else runs.

Drives the benchmark's realistic intakes (bench.loadgen's scripts, one signed event per
request) through the WSGI app with Flask's test client, against the fake LINE API on loopback
(under gunicorn, as `make bench` runs it) and a fresh migrated database with every office linked. Only the CPU
time of the thread that runs the app is counted (`time.thread_time`; the profile's timer too).

    .venv/bin/python -m bench.profile_events                 # SQLite, 800 events
    .venv/bin/python -m bench.profile_events --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.profile_events --profile 30     # + the 30 costliest functions

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def run(database_url: str | None, events: int, warmup: int, users: int, profile: int) -> tuple[float, float]:
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
        with setup.transaction() as session:
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
        client = app.test_client()
        seed = uuid.uuid4().hex[:8]
        ids = [f"U{seed}{n:08d}".ljust(33, "0")[:33] for n in range(users)]
        scripts = [loadgen.script(n) for n in range(users)]

        def send(step: int) -> None:
            user = step % users
            messages = scripts[user]
            body = loadgen.event_body(ids[user], messages[(step // users) % len(messages)])
            answer = client.post(
                "/callback", data=body, headers={"X-Line-Signature": loadgen.sign(body, SECRET)},
                content_type="application/json",
            )
            if answer.status_code != 200:
                raise SystemExit(f"webhook answered {answer.status_code}")

        for step in range(warmup):
            send(step)
        profiler = cProfile.Profile(time.thread_time) if profile else None
        if profiler:
            profiler.enable()
        # In chunks: the median chunk is the figure (a busy machine slows some chunks down:
        # caches and cores shared with other work).
        chunks: list[float] = []
        size = max(1, events // CHUNKS)
        for first in range(warmup, warmup + events, size):
            started = time.thread_time()
            for step in range(first, min(first + size, warmup + events)):
                send(step)
            chunks.append((time.thread_time() - started) / (min(first + size, warmup + events) - first))
        if profiler:
            profiler.disable()
        app.extensions["rianto"].db.dispose()
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return statistics.median(chunks) * 1000, min(chunks) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: SQLite file)")
    parser.add_argument("--events", type=int, default=800)
    parser.add_argument("--warmup", type=int, default=160)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cumulative)")
    args = parser.parse_args(argv)
    median, lowest = run(args.database_url, args.events, args.warmup, args.users, args.profile)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{backend}: {median:.2f} ms CPU per event (median of {CHUNKS} chunks; lowest {lowest:.2f}) over "
          f"{args.events} events (app thread, in-process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
