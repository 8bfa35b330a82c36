"""The outbox and its worker under faults: retries, crashes, and several workers at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.worker import Worker, backoff, drain
from models import OutboxMessage
from models.outbox import enqueue
from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def queue(services, n: int = 1, *, to: str = "Uworker000000000000000000000000001", kind: str = "notify") -> list[str]:
    ids = []
    with services.db.transaction() as tx:
        session = tx.session
        for i in range(n):
            row = enqueue(
                session,
                to,
                [{"type": "text", "text": f"ข้อความที่ {i}"}],
                kind=kind,
                now=services.clock.now(),
            )
            session.flush()
            ids.append(row.id)
    return ids


def rows(services) -> list[OutboxMessage]:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)))


def pushes(fake) -> list:
    return [s for s in fake.sent() if s.kind == "push"]


def test_backoff_starts_within_five_seconds_and_caps_at_five_minutes():
    assert 2.0 <= backoff(1) <= 2.4
    assert backoff(2) > backoff(1) * 1.5
    assert backoff(30) == pytest.approx(300, rel=0.01) or backoff(30) <= 300
    # Three failures in a row still deliver well within a minute.
    assert sum(backoff(n, jitter=0.2) for n in (1, 2, 3)) < 20


def test_delivered_once_after_three_server_errors(services, fake_line, clock):
    (row_id,) = queue(services)
    fake_line.fail_next(3, 500, path_prefix="/v2/bot/message/push")
    worker = Worker(services)
    outcomes = []
    for _ in range(4):
        report = worker.run_once()
        outcomes.append((report.delivered, report.retried))
        clock.advance(seconds=300)
    assert outcomes == [(0, 1), (0, 1), (0, 1), (1, 0)]
    assert len(pushes(fake_line)) == 1
    (row,) = rows(services)
    assert row.status == "delivered" and row.attempts == 3
    # Every attempt used the same retry key: the row's UUID.
    keys = {r.headers.get("X-Line-Retry-Key") for r in fake_line.requests() if r.path.endswith("/push")}
    assert keys == {row_id}


def test_first_retry_is_due_within_five_seconds(services, fake_line, clock):
    queue(services)
    fake_line.fail_next(1, 503, path_prefix="/v2/bot/message/push")
    start = clock.now()
    Worker(services).run_once()
    (row,) = rows(services)
    assert row.status == "pending" and 0 < (row.next_attempt_at - start).total_seconds() <= 5


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (429, {"message": "The API rate limit has been exceeded. Try again later."}, "pending"),
        (400, {"message": "The request body has 1 error(s)"}, "failed"),
        (403, {"message": "Not authorized"}, "failed"),
        (502, {"message": "Bad gateway"}, "pending"),
    ],
    ids=["rate-limit", "bad-request", "forbidden", "bad-gateway"],
)
def test_which_failures_are_retried(services, fake_line, status, body, expected):
    queue(services)
    fake_line.fail_next(1, status, body=body, path_prefix="/v2/bot/message/push")
    Worker(services).run_once()
    (row,) = rows(services)
    assert row.status == expected
    assert row.attempts == 1


def test_timeouts_are_retried(services, fake_line, clock):
    services.line.timeout = 0.5
    queue(services)
    fake_line.set_delay(1.5, path_prefix="/v2/bot/message/push")
    report = Worker(services).run_once()
    fake_line.set_delay(0.0, path_prefix="/v2/bot/message/push")
    assert report.retried == 1
    clock.advance(seconds=10)
    # LINE did accept the slow push after all: the retry's key is known, so no second copy.
    fake_line.wait_for(lambda f: len(pushes(f)) == 1, timeout=5)
    report = Worker(services).run_once()
    assert report.delivered == 1
    assert len(pushes(fake_line)) == 1
    assert rows(services)[0].status == "delivered"


def test_the_line_api_being_down_loses_nothing(services, fake_line, clock):
    queue(services, 3)
    original = services.line
    from bot.line import SdkLineClient

    services.line = SdkLineClient("http://127.0.0.1:9", CHANNEL_TOKEN, timeout=0.5)
    try:
        report = Worker(services).run_once()
        assert report.retried == 3
    finally:
        services.line = original
    clock.advance(seconds=10)
    assert drain(services).delivered == 3
    assert len(pushes(fake_line)) == 3


def _worker_env(database_url: str, fake_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_", "LOCAL_MODE"))}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="test-secret-key",
        LINE_CHANNEL_SECRET=CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN=CHANNEL_TOKEN,
        LINE_API_BASE_URL=fake_url,
        WORKER_POLL_SECONDS="0.1",
        **extra,
    )
    return env


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "bot", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_worker_killed_mid_delivery_delivers_exactly_once_after_restart(
    services, fake_line, database_url, fake_line_url
):
    queue(services, kind="referral_test")
    fake_line.set_delay(2.0, path_prefix="/v2/bot/message/push")
    env = _worker_env(database_url, fake_line_url, OUTBOX_LEASE_SECONDS="1")
    first = _start_worker(env)
    try:
        # Wait until the row is claimed and its push is in flight (LINE answers in 2 s),
        # then kill the worker before it can record the delivery.
        deadline = time.monotonic() + 90  # a worker process starts in seconds, more on a busy machine
        while time.monotonic() < deadline and rows(services)[0].lease_until is None:
            time.sleep(0.05)
        assert rows(services)[0].lease_until is not None, "the worker never claimed the row"
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    # LINE accepted it (the fake finishes the slow request); the DB still says pending.
    assert fake_line.wait_for(lambda f: len(pushes(f)) == 1, timeout=10)
    assert rows(services)[0].status == "pending"
    fake_line.set_delay(0.0, path_prefix="/v2/bot/message/push")
    second = _start_worker(env)
    try:
        deadline = time.monotonic() + 90  # a worker process starts in seconds, more on a busy machine
        while time.monotonic() < deadline and rows(services)[0].status != "delivered":
            time.sleep(0.2)
    finally:
        second.terminate()
        second.wait(timeout=10)
    assert rows(services)[0].status == "delivered"
    assert len(pushes(fake_line)) == 1, "the retry with the same key was not delivered again"


@pytest.mark.slow
def test_two_workers_never_deliver_twice(services, fake_line, database_url, fake_line_url):
    queue(services, 60)
    fake_line.set_delay(0.02, path_prefix="/v2/bot/message/push")
    env = _worker_env(database_url, fake_line_url)
    workers = [_start_worker(env), _start_worker(env)]
    try:
        assert fake_line.wait_for(lambda f: len(pushes(f)) >= 60, timeout=120)
        deadline = time.monotonic() + 90  # a worker process starts in seconds, more on a busy machine
        while time.monotonic() < deadline and any(r.status != "delivered" for r in rows(services)):
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
    assert all(r.status == "delivered" for r in rows(services))
    sent = pushes(fake_line)
    assert len(sent) == 60
    assert len({s.retry_key for s in sent}) == 60
    # No row was even attempted twice (no 409s): the claim is exclusive.
    push_requests = [r for r in fake_line.requests() if r.path.endswith("/push")]
    assert len(push_requests) == 60


def test_threads_sharing_one_database_never_claim_the_same_row(services, fake_line, database_url):
    queue(services, 40)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            drain(services, timeout=30)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(pushes(fake_line)) == 40
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalar(select(func.count()).where(OutboxMessage.status == "delivered")) == 40


def test_an_overdue_case_held_by_another_worker_is_skipped_not_reminded_twice(line, services, clock, database_url):
    """Two workers on PostgreSQL: the one that holds an overdue case reminds it; the other skips it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's write transaction is exclusive: there is no second worker to race")
    from sqlalchemy import text

    from handlers import referrals
    from tests.handlers.test_staff import register
    from tests.support.journeys import linked_group

    linked_group(line, "5208")
    register(line)
    clock.advance(hours=49)
    results: list[int] = []
    with services.db.engine.connect() as other:
        other.execute(text("BEGIN"))
        other.execute(text("SELECT id FROM cases FOR UPDATE"))  # another worker is on it
        thread = threading.Thread(target=lambda: results.append(referrals.check_slas(services)))
        thread.start()
        thread.join(5)
        blocked = thread.is_alive()
        other.execute(text("ROLLBACK"))
    thread.join(10)
    assert not blocked, "the SLA check waited for (or would repeat) the other worker's case"
    assert results == [0]
    assert referrals.check_slas(services) == 1
    assert referrals.check_slas(services) == 0


