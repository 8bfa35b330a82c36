"""Operator commands for offices and cases: `flask --app bot offices …` and `cases …`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from bot.services import Services
from models import Case, Office

EXPORT_FIELDS = (
    "ref", "status", "close_reason", "office_code", "delivery_status", "delivered_to", "routing_reason",
    "name", "age", "grade", "grade_status", "next_level", "province_code", "district_code", "role",
    "reason", "path", "phone", "compulsory_age", "created_at", "accepted_at",
)


def _services() -> Services:
    return current_app.extensions["rianto"]


@click.group("offices")
def offices() -> None:
    """The office directory and its LINE groups."""


@offices.command("link-code")
@click.argument("office_code")
@with_appcontext
def link_code(office_code: str) -> None:
    """Print a one-time code (valid 30 minutes) to type as `ลงทะเบียน CODE` in the group."""
    from handlers.staff import UnknownOffice, create_link_code

    services = _services()
    try:
        with services.db.transaction() as session:
            office = session.get(Office, office_code)
            code = create_link_code(session, office_code, services.clock.now())
    except UnknownOffice:
        raise click.ClickException(f"no office has code {office_code!r} (4-digit district or 2-digit province code)") from None
    click.echo(f"Link code for {office.name} ({office_code}), valid for 30 minutes.")
    click.echo("Add the bot to the office's LINE group and type there: ลงทะเบียน <code>")
    click.echo(code)


@offices.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_offices(path: str) -> None:
    """Update phones, addresses, hours and map links from a CSV (column `code` + fields)."""
    from models.directory import import_csv

    with _services().db.transaction() as session:
        report = import_csv(session, path)
    for problem in report.problems:
        click.echo(f"skipped: {problem}", err=True)
    click.echo(f"{report.updated} offices updated, {len(report.problems)} rows skipped.")


@offices.command("list")
@click.option("--linked", is_flag=True, help="Only offices with a LINE group.")
@with_appcontext
def list_offices(linked: bool) -> None:
    with _services().db.read() as session:
        query = select(Office).order_by(Office.code)
        if linked:
            query = query.where(Office.line_group_id.is_not(None))
        for office in session.scalars(query):
            click.echo(f"{office.code}\t{office.name}\t{'linked' if office.line_group_id else '-'}\t{office.phone or ''}")


@click.group("cases")
def cases() -> None:
    """Referral cases."""


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if value == "":
        return None
    return value


def case_record(case: Case) -> dict[str, Any]:
    record = {field: _value(getattr(case, field)) for field in EXPORT_FIELDS}
    record["compulsory_age"] = bool(case.compulsory_age)
    return record


@cases.command("export")
@with_appcontext
def export_cases() -> None:
    """All cases as JSON lines (absent values are null)."""
    with _services().db.read() as session:
        for case in session.scalars(select(Case).order_by(Case.id)):
            click.echo(json.dumps(case_record(case), ensure_ascii=False))


def register(app: Flask) -> None:
    app.cli.add_command(offices)
    app.cli.add_command(cases)
