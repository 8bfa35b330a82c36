"""Operator commands: `flask --app bot init-db | worker | offices … | cases …`."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot.services import Services
from models import migrate

log = logging.getLogger(__name__)


def _services() -> Services:
    return current_app.extensions["rianto"]


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the schema and seed the office directory (idempotent)."""
    from models.directory import clear_demo_directory, load_demo_directory, seed_offices

    services = _services()
    migrate(services.db)
    with services.db.transaction() as tx:
        session = tx.session
        added = seed_offices(session)
        if services.settings.LOCAL_MODE:
            demo = load_demo_directory(session)
        else:
            cleared = clear_demo_directory(session)
    click.echo(f"Database is up to date ({services.db.engine.dialect.name}); {added} offices added.")
    if services.settings.LOCAL_MODE:
        click.echo(
            f"Local mode: demo office directory (made-up phones, addresses, hours; marked as examples) "
            f"on {demo} offices."
        )
    elif cleared:
        click.echo(f"Demo office details removed from {cleared} offices (they are for local mode only).")


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, run the SLA checks, and exit.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Deliver the outbox with push and run SLA reminders and escalations."""
    from bot.worker import Worker, drain

    services = _services()
    if once:
        report = drain(services)
        click.echo(
            f"delivered {report.delivered}, retrying {report.retried}, failed {report.failed}, "
            f"SLA actions {report.sla_actions}"
        )
        if report.retried and services.settings.LOCAL_MODE:
            click.echo(
                f"Local mode: the LINE fake lives in the web process at {services.settings.LINE_API_BASE_URL}; "
                "start it (`make run`) and the retries go through.",
                err=True,
            )
        return
    Worker(services).run_forever(services.settings.WORKER_POLL_SECONDS)


@click.group("richmenu")
def richmenu_group() -> None:
    """The per-user rich menus (DESIGN §2)."""


@richmenu_group.command("deploy")
@with_appcontext
def richmenu_deploy_command() -> None:
    """Create the rich menus and upload their images through the Messaging API; set the default.

    Idempotent: unchanged menus stay; a changed menu replaces the old one and its users are
    linked to the new one."""
    from bot import richmenu
    from handlers.ports import LineError

    services = _services()
    try:
        report = richmenu.deploy(services)
    except richmenu.FontMissing as exc:
        raise click.ClickException(str(exc)) from None
    except LineError as exc:
        raise click.ClickException(f"LINE refused the rich menu: {exc}") from None
    for menu, rich_menu_id in report.created.items():
        click.echo(f"{menu}: created {rich_menu_id} (image uploaded)")
    for menu, rich_menu_id in report.unchanged.items():
        click.echo(f"{menu}: unchanged {rich_menu_id}")
    if report.relinked:
        click.echo(f"{report.relinked} users with an open case linked to the new case_open menu")
    if report.deleted:
        click.echo(f"replaced menus deleted: {', '.join(report.deleted)}")
    click.echo(f"default rich menu: {report.default}")


def init_app(app: Flask) -> None:
    from bot import cli_cases

    app.cli.add_command(init_db_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(richmenu_group)
    cli_cases.register(app)