def test_a_bug_in_one_cycle_does_not_stop_the_worker(services, fake_line, monkeypatch):
    from handlers import referrals

    calls = []

    def broken(_services):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        worker.stop()
        return 0

    worker = Worker(services)
    monkeypatch.setattr(referrals, "check_slas", broken)
    thread = threading.Thread(target=worker.run_forever, args=(0.01,))
    thread.start()
    thread.join(20)
    assert not thread.is_alive() and len(calls) == 2


def test_an_idle_cycle_takes_no_write_lock(services, fake_line):
    """An idle worker polls every second; on SQLite a write transaction would take the
    database's one write lock from the webhook each time."""
    from sqlalchemy import event

    statements: list[str] = []

    def seen(conn, cursor, statement, *args):  # noqa: ANN001
        statements.append(statement.upper())

    event.listen(services.db.engine, "before_cursor_execute", seen)
    try:
        report = Worker(services).run_once()
    finally:
        event.remove(services.db.engine, "before_cursor_execute", seen)
    assert not report.busy and report.sla_actions == 0
    assert statements, "the cycle did look"
    assert [
        s
        for s in statements
        if "BEGIN IMMEDIATE" in s or "FOR UPDATE" in s or s.lstrip().startswith(("UPDATE", "INSERT"))
    ] == []


