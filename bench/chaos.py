"""The chaos suite (issue 12): the real web process (gunicorn with the shipped gunicorn.conf.py)
and the real worker, on a PostgreSQL cluster of its own, with the fake LINE platform, attacked
on loopback only, with bounded counts and times. Prints one table:

    fault → referrals expected / delivered / duplicated, messages lost, 5xx answers, seconds to recover

Run: `make chaos` (about 5 minutes; longer on a busy machine). Needs PostgreSQL's server
binaries (/usr/lib/postgresql/*/bin) and the `postgres` OS user (it runs `initdb` as that user
into a temporary folder and starts the cluster on a free port; it never touches another
cluster). Exit status 0 when every target holds: 0 lost, 0 duplicated, 0 leaked, 0 5xx, every
referral delivered within 60 s of its fault ending (the quota: within QUOTA_RETRY_MINUTES).
"""

from __future__ import annotations

import argparse
import functools
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from bot.fakeline import FakeLine, FakeLineServer
from bot.webhook import signature_for
from tests.support.journeys import QUICK_INTAKE

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = "chaos-channel-secret"
TOKEN = "chaos-channel-token"
QUOTA_RETRY_MINUTES = 0.05  # 3 s
RECOVERY_TARGET = 60.0
INTAKE = list(QUICK_INTAKE)
APOLOGY = "ขออภัยค่ะ ระบบขัดข้อง"
REFERRAL_ALT = re.compile(r"^เรื่องใหม่ (RT-\d{4}-\d{6})")
QUOTA = {"message": "You have reached your monthly limit."}
PUSH = "/v2/bot/message/push"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- PostgreSQL: a cluster of our own --------------------------------------------------------


