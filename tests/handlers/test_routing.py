"""Routing rules (DESIGN §4), table-driven and pure."""

from __future__ import annotations

from datetime import UTC

import pytest

from handlers.routing import NoProvince, compulsory_age, next_level, route


@pytest.mark.parametrize(
    "grade, status, expected",
    [
        (None, None, "primary"),
        ("none", None, "primary"),
        ("p4", "left_during", "primary"),
        ("p6", "left_during", "primary"),
        ("p6", "completed", "lower_secondary"),
        ("m1", "left_during", "lower_secondary"),
        ("m3", "left_during", "lower_secondary"),
        ("m2", "completed", "lower_secondary"),
        ("m3", "completed", "upper_secondary"),
        ("m4", "left_during", "upper_secondary"),
        ("m6", "left_during", "upper_secondary"),
        ("pvc2", "left_during", "upper_secondary"),
        ("m6", "completed", "completed_basic"),
        ("pvc3", "completed", "completed_basic"),
        ("primary", "left_during", "primary"),
        ("primary", "completed", "lower_secondary"),
        ("lower_secondary", "left_during", "lower_secondary"),
        ("lower_secondary", "completed", "upper_secondary"),
        ("upper_secondary", "left_during", "upper_secondary"),
        ("upper_secondary", "completed", "completed_basic"),
        ("vocational", "left_during", "upper_secondary"),
    ],
)
def test_next_level(grade, status, expected):
    assert next_level(grade, status) == expected


@pytest.mark.parametrize(
    "age, grade, status, expected",
    [
        # DESIGN §4 rule 2 (corrected in issue 10): under 15 full years and ม.3 not completed.
        (14, "m2", "left_during", True),
        (14, "m3", "completed", False),
        (14, "m3", "left_during", True),
        (15, "m2", "left_during", False),
        (15, "m3", "left_during", False),
        (16, "m1", "left_during", False),
        (12, "p6", "completed", True),
        (None, "m1", "left_during", False),
        (14, "lower_secondary", "completed", False),
        (13, None, None, True),
        (14, "m4", "left_during", False),
        (14, "pvc1", "left_during", False),
        (14, "vocational", None, False),
        (14, "none", None, True),
    ],
)
def test_compulsory_age(age, grade, status, expected):
    assert compulsory_age(age, grade, status) is expected


GROUPS = {"5208": "Cthoen", "52": "Clampang", "5001": "Cchiangmai-mueang"}


@pytest.mark.parametrize(
    "province, district, groups, admin, owner, delivered_to, group",
    [
        ("52", "5208", GROUPS, "Cadmin", "5208", "5208", "Cthoen"),
        ("52", "5205", GROUPS, "Cadmin", "5205", "52", "Clampang"),
        ("52", None, GROUPS, "Cadmin", "52", "52", "Clampang"),
        ("50", "5002", GROUPS, "Cadmin", "5002", "admin", "Cadmin"),
        ("50", "5002", GROUPS, None, "5002", None, None),
        (None, "5208", GROUPS, None, "5208", "5208", "Cthoen"),
    ],
)
def test_route(province, district, groups, admin, owner, delivered_to, group):
    decision = route(province, district, linked_groups=groups, admin_group=admin)
    assert (decision.office_code, decision.delivered_to, decision.group_id) == (owner, delivered_to, group)
    assert owner in decision.reason


def test_no_case_without_a_province():
    with pytest.raises(NoProvince):
        route(None, None, linked_groups={}, admin_group="Cadmin")


def test_a_case_submitted_while_its_group_is_being_linked_is_not_left_pending(db, database_url):
    """PostgreSQL, READ COMMITTED: routing waits for a link in progress instead of missing it
    (and the link's own sweep of pending cases then cannot miss the case either)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's write transaction is exclusive: the two cannot interleave")
    import threading
    from datetime import datetime
    from types import SimpleNamespace

    from sqlalchemy import text

    from handlers.referrals import create_case
    from models import Case
    from models.directory import seed_offices

    with db.transaction() as tx:
        session = tx.session
        seed_offices(session)
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    settings = SimpleNamespace(ADMIN_GROUP_ID=None)
    slots = {
        "name": "ต้น",
        "age": 17,
        "grade": "m2",
        "grade_status": "left_during",
        "province": "52",
        "district": "5208",
    }
    with db.engine.connect() as linker:
        linker.execute(text("BEGIN"))
        linker.execute(text("UPDATE offices SET line_group_id = 'Cthoen' WHERE code = '5208'"))

        def submit() -> None:
            with db.transaction() as tx:
                session = tx.session
                create_case(session, dict(slots), line_user_id="Uyouth", now=now, settings=settings)

        thread = threading.Thread(target=submit)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive(), "routing did not wait for the link in progress"
        linker.execute(text("COMMIT"))
    thread.join(10)
    with db.transaction(write=False) as tx:
        session = tx.session
        (case,) = session.query(Case).all()
        assert case.routing_reason and "delivered to its group" in case.routing_reason
