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
    from models.directory import seed_offices

    services = _services()
    migrate(services.db)
    with services.db.transaction() as session:
        added = seed_offices(session)
    click.echo(f"Database is up to date ({services.db.engine.dialect.name}); {added} offices added.")


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


def init_app(app: Flask) -> None:
    from bot import cli_cases

    app.cli.add_command(init_db_command)
    app.cli.add_command(worker_command)
    cli_cases.register(app)
