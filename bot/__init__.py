"""RianTo's web app. `create_app(config)` builds it; nothing happens at import time."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.sessions import SessionInterface

from bot import config as config_module
from bot.clock import SystemClock
from bot.line import LineApi, SdkLineClient
from bot.services import Services
from models import Database

log = logging.getLogger("bot")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `config` overrides the environment; it may also carry service objects
    (`CLOCK`, `LINE_CLIENT`, `DATABASE`: a `models.Database`) to swap in, as tests do."""
    app = Flask(__name__, instance_relative_config=True)
    app.session_interface = _NoSessions()
    overrides = dict(config or {})
    settings = config_module.load(overrides, instance_path=app.instance_path)
    app.config.update(settings.as_flask_config())
    _configure_logging()

    db = overrides.get("DATABASE") or Database(settings.DATABASE_URL)
    # One SDK ApiClient for the process (one pool, one configuration): messages and rich menus.
    line = overrides.get("LINE_CLIENT")
    if isinstance(line, SdkLineClient):
        line_api = line.api
    else:
        line_api = LineApi(
            settings.LINE_API_BASE_URL,
            settings.LINE_CHANNEL_ACCESS_TOKEN,
            data_base_url=settings.LINE_DATA_API_BASE_URL,
        )
        line = line or SdkLineClient(api=line_api, timeout=settings.LINE_TIMEOUT_SECONDS)
    clock = overrides.get("CLOCK") or SystemClock()
    services = Services(settings=settings, db=db, line=line, clock=clock, line_api=line_api)
    app.extensions["rianto"] = services

    from bot import cli, console, privacy, webhook

    webhook.init_app(app)
    privacy.init_app(app)  # GET /privacy: the full notice the consent links to
    cli.init_app(app)
    console.init_app(app)  # /console; its sessions replace _NoSessions, under /console only

    if settings.LOCAL_MODE:
        from bot import simulator

        simulator.init_app(app)
        log.warning(
            "LOCAL MODE (LOCAL_MODE=1): the LINE API is a fake inside this process (%s) and the simulator is at %s/",
            settings.LINE_API_BASE_URL,
            settings.PUBLIC_URL,
        )
    return app


class _NoSessions(SessionInterface):
    """RianTo keeps no browser sessions (LINE signs the webhook; the simulator keeps its
    state in the page), so no request reads or signs a session cookie."""

    def open_session(self, app: Flask, request: Any) -> None:
        return None

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        return None


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
