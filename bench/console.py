"""The staff console at scale: `make bench-console` (python -m bench.console).

1. Creates a scratch PostgreSQL database on the server of `--database` (default
   `TEST_DATABASE_URL`, else postgresql://postgres@127.0.0.1:5432/test; only the server is used:
   nothing is written to that database), migrates it and seeds the office directory.
2. Bulk-loads `--cases` cases (default 1,000,000) over every district of every province, with
   realistic statuses, dates (two years, more recent ones more often), ages, levels, reasons,
   and one status event per step each case went through: INSERT … SELECT generate_series, in
   one transaction, then VACUUM ANALYZE.
3. Starts the real app under gunicorn on that database, signs in (district office, provincial
   office, admin) through one-time links as a browser would (GET, then POST with the CSRF
   token), and measures from a separate load process: the case list (first pages, filters,
   search), case pages, and province figures. Prints p50/p95/p99 per page against the targets.
4. Prints EXPLAIN (ANALYZE, BUFFERS) of the statements behind the slowest pages.
5. Drops the scratch database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGETS_MS = {"list": 150.0, "filtered": 150.0, "case": 150.0, "figures": 500.0}
NAMES = {"list": "case list", "filtered": "case list, filtered", "case": "case page", "figures": "province figures"}
REASONS = [
    "financial",
    "work",
    "family",
    "pregnancy",
    "health",
    "disability",
    "migration",
    "learning",
    "bullying",
    "legal",
    "documents",
    "other",
]


# -- the scratch database ----------------------------------------------------------------------


def scratch_database(base_url: str) -> AbstractContextManager[str]:
    """A scratch PostgreSQL database on the server of `base_url`, dropped afterwards (the test
    suite's helper: the benchmark is a tool of the repository, not of the app)."""
    from tests.support.databases import scratch_postgres_database

    return scratch_postgres_database(base_url, "rianto_bench_console")


SEED_CASES = """
WITH d AS (SELECT code, province_code, row_number() OVER (ORDER BY code) AS idx FROM offices WHERE kind = 'district'),
n AS (SELECT count(*) AS total FROM d),
raw AS (
  SELECT g AS id,
         1 + floor(random() * (SELECT total FROM n))::int AS didx,
         :now - (power(random(), 1.6) * interval '730 days') AS created_at,
         12 + floor(power(random(), 1.3) * 13)::int AS age,
         random() AS r_status, random() AS r_hours, random() AS r_grade, random() AS r_reason, random() AS r_misc
  FROM generate_series(1, :cases) AS g
),
shaped AS (
  SELECT raw.*, d.code AS district_code, d.province_code,
         CASE
           WHEN raw.created_at > :now - interval '2 days' THEN (CASE WHEN r_status < 0.7 THEN 'new' ELSE 'accepted' END)
           WHEN r_status < 0.03 THEN 'new'
           WHEN r_status < 0.13 THEN 'accepted'
           WHEN r_status < 0.33 THEN 'contacted'
           WHEN r_status < 0.73 THEN 'enrolled'
           ELSE 'closed'
         END AS status,
         (1 + power(r_hours, 3) * 120) * interval '1 hour' AS to_accept
  FROM raw JOIN d ON d.idx = raw.didx
)
INSERT INTO cases (id, ref, status, close_reason, line_user_id, name, phone, role, age, grade, grade_status, next_level,
                   province_code, district_code, reason, path, compulsory_age, office_code, routing_reason,
                   delivery_status, delivered_to, created_at, delivered_at, accepted_at, accepted_by, contacted_at,
                   enrolled_at, closed_at)
SELECT id,
       'RT-' || (extract(year FROM created_at AT TIME ZONE 'Asia/Bangkok')::int + 543) || '-'
         || CASE WHEN id < 1000000 THEN lpad(id::text, 6, '0') ELSE id::text END,
       status,
       CASE WHEN status = 'closed'
         THEN (ARRAY['declined','unreachable','duplicate','withdrawn','enrolled_elsewhere'])[1 + floor(r_misc*5)::int]
       END,
       'Ubench' || lpad(id::text, 27, '0'),
       'ผู้สมัคร' || id,
       CASE WHEN r_misc < 0.7 THEN '08' || lpad((id % 100000000)::text, 8, '0') END,
       (ARRAY['self','self','parent','other'])[1 + floor(r_misc * 4)::int],
       age,
       CASE WHEN age < 13 THEN 'p6' WHEN age < 16 THEN (ARRAY['m1','m2','m3'])[1 + floor(r_grade * 3)::int]
            ELSE (ARRAY['m2','m3','m4','m5','m6','pvc1'])[1 + floor(r_grade * 6)::int] END,
       CASE WHEN r_grade < 0.6 THEN 'left_during' ELSE 'completed' END,
       CASE WHEN age < 13 THEN 'lower_secondary' WHEN age < 16 THEN 'lower_secondary' ELSE 'upper_secondary' END,
       province_code, district_code,
       CASE WHEN r_reason < 0.15 THEN NULL
            ELSE (ARRAY['financial','work','family','pregnancy','health','disability','migration','learning',
                        'bullying','legal','documents','other'])[1 + floor(r_reason * 12)::int]
       END,
       (ARRAY['general','general','vocational','unsure'])[1 + floor(r_hours * 4)::int],
       age < 15,
       district_code, 'rule 1: district known', 'delivered', district_code,
       created_at, created_at + interval '3 seconds',
       CASE WHEN status <> 'new' THEN created_at + to_accept END,
       CASE WHEN status <> 'new' THEN 'ครูเบนช์' END,
       CASE WHEN status IN ('contacted', 'enrolled') THEN created_at + to_accept * 2 END,
       CASE WHEN status = 'enrolled' THEN created_at + to_accept * 3 END,
       CASE WHEN status = 'closed' THEN created_at + to_accept * 2 END
FROM shaped
"""

_EVENT = (
    "INSERT INTO case_events (case_id, actor, at, from_status, to_status, note)"
    " SELECT id, {actor}, {at}, {frm}, {to}, {note} FROM cases"
)
_STAFF = "'ครูเบนช์'"
SEED_EVENTS = [
    _EVENT.format(actor="'applicant'", at="created_at", frm="NULL", to="'new'", note="NULL"),
    _EVENT.format(actor=_STAFF, at="accepted_at", frm="'new'", to="'accepted'", note="NULL")
    + " WHERE accepted_at IS NOT NULL",
    _EVENT.format(actor=_STAFF, at="contacted_at", frm="'accepted'", to="'contacted'", note="NULL")
    + " WHERE contacted_at IS NOT NULL",
    _EVENT.format(actor=_STAFF, at="enrolled_at", frm="'contacted'", to="'enrolled'", note="NULL")
    + " WHERE enrolled_at IS NOT NULL",
    _EVENT.format(actor=_STAFF, at="closed_at", frm="'accepted'", to="'closed'", note="close_reason")
    + " WHERE status = 'closed'",
]


def seed(url: str, cases: int, now: datetime) -> float:
    """Migrates the (empty) database at `url`, seeds the office directory and bulk-loads
    `cases` cases; returns the seconds the bulk load took."""
    from models import Database, migrate
    from models.directory import seed_offices

    db = Database(url)
    migrate(db)
    with db.transaction() as tx:
        session = tx.session
        seed_offices(session)
    db.dispose()
    return bulk_load(url, cases, now)


def bulk_load(url: str, cases: int, now: datetime) -> float:
    """`cases` cases and their status events added to the migrated PostgreSQL database at
    `url`, whose office directory is seeded (also `make bench --seed-cases`: the webhook's
    benchmark on a database that already holds them); then VACUUM ANALYZE. Returns seconds."""
    from models import Database

    db = Database(url)
    started = time.monotonic()
    with db.engine.begin() as conn:
        conn.execute(text(SEED_CASES), {"cases": cases, "now": now})
        for statement in SEED_EVENTS:
            conn.execute(text(statement))
        conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    took = time.monotonic() - started
    db.dispose()
    return took


# -- the app under gunicorn --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(url: str, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LINE_", "DATABASE_URL", "LOCAL_MODE", "SECRET_KEY", "PUBLIC_URL"))
    }
    env.update(
        DATABASE_URL=url,
        LINE_CHANNEL_SECRET="bench-console-secret",
        LINE_CHANNEL_ACCESS_TOKEN="bench-console-token",
        LINE_API_BASE_URL=f"http://127.0.0.1:{free_port()}",  # nothing listens: the console calls no LINE API
        SECRET_KEY=uuid.uuid4().hex,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
    )
    return env


