"""Review fixes on the staff side (issue 10 review): Thai read only in `nlp`, the case lifecycle
written once, a console transfer delivered as a referral is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from nlp.answers import group_command
from tests.support.journeys import linked_group
from tests.support.line_events import texts_of

ROOT = Path(__file__).resolve().parents[2]
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _thai_literals(path: Path) -> list[str]:
    """String constants with Thai in a module, docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and THAI.search(node.value)
    ]


@pytest.mark.parametrize("said", ["เข้าระบบ", " เข้าสู่ระบบ ", "ลิงก์เข้าระบบ"])
def test_sign_in_is_a_group_command_read_in_nlp(said):
    assert group_command(said) == ("sign_in", ())


def test_sign_in_is_not_read_in_a_longer_message():
    assert group_command("เข้าระบบไม่ได้ค่ะ") is None


def test_the_console_sign_in_handler_reads_no_thai_itself():
    assert _thai_literals(ROOT / "handlers" / "console_signin.py") == []


def test_sign_in_names_the_staff_member_as_the_other_commands_do(line):
    group = linked_group(line, "5208")
    line.fake.set_profile("Ustaff0000000000000000000000000001", "สมศรี")
    said = texts_of(group.say("เข้าสู่ระบบ"))
    assert "คุณสมศรี" in said


# -- the case lifecycle, written once ------------------------------------------------------------


def test_the_lifecycle_is_data_the_catalog_names():
    from handlers import lifecycle, texts

    assert tuple(texts.CLOSE_REASON_NAMES) == lifecycle.CLOSE_REASONS
    assert set(texts.CASE_STATUS_NAMES) == set(lifecycle.STATUSES)
    assert set(lifecycle.OPEN_STATUSES) | set(lifecycle.FINISHED_STATUSES) == set(lifecycle.STATUSES)
    assert lifecycle.staff_actions("new") == ["accept", "contacted", "enrolled", "close"]
    assert lifecycle.staff_actions("accepted") == ["contacted", "enrolled", "close"]
    assert lifecycle.staff_actions("contacted") == ["enrolled", "close"]
    assert lifecycle.staff_actions("enrolled") == []
    assert lifecycle.staff_actions("closed") == ["reopen"]


def _tuples_of_statuses(path: Path) -> list[int]:
    """Lines where a module writes a tuple or list of case statuses itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List) and len(node.elts) >= 3:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if values[:3] == ["new", "accepted", "contacted"]:
                found.append(node.lineno)
    return found


def test_no_module_of_the_staff_side_writes_the_statuses_itself():
    written = {
        str(path.relative_to(ROOT)): lines
        for folder in ("handlers", "bot")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "lifecycle.py" and (lines := _tuples_of_statuses(path))
    }
    assert written == {}


def test_a_case_delivered_again_lately_is_not_overdue_anywhere(line, services, clock):
    """Overdue counts from the card's latest delivery (a reopening, a transfer) everywhere: the
    worker's reminders, the console's list and case page, and its figures' breaches."""
    import re as regex
    from datetime import timedelta

    from handlers import referrals
    from models import Case
    from tests.bot.console.test_console import login_link, make_case, sign_in

    group = linked_group(line, "5208")
    made = make_case(services, clock, district="5208", name="ต้นเถิน")
    line.run_worker()
    clock.advance(hours=60)
    with services.db.transaction() as tx:
        session = tx.session
        session.get(Case, made.id).delivered_at = clock.now() - timedelta(hours=1)  # e.g. reopened an hour ago
    assert referrals.check_slas(services) == 0
    client = sign_in(line.client.application, login_link(line.client.application, "--office", "5208"))
    assert "เกินกำหนด" not in client.get(f"/console/cases/{made.id}").text
    assert made.ref not in client.get("/console/?overdue=1").text
    figures = client.get("/console/figures").text
    assert regex.search(r'id="stat-breaches">0<', figures), figures
    assert group.pushes() and not [m for m in group.pushes() if "เกิน" in m.get("altText", "")]
