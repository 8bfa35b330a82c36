"""Local mode: the LINE fake inside this process (at `/_line`) and the simulator page at `/`.

The page chats as a youth (1:1) and as an office's LINE group. Every action becomes a real
webhook event — signed with the channel secret and POSTed over HTTP to this app's own
`/callback` — so the real webhook, database and worker do the work; replies and pushes are
read back from the fake.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

import geothai
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client as WerkzeugClient
from werkzeug.wrappers import Response

from bot import richmenu
from bot.config import LOCAL_FAKE_PREFIX
from bot.fakeline import FakeLine
from bot.services import Services
from bot.webhook import signature_for
from handlers import texts
from handlers.ports import LineError, error_for

log = logging.getLogger(__name__)
bp = Blueprint(
    "simulator", __name__, template_folder="templates", static_folder="static", static_url_path="/sim/static"
)
STAFF_NAMES = texts.DEMO_STAFF_NAMES


def _fake() -> FakeLine:
    return current_app.extensions["fakeline"]


def _services() -> Services:
    return current_app.extensions["rianto"]


@bp.get("/")
def page() -> str:
    _ensure_demo_directory()
    return render_template("simulator.html")


def _ensure_demo_directory() -> None:
    """Local mode shows office answers whole: the demo directory is loaded (init-db does it;
    this covers a database migrated without it), once per process."""
    if current_app.extensions.get("rianto.demo_loaded"):
        return
    from models.directory import load_demo_directory

    try:
        with _services().db.transaction() as tx:
            session = tx.session
            filled = load_demo_directory(session)
    except SQLAlchemyError as exc:  # not migrated yet: `flask --app bot init-db` does it
        log.warning("simulator: demo office directory not loaded (%s)", type(exc).__name__)
        return
    current_app.extensions["rianto.demo_loaded"] = True
    if filled:
        log.info("simulator: demo office directory loaded on %d offices", filled)


def _message_id() -> str:
    return str(10**17 + uuid.uuid4().int % (9 * 10**17))


def build_event(payload: dict[str, Any], reply_token: str) -> dict[str, Any]:
    chat_type = payload.get("chat_type", "user")
    chat = str(payload.get("chat") or "")
    if chat_type == "group":
        source = {
            "type": "group",
            "groupId": chat,
            "userId": str(payload.get("user") or "Ustaff0000000000000000000000000001"),
        }
    else:
        source = {"type": "user", "userId": chat}
    kind = payload.get("kind", "text")
    event: dict[str, Any] = {
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": source,
        "webhookEventId": "01" + uuid.uuid4().hex.upper()[:24],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": reply_token,
    }
    if kind == "text":
        message = {
            "id": _message_id(),
            "type": "text",
            "text": str(payload.get("text", ""))[:5000],
            "quoteToken": uuid.uuid4().hex,
        }
        quoted = payload.get("quotedMessageId")
        if isinstance(quoted, str) and quoted.isdigit():
            message["quotedMessageId"] = quoted  # LINE's quote-reply: the id of the message quoted
        event.update(type="message", message=message)
    elif kind == "sticker":
        event.update(
            type="message",
            message={
                "id": _message_id(),
                "type": "sticker",
                "quoteToken": uuid.uuid4().hex,
                "packageId": str(payload.get("packageId") or "446"),
                "stickerId": str(payload.get("stickerId") or "1988"),
                "stickerResourceType": "STATIC",
            },
        )
    elif kind == "image":
        event.update(
            type="message",
            message={
                "id": _message_id(),
                "type": "image",
                "quoteToken": uuid.uuid4().hex,
                "contentProvider": {"type": "line"},
            },
        )
    elif kind == "postback":
        event.update(type="postback", postback={"data": str(payload.get("data", ""))[:300]})
    elif kind == "location":
        event.update(
            type="message",
            message={
                "id": str(uuid.uuid4().int)[:18],
                "type": "location",
                "title": texts.SHARED_LOCATION_TITLE,
                "address": str(payload.get("address", "")),
                "latitude": float(payload.get("lat", 13.75)),
                "longitude": float(payload.get("lng", 100.5)),
            },
        )
    elif kind in ("follow", "join"):
        event.update(type=kind)
        if kind == "follow":
            event["follow"] = {"isUnblocked": False}
    else:
        abort(400)
    return event


def post_event(event: dict[str, Any]) -> int:
    """Sign the event like LINE does and POST it to this app's own webhook."""
    services = _services()
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event]}, ensure_ascii=False).encode()
    req = urllib.request.Request(
        services.settings.PUBLIC_URL.rstrip("/") + "/callback",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Line-Signature": signature_for(body, services.settings.LINE_CHANNEL_SECRET),
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@bp.post("/sim/api/send")
def send() -> Any:
    payload = request.get_json(silent=True) or {}
    chat = payload.get("chat")
    if not isinstance(chat, str) or not chat:
        return jsonify({"error": "chat is required"}), 400
    if payload.get("chat_type") == "group":
        user = str(payload.get("user") or "Ustaff0000000000000000000000000001")
        _fake().set_profile(user, STAFF_NAMES.get(user, texts.UNKNOWN_STAFF))
    event = build_event(payload, _fake().issue_reply_token(chat))
    status = post_event(event)
    return jsonify({"status": status, "webhookEventId": event["webhookEventId"]})


@bp.get("/sim/api/messages")
def messages() -> Any:
    chat = request.args.get("chat") or None
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        after = 0
    items = _fake().sent_after(after, chat)
    return jsonify({"messages": [s.as_json() for s in items], "last": max([after] + [s.seq for s in items])})


@bp.post("/sim/api/link-group")
def link_group() -> Any:
    """What an operator and an office do: `offices link-code`, invite the bot, type the code."""
    from handlers.staff import UnknownOffice, create_link_code
    from models import Office

    payload = request.get_json(silent=True) or {}
    group, office_code = payload.get("group"), str(payload.get("office") or "").strip()
    if not isinstance(group, str) or not group:
        return jsonify({"error": "group is required"}), 400
    services = _services()
    try:
        with services.db.transaction() as tx:
            session = tx.session
            code = create_link_code(session, office_code, services.clock.now())
            office = session.get(Office, office_code)
            name = office.name if office else office_code
    except UnknownOffice:
        return jsonify({"error": texts.demo_unknown_office(office_code)}), 404
    user = str(payload.get("user") or "") if payload.get("user") in STAFF_NAMES else next(iter(STAFF_NAMES))
    _fake().set_profile(user, STAFF_NAMES[user])
    for event in (
        build_event({"chat_type": "group", "chat": group, "kind": "join"}, _fake().issue_reply_token(group)),
        build_event(
            {"chat_type": "group", "chat": group, "user": user, "kind": "text", "text": texts.link_command(code)},
            _fake().issue_reply_token(group),
        ),
    ):
        post_event(event)
    return jsonify({"linked": office_code, "office": office_code, "name": name, "code": code})


@bp.get("/sim/api/places")
def places() -> Any:
    province = request.args.get("province")
    if province:
        return jsonify([{"code": d.code, "name": d.name_th} for d in geothai.districts(province)])
    return jsonify([{"code": p.code, "name": p.name_th} for p in geothai.provinces()])


@bp.get("/sim/api/address")
def address() -> Any:
    """A Thai address text for a district, like LINE's location message carries."""
    district = geothai.district(request.args.get("district", ""))
    if district is None:
        return jsonify({"error": "unknown district"}), 404
    province = geothai.province(district.province_code)
    if province is None:
        return jsonify({"error": "unknown province"}), 404
    subs = geothai.subdistricts(district.code)
    postal = subs[0].postal_codes[0] if subs and subs[0].postal_codes else ""
    text = texts.shared_address(district.name_th, province.name_th, postal, bangkok=province.code == "10")
    return jsonify({"address": text})


class InProcessRichMenuApi(richmenu.RichMenuApi):
    """The rich-menu calls made to the fake in this process directly (no HTTP to ourselves):
    the simulator deploys the menus on its first look, before any server may be listening."""

    def __init__(self, fake: FakeLine, access_token: str) -> None:
        super().__init__("", "", access_token)
        self._client = WerkzeugClient(fake.wsgi_app)
        self._headers = {"Authorization": f"Bearer {access_token}"}

    def _call(
        self, method: str, path: str, *, body: Any = None, content_type: str | None = None, data_host: bool = False
    ) -> dict[str, Any]:
        headers = dict(self._headers)
        if body is not None and content_type is None:
            body, content_type = json.dumps(body, ensure_ascii=False).encode(), "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        response = self._client.open(path, method=method, data=body, headers=headers)
        if not 200 <= response.status_code < 300:
            raise error_for(response.status_code, response.get_data())
        data = response.get_data()
        answer = json.loads(data) if data and response.mimetype == "application/json" else {}
        return answer if isinstance(answer, dict) else {}


_deploy_lock = threading.Lock()


def _menu_of(user: str) -> dict[str, Any] | None:
    """The rich menu the fake shows `user`, deploying the menus first when the fake has none
    (it keeps them in memory: a restart of local mode forgets them)."""
    fake = _fake()
    if not fake.rich_menus():
        with _deploy_lock:
            if not fake.rich_menus():
                services = _services()
                richmenu.deploy(services, InProcessRichMenuApi(fake, services.settings.LINE_CHANNEL_ACCESS_TOKEN))
    rich_menu_id = fake.rich_menu_of(user)
    entry = fake.rich_menus().get(rich_menu_id or "")
    if entry is None:
        return None
    return {"richMenuId": rich_menu_id, **entry["menu"]}


@bp.get("/sim/api/richmenu")
def rich_menu() -> Any:
    """The rich menu a user sees now (linked to them, else the default), with its image's URL."""
    user = request.args.get("user") or ""
    if not user:
        return jsonify({"error": "user is required"}), 400
    try:
        menu = _menu_of(user)
    except (LineError, richmenu.FontMissing) as exc:
        log.warning("simulator: rich menus unavailable (%s)", type(exc).__name__)
        return jsonify({"richMenuId": None})
    if menu is None:
        return jsonify({"richMenuId": None})
    menu["image"] = url_for("simulator.rich_menu_image", rich_menu_id=menu["richMenuId"])
    return jsonify(menu)


@bp.get("/sim/api/richmenu/<rich_menu_id>/image")
def rich_menu_image(rich_menu_id: str) -> Any:
    entry = _fake().rich_menus().get(rich_menu_id)
    if entry is None or entry["image"] is None:
        abort(404)
    content_type, data = entry["image"]
    return Response(data, mimetype=content_type, headers={"Cache-Control": "max-age=3600"})


def init_app(app: Flask) -> None:
    services: Services = app.extensions["rianto"]
    fake = FakeLine(access_token=services.settings.LINE_CHANNEL_ACCESS_TOKEN)
    app.extensions["fakeline"] = fake
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {LOCAL_FAKE_PREFIX: fake.wsgi_app})  # type: ignore[method-assign]
    app.register_blueprint(bp)