class Cluster:
    """`initdb` into a temporary folder as the `postgres` OS user; started on a free port."""

    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise SystemExit("chaos: PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
        self.bin = Path(binaries[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="rianto-chaos-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self.ctl = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w"]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, command: list[str]) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._as_postgres([*self.ctl, "start"])

    def accepting(self) -> bool:
        """Whether the server takes connections now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def restart(self) -> None:
        self._as_postgres([*self.ctl, "-m", "fast", "restart"])

    def stop(self) -> None:
        try:
            self._as_postgres([*self.ctl, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# -- the app's processes ---------------------------------------------------------------------


class Processes:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.logs = Path(tempfile.mkdtemp(prefix="rianto-chaos-logs-"))

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "bot", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        return result.stdout

    def start_web(self) -> None:
        # The Procfile's command; gunicorn.conf.py (the shipped settings) does the rest.
        out = open(self.logs / "web.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "bot:create_app()"],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=out,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        # Both gunicorn workers warm (each loads the NLU before it takes requests).
        time.sleep(3)

    def start_worker(self) -> None:
        out = open(self.logs / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [str(BIN / "flask"), "--app", "bot", "worker"], cwd=ROOT, env=self.env, stdout=out, stderr=out
        )

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(timeout=10)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


# -- the client side -------------------------------------------------------------------------


@dataclass
class Tally:
    five_xx: int = 0
    acknowledged: list[str] = field(default_factory=list)  # webhookEventIds answered 200
    # Events answered 200 whose message could not be saved (the database was down): the person
    # was told so in the reply and sent it again, as the apology asks.
    apologised: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Line:
    """Sends signed webhook events to the app as LINE would; reads what the fake received."""

    def __init__(self, url: str, fake: FakeLine, tally: Tally) -> None:
        self.url = url
        self.fake = fake
        self.tally = tally

    def post_raw(self, body: bytes, *, signed: bool = True) -> int:
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["X-Line-Signature"] = signature_for(body, SECRET)
        request = urllib.request.Request(self.url + "/callback", data=body, method="POST", headers=headers)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 599  # no answer at all
        with self.tally.lock:
            self.tally.latencies.append(time.monotonic() - started)
            if status >= 500:
                self.tally.five_xx += 1
        return status

    def post(self, events: list[dict[str, Any]]) -> int:
        body = json.dumps({"destination": "U" + "0" * 32, "events": events}, ensure_ascii=False).encode()
        status = self.post_raw(body)
        if status == 200:
            with self.tally.lock:
                self.tally.acknowledged.extend(e["webhookEventId"] for e in events if "webhookEventId" in e)
        return status

    def event(self, kind: str, source: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat = str(source.get("groupId") or source.get("userId"))
        return {
            "type": kind,
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": source,
            "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
            "deliveryContext": {"isRedelivery": False},
            "replyToken": self.fake.issue_reply_token(chat),
            **extra,
        }

    def say(self, user: str, said: str, *, tries: int = 15) -> None:
        """A person's message: sent again (as a person would) after an apology or no answer."""
        for _ in range(tries):
            before = len(self.fake.sent(user))
            event = self.event(
                "message",
                {"type": "user", "userId": user},
                message={"type": "text", "id": uuid.uuid4().hex[:18], "text": said, "quoteToken": "q"},
            )
            status = self.post([event])
            if status == 200:
                apologised = any(
                    APOLOGY in json.dumps(s.messages, ensure_ascii=False) for s in self.fake.sent(user)[before:]
                )
                if not apologised:
                    return
                with self.tally.lock:
                    self.tally.apologised.add(event["webhookEventId"])
            time.sleep(1.0)

    def group_say(self, group: str, said: str) -> None:
        self.post(
            [
                self.event(
                    "message",
                    {"type": "group", "groupId": group, "userId": "U" + "9" * 32},
                    message={"type": "text", "id": "1", "text": said, "quoteToken": "q"},
                )
            ]
        )

    def intake(self, user: str, messages: list[str] = INTAKE) -> None:
        for said in messages:
            self.say(user, said)


# -- measuring ---------------------------------------------------------------------------------


class Store:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool)

    def scalar(self, sql: str, **params: Any) -> Any:
        for _ in range(20):
            try:
                with self.engine.connect() as connection:
                    return connection.execute(text(sql), params).scalar()
            except Exception:  # noqa: BLE001 - the database may be restarting
                time.sleep(0.5)
        raise RuntimeError("database unreachable")

    def ref_of(self, user: str) -> str | None:
        return self.scalar("SELECT ref FROM cases WHERE line_user_id = :u ORDER BY id LIMIT 1", u=user)

    def dump(self) -> str:
        out = []
        with self.engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                    out.append(
                        " | ".join(
                            json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else str(v)
                            for v in row
                        )
                    )
        return "\n".join(out)


def card_pushes(fake: FakeLine) -> dict[str, list[float]]:
    """Referral card pushes by case reference (when each arrived)."""
    found: dict[str, list[float]] = {}
    for sent in fake.sent():
        if sent.kind != "push":
            continue
        for message in sent.messages:
            match = REFERRAL_ALT.match(str(message.get("altText", "")))
            if match:
                found.setdefault(match.group(1), []).append(time.time())
    return found


@dataclass
class Row:
    fault: str
    expected: int = 0
    delivered: int = 0
    duplicated: int = 0
    lost: int = 0
    five_xx: int = 0
    recover: float | None = None
    note: str = ""
    target_recover: float = RECOVERY_TARGET
    acked: tuple[int, int] = (0, 0)  # this scenario's slice of Tally.acknowledged

    @property
    def ok(self) -> bool:
        late = self.target_recover < 0 or (self.recover is not None and self.recover > self.target_recover)
        leaked = re.search(r"leaked (\d+)", self.note)
        clean = leaked is None or leaked.group(1) == "0"
        broken = self.note.startswith("error:")
        return (
            self.delivered == self.expected
            and not self.duplicated
            and not self.lost
            and not self.five_xx
            and not late
            and clean
            and not broken
        )