# -- the monthly-quota 429: a pause for the whole channel (issue 12 §1) -----------------------

QUOTA = {"message": "You have reached your monthly limit."}


def _push_requests(fake) -> int:
    return sum(1 for r in fake.requests() if r.path.endswith("/message/push"))


def test_monthly_quota_pauses_the_channel_reroutes_nothing_and_delivers_when_line_accepts(
    line, services, fake_line, clock, app, caplog
):
    from bot.worker import quota_pause
    from tests.support.journeys import QUICK_INTAKE, linked_group, only_case, referral_cards

    district = linked_group(line, "5208")
    province = linked_group(line, "52")
    chat = line.user()
    for said in QUICK_INTAKE:
        chat.say(said)
    fake_line.fail_next(50, 429, body=QUOTA, path_prefix="/v2/bot/message/push")
    with caplog.at_level("ERROR", logger="bot.worker"):
        report = Worker(services).run_once()
    assert report.paused == 1 and report.failed == 0
    case = only_case(line)
    # Nothing rerouted, nothing failed: the card waits for its own office's group.
    assert case["delivery_status"] == "pending" and case["office_code"] == "5208"
    with services.db.transaction(write=False) as tx:
        session = tx.session
        (row,) = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "referral"))
        assert (row.status, row.to, row.attempts) == ("pending", district.group_id, 0)
    assert referral_cards(province) == [] and referral_cards(district) == []
    # The log says it once (no admin group here), and /healthz reports the pause.
    assert sum("monthly message quota" in r.getMessage() for r in caplog.records) == 1
    health = app.test_client().get("/healthz")
    assert health.status_code == 200 and health.json["line"] == "monthly_quota_reached"
    # Within the retry period nothing is tried at all.
    tried = _push_requests(fake_line)
    for _ in range(3):
        clock.advance(minutes=15)
        Worker(services).run_once()
    assert _push_requests(fake_line) == tried
    assert quota_pause(services) is not None
    # LINE accepts again: at the next retry everything goes out, once.
    fake_line.clear_failures()
    clock.advance(minutes=16)
    line.run_worker()
    assert len(referral_cards(district)) == 1 and referral_cards(province) == []
    assert only_case(line)["delivery_status"] == "delivered"
    assert quota_pause(services) is None
    assert app.test_client().get("/healthz").json["line"] == "ok"


def test_the_admin_group_is_told_once_per_pause(services, fake_line, clock):
    from dataclasses import replace

    services.settings = replace(services.settings, ADMIN_GROUP_ID="C" + "a" * 32)
    queue(services, 3)
    fake_line.fail_next(1, 429, body=QUOTA, path_prefix="/v2/bot/message/push")
    Worker(services).run_once()
    told = [s for s in pushes(fake_line) if s.to == services.settings.ADMIN_GROUP_ID]
    assert len(told) == 1 and "โควตา" in told[0].messages[0]["text"]
    fake_line.fail_next(50, 429, body=QUOTA, path_prefix="/v2/bot/message/push")
    for _ in range(3):
        clock.advance(minutes=61)
        Worker(services).run_once()
    assert len([s for s in pushes(fake_line) if s.to == services.settings.ADMIN_GROUP_ID]) == 1
    assert {r.status for r in rows(services)} == {"pending"}
    fake_line.clear_failures()
    clock.advance(minutes=61)
    assert drain(services).delivered == 3


def test_quota_retry_minutes_accepts_fractions(services, fake_line, clock):
    from dataclasses import replace

    services.settings = replace(services.settings, QUOTA_RETRY_MINUTES=0.05)  # 3 s
    queue(services)
    fake_line.fail_next(1, 429, body=QUOTA, path_prefix="/v2/bot/message/push")
    Worker(services).run_once()
    clock.advance(seconds=2)
    assert Worker(services).run_once().delivered == 0
    clock.advance(seconds=2)
    assert Worker(services).run_once().delivered == 1


def test_a_group_linked_again_gets_the_card_it_once_refused(line, services, fake_line):
    from tests.support.journeys import QUICK_INTAKE, linked_group, only_case, referral_cards

    group = linked_group(line, "5208")
    chat = line.user()
    for said in QUICK_INTAKE:
        chat.say(said)
    # The bot was removed from the group: LINE refuses the card for good; nowhere else to go.
    fake_line.fail_next(1, 403, body={"message": "Not authorized"}, path_prefix="/v2/bot/message/push")
    line.run_worker()
    assert only_case(line)["delivery_status"] == "pending"
    from handlers.staff import create_link_code

    with services.db.transaction() as tx:
        session = tx.session
        code = create_link_code(session, "5208", services.clock.now())
    assert "เรียบร้อย" in group.say(f"ลงทะเบียน {code}")[0]["text"]
    line.run_worker()
    assert len(referral_cards(group)) == 1
    assert only_case(line)["delivery_status"] == "delivered"
