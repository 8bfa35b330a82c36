"""A case's lifecycle as data (DESIGN §5): its statuses, their order, which are open, the close
reasons, and when a case is overdue. Every rule about them reads these (the card buttons, the
group commands, the console, the worker's reminders, the rich menu); the Thai names are in
`handlers.texts`.

new → accepted → contacted → enrolled, or closed (with a reason) from any state before enrolled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func

from models import Case

# The steps forward, in order; `enrolled` is the successful end.
STEPS = ("new", "accepted", "contacted", "enrolled")
STATUSES = (*STEPS, "closed")
# A case someone still has to work on: it can be transferred, counts in `เรื่องค้าง`, and keeps
# the applicant's "case open" menu.
OPEN_STATUSES = ("new", "accepted", "contacted")
FINISHED_STATUSES = ("enrolled", "closed")
CLOSE_REASONS = ("declined", "unreachable", "duplicate", "withdrawn", "enrolled_elsewhere")


def step_index(status: str) -> int:
    """Where a status stands among the steps forward (ValueError for `closed`)."""
    return STEPS.index(status)


def staff_actions(status: str) -> list[str]:
    """What staff may do to a case in this status (the console's buttons): take a new case,
    mark a later step, close an open one, reopen a closed one; an enrolled case is done."""
    if status == "closed":
        return ["reopen"]
    if status not in OPEN_STATUSES:
        return []
    later = [step for step in STEPS[step_index(status) + 1 :] if step != "accepted"]
    return (["accept"] if status == "new" else []) + later + ["close"]


def sla_start() -> ColumnElement[datetime]:
    """When the SLA of a new case started: its delivery to a group (set again by a reopening or
    a transfer), or its submission while no group has had it."""
    return func.coalesce(Case.delivered_at, Case.created_at)


def overdue(now: datetime, sla_hours: float) -> ColumnElement[bool]:
    """A case not accepted within `sla_hours` of the start of its SLA: the one definition, for
    the console's list and case page, its figures, and the worker's reminders.

    `created_at <= limit` is implied (a case is delivered after it is made) and lets the
    database use the index on `created_at`."""
    limit = now - timedelta(hours=sla_hours)
    return and_(Case.status == "new", Case.created_at <= limit, sla_start() <= limit)
