"""The outbox worker: delivers queued pushes and runs the SLA checks.

Claiming: a worker takes a batch of due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
workers on several machines never take the same row; SQLite's write transaction is
exclusive) and leases them for `OUTBOX_LEASE_SECONDS`, then pushes outside any transaction. The row's
UUID is the `X-Line-Retry-Key`: if a worker dies after LINE accepted a push but before it
recorded that, the next worker's push of the same row gets 409 and counts it as delivered.
So a push is delivered exactly once even across crashes.

Retries: 5xx, timeouts and rate-limit 429 back off exponentially (2 s, 4 s, 8 s … capped at
5 minutes, with a little jitter); other 4xx and the monthly-quota 429 fail the row for good.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError, DBAPIError

from bot.line import LineConflict, LineError
from bot import richmenu
from bot.services import Services
from handlers import referrals
from handlers.menus import KIND as RICHMENU_KIND
from models import OutboxMessage

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 300.0
BATCH = 20


def backoff(attempts: int, *, jitter: float = 0.2) -> float:
    """Seconds to wait after the `attempts`-th failure (1 → about 2 s)."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1), MAX_BACKOFF_SECONDS)
    return min(base * (1 + random.uniform(0, jitter)), MAX_BACKOFF_SECONDS)


@dataclass
class Claimed:
    id: str
    to: str
    messages: list
    kind: str
    attempts: int


@dataclass
class CycleReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    sla_actions: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.delivered or self.retried or self.failed)


class Worker:
    def __init__(self, services: Services, *, lease_seconds: float | None = None, batch: int = BATCH) -> None:
        self.services = services
        self.lease_seconds = lease_seconds or services.settings.OUTBOX_LEASE_SECONDS
        self.batch = batch
        self._stop = threading.Event()

    # -- one cycle -------------------------------------------------------------------------
    def run_once(self) -> CycleReport:
        report = CycleReport()
        # SLA reminders first, so what they queue goes out in the same cycle.
        report.sla_actions = referrals.check_slas(self.services)
        for claimed in self._claim():
            outcome = self._deliver(claimed)
            setattr(report, outcome, getattr(report, outcome) + 1)
        return report

    @staticmethod
    def _due(now: datetime) -> tuple:
        return (
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
        )

    def _claim(self) -> list[Claimed]:
        now = self.services.clock.now()
        db = self.services.db
        # An idle worker polls every second: look first with a read, so that it takes no
        # write transaction (on SQLite, the database's one write lock) when nothing is due.
        with db.read() as session:
            if session.scalar(select(OutboxMessage.id).where(*self._due(now)).limit(1)) is None:
                return []
        with db.transaction() as session:
            query = (
                select(OutboxMessage)
                .where(*self._due(now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.created_at)
                .limit(self.batch)
            )
            if db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            rows = session.scalars(query).all()
            lease = now + timedelta(seconds=self.lease_seconds)
            for row in rows:
                row.lease_until = lease
            return [Claimed(r.id, r.to, list(r.messages), r.kind, r.attempts) for r in rows]

    def _deliver(self, claimed: Claimed) -> str:
        error: LineError | None = None
        try:
            if claimed.kind == RICHMENU_KIND:
                richmenu.deliver_link(self.services, claimed.to, claimed.messages)  # not a push: a menu link
            else:
                self.services.line.push(claimed.to, claimed.messages, retry_key=claimed.id)
        except LineConflict:
            log.info("outbox %s: retry key already accepted by LINE; counted as delivered", claimed.id)
        except LineError as exc:
            error = exc
        now = self.services.clock.now()
        with self.services.db.transaction() as session:
            row = session.get(OutboxMessage, claimed.id)
            if row is None or row.status != "pending":
                return "delivered" if error is None else "failed"
            row.lease_until = None
            if error is None:
                row.status = "delivered"
                row.delivered_at = now
                if row.kind == "referral":
                    referrals.mark_delivered(session, row, now)
                log.info("outbox %s (%s) delivered", row.id, row.kind)
                return "delivered"
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {getattr(error, 'status', '')}"[:200]
            if error.retryable:
                row.next_attempt_at = now + timedelta(seconds=backoff(row.attempts))
                log.warning("outbox %s: %s, retry %d at %s", row.id, type(error).__name__, row.attempts, row.next_attempt_at.isoformat())
                return "retried"
            row.status = "failed"
            log.error("outbox %s (%s): %s; not retried", row.id, row.kind, type(error).__name__)
            if row.kind == "referral":
                # The group refused the card for good (e.g. the bot was removed from it):
                # the next group in line gets it, or the case stays pending and visible.
                referrals.referral_refused(session, row, now, self.services.settings)
            return "failed"

    # -- the loop ----------------------------------------------------------------------------
    def stop(self, *_: object) -> None:
        self._stop.set()

    def run_forever(self, poll_seconds: float) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        log.info("worker started")
        while not self._stop.is_set():
            try:
                report = self.run_once()
            except (OperationalError, DBAPIError) as exc:
                log.warning("worker: database unavailable (%s); retrying", type(exc).__name__)
                self._stop.wait(min(5.0, poll_seconds * 5))
                continue
            except Exception as exc:  # a bug must not stop delivery of everything else
                # The frames, not the message: an exception's text can carry SQL parameters.
                frames = "".join(traceback.format_tb(exc.__traceback__))
                log.error("worker: cycle failed (%s); retrying\n%s", type(exc).__name__, frames)
                self._stop.wait(min(5.0, poll_seconds * 5))
                continue
            if not report.busy:
                self._stop.wait(poll_seconds)
        log.info("worker stopped")


def next_due(services: Services) -> datetime | None:
    with services.db.read() as session:
        return session.scalar(
            select(OutboxMessage.next_attempt_at)
            .where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.next_attempt_at)
            .limit(1)
        )


def drain(services: Services, *, timeout: float = 30.0) -> CycleReport:
    """Run cycles until nothing is due now (tests and `worker --once`)."""
    worker = Worker(services)
    total = CycleReport()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = worker.run_once()
        total.delivered += report.delivered
        total.retried += report.retried
        total.failed += report.failed
        total.sla_actions += report.sla_actions
        if not report.busy:
            break
    return total
