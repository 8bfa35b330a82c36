"""Review fixes in the console (issue 10 review): a transfer is delivered as a referral is
(pending until LINE accepts the card, passed on when LINE refuses it)."""

from __future__ import annotations

from sqlalchemy import select

from models import Case, OutboxMessage
from tests.bot.console.test_console import csrf_of, link_group, login_link, make_case, sign_in

MEUANG = "Cgroup5201" + "0" * 23
PROVINCE = "Cgroup52" + "0" * 25
THOEN = "Cgroup5208" + "0" * 23


def _transfer(app, case: Case, to: str = "5201", reason: str = "ย้ายบ้าน") -> None:
    client = sign_in(app, login_link(app, "--office", "5208"))
    token = csrf_of(client.get(f"/console/cases/{case.id}").text)
    done = client.post(f"/console/cases/{case.id}/transfer", data={"csrf_token": token, "office": to, "reason": reason})
    assert done.status_code == 302, done.text


def _rows(services, kind: str) -> list[OutboxMessage]:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_a_transfer_is_pending_until_line_accepts_the_card(app, services, clock, line, fake_line):
    link_group(services, "5208", THOEN)
    own = make_case(services, clock, district="5208", name="ต้นเถิน")
    line.run_worker()
    link_group(services, "5201", MEUANG)
    _transfer(app, own)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.office_code, case.delivery_status) == ("5201", "pending")
    line.run_worker()
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.delivery_status, case.delivered_to) == ("delivered", "5201")
    (row,) = _rows(services, "transfer")
    assert (row.to, row.status) == (MEUANG, "delivered")
    pushed = [m for s in fake_line.sent(MEUANG) for m in s.messages]
    assert [m["type"] for m in pushed] == ["text", "flex"] and pushed[1]["altText"].startswith("รับโอนเรื่อง")


def test_a_transfer_card_refused_for_good_goes_to_the_province_group(app, services, clock, line, fake_line):
    own = make_case(services, clock, district="5208", name="ต้นเถิน")
    line.run_worker()
    link_group(services, "5201", MEUANG)
    link_group(services, "52", PROVINCE)
    _transfer(app, own)
    # The bot was removed from the receiving group without a leave event: LINE refuses the card
    # (and the youth's notice, pushed in the same batch).
    fake_line.fail_next(
        2,
        400,
        body={"message": "The property, 'to', in the request body is invalid (line-bot not in group)"},
        path_prefix="/v2/bot/message/push",
    )
    line.run_worker()
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.office_code, case.delivery_status, case.delivered_to) == ("5201", "delivered", "52")
    assert sorted((r.to, r.status) for r in _rows(services, "transfer")) == [
        (PROVINCE, "delivered"),
        (MEUANG, "failed"),
    ]
    pushed = [m for s in fake_line.sent(PROVINCE) for m in s.messages]
    assert [m["type"] for m in pushed] == ["text", "flex"] and own.ref in pushed[0]["text"]


def test_a_transfer_refused_everywhere_stays_pending_and_visible(app, services, clock, line, fake_line):
    own = make_case(services, clock, district="5208", name="ต้นเถิน")
    line.run_worker()
    link_group(services, "5201", MEUANG)
    _transfer(app, own)
    fake_line.fail_next(2, 403, body={"message": "Forbidden"}, path_prefix="/v2/bot/message/push")
    line.run_worker()
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.office_code, case.delivery_status) == ("5201", "pending")


def test_a_card_on_its_way_to_the_former_office_is_withdrawn(app, services, clock, line, fake_line):
    link_group(services, "5208", THOEN)
    own = make_case(services, clock, district="5208", name="ต้นเถิน")  # its referral not pushed yet
    link_group(services, "5201", MEUANG)
    _transfer(app, own)
    line.run_worker()
    (referral,) = _rows(services, "referral")
    assert referral.status == "cancelled"
    assert not [m for s in fake_line.sent(THOEN) for m in s.messages if m["type"] == "flex"]
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Case, own.id).delivered_to == "5201"


# -- one catalog ---------------------------------------------------------------------------------


def test_the_console_names_each_value_as_the_card_and_the_group_do():
    from bot.console import labels
    from handlers import lifecycle, texts

    assert labels.REASONS is texts.REASON_NAMES and labels.REASONS["legal"] == "เรื่องทางกฎหมาย"
    assert labels.CLOSE_REASONS is texts.CLOSE_REASON_NAMES
    assert labels.GRADES is texts.GRADE_NAMES and labels.NEXT_LEVELS is texts.NEXT_LEVEL_NAMES
    assert labels.GRADE_STATUSES["completed"] == texts.STATUS_NAMES["completed"] == "จบแล้ว"
    assert labels.PATHS is texts.PATH_NAMES and labels.ROLES is texts.ROLE_NAMES
    assert set(labels.STATUSES) == set(lifecycle.STATUSES)
    assert {k: labels.STATUSES[k] for k in texts.GROUP_STEP_NAMES} == texts.GROUP_STEP_NAMES
    assert {k: labels.ACTIONS[k] for k in texts.CARD_ACTIONS} == texts.CARD_ACTIONS


def test_case_page_names_the_reason_and_the_home_as_the_card_does(app, services, clock):
    own = make_case(services, clock, district="5208", name="ต้นเถิน", reason="documents", grade_status="completed")
    client = sign_in(app, login_link(app, "--office", "5208"))
    page = client.get(f"/console/cases/{own.id}").text
    assert "ปัญหาเอกสาร" in page and "ไม่มีเอกสาร" not in page
    assert "อำเภอเถิน จังหวัดลำปาง" in page and "(จบแล้ว)" in page


def test_the_console_forms_hold_no_thai_of_their_own():
    from tests.handlers.test_review_fixes_staff import ROOT, _thai_literals

    assert _thai_literals(ROOT / "bot" / "console" / "forms.py") == []


def test_a_calendar_day_is_written_as_the_catalog_writes_dates():
    from datetime import UTC, date, datetime

    from bot.console import labels
    from handlers import texts

    assert labels.thai_day(date(2026, 12, 6)) == texts.thai_date(datetime(2026, 12, 6, 5, tzinfo=UTC), time=False)


def test_a_transferred_case_closed_and_reopened_before_its_card_went_out_gets_one_card(app, services, clock, line):
    own = make_case(services, clock, district="5208", name="ต้นเถิน")
    line.run_worker()
    link_group(services, "5201", MEUANG)
    _transfer(app, own)
    receiving = sign_in(app, login_link(app, "--office", "5201"))
    token = csrf_of(receiving.get(f"/console/cases/{own.id}").text)
    for data in ({"action": "close", "reason": "declined"}, {"action": "reopen"}):
        done = receiving.post(f"/console/cases/{own.id}/action", data={"csrf_token": token, **data})
        assert done.status_code == 302
    cards = [r for r in _rows(services, "transfer") + _rows(services, "referral") if r.to == MEUANG]
    assert [r.status for r in cards] == ["pending"]
    line.run_worker()
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.status, case.delivery_status, case.delivered_to) == ("new", "delivered", "5201")
