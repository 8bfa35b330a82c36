"""`GET /privacy`: the full privacy notice (DESIGN §6), the text the consent question links to.

The notice's version is the consent's (`handlers.texts.CONSENT_VERSION`), so the page a user read
and the version stored with their consent are the same; the retention periods come from settings.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template

from bot.services import Services
from handlers import knowledge, texts

blueprint = Blueprint("privacy", __name__)


@blueprint.get("/privacy")
def notice() -> str:
    services: Services = current_app.extensions["rianto"]
    settings = services.settings
    return render_template(
        "privacy.html",
        version=texts.CONSENT_VERSION,
        retention_days=_days(settings.RETENTION_DAYS),
        abandoned_days=_days(settings.ABANDONED_INTAKE_DAYS),
        contact=knowledge.department_contact(),
    )


def _days(value: float) -> str:
    return f"{value:g}"


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
