"""The web edge: `POST /callback` (LINE webhook) and `GET /healthz`.

The webhook is thin: verify the signature over the raw bytes before anything else, parse,
hand each event to `handlers.dispatch` in isolation, and answer. Events are handled within
the request, under a time budget: replies still owed when the budget is spent go to the
outbox instead, so LINE always gets its 200 within 2 s.

No database wait of the request is unbounded either (`models.db.LockTimeout`): an event whose
chat stays locked is filed in the webhook backlog for the worker (`handlers.events`), and the
deferral of a batch's rest waits until `LATE_WRITE_SECONDS` past the budget at most. What
cannot be stored in time at all is answered 500, so LINE delivers it again.

`POST /callback` is answered by a small WSGI layer in front of Flask (`WebhookEdge`): it
needs nothing of Flask's (no routing, templates, sessions, app context), and Flask's
per-request machinery cost more CPU than verifying, parsing and recording an event
(measured in the webhook benchmark). Every other request goes on to Flask.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_input_stream

from bot import textclean
from bot.services import Services
from models import WebhookBacklog
from models.db import LockTimeout
from models.faults import backlog_row

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)
# LINE's webhook bodies are a few kilobytes (at most a few events); anything far larger is
# refused before it is read.
MAX_BODY_BYTES = 1024 * 1024
# Past this age a request handles no more events itself: the rest go to the backlog.
DEFER_AFTER_SECONDS = 0.9
# A body not received within this long is given up (408): a slow client holds no thread.
BODY_READ_SECONDS = 5.0


def signature_for(body: bytes, channel_secret: str) -> str:
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _signature_ok(body: bytes, signature: str | None, channel_secret: str) -> bool:
    if not signature:
        return False
    expected = signature_for(body, channel_secret)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace"))


class BadBody(ValueError):
    """A signed body that JSON cannot represent safely, or that is not an event list."""


# The largest integer a LINE webhook carries is a millisecond timestamp (13 digits); far past
# that (Python refuses 4 300) a number is no event's.
MAX_INT_DIGITS = 100


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise BadBody("integer too long")
    return int(digits)


def _float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise BadBody("number out of range")
    return number


def _constant(name: str) -> float:
    raise BadBody(f"{name} is not JSON")


def parse_events(body: bytes) -> list[Any]:
    """The events of a webhook body, every string cleaned (`bot.textclean`). Raises `BadBody`
    for what JSON cannot represent safely: invalid UTF-8, nesting past `textclean.MAX_DEPTH`
    (100 000 levels would exhaust the parser's recursion), integers past `MAX_INT_DIGITS`
    (5 000 digits exceed Python's int conversion limit), NaN/Infinity."""
    try:
        payload = json.loads(body.decode("utf-8"), parse_int=_int, parse_float=_float, parse_constant=_constant)
        payload = textclean.clean(payload)
    except BadBody:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError, int limits, Unsafe
        raise BadBody(type(exc).__name__) from None
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise BadBody("body has no events list")
    return events


def handle_webhook(
    services: Services, body: bytes, signature: str | None, *, started: float | None = None
) -> tuple[int, dict[str, Any]]:
    """One webhook request → (HTTP status, JSON body): 400 for a missing or wrong signature or
    a body that is not a safe event list (nothing stored), else 200 once every event is
    handled or recorded in the backlog (the worker handles those; nothing is lost).

    Events are handled in order while the request is younger than `DEFER_AFTER_SECONDS`;
    the rest of a large batch is written to the backlog in one transaction before the
    answer, so LINE gets its 200 within 2 s whatever the batch size. So are an event that
    could be neither handled nor filed in time (its chat stayed locked, and the backlog too)
    and those after it. If even that write fails or waits too long, the answer is 500 (LINE
    may redeliver; what was handled is de-duplicated)."""
    from handlers import dispatch
    from handlers.events import LATE_WRITE_SECONDS

    started = time.monotonic() if started is None else started
    if not _signature_ok(body, signature, services.settings.LINE_CHANNEL_SECRET):
        log.warning("webhook rejected: missing or wrong signature")
        return 400, {"error": "invalid signature"}
    try:
        events = parse_events(body)
    except BadBody as exc:
        log.warning("webhook rejected: %s", exc)
        return 400, {"error": "body is not a valid event list"}

    deadline = started + services.settings.WEBHOOK_BUDGET_SECONDS
    defer_after = started + min(DEFER_AFTER_SECONDS, services.settings.WEBHOOK_BUDGET_SECONDS * 0.6)
    later: list[Any] = []
    for index, event in enumerate(events):
        if time.monotonic() >= defer_after:
            later.extend(events[index:])
            break
        # An event of a chat that still has events in the backlog joins them there, in the
        # event's own transaction (`behind_backlog`): one user's messages stay in order. No
        # wait for a lock lasts past the event's share of the budget (`bounded_waits`).
        if not dispatch(services, event, deadline=deadline, behind_backlog=True, bounded_waits=True):
            # Nothing of it is stored: it, and the rest after it (in order), for the backlog.
            later.extend(events[index:])
            break
    if later:
        try:
            _defer(services, later, deadline + LATE_WRITE_SECONDS)
        except (DBAPIError, LockTimeout):
            log.exception("webhook: %d events could not be recorded for later", len(later))
            return 500, {"error": "try again"}
        log.info("webhook: %d of %d events left to the worker", len(later), len(events))
    return 200, {}


def _defer(services: Services, events: list[Any], lock_deadline: float) -> None:
    """Record `events` in the backlog, in order, in one transaction that waits for locks until
    `lock_deadline` at most (`LockTimeout`)."""
    now = services.clock.now()
    rows = [backlog_row(event, now) for event in events if isinstance(event, dict)]
    if rows:
        with services.db.transaction(lock_deadline=lock_deadline) as tx:
            session = tx.session
            session.execute(insert(WebhookBacklog), rows)


class WebhookEdge:
    """WSGI middleware: `POST /callback` → `handle_webhook`; anything else → the Flask app."""

    def __init__(self, app: Callable[..., Iterable[bytes]], services: Services) -> None:
        self.app = app
        self.services = services

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/callback":
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, 405, {"error": "method not allowed"}, [("Allow", "POST")])
        started = time.monotonic()
        try:
            body = _read_body(environ, started + BODY_READ_SECONDS)
        except RequestEntityTooLarge:
            log.warning("webhook rejected: body over %d bytes", MAX_BODY_BYTES)
            return _answer(start_response, 413, {"error": "body too large"})
        except (TimeoutError, OSError):
            log.warning("webhook rejected: body not received within %g s", BODY_READ_SECONDS)
            return _answer(start_response, 408, {"error": "request timeout"}, [("Connection", "close")])
        status, answer = handle_webhook(self.services, body, environ.get("HTTP_X_LINE_SIGNATURE"), started=started)
        return _answer(start_response, status, answer)


def _read_body(environ: dict[str, Any], deadline: float) -> bytes:
    """The request body (Werkzeug's reading: Content-Length, or a chunked body the server has
    ended; over the limit refused before it is read), within `deadline` (time.monotonic()).

    Under gunicorn the socket itself bounds each wait (`bot.gunicorn_worker`, the shipped
    worker class, gives every request a deadline to arrive); here each read also gets the
    time left, so a client trickling its body cannot hold the thread past the deadline."""
    stream = get_input_stream(environ, max_content_length=MAX_BODY_BYTES)
    sock = environ.get("gunicorn.socket")
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request body too slow")
        if sock is not None and hasattr(sock, "set_deadline"):
            sock.set_deadline(deadline)
        elif sock is not None and hasattr(sock, "settimeout"):
            sock.settimeout(left)
        chunk = stream.read(16384)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _answer(
    start_response: Callable[..., Any], status: int, body: dict[str, Any], headers: list[tuple[str, str]] | None = None
) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *(headers or [])],
    )
    return [data]


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """503 when the database is unreachable. `line` tells whether LINE takes pushes: "ok", or
    "monthly_quota_reached" while the channel is paused (deliveries wait; DESIGN §7)."""
    services: Services = current_app.extensions["rianto"]
    ok = services.db.ping()
    body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}
    if ok:
        from bot.worker import quota_pause

        try:
            pause = quota_pause(services)
        except DBAPIError:
            pause = None
        body["line"] = "monthly_quota_reached" if pause else "ok"
        if pause:
            body["status"] = "degraded"
            body["line_paused_since"] = pause.since.isoformat()
            body["line_next_retry_at"] = pause.retry_at.isoformat()
            body["admin_told"] = pause.notice or "not yet"
    return jsonify(body), 200 if ok else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.wsgi_app = WebhookEdge(app.wsgi_app, app.extensions["rianto"])  # type: ignore[method-assign]
