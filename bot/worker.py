"""The outbox worker: delivers queued pushes, runs the SLA checks, handles the webhook backlog
and applies retention.

Claiming: a worker takes a batch of due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
workers on several machines never take the same row; SQLite's write transaction is
exclusive) and leases them for `OUTBOX_LEASE_SECONDS`, then pushes outside any transaction. The row's
UUID is the `X-Line-Retry-Key`: if a worker dies after LINE accepted a push but before it
recorded that, the next worker's push of the same row gets 409 and counts it as delivered.
So a push is delivered exactly once even across crashes.

Retries: 5xx, timeouts and rate-limit 429 back off exponentially (2 s, 4 s, 8 s … capped at
5 minutes, with a little jitter); other 4xx fail the row for good (a refused referral goes to
the next group in line).

The monthly-quota 429 is a pause of the whole channel, not a refusal by one group (DESIGN §7):
the row stays pending and nothing is rerouted or failed; the pause is recorded in
`channel_state` (shared by every worker and web process; `GET /healthz` reports it), the admin
group is told once (or, when LINE refuses that too, the log says so), and deliveries wait.
Every `QUOTA_RETRY_MINUTES` one worker tries again; the first push LINE accepts ends the pause
and everything goes out.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

import handlers
from bot import richmenu
from bot.line import LineConflict, LineError, LineQuotaExceeded
from bot.services import Services
from handlers import erasure, referrals, texts, threads
from handlers.menus import KIND as RICHMENU_KIND
from models import ChannelState, OutboxMessage, WebhookBacklog, outbox
from models.outbox import ERASED_RECIPIENT_KIND

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 300.0
BATCH = 20
QUOTA = "quota"
# While the channel is paused, this many rows are tried when the retry time comes (a row that
# fails for its own reason, say a 400, must not hide that LINE accepts again).
QUOTA_PROBES = 3
# Webhook events deferred by the web process (`bot.webhook`), handled per cycle.
BACKLOG_BATCH = 50
BACKLOG_LEASE_SECONDS = 60.0
# Retention (erasure of abandoned intakes, anonymisation of old cases) runs this often.
RETENTION_EVERY = timedelta(minutes=10)


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
    paused: int = 0
    sla_actions: int = 0
    backlog: int = 0
    erased: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.delivered or self.retried or self.failed or self.backlog)


@dataclass
class QuotaPause:
    """The channel's monthly-quota pause as `channel_state` holds it."""

    since: datetime
    retry_at: datetime
    noticed_at: datetime | None
    notice: str | None


def quota_pause(services: Services) -> QuotaPause | None:
    """The current monthly-quota pause, or None when LINE accepts pushes."""
    with services.db.transaction(write=False) as tx:
        session = tx.session
        row = session.get(ChannelState, QUOTA)
        if row is None or row.since is None or row.retry_at is None:
            return None
        return QuotaPause(row.since, row.retry_at, row.noticed_at, row.notice)


