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
from nlp.thaitime import BANGKOK

EXPORT_FIELDS = (
    "ref",
    "status",
    "close_reason",
    "office_code",
    "delivery_status",
    "delivered_to",
    "routing_reason",
    "name",
    "age",
    "grade",
    "grade_status",
    "next_level",
    "province_code",
    "district_code",
    "role",
    "reason",
    "path",
    "phone",
    "compulsory_age",
    "created_at",
    "accepted_at",
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
    from handlers import texts
    from handlers.staff import LINK_CODE_TTL, UnknownOffice, create_link_code

    services = _services()
    office_code = office_code.strip()
    now = services.clock.now()
    try:
        with services.db.transaction() as tx:
            session = tx.session
            code = create_link_code(session, office_code, now)
            office = session.get(Office, office_code)
    except UnknownOffice:
        raise click.ClickException(
            f"no office has code {office_code!r} (4-digit district or 2-digit province code; see `offices list`)"
        ) from None
    if office is None:  # create_link_code raises UnknownOffice first; this narrows the type
        raise click.ClickException(f"no office has code {office_code!r}")
    until = (now + LINK_CODE_TTL).astimezone(BANGKOK).strftime("%H:%M")
    click.echo(f"One-time link code for {office.name} ({office_code}), valid until {until} Bangkok time (30 minutes).")
    if office.line_group_id:
        click.echo("Note: this office is already linked to a group; using the code moves it to the new group.")
    click.echo("Add the bot to the office's LINE group, then someone in the group types:")
    click.echo(f"    {texts.link_command(code)}")
    click.echo(code)


@offices.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_offices(path: str) -> None:
    """Update phones, addresses, hours and map links from a CSV: a `code` column (4-digit
    district or 2-digit province code) and any of phone, address, hours, map_url, name
    (Thai headers such as รหัส, โทรศัพท์, ที่อยู่, เวลาทำการ, แผนที่ work too). Empty cells
    change nothing. Problems are listed by line on stderr; the rest is applied."""
    from models.directory import import_csv

    with _services().db.transaction() as tx:
        session = tx.session
        report = import_csv(session, path)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
    if report.fatal:
        raise click.ClickException("nothing imported")
    click.echo(
        f"{report.updated} offices updated, {report.unchanged} unchanged, {report.skipped} rows skipped, "
        f"{len(report.problems)} problems."
    )


@offices.command("list")
@click.option("--linked", is_flag=True, help="Only offices with a LINE group.")
@with_appcontext
def list_offices(linked: bool) -> None:
    """Every office: code, name, whether a LINE group is linked, phone."""
    with _services().db.transaction(write=False) as tx:
        session = tx.session
        query = select(Office).order_by(Office.code)
        if linked:
            query = query.where(Office.line_group_id.is_not(None))
        for office in session.scalars(query):
            click.echo(
                f"{office.code}\t{office.name}\t{'linked' if office.line_group_id else '-'}\t{office.phone or ''}"
            )


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
    with _services().db.transaction(write=False) as tx:
        session = tx.session
        for case in session.scalars(select(Case).order_by(Case.id)):
            click.echo(json.dumps(case_record(case), ensure_ascii=False))


@cases.command("pending")
@with_appcontext
def pending_cases() -> None:
    """Open cases whose card has reached no group yet (no group linked, or LINE refused it),
    oldest first: reference, owning office, waiting time, why."""
    from handlers.lifecycle import OPEN_STATUSES

    services = _services()
    now = services.clock.now()
    count = 0
    with services.db.transaction(write=False) as tx:
        session = tx.session
        query = select(Case).where(Case.delivery_status == "pending", Case.status.in_(OPEN_STATUSES)).order_by(Case.id)
        for case in session.scalars(query):
            hours = (now - case.created_at).total_seconds() / 3600
            click.echo(f"{case.ref}\t{case.office_code or '-'}\twaiting {hours:.1f} h\t{case.routing_reason or ''}")
            count += 1
    click.echo(
        f"{count} cases waiting for a group; link one with `offices link-code CODE`."
        if count
        else "No case is waiting for a group."
    )


def register(app: Flask) -> None:
    app.cli.add_command(offices)
    app.cli.add_command(cases)