def login_link(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [str(BIN / "flask"), "--app", "bot", "console", "login-link", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout.strip().splitlines()[-1]


class Browser:
    """One signed-in console user over a kept-alive HTTP connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict[str, str]]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        found = dict(response.getheaders())
        cookie = found.get("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data, found

    def sign_in(self, url: str) -> None:
        path = urlsplit(url).path
        status, page, _ = self.request("GET", path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert status == 200 and token, f"sign-in page {status}"
        status, _, _ = self.request("POST", path, f"csrf_token={token.group(1)}")
        assert status == 302, f"sign-in {status}"


# -- the load process ----------------------------------------------------------------------------


def _plan(kind: str, scope: str, rng: random.Random, ctx: dict[str, Any]) -> str:
    if kind == "list":
        return rng.choice(["/console/", "/console/", "/console/?page=2", "/console/?page=3"])
    if kind == "filtered":
        return rng.choice(
            [
                "/console/?status=new",
                "/console/?overdue=1",
                "/console/?compulsory=1",
                "/console/?reason=work",
                f"/console/?from={ctx['from']}&to={ctx['to']}",
                "/console/?status=enrolled&page=2",
                f"/console/?q=RT-{ctx['year']}-{rng.choice(ctx['ids'][scope]):06d}",
                "/console/?q=" + quote("ผู้สมัคร12345"),
            ]
        )
    if kind == "case":
        return f"/console/cases/{rng.choice(ctx['ids'][scope])}"
    if scope == "admin":
        return f"/console/figures?province={rng.choice(ctx['provinces'])}"
    return "/console/figures"


def _variant(path: str) -> str:
    """A page's kind of filter, for the breakdown: `?q=RT-…`, `?q=<nickname>`, `?reason=…`."""
    query = path.partition("?")[2]
    if not query:
        return "(none)"
    keys = []
    for part in query.split("&"):
        key, _, value = part.partition("=")
        keys.append("q=ref" if key == "q" and value.startswith("RT-") else ("q=nickname" if key == "q" else key))
    return "&".join(sorted(keys))


def load_worker(
    port: int, cookies: dict[str, str], ctx: dict[str, Any], seconds: float, seed_value: int, out: Any
) -> None:
    rng = random.Random(seed_value)
    browsers: dict[str, Browser] = {}
    for scope, cookie in cookies.items():
        browser = Browser(port)
        browser.cookie = cookie
        browsers[scope] = browser
    results: list[tuple[str, str, float, int]] = []
    end = time.monotonic() + seconds
    kinds = ["list", "list", "filtered", "case", "case", "figures"]
    try:
        while time.monotonic() < end:
            kind = rng.choice(kinds)
            scope = (
                rng.choice(["office", "province", "admin"]) if kind != "figures" else rng.choice(["province", "admin"])
            )
            path = _plan(kind, scope, rng, ctx)
            started = time.perf_counter()
            try:
                status, _, _ = browsers[scope].request("GET", path)
            except (OSError, http.client.HTTPException):
                status = 599
            results.append((kind, scope, (time.perf_counter() - started) * 1000, status, _variant(path)))
    finally:
        out.put(results)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


# -- EXPLAIN of the statements behind a page ------------------------------------------------------


def explain(url: str, now: datetime, sla_hours: float, office: str, province: str) -> list[tuple[str, float, str]]:
    """The console's own queries for a page, captured as they run, each EXPLAIN ANALYZEd."""
    from bot.console import queries
    from bot.console.scope import Scope
    from models import Database

    db = Database(url)
    captured: list[tuple[str, Any]] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "EXPLAIN" not in statement:
            captured.append((statement, parameters))

    pages = {
        "list (province)": lambda s: queries.case_list(
            s, Scope("province", province), queries.ListFilters(), now=now, sla_hours=sla_hours
        ),
        "list (admin)": lambda s: queries.case_list(
            s, Scope("admin"), queries.ListFilters(), now=now, sla_hours=sla_hours
        ),
        "list (admin, nickname search)": lambda s: queries.case_list(
            s, Scope("admin"), queries.ListFilters(q="ผู้สมัคร12345"), now=now, sla_hours=sla_hours
        ),
        "list (province, reason)": lambda s: queries.case_list(
            s, Scope("province", province), queries.ListFilters(reason="work"), now=now, sla_hours=sla_hours
        ),
        "list (province, nickname search)": lambda s: queries.case_list(
            s, Scope("province", province), queries.ListFilters(q="ผู้สมัคร12345"), now=now, sla_hours=sla_hours
        ),
        "list (admin, reason)": lambda s: queries.case_list(
            s, Scope("admin"), queries.ListFilters(reason="work"), now=now, sla_hours=sla_hours
        ),
        "list (office)": lambda s: queries.case_list(
            s, Scope("office", office), queries.ListFilters(), now=now, sla_hours=sla_hours
        ),
        "figures (province)": lambda s: queries.figures(
            s,
            Scope("admin"),
            province=province,
            district=None,
            start=(now - timedelta(days=364)).date(),
            end=now.date(),
            now=now,
            sla_hours=sla_hours,
        ),
        "figures (whole country)": lambda s: queries.figures(
            s,
            Scope("admin"),
            province=None,
            district=None,
            start=(now - timedelta(days=364)).date(),
            end=now.date(),
            now=now,
            sla_hours=sla_hours,
        ),
    }
    report: list[tuple[str, float, str]] = []
    for name, run in pages.items():
        captured.clear()
        with db.transaction(write=False) as tx:
            session = tx.session
            run(session)
        statements = list(captured)
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            for statement, parameters in statements:
                with raw.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                took = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))  # type: ignore[union-attr]
                report.append((name, took, plan))
    db.dispose()
    return report


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--database", default=os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--seconds", type=float, default=40.0, help="load duration")
    parser.add_argument("--clients", type=int, default=4, help="concurrent console users in the load process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--plans", type=int, default=4, help="EXPLAIN ANALYZE plans to print (slowest statements)")
    args = parser.parse_args(argv)

    now = datetime.now(UTC)
    print(
        f"bench-console: {args.cases:,} cases, load {args.seconds:g} s from {args.clients} clients,"
        f" gunicorn {args.workers}x{args.threads}"
        f" (machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; shared and busy)",
        flush=True,
    )
    with scratch_database(args.database) as url:
        took = seed(url, args.cases, now)
        print(
            f"seeded {args.cases:,} cases and their events in {took:.0f} s"
            " (INSERT … SELECT generate_series, VACUUM ANALYZE)",
            flush=True,
        )
        port = free_port()
        env = app_env(url, port)
        engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
        with engine.connect() as conn:
            office = conn.execute(
                text("SELECT office_code FROM cases GROUP BY office_code ORDER BY count(*) DESC LIMIT 1")
            ).scalar_one()
            province = conn.execute(
                text("SELECT province_code FROM cases GROUP BY province_code ORDER BY count(*) DESC LIMIT 1")
            ).scalar_one()
            ids = {
                "office": [
                    r[0]
                    for r in conn.execute(
                        text("SELECT id FROM cases WHERE office_code = :o ORDER BY random() LIMIT 500"), {"o": office}
                    )
                ],
                "province": [
                    r[0]
                    for r in conn.execute(
                        text("SELECT id FROM cases WHERE province_code = :p ORDER BY random() LIMIT 500"),
                        {"p": province},
                    )
                ],
                "admin": [r[0] for r in conn.execute(text("SELECT id FROM cases TABLESAMPLE SYSTEM (1) LIMIT 500"))],
            }
            provinces = [r[0] for r in conn.execute(text("SELECT DISTINCT province_code FROM cases"))]
            year = conn.execute(text("SELECT extract(year FROM now())::int + 543")).scalar_one()
        engine.dispose()
        today = now.date()
        ctx = {
            "ids": ids,
            "provinces": provinces,
            "year": year,
            "from": (today - timedelta(days=30)).isoformat(),
            "to": today.isoformat(),
        }
        print(f"largest office {office}, largest province {province}", flush=True)
        from tests.support.servers import gunicorn

        with gunicorn(env, workers=args.workers, threads=args.threads, port=port):
            cookies = {}
            for scope, flags in {
                "office": ["--office", office],
                "province": ["--province", province],
                "admin": ["--admin"],
            }.items():
                browser = Browser(port)
                browser.sign_in(login_link(env, *flags))
                cookies[scope] = browser.cookie
            warm = Browser(port)
            warm.cookie = cookies["province"]
            for path in ("/console/", "/console/figures", f"/console/cases/{ids['province'][0]}"):
                warm.request("GET", path)
            queue: Any = multiprocessing.get_context("spawn").Queue()
            procs = [
                multiprocessing.get_context("spawn").Process(
                    target=load_worker, args=(port, cookies, ctx, args.seconds, i, queue)
                )
                for i in range(args.clients)
            ]
            for p in procs:
                p.start()
            results = [r for _ in procs for r in queue.get(timeout=args.seconds + 120)]
            for p in procs:
                p.join()
            admin = Browser(port)
            admin.cookie = cookies["admin"]
            country = []
            for _ in range(3):
                started = time.perf_counter()
                admin.request("GET", "/console/figures")
                country.append((time.perf_counter() - started) * 1000)
        by_kind: dict[str, list[float]] = defaultdict(list)
        by_scope: dict[tuple[str, str], list[float]] = defaultdict(list)
        bad = [r for r in results if r[3] != 200]
        by_variant: dict[tuple[str, str], list[float]] = defaultdict(list)
        for kind, scope, ms, status, variant in results:
            if status == 200:
                by_kind[kind].append(ms)
                by_scope[(kind, scope)].append(ms)
                if kind == "filtered":
                    by_variant[(variant, scope)].append(ms)
        print(f"\n{len(results)} requests, {len(bad)} not 200", flush=True)
        print(f"{'page':<22}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'target p95':>12}")
        summary = {}
        for kind in ("list", "filtered", "case", "figures"):
            values = by_kind.get(kind, [])
            if not values:
                continue
            p95 = pct(values, 0.95)
            summary[kind] = p95
            verdict = "ok" if p95 <= TARGETS_MS[kind] else "MISSED"
            print(
                f"{NAMES[kind]:<22}{len(values):>6}{statistics.median(values):>9.1f}{p95:>9.1f}"
                f"{pct(values, 0.99):>9.1f}{TARGETS_MS[kind]:>9.0f} {verdict}"
            )
            for (k, scope), vals in sorted(by_scope.items()):
                if k == kind:
                    print(
                        f"  {scope:<20}{len(vals):>6}{statistics.median(vals):>9.1f}"
                        f"{pct(vals, 0.95):>9.1f}{pct(vals, 0.99):>9.1f}"
                    )
        print("\nfiltered lists by filter (p50 / p95 ms):")
        for (variant, scope), vals in sorted(by_variant.items()):
            print(f"  {variant:<22}{scope:<10}{len(vals):>5}{statistics.median(vals):>9.1f}{pct(vals, 0.95):>9.1f}")
        print(f"whole-country figures (admin, one at a time, no target): {', '.join(f'{v:.0f}' for v in country)} ms")
        report = explain(url, now, 48.0, office, province)
        print("\nSlowest statements behind the pages (EXPLAIN ANALYZE, BUFFERS):")
        for name, ms, plan in sorted(report, key=lambda r: -r[1])[: args.plans]:
            print(f"\n--- {name}: {ms:.1f} ms\n{plan}")
        print("\n" + json.dumps({"cases": args.cases, "p95_ms": summary, "targets_ms": TARGETS_MS}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
