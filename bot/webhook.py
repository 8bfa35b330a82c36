"""The web edge: `POST /callback` (LINE webhook) and `GET /healthz`.

The webhook is thin: verify the signature over the raw bytes before anything else, parse,
hand each event to `handlers.dispatch` in isolation, and answer. Events are handled within
the request, under a time budget: replies still owed when the budget is spent go to the
outbox instead, so LINE always gets its 200 within 2 s.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time

from flask import Blueprint, Flask, Response, current_app, jsonify, request

import handlers
from bot.services import Services

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


def signature_for(body: bytes, channel_secret: str) -> str:
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _signature_ok(body: bytes, signature: str | None, channel_secret: str) -> bool:
    if not signature:
        return False
    expected = signature_for(body, channel_secret)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace"))


def _bad_request(reason: str) -> tuple[Response, int]:
    return jsonify({"error": reason}), 400


@bp.post("/callback")
def callback() -> tuple[Response, int] | Response:
    services: Services = current_app.extensions["rianto"]
    body = request.get_data(cache=False)
    if not _signature_ok(body, request.headers.get("X-Line-Signature"), services.settings.LINE_CHANNEL_SECRET):
        log.warning("webhook rejected: missing or wrong signature")
        return _bad_request("invalid signature")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _bad_request("body is not JSON")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return _bad_request("body has no events list")

    deadline = time.monotonic() + services.settings.WEBHOOK_BUDGET_SECONDS
    for event in events:
        handlers.dispatch(services, event, deadline=deadline)
    return Response(b"{}", status=200, mimetype="application/json")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    services: Services = current_app.extensions["rianto"]
    ok = services.db.ping()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}
    return jsonify(body), 200 if ok else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
