"""The staff console (DESIGN §10) at `/console`: a Flask blueprint, its sessions, and the
operator's `flask --app bot console login-link` command."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from bot.services import Services

console_cli = AppGroup("console", help="The staff console.")


@console_cli.command("login-link")
@click.option(
    "--office", "office", metavar="CODE", help="A district office (4 digits) or provincial office (2 digits)."
)
@click.option("--province", "province", metavar="CODE", help="Every case of a province (2 digits).")
@click.option("--admin", "admin", is_flag=True, help="Every case.")
@with_appcontext
def login_link(office: str | None, province: str | None, admin: bool) -> None:
    """Print a one-time sign-in link (valid 10 minutes, single use) as the last line."""
    from bot.console import labels
    from handlers.console_signin import sign_in_url
    from models import Office
    from models.console import SIGN_IN_TTL, issue_sign_in_token

    chosen = [x for x in (office, province, "admin" if admin else None) if x]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --office CODE, --province CODE, --admin")
    services: Services = current_app.extensions["rianto"]
    now = services.clock.now()
    with services.db.transaction() as tx:
        session = tx.session
        if admin:
            kind, code, title = "admin", None, "admin (every case)"
        else:
            code = (office or province or "").strip()
            found = session.get(Office, code)
            if found is None or (province and found.kind != "province"):
                raise click.ClickException(f"no {'province' if province else 'office'} has code {code!r}")
            kind, title = ("province" if found.kind == "province" else "office"), f"{found.name} ({code})"
        token = issue_sign_in_token(session, kind, code, now=now, issued_to=labels.ADMIN_BY_COMMAND)
    minutes = int(SIGN_IN_TTL.total_seconds() // 60)
    click.echo(f"One-time sign-in link for {title}, valid {minutes} minutes, single use:")
    click.echo(sign_in_url(services.settings.PUBLIC_URL, token))


def init_app(app: Flask) -> None:
    from bot.console import sessions, views

    sessions.configure(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(console_cli)
