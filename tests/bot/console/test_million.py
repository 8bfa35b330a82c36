"""Past case 999,999 (issue 14's million cases): references have seven digits, and a message
quoting one is linked to that case for erasure, not to the case whose reference is its first
six digits."""

from __future__ import annotations

from datetime import UTC, datetime

from models import Case
from models.outbox import outbox_row, quoted_refs, subject_rows

NOW = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)


def test_a_seven_digit_reference_is_read_whole():
    messages = [{"type": "text", "text": "เรื่อง RT-2569-1000001 และ RT-2569-000123"}]
    assert quoted_refs(messages) == {"RT-2569-1000001", "RT-2569-000123"}


def test_a_message_quoting_case_1000001_is_linked_to_it_not_to_case_100000(db):
    with db.transaction() as tx:
        session = tx.session
        for case_id in (100000, 1000001):
            session.add(Case(id=case_id, ref=f"RT-2569-{case_id:06d}", status="new", delivery_status="delivered"))
        session.flush()
        row = outbox_row(
            "Cgroup0000000000000000000000000001",
            [{"type": "text", "text": "ตอบ RT-2569-1000001 สะดวกมาศูนย์วันไหนคะ"}],
            kind="staff",
            now=NOW,
        )
        assert [r["case_id"] for r in subject_rows(session, row)] == [1000001]
