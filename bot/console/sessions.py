"""Browser sessions for the console only.

Flask's signed-cookie session, but opened and saved only under `/console`: the webhook, the
simulator and every other path never read or set a cookie. The cookie is HttpOnly,
SameSite=Lax, Secure when `PUBLIC_URL` is https, scoped to `/console`, and a session ends a
working day after sign-in whatever happens in between (`SESSION_HOURS`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

PREFIX = "/console"
SESSION_HOURS = 10
COOKIE_NAME = "rianto_console"


def _ours(request: Request) -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


class ConsoleSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not _ours(request):
            return None  # Flask's null session: nothing read, nothing written
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        from flask import request

        if not _ours(request):
            return
        super().save_session(app, session, response)

    def get_cookie_name(self, app: Flask) -> str:
        return COOKIE_NAME

    def get_cookie_path(self, app: Flask) -> str:
        return PREFIX

    def get_cookie_httponly(self, app: Flask) -> bool:
        return True

    def get_cookie_samesite(self, app: Flask) -> str:
        return "Lax"

    def get_cookie_secure(self, app: Flask) -> bool:
        return str(app.config.get("PUBLIC_URL", "")).startswith("https://")


def configure(app: Flask) -> None:
    app.session_interface = ConsoleSessions()
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=SESSION_HOURS)
    # The signed cookie's own age check follows the working day; sign-in time is checked too.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.config["WTF_CSRF_TIME_LIMIT"] = SESSION_HOURS * 3600
