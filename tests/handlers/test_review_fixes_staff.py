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
