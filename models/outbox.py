"""Writing to the outbox. Rows are added to the caller's session, so they commit (or roll
back) together with the change they announce; the worker delivers them after commit.

Every row is linked to what it is about, so that erasure (DESIGN §6) reaches every stored
copy of a card, a notice or a reply: its `case_id`, plus an `OutboxSubject` for each case whose
reference its messages quote (a `เรื่องค้าง` list names several), each case or user named in
`about_cases`/`about_users`, and the user it is addressed to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.orm import Session

from models.faults import OutboxSubject
from models.schema import Case, OutboxMessage, new_outbox_id

# A case reference as `handlers.referrals.make_ref` writes it (RT-2569-000123; seven digits and more
# past case 999,999: the whole number, or RT-2569-1000001 would be read as case 100000's).
CASE_REF = re.compile(r"RT-\d{4}-\d{6,}")
# The fallback of a reply whose recipient's data were erased in the same turn (DESIGN §6): it is
# pushed like any other row and then deleted with its links, so no copy of the LINE user id stays.
ERASED_RECIPIENT_KIND = "erased_reply"


def outbox_row(
    to: str,
    messages: list[dict[str, Any]],
    *,
    kind: str,
    now: datetime,
    case_id: int | None = None,
    target: str | None = None,
) -> dict[str, Any]:
    """The columns of a new outbox row (for a Core insert in the caller's transaction); the
    status and attempts take the table's defaults. A Core insert of a row about something
    other than its `case_id` also inserts `subject_rows(...)`."""
    if not 1 <= len(messages) <= 5:
        raise ValueError("a push carries 1 to 5 messages")
    return {
        "id": new_outbox_id(),
        "to": to,
        "messages": messages,
        "kind": kind,
        "case_id": case_id,
        "target": target,
        "next_attempt_at": now,
        "created_at": now,
    }


def quoted_refs(messages: list[dict[str, Any]]) -> set[str]:
    """The case references that appear anywhere in the messages (text, altText, flex)."""
    return set(CASE_REF.findall(json.dumps(messages, ensure_ascii=False)))


def subject_rows(
    executor: Session | Connection,
    row: dict[str, Any],
    *,
    about_cases: Iterable[int] = (),
    about_users: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The `OutboxSubject` rows of an outbox row (`row`: `outbox_row`'s columns)."""
    cases = set(about_cases)
    refs = quoted_refs(row["messages"])
    if refs:
        cases |= set(executor.execute(select(Case.id).where(Case.ref.in_(sorted(refs)))).scalars())
    cases.discard(row.get("case_id"))  # the column already says it
    users = set(about_users)
    if str(row["to"]).startswith("U"):
        users.add(row["to"])
    return [{"outbox_id": row["id"], "case_id": c, "line_user_id": None} for c in sorted(cases)] + [
        {"outbox_id": row["id"], "case_id": None, "line_user_id": u} for u in sorted(users)
    ]


def enqueue(
    session: Session,
    to: str,
    messages: list[dict[str, Any]],
    *,
    about_cases: Iterable[int] = (),
    about_users: Iterable[str] = (),
    **fields: Any,
) -> OutboxMessage:
    """A new outbox row added to `session` (`fields` as `outbox_row`'s), linked to what it is
    about. `about_cases`/`about_users`: cases and applicants (LINE user ids) the messages
    concern beyond `case_id` and the quoted references, e.g. an enquiry forwarded to a group."""
    values = outbox_row(to, messages, **fields)
    row = OutboxMessage(**values)
    session.add(row)
    links = subject_rows(session, values, about_cases=about_cases, about_users=about_users)
    if links:
        session.flush()  # the row exists before its links (foreign key)
        session.execute(insert(OutboxSubject), links)
    return row


def forget(session: Session, row: OutboxMessage) -> None:
    """Delete a finished outbox row and its links (an `ERASED_RECIPIENT_KIND` row once it was
    delivered or given up): nothing of whom it went to is kept."""
    session.execute(delete(OutboxSubject).where(OutboxSubject.outbox_id == row.id))
    session.delete(row)
