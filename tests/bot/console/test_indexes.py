"""Migration 0008's indexes are what PostgreSQL reads for the statements they were made for (at
1,000,000 cases each of these was a sequential scan of `cases`): `เรื่องค้าง` in an office's, a
province's and the admin group, and the console's nickname search. The statements are the ones
the app runs, captured as they run on a database bulk-loaded with bench.console's seeding, and
EXPLAINed there."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from bench.console import bulk_load
from bot.config import with_overrides
from bot.console import queries
from bot.console.scope import Scope
from models.console import NAME_SEARCH_INDEX
from tests.support.journeys import linked_group
from tests.support.line_events import texts_of

SEEDED = 20_000
ADMIN_GROUP = "Cadmin000000000000000000000000001"


@pytest.fixture
def seeded(backend, database_url, services):
    """`services` on a database that commits (`database_url`: bulk_load's own connections see
    the offices the app seeded), with SEEDED cases."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL's plans")
    bulk_load(services.db.url, SEEDED, services.clock.now())
    return services


@contextmanager
def captured(services) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs on `cases` run inside the block, with their parameters."""
    statements: list[tuple[str, Any]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
            statements.append((statement, parameters))

    event.listen(services.db.engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(services.db.engine, "before_cursor_execute", keep)


def plans(services, statements: list[tuple[str, Any]]) -> list[str]:
    with services.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        found = []
        for statement, parameters in statements:
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN " + statement, parameters)
                found.append("\n".join(row[0] for row in cursor.fetchall()))
        return found


def test_group_queues_read_their_own_indexes(line, seeded):
    services = seeded
    services.settings = with_overrides(services.settings, ADMIN_GROUP_ID=ADMIN_GROUP)
    groups = {
        "ix_cases_open_province_queue": linked_group(line, "52"),
        "ix_cases_admin_queue": line.group(ADMIN_GROUP),
        "ix_cases_office_status_created": linked_group(line, "5208"),
    }
    for index, group in groups.items():
        with captured(services) as statements:
            reply = group.say("เรื่องค้าง")
        assert reply and texts_of(reply)
        assert statements, index
        for plan in plans(services, statements):
            assert "Seq Scan on cases" not in plan, plan
            if index != "ix_cases_office_status_created":  # an office's few cases: any of its indexes
                assert index in plan, plan


@pytest.mark.parametrize("scope", [Scope("admin"), Scope("province", "52")])
def test_nickname_search_reads_the_trigram_index(seeded, scope):
    services = seeded
    with captured(services) as statements, services.db.transaction(write=False) as tx:
        session = tx.session
        page = queries.case_list(
            session,
            scope,
            queries.ListFilters(q="ผู้สมัคร1234"),
            now=services.clock.now(),
            sla_hours=services.settings.REFERRAL_SLA_HOURS,
        )
    assert all("ผู้สมัคร1234" in row.name for row in page.rows)
    assert statements
    for plan in plans(services, statements):
        assert NAME_SEARCH_INDEX in plan and "Seq Scan on cases" not in plan, plan