class Worker:
    def __init__(self, services: Services, *, lease_seconds: float | None = None, batch: int = BATCH) -> None:
        self.services = services
        self.lease_seconds = lease_seconds or services.settings.OUTBOX_LEASE_SECONDS
        self.batch = batch
        self._stop = threading.Event()
        self._retention_due: datetime | None = None

    # -- one cycle -------------------------------------------------------------------------
    def run_once(self) -> CycleReport:
        report = CycleReport()
        # Events the webhook recorded but had no time for, first: their replies are owed.
        report.backlog = self._handle_backlog()
        # SLA reminders next, so what they queue goes out in the same cycle.
        report.sla_actions = referrals.check_slas(self.services)
        # Threads (DESIGN §9): unanswered applicant messages reminded/escalated, quiet ones closed.
        report.sla_actions += threads.check_threads(self.services)
        self._deliver_due(report)
        report.erased = self._retention()
        return report

    def _deliver_due(self, report: CycleReport) -> None:
        now = self.services.clock.now()
        pause = quota_pause(self.services)
        if pause is not None and now < pause.retry_at:
            return  # the channel is paused: nothing is tried before its retry time
        claimed = self._claim(limit=QUOTA_PROBES if pause else self.batch)
        resumed = False
        for index, row in enumerate(claimed):
            outcome = self._deliver(row)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome == "paused":
                self._release([c.id for c in claimed[index + 1 :]])
                return
            if outcome == "delivered" and pause is not None:
                self._resume(pause)
                pause = None
                resumed = True
        if resumed:
            # The pause ended after a few probes: a full batch in this same cycle.
            self._deliver_due(report)

    @staticmethod
    def _due(now: datetime) -> tuple:
        return (
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
        )

    def _claim(self, limit: int | None = None) -> list[Claimed]:
        now = self.services.clock.now()
        db = self.services.db
        # An idle worker polls every second: look first with a read, so that it takes no
        # write transaction (on SQLite, the database's one write lock) when nothing is due.
        with db.transaction(write=False) as tx:
            session = tx.session
            if session.scalar(select(OutboxMessage.id).where(*self._due(now)).limit(1)) is None:
                return []
        with db.transaction() as tx:
            session = tx.session
            query = (
                select(OutboxMessage)
                .where(*self._due(now))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.created_at)
                .limit(limit or self.batch)
                .with_for_update(skip_locked=True)  # a plain SELECT on SQLite (one writer at a time)
            )
            rows = session.scalars(query).all()
            lease = now + timedelta(seconds=self.lease_seconds)
            for row in rows:
                row.lease_until = lease
            return [Claimed(r.id, r.to, list(r.messages), r.kind, r.attempts) for r in rows]

    def _release(self, ids: list[str]) -> None:
        """Claimed rows not tried (the channel paused): free for the next try at once."""
        if ids:
            with self.services.db.transaction() as tx:
                session = tx.session
                session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(lease_until=None))

    def _deliver(self, claimed: Claimed) -> str:
        error: LineError | None = None
        sent_ids: list[str] = []  # the ids LINE gave the messages (quote-replies to a group)
        try:
            if claimed.kind == RICHMENU_KIND:
                richmenu.deliver_link(self.services, claimed.to, claimed.messages)  # not a push: a menu link
            else:
                sent_ids = self.services.line.push(claimed.to, claimed.messages, retry_key=claimed.id) or []
        except LineConflict as exc:
            sent_ids = threads.sent_ids_of(exc.message)
            log.info("outbox %s: retry key already accepted by LINE; counted as delivered", claimed.id)
        except LineError as exc:
            error = exc
        now = self.services.clock.now()
        with self.services.db.transaction() as tx:
            session = tx.session
            row = session.get(OutboxMessage, claimed.id)
            if row is None or row.status != "pending":
                return "delivered" if error is None else "failed"
            row.lease_until = None
            if error is None:
                row.status = "delivered"
                row.delivered_at = now
                if row.kind in referrals.DELIVERY_KINDS:
                    referrals.mark_delivered(session, row, now)
                if sent_ids and row.to[:1] in ("C", "R"):
                    threads.record_sent(session, row.to, sent_ids, now, outbox_id=row.id)
                log.info("outbox %s (%s) delivered", row.id, row.kind)
                if row.kind == ERASED_RECIPIENT_KIND:
                    outbox.forget(session, row)
                return "delivered"
            if isinstance(error, LineQuotaExceeded):
                # Not this row's fault, nor its group's: it waits, untouched, with every other.
                row.last_error = "LineQuotaExceeded: 429 (channel paused)"
                first = _pause(session, now, self.services.settings.QUOTA_RETRY_MINUTES)
            else:
                first = None
        if isinstance(error, LineQuotaExceeded):
            if first:
                self._tell_admin_once(first)
            return "paused"
        assert error is not None
        with self.services.db.transaction() as tx:
            session = tx.session
            row = session.get(OutboxMessage, claimed.id)
            if row is None or row.status != "pending":
                return "failed"
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {getattr(error, 'status', '')}"[:200]
            if error.retryable:
                row.next_attempt_at = now + timedelta(seconds=backoff(row.attempts))
                log.warning(
                    "outbox %s: %s, retry %d at %s",
                    row.id,
                    type(error).__name__,
                    row.attempts,
                    row.next_attempt_at.isoformat(),
                )
                return "retried"
            row.status = "failed"
            log.error("outbox %s (%s): %s; not retried", row.id, row.kind, type(error).__name__)
            if row.kind == ERASED_RECIPIENT_KIND:
                outbox.forget(session, row)
            if row.kind in referrals.DELIVERY_KINDS:
                # The group refused the card for good (e.g. the bot was removed from it):
                # the next group in line gets it, or the case stays pending and visible.
                referrals.referral_refused(session, row, now, self.services.settings)
            return "failed"

    # -- the monthly-quota pause -------------------------------------------------------------
    def _tell_admin_once(self, since: datetime) -> None:
        """One notice per pause: to the admin group when LINE takes it (it usually will not,
        the quota being the channel's), else the log; `/healthz` reports the pause either way."""
        settings = self.services.settings
        minutes = settings.QUOTA_RETRY_MINUTES
        notice = "log"
        if settings.ADMIN_GROUP_ID:
            try:
                self.services.line.push(
                    settings.ADMIN_GROUP_ID,
                    [{"type": "text", "text": texts.quota_paused_notice(minutes)}],
                    retry_key=_notice_key(since),
                )
                notice = "admin_group"
            except LineError as exc:
                log.info("quota notice to the admin group not sent (%s)", type(exc).__name__)
        if notice == "log":
            log.error(
                "LINE monthly message quota reached: every push waits (nothing is rerouted or failed) and is "
                "retried every %g minutes; GET /healthz reports the pause",
                minutes,
            )
        else:
            log.warning("LINE monthly message quota reached: deliveries paused; the admin group was told")
        with self.services.db.transaction() as tx:
            session = tx.session
            row = session.get(ChannelState, QUOTA)
            if row is not None and row.since == since:
                row.noticed_at, row.notice = self.services.clock.now(), notice

    def _resume(self, pause: QuotaPause) -> None:
        now = self.services.clock.now()
        with self.services.db.transaction() as tx:
            session = tx.session
            row = session.get(ChannelState, QUOTA)
            if row is not None and row.since is not None:
                row.since, row.retry_at, row.resumed_at, row.updated_at = None, None, now, now
        waited = (now - pause.since).total_seconds() / 60
        log.warning(
            "LINE accepts pushes again after a monthly-quota pause of %.1f minutes; delivering what waited", waited
        )

    # -- the webhook backlog -----------------------------------------------------------------
    def _handle_backlog(self) -> int:
        """Events recorded by the webhook after its time ran out: handled now, in order. A
        row goes once its event is handled (the event's own record de-duplicates a retry)."""
        db = self.services.db
        now = self.services.clock.now()
        free = or_(WebhookBacklog.lease_until.is_(None), WebhookBacklog.lease_until < now)
        with db.transaction(write=False) as tx:
            session = tx.session
            if session.scalar(select(WebhookBacklog.id).where(free).limit(1)) is None:
                return 0
        with db.transaction() as tx:
            session = tx.session
            query = (
                select(WebhookBacklog)
                .where(free)
                .order_by(WebhookBacklog.id)
                .limit(BACKLOG_BATCH)
                .with_for_update(skip_locked=True)
            )
            rows = session.scalars(query).all()
            for row in rows:
                row.lease_until = now + timedelta(seconds=BACKLOG_LEASE_SECONDS)
                row.attempts += 1
            work = [(row.id, row.event) for row in rows]
        for row_id, event in work:
            handlers.dispatch(
                self.services, event, deadline=time.monotonic() + self.services.settings.WEBHOOK_BUDGET_SECONDS
            )
            with db.transaction() as tx:
                session = tx.session
                session.execute(delete(WebhookBacklog).where(WebhookBacklog.id == row_id))
        if work:
            log.info("webhook backlog: %d events handled", len(work))
        return len(work)

    # -- retention ---------------------------------------------------------------------------
    def _retention(self) -> int:
        now = self.services.clock.now()
        if self._retention_due is not None and now < self._retention_due:
            return 0
        self._retention_due = now + RETENTION_EVERY
        settings = self.services.settings
        with self.services.db.transaction(write=False) as tx:
            session = tx.session
            if not erasure.retention_due(session, now, settings):
                return 0
        with self.services.db.transaction() as tx:
            session = tx.session
            erased = erasure.erase_abandoned_intakes(session, now, settings)
            erased += erasure.anonymise_closed_cases(session, now, settings)
        return erased

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
            except DBAPIError as exc:  # the database is down or restarting (OperationalError and kin)
                log.warning("worker: database unavailable (%s); retrying", type(exc).__name__)
                self._stop.wait(min(5.0, poll_seconds * 5))
                continue
            except Exception as exc:  # noqa: BLE001 - a bug must not stop delivery of everything else
                # The frames, not the message: an exception's text can carry SQL parameters.
                frames = "".join(traceback.format_tb(exc.__traceback__))
                log.error("worker: cycle failed (%s); retrying\n%s", type(exc).__name__, frames)
                self._stop.wait(min(5.0, poll_seconds * 5))
                continue
            if not report.busy:
                self._stop.wait(poll_seconds)
        log.info("worker stopped")


def _pause(session: Session, now: datetime, minutes: float) -> datetime | None:
    """Record the pause (or push its retry time on). Returns its start when it is new (the
    caller tells the admin group), else None."""
    row = session.get(ChannelState, QUOTA, with_for_update=True)
    if row is None:
        row = ChannelState(name=QUOTA, updated_at=now)
        session.add(row)
    new = row.since is None
    if new:
        row.since, row.noticed_at, row.notice = now, None, None
    row.retry_at = now + timedelta(minutes=minutes)
    row.updated_at = now
    return row.since if new else None


def _notice_key(since: datetime) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"rianto:quota-notice:{since.isoformat()}"))


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
        total.paused += report.paused
        total.sla_actions += report.sla_actions
        total.backlog += report.backlog
        total.erased += report.erased
        if not report.busy:
            break
    return total
