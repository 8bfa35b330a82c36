"""The web edge: `POST /callback` (LINE webhook) and `GET /healthz`.

The webhook is thin: verify the signature over the raw bytes before anything else, parse,
hand each event to `handlers.dispatch` in isolation, and answer. Events are handled within
the request, under a time budget: replies still owed when the budget is spent go to the
outbox instead, so LINE always gets its 200 within 2 s.

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
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_input_stream

import handlers
from bot.services import Services

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)
# LINE's webhook bodies are a few kilobytes (at most a few events); anything far larger is
# refused before it is read.
MAX_BODY_BYTES = 1024 * 1024


def signature_for(body: bytes, channel_secret: str) -> str:
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _signature_ok(body: bytes, signature: str | None, channel_secret: str) -> bool:
    if not signature:
        return False
    expected = signature_for(body, channel_secret)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace"))


def handle_webhook(services: Services, body: bytes, signature: str | None) -> tuple[int, dict[str, Any]]:
    """One webhook request → (HTTP status, JSON body): 400 for a missing or wrong signature or
    a body that is not an event list (nothing stored), else every event handled and 200."""
    if not _signature_ok(body, signature, services.settings.LINE_CHANNEL_SECRET):
        log.warning("webhook rejected: missing or wrong signature")
        return 400, {"error": "invalid signature"}
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return 400, {"error": "body is not JSON"}
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return 400, {"error": "body has no events list"}

    deadline = time.monotonic() + services.settings.WEBHOOK_BUDGET_SECONDS
    for event in events:
        handlers.dispatch(services, event, deadline=deadline)
    return 200, {}


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
        try:
            # Werkzeug's reading of a request body (Content-Length, or a chunked body the
            # server has ended), refusing one over the limit before reading it.
            body = get_input_stream(environ, max_content_length=MAX_BODY_BYTES).read()
        except RequestEntityTooLarge:
            log.warning("webhook rejected: body over %d bytes", MAX_BODY_BYTES)
            return _answer(start_response, 413, {"error": "body too large"})
        status, answer = handle_webhook(self.services, body, environ.get("HTTP_X_LINE_SIGNATURE"))
        return _answer(start_response, status, answer)


def _answer(start_response: Callable[..., Any], status: int, body: dict[str, Any], headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *(headers or [])])
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