class Chaos:
    def __init__(self, line: Line, fake: FakeLine, store: Store, tally: Tally, processes: Processes) -> None:
        self.line, self.fake, self.store, self.tally, self.processes = line, fake, store, tally, processes
        self.rows: list[Row] = []
        self.seen_refs: set[str] = set()

    def users(self, n: int) -> list[str]:
        return ["U" + uuid.uuid4().hex for _ in range(n)]

    def parallel(self, work: list[Callable[[], object]]) -> None:
        threads = [threading.Thread(target=w) for w in work]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=240)

    def measure(
        self, row: Row, users: list[str], fault_end: float | None, *, wait: float = RECOVERY_TARGET + 30
    ) -> Row:
        """Wait for the users' referrals; fill the row."""
        five_before = row.five_xx
        deadline = time.monotonic() + wait
        refs: dict[str, str | None] = {}
        while time.monotonic() < deadline:
            refs = {u: self.store.ref_of(u) for u in users}
            pushes = card_pushes(self.fake)
            if all(r and r in pushes for r in refs.values()):
                break
            time.sleep(0.5)
        done = time.monotonic()
        pushes = card_pushes(self.fake)
        row.expected = len(users)
        row.delivered = sum(1 for r in refs.values() if r and r in pushes)
        row.duplicated = sum(len(pushes[r]) - 1 for r in refs.values() if r and r in pushes)
        if fault_end is not None and row.delivered == row.expected:
            row.recover = max(0.0, done - fault_end)
        row.five_xx = five_before
        self.seen_refs |= {r for r in refs.values() if r}
        return row

    def scenario(self, name: str, body: Callable[[Row], None]) -> None:
        log(f"— {name}")
        row = Row(name)
        xx = self.tally.five_xx
        first = len(self.tally.acknowledged)
        started = time.monotonic()
        try:
            body(row)
        except Exception as exc:  # noqa: BLE001 - a scenario that breaks is reported, the rest still run
            row.note = f"error: {type(exc).__name__}: {str(exc)[:80]}"
        row.five_xx += self.tally.five_xx - xx
        row.acked = (first, len(self.tally.acknowledged))
        log(
            f"  {row.fault}: {row.delivered}/{row.expected} delivered, {row.duplicated} dup, {row.five_xx} 5xx, "
            f"recover {row.recover if row.recover is None else round(row.recover, 1)} s "
            f"({time.monotonic() - started:.0f} s) {row.note}"
        )
        self.rows.append(row)


def run(args: argparse.Namespace) -> int:
    cluster = Cluster()
    fake = FakeLine(access_token=TOKEN, reply_token_ttl=120.0)
    line_port = free_port()
    server: FakeLineServer | None = FakeLineServer(fake, port=line_port).start()
    processes: Processes | None = None
    try:
        cluster.start()
        log(f"PostgreSQL cluster of its own on port {cluster.port}")
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("LINE_", "DATABASE_", "LOCAL_MODE", "SECRET_KEY", "QUOTA_", "WORKER_", "OUTBOX_", "ADMIN_")
            )
        }
        env.update(
            DATABASE_URL=cluster.url,
            LINE_CHANNEL_SECRET=SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
            LINE_API_BASE_URL=f"http://127.0.0.1:{line_port}",
            SECRET_KEY="chaos-" + uuid.uuid4().hex,
            QUOTA_RETRY_MINUTES=str(QUOTA_RETRY_MINUTES),
            WORKER_POLL_SECONDS="0.2",
            OUTBOX_LEASE_SECONDS="5",
            LINE_TIMEOUT_SECONDS="3",
        )
        processes = Processes(env, free_port())
        processes.flask("init-db")
        processes.start_web()
        processes.start_worker()
        log(f"web (shipped gunicorn settings) on {processes.url}, worker started; logs in {processes.logs}")
        tally = Tally()
        line = Line(processes.url, fake, tally)
        store = Store(cluster.url)
        group = "C" + uuid.uuid4().hex
        code = processes.flask("offices", "link-code", "5208").strip().splitlines()[-1].split()[-1]
        line.group_say(group, f"ลงทะเบียน {code}")
        chaos = Chaos(line, fake, store, tally, processes)

        def plain(users: list[str]) -> None:
            chaos.parallel([functools.partial(line.intake, u) for u in users])

        def baseline(row: Row) -> None:
            users = chaos.users(3)
            plain(users)
            chaos.measure(row, users, time.monotonic())

        def push_failures(status: int, body: dict[str, Any] | None) -> Callable[[Row], None]:
            def scenario(row: Row) -> None:
                fake.fail_next(3, status, body=body, path_prefix=PUSH)
                users = chaos.users(2)
                plain(users)
                chaos.measure(row, users, time.monotonic())

            return scenario

        def slow_line(row: Row) -> None:
            fake.set_delay(6.0, path_prefix=PUSH)
            users = chaos.users(2)
            plain(users)
            time.sleep(7)
            fake.set_delay(0.0, path_prefix=PUSH)
            chaos.measure(row, users, time.monotonic())

        def quota(row: Row) -> None:
            fake.fail_next(100000, 429, body=QUOTA, path_prefix=PUSH)
            users = chaos.users(2)
            plain(users)
            time.sleep(max(0.0, 20 - 0))
            health = json.loads(urllib.request.urlopen(processes.url + "/healthz", timeout=5).read())
            row.note = f"/healthz line={health.get('line')}"
            fake.clear_failures()
            row.target_recover = QUOTA_RETRY_MINUTES * 60 + 5  # one retry period (+ the worker's poll)
            chaos.measure(row, users, time.monotonic())

        def line_down(row: Row) -> None:
            nonlocal server
            assert server is not None
            server.stop()
            users = chaos.users(2)
            started = time.monotonic()
            plain(users)
            time.sleep(max(0.0, 15 - (time.monotonic() - started)))
            server = FakeLineServer(fake, port=line_port).start()
            chaos.measure(row, users, time.monotonic())

        def worker_killed(row: Row) -> None:
            fake.set_delay(3.0, path_prefix=PUSH)
            users = chaos.users(2)
            plain(users)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not store.scalar(
                "SELECT count(*) FROM outbox WHERE kind = 'referral' AND lease_until IS NOT NULL AND status = 'pending'"
            ):
                time.sleep(0.1)
            time.sleep(1.0)  # a push is on its way to LINE
            processes.kill_worker()
            row.note = "SIGKILL mid-push"
            fake.set_delay(0.0, path_prefix=PUSH)
            time.sleep(1.0)
            processes.start_worker()
            chaos.measure(row, users, time.monotonic())

        def postgres_restart(row: Row) -> None:
            users = chaos.users(2)
            first = INTAKE[:3]
            chaos.parallel([functools.partial(line.intake, u, first) for u in users])
            restart = threading.Thread(target=cluster.restart)
            restart.start()
            # The rest of the intake goes while the server is really down (and as it comes back).
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and cluster.accepting():
                time.sleep(0.02)
            chaos.parallel([functools.partial(line.intake, u, INTAKE[3:]) for u in users])
            restart.join(timeout=60)
            chaos.measure(row, users, time.monotonic())

        def slow_clients(row: Row) -> None:
            stop = threading.Event()

            def trickle() -> None:
                head = b"POST /callback HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                while not stop.is_set():
                    try:
                        with socket.create_connection(("127.0.0.1", processes.port), timeout=3) as sock:
                            sock.sendall(head)
                            for _ in range(5000):
                                if stop.wait(1.0):
                                    return
                                sock.sendall(b"{")
                    except OSError:
                        stop.wait(0.2)

            slow = [threading.Thread(target=trickle, daemon=True) for _ in range(24)]
            for t in slow:
                t.start()
            time.sleep(1.5)
            before = len(tally.latencies)
            users = chaos.users(2)
            plain(users)
            worst = max(tally.latencies[before:] or [0.0])
            stop.set()
            row.note = f"24 slow connections; slowest webhook {worst:.2f} s"
            if worst >= 2.0:
                row.note += " (over 2 s!)"
                row.target_recover = -1.0  # fails the row
            chaos.measure(row, users, time.monotonic())

        def flood(row: Row) -> None:
            flooder = "U" + uuid.uuid4().hex
            users = chaos.users(1)
            worker = threading.Thread(target=lambda: line.intake(users[0]))
            worker.start()
            sent = 0
            for i in range(40):
                event = line.event(
                    "message",
                    {"type": "user", "userId": flooder},
                    message={"type": "text", "id": str(i), "text": f"สวัสดี {i}", "quoteToken": "q"},
                )
                line.post([event])
                sent += 1
            worker.join(timeout=120)
            row.note = f"flooder sent {sent} messages"
            chaos.measure(row, users, time.monotonic())

        def schema_payloads(row: Row) -> None:
            spec = ROOT.parent / "shared" / "line-openapi" / "webhook.yml"
            if not spec.exists():
                row.note = "skipped: ../shared/line-openapi/webhook.yml absent"
                return
            from hypothesis import HealthCheck, Phase, given, settings

            from tests.support.webhook_schema import callback_strategy

            payloads: list[Any] = []

            @settings(
                max_examples=args.payloads,
                database=None,
                deadline=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(callback_strategy(str(spec)))
            def collect(payload: Any) -> None:
                payloads.append(payload)

            collect()
            statuses: dict[int, int] = {}
            for payload in payloads[: args.payloads]:
                status = line.post_raw(json.dumps(payload).encode())
                statuses[status] = statuses.get(status, 0) + 1
            row.note = f"{min(len(payloads), args.payloads)} sent; answers " + ", ".join(
                f"{k}×{v}" for k, v in sorted(statuses.items())
            )

        def bad_inputs(row: Row) -> None:
            bodies = [
                b'{"destination":"U0","events":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                b'{"destination":"U0","events":[{"type":"message","timestamp":' + b"9" * 5000 + b"}]}",
                b'{"destination":"U0","events":[{"a":NaN}]}',
            ]
            statuses = [line.post_raw(b) for b in bodies]
            statuses.append(line.post_raw(b'{"events":[]}', signed=False))
            surrogate = line.event(
                "message",
                {"type": "user", "userId": "U" + uuid.uuid4().hex},
                message={"type": "text", "id": "1", "text": "ฝน__S__", "quoteToken": "q"},
            )
            raw = (
                json.dumps({"destination": "U0", "events": [surrogate]}, ensure_ascii=False)
                .encode()
                .replace(b"__S__", b"\\ud800")
            )
            statuses.append(line.post_raw(raw))
            users = chaos.users(1)
            line.intake(
                users[0],
                [*INTAKE[:2], "ผมเอง ชื่อสม\u0000ชาย\u202e อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง", *INTAKE[3:]],
            )
            row.note = "answers " + ",".join(str(s) for s in statuses)
            chaos.measure(row, users, time.monotonic())

        def erasure(row: Row) -> None:
            user, name, phone = "U" + uuid.uuid4().hex, "ปรางทิพย์", "0861234579"
            line.intake(
                user,
                [
                    *INTAKE[:2],
                    f"หนูชื่อ{name} อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง",
                    INTAKE[3],
                    INTAKE[4],
                    phone,
                    "ยืนยัน",
                ],
            )
            chaos.measure(row, [user], time.monotonic())
            ref = store.ref_of(user)
            case_id = store.scalar("SELECT id FROM cases WHERE ref = :r", r=ref)
            fake.fail_next(2, 500, path_prefix="/v2/bot/message/reply")
            line.post(
                [
                    line.event(
                        "postback",
                        {"type": "group", "groupId": group, "userId": "U" + "9" * 32},
                        postback={"data": f"case={case_id}&action=accept"},
                    )
                ]
            )
            line.group_say(group, "เรื่องค้าง")
            line.say(user, "ลบข้อมูลของฉัน")
            line.say(user, "ยืนยันลบ")
            time.sleep(3)
            dump = store.dump()
            leaked = [s for s in (name, phone, user) if s in dump]
            row.note = f"leaked {len(leaked)}" + (
                f" ({', '.join('name' if s == name else 'phone' if s == phone else 'LINE id' for s in leaked)})"
                if leaked
                else ""
            )

        chaos.scenario("baseline (no fault)", baseline)
        chaos.scenario("LINE push 500 ×3", push_failures(500, None))
        chaos.scenario(
            "LINE push 429 rate limit ×3",
            push_failures(429, {"message": "The API rate limit has been exceeded. Try again later."}),
        )
        chaos.scenario("LINE push 6 s timeout", slow_line)
        chaos.scenario("monthly-quota 429 for 20 s", quota)
        chaos.scenario("LINE down 15 s", line_down)
        chaos.scenario("worker SIGKILLed mid-delivery", worker_killed)
        chaos.scenario("PostgreSQL restarted mid-intake", postgres_restart)
        chaos.scenario("slow clients", slow_clients)
        chaos.scenario("flooding user", flood)
        chaos.scenario(f"{args.payloads} schema-generated payloads", schema_payloads)
        chaos.scenario("bad inputs (nesting, digits, NaN, unsigned, surrogate, NUL name)", bad_inputs)
        chaos.scenario("erasure after failed group replies (DB dump)", erasure)

        # Messages lost: events answered 200 that are not recorded once the backlog is empty.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and store.scalar("SELECT count(*) FROM webhook_backlog"):
            time.sleep(0.5)
        recorded = set()
        with store.engine.connect() as connection:
            recorded = {r[0] for r in connection.execute(text("SELECT webhook_event_id FROM inbound_events"))}
        lost = [e for e in tally.acknowledged if e not in recorded and e not in tally.apologised]
        for row in chaos.rows:
            acked = tally.acknowledged[row.acked[0] : row.acked[1]]
            row.lost = sum(1 for e in acked if e not in recorded and e not in tally.apologised)
            resent = sum(1 for e in acked if e in tally.apologised)
            if resent:
                row.note = (
                    row.note + "; " if row.note else ""
                ) + f"{resent} messages answered with the apology and sent again"
        all_pushes = card_pushes(fake)
        duplicates = sum(len(v) - 1 for v in all_pushes.values())
        print_table(chaos.rows, len(lost), duplicates, tally)
        ok = all(r.ok for r in chaos.rows) and not lost and not duplicates
        print("\nTargets " + ("met." if ok else "NOT met."))
        return 0 if ok else 1
    finally:
        if processes is not None:
            processes.stop()
        if server is not None:
            server.stop()
        cluster.stop()


def print_table(rows: list[Row], lost: int, duplicates: int, tally: Tally) -> None:
    head = ("fault", "expected", "delivered", "duplicated", "lost", "5xx", "recover s", "note")
    lines = [head] + [
        (
            r.fault,
            str(r.expected),
            str(r.delivered),
            str(r.duplicated),
            str(r.lost),
            str(r.five_xx),
            "-" if r.recover is None else f"{r.recover:.1f}",
            r.note,
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head) - 1)]
    print()
    for line in lines:
        print("  ".join(cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(line)))
    slowest = max(tally.latencies or [0.0])
    print(
        f"\nWhole run: {len(tally.acknowledged)} events answered 200, messages lost {lost}, duplicated referral pushes "
        f"{duplicates}, 5xx answers {tally.five_xx}, slowest webhook answer {slowest:.2f} s. "
        "A message is lost when it was answered 200 but neither recorded nor answered with the apology "
        "that asks to send it again."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payloads", type=int, default=200, help="schema-generated webhook payloads to send")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
