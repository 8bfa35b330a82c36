"""The staff console in-process, on SQLite and PostgreSQL: sign-in links (from the CLI and from a
group's `เข้าระบบ` over the signed webhook and the fake LINE), scopes on every page and export,
CSRF, actions, transfer, figures against `cases export`, and the audit record."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import Case, CaseEvent, Office, OutboxMessage
from models.console import CaseTransfer, ConsoleAudit
from tests.bot.console.support import new_case

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STAFF = "Ustaff0000000000000000000000000001"


# -- helpers -----------------------------------------------------------------------------------


def make_case(
    services, clock, *, district: str, name: str = "ต้น", age: int = 17, user: str | None = None, **slots
) -> Case:
    values = {
        "name": name,
        "age": age,
        "grade": "m2",
        "grade_status": "left_during",
        "province": district[:2],
        "district": district,
        "reason": "work",
        **slots,
    }
    with services.db.transaction() as tx:
        session = tx.session
        case = new_case(
            session,
            values,
            line_user_id=user or f"U{name.encode().hex()[:30]:0<32}",
            now=clock.now(),
            settings=services.settings,
        )
    return case


def link_group(services, office_code: str, group_id: str) -> None:
    with services.db.transaction() as tx:
        session = tx.session
        office = session.get(Office, office_code)
        office.line_group_id = group_id


def login_link(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["console", "login-link", *args])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert url.startswith("http") and "/console/login/" in url
    return url


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(app, url: str):
    client = app.test_client()
    path = urlsplit(url).path
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path, data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/console/")
    return client


def refs_on(html: str) -> set[str]:
    """The references of the cases listed (links to case pages)."""
    return set(re.findall(r'">(RT-\d{4}-\d{6})</a>', html))


# -- sign-in -----------------------------------------------------------------------------------


def test_cli_link_signs_in_once_and_a_reused_link_is_refused(app):
    url = login_link(app, "--office", "5208")
    client = sign_in(app, url)
    listing = client.get("/console/")
    assert listing.status_code == 200 and "เถิน" in listing.text
    again = app.test_client()
    page = again.get(urlsplit(url).path)
    assert page.status_code == 403 and "ถูกใช้ไปแล้ว" in page.text
    assert again.get("/console/").status_code == 401


def test_an_expired_link_is_refused(app, clock):
    url = login_link(app, "--province", "52")
    clock.advance(minutes=11)
    client = app.test_client()
    page = client.get(urlsplit(url).path)
    assert page.status_code == 403 and "หมดอายุ" in page.text


def test_a_link_needs_a_post_with_its_csrf_token(app):
    url = login_link(app, "--admin")
    client = app.test_client()
    path = urlsplit(url).path
    client.get(path)
    assert client.post(path, data={}).status_code == 400
    # The link was not spent by the refused POST.
    assert sign_in(app, url).get("/console/audit").status_code == 200


def test_login_link_needs_exactly_one_scope(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["console", "login-link"]).exit_code != 0
    assert runner.invoke(args=["console", "login-link", "--office", "5208", "--admin"]).exit_code != 0
    assert runner.invoke(args=["console", "login-link", "--office", "9999"]).exit_code != 0
    assert runner.invoke(args=["console", "login-link", "--province", "5208"]).exit_code != 0


def test_session_cookie_is_httponly_lax_under_console_only(app, line):
    url = login_link(app, "--office", "5208")
    client = app.test_client()
    path = urlsplit(url).path
    page = client.get(path)
    cookie = page.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # PUBLIC_URL is http here
    assert "Set-Cookie" not in client.get("/healthz").headers
    response = line.post([])
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_session_ends_after_a_working_day(app, clock):
    client = sign_in(app, login_link(app, "--office", "5208"))
    clock.advance(hours=10, minutes=1)
    assert client.get("/console/").status_code == 401


def test_sign_out(app):
    client = sign_in(app, login_link(app, "--office", "5208"))
    listing = client.get("/console/")
    out = client.post("/console/logout", data={"csrf_token": csrf_of(listing.text)})
    assert out.status_code == 302
    assert client.get("/console/").status_code == 401


def test_group_sign_in_shown_in_the_group_when_not_a_friend(app, line, services, clock):
    link_group(services, "5208", "Cgroup5208" + "0" * 23)
    group = line.group("Cgroup5208" + "0" * 23)
    replies = group.say("เข้าระบบ", user_id="U" + "9" * 32)
    said = " ".join(m.get("text", "") for m in replies)
    url = re.search(r"https?://\S+/console/login/\S+", said)
    assert url, said
    client = sign_in(app, url.group(0))
    assert "เถิน" in client.get("/console/").text


def test_group_sign_in_sent_one_to_one_to_a_friend(app, line, services, fake_line):
    link_group(services, "52", "Cgroup52" + "0" * 25)
    fake_line.set_profile(STAFF, "ครูสมศรี")
    group = line.group("Cgroup52" + "0" * 25)
    replies = group.say("เข้าระบบ", user_id=STAFF)
    said = " ".join(m.get("text", "") for m in replies)
    assert "/console/login/" not in said and "แชตส่วนตัว" in said
    line.run_worker()
    pushed = " ".join(m.get("text", "") for s in fake_line.sent(STAFF) if s.kind == "push" for m in s.messages)
    url = re.search(r"https?://\S+/console/login/\S+", pushed)
    assert url, pushed
    client = sign_in(app, url.group(0))
    assert "ลำปาง" in client.get("/console/").text


def test_sign_in_in_an_unlinked_group_gives_no_link(line):
    replies = line.group().say("เข้าระบบ")
    said = " ".join(m.get("text", "") for m in replies)
    assert "/console/login/" not in said


# -- scopes ------------------------------------------------------------------------------------


@pytest.fixture
def three_cases(services, clock):
    own = make_case(services, clock, district="5208", name="ต้นเถิน")
    neighbour = make_case(
        services, clock, district="5201", name="แก้วเมือง", age=14, grade="p6", grade_status="completed"
    )
    elsewhere = make_case(services, clock, district="5001", name="หมอกเชียงใหม่")
    return own, neighbour, elsewhere


def _pages_of(case: Case) -> list[str]:
    return [f"/console/cases/{case.id}", f"/console/r/{case.ref}"]


def test_a_district_office_sees_its_own_cases_and_nothing_else(app, three_cases):
    own, neighbour, elsewhere = three_cases
    client = sign_in(app, login_link(app, "--office", "5208"))
    listing = client.get("/console/").text
    assert refs_on(listing) == {own.ref}
    for other in (neighbour, elsewhere):
        for path in _pages_of(other):
            assert client.get(path).status_code == 404, path
        listing = client.get(f"/console/?q={other.ref}")
        assert f'">{other.ref}</a>' not in listing.text and "ไม่พบเรื่อง" in listing.text
        token = csrf_of(client.get(f"/console/cases/{own.id}").text)
        for action in ("action", "transfer", "answer"):
            posted = client.post(
                f"/console/cases/{other.id}/{action}",
                data={"csrf_token": token, "action": "accept", "office": "5208", "reason": "x", "text": "สวัสดี"},
            )
            assert posted.status_code == 404, action
    exported = client.get("/console/export.csv").data.decode("utf-8-sig")
    assert [row["ref"] for row in csv.DictReader(io.StringIO(exported))] == [own.ref]
    book = load_workbook(io.BytesIO(client.get("/console/export.xlsx").data))
    rows = list(book.active.values)
    assert [r[0] for r in rows[1:]] == [own.ref]
    assert client.get("/console/audit").status_code == 404
    assert client.get("/console/cases/999999").status_code == 404


def test_a_province_sees_its_province_and_the_admin_everything(app, three_cases):
    own, neighbour, elsewhere = three_cases
    province = sign_in(app, login_link(app, "--province", "52"))
    assert refs_on(province.get("/console/").text) == {own.ref, neighbour.ref}
    assert province.get(f"/console/cases/{elsewhere.id}").status_code == 404
    figures = province.get("/console/figures?province=50")  # its own province's, whatever it asks
    assert figures.status_code == 200 and "จังหวัดลำปาง" in figures.text and 'id="stat-new">2<' in figures.text
    admin = sign_in(app, login_link(app, "--admin"))
    assert refs_on(admin.get("/console/").text) == {own.ref, neighbour.ref, elsewhere.ref}
    assert admin.get(f"/console/cases/{elsewhere.id}").status_code == 200


def test_the_list_puts_overdue_and_compulsory_age_first_and_filters(app, services, clock):
    old = make_case(services, clock, district="5208", name="เก่า")
    clock.advance(hours=49)
    young = make_case(services, clock, district="5208", name="เด็ก", age=13, grade="p6", grade_status="completed")
    clock.advance(hours=1)
    recent = make_case(services, clock, district="5208", name="ใหม่")
    assert young.compulsory_age and not recent.compulsory_age
    client = sign_in(app, login_link(app, "--office", "5208"))
    listing = client.get("/console/").text
    order = re.findall(r'">(RT-\d{4}-\d{6})</a>', listing)
    assert order[:3] == [old.ref, young.ref, recent.ref]
    assert refs_on(client.get("/console/?overdue=1").text) == {old.ref}
    assert refs_on(client.get("/console/?compulsory=1").text) == {young.ref}
    assert refs_on(client.get("/console/?q=ใหม่").text) == {recent.ref}
    assert refs_on(client.get(f"/console/?q={young.ref}").text) == {young.ref}
    assert refs_on(client.get("/console/?status=closed").text) == set()
    assert refs_on(client.get("/console/?reason=financial").text) == set()
    assert client.get("/console/?from=garbage&page=-3&status=<x>").status_code == 200


# -- the case page -----------------------------------------------------------------------------


def test_case_page_shows_the_timeline_in_thai_dates_and_is_audited(app, services, three_cases):
    own = three_cases[0]
    client = sign_in(app, login_link(app, "--office", "5208"))
    page = client.get(f"/console/cases/{own.id}").text
    assert "ต้นเถิน" in page and "ลำดับเหตุการณ์" in page
    assert re.search(
        r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25\d\d", page
    )
    with services.db.transaction(write=False) as tx:
        session = tx.session
        audit = session.scalars(select(ConsoleAudit).where(ConsoleAudit.action == "view_case")).all()
    assert [(a.case_id, a.scope) for a in audit] == [(own.id, "office:5208")]


def test_an_action_without_its_csrf_token_is_refused(app, services, three_cases):
    own = three_cases[0]
    client = sign_in(app, login_link(app, "--office", "5208"))
    assert client.post(f"/console/cases/{own.id}/action", data={"action": "accept"}).status_code == 400
    assert (
        client.post(
            f"/console/cases/{own.id}/transfer",
            data={"office": "5201", "reason": "ย้ายบ้าน"},
        ).status_code
        == 400
    )
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Case, own.id).status == "new"


def test_accept_from_the_console_works_like_the_card_button(app, services, three_cases):
    own = three_cases[0]
    client = sign_in(app, login_link(app, "--office", "5208"))
    token = csrf_of(client.get(f"/console/cases/{own.id}").text)
    done = client.post(f"/console/cases/{own.id}/action", data={"csrf_token": token, "action": "accept"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).text
    assert "รับเรื่อง" in page
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert case.status == "accepted" and case.accepted_at is not None
        told = session.scalars(select(OutboxMessage).where(OutboxMessage.to == own.line_user_id)).all()
        assert any("รับเรื่อง" in json.dumps(m.messages, ensure_ascii=False) for m in told)
    # Closing needs a reason; with one it closes.
    refused = client.post(f"/console/cases/{own.id}/action", data={"csrf_token": token, "action": "close"})
    assert refused.status_code == 422
    client.post(
        f"/console/cases/{own.id}/action", data={"csrf_token": token, "action": "close", "reason": "enrolled_elsewhere"}
    )
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.status, case.close_reason) == ("closed", "enrolled_elsewhere")


def test_transfer_moves_the_case_tells_everyone_and_restarts_the_sla(app, services, clock, three_cases):
    own = three_cases[0]
    link_group(services, "5201", "Cgroup5201" + "0" * 23)
    clock.advance(hours=30)
    client = sign_in(app, login_link(app, "--office", "5208"))
    token = csrf_of(client.get(f"/console/cases/{own.id}").text)
    bad = client.post(f"/console/cases/{own.id}/transfer", data={"csrf_token": token, "office": "9999", "reason": "x"})
    assert bad.status_code == 422 and "ไม่พบศูนย์" in bad.text
    done = client.post(
        f"/console/cases/{own.id}/transfer",
        data={
            "csrf_token": token,
            "office": "5201",
            "reason": "ครอบครัวย้ายเข้าเมือง",
        },
    )
    assert done.status_code == 302
    assert client.get(f"/console/cases/{own.id}").status_code == 404  # no longer this office's
    with services.db.transaction(write=False) as tx:
        session = tx.session
        case = session.get(Case, own.id)
        assert (case.office_code, case.status, case.delivered_at) == ("5201", "new", clock.now())
        transfer = session.scalars(select(CaseTransfer)).one()
        assert (transfer.from_office, transfer.to_office, transfer.reason) == ("5208", "5201", "ครอบครัวย้ายเข้าเมือง")
        card = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "transfer")).one()
        assert card.to == "Cgroup5201" + "0" * 23
        youth = session.scalars(select(OutboxMessage).where(OutboxMessage.to == own.line_user_id)).all()
        sent = json.dumps([m.messages for m in youth], ensure_ascii=False)
        assert "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเมืองลำปาง" in sent
        event = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == own.id).order_by(CaseEvent.id.desc())
        ).first()
        assert event.note.startswith("transfer")
    receiving = sign_in(app, login_link(app, "--office", "5201"))
    assert own.ref in receiving.get("/console/").text


# -- figures and exports -----------------------------------------------------------------------


def test_figures_agree_with_cases_export(app, services, clock):
    made = [
        make_case(services, clock, district=d, name=f"n{i}", age=a, reason=r)
        for i, (d, a, r) in enumerate(
            [("5208", 13, "work"), ("5208", 17, "financial"), ("5201", 19, "work"), ("5001", 16, "family")]
        )
    ]
    with services.db.transaction() as tx:
        session = tx.session
        first = session.get(Case, made[0].id)
        first.status, first.accepted_at = "enrolled", clock.now() + timedelta(hours=3)
    clock.advance(hours=60)
    client = sign_in(app, login_link(app, "--province", "52"))
    page = client.get("/console/figures").text
    assert page.count("<rect") >= 4
    exported = app.test_cli_runner().invoke(args=["cases", "export"]).output
    records = [json.loads(line) for line in exported.splitlines() if line.startswith("{")]
    mine = [r for r in records if r["province_code"] == "52"]
    stat = lambda name: int(re.search(rf'id="stat-{name}">([\d,]+)<', page).group(1).replace(",", ""))  # noqa: E731
    assert stat("new") == len(mine) == 3
    assert stat("enrolled") == sum(r["status"] == "enrolled" for r in mine)
    assert stat("compulsory") == sum(r["compulsory_age"] for r in mine)
    assert stat("breaches") == sum(r["accepted_at"] is None and r["status"] == "new" for r in mine) == 2
    assert "3.0 ชม." in page  # the median hours to accept (one accepted case, 3 hours after submission)


def test_audit_page_lists_views_and_exports_for_the_admin(app, three_cases):
    own = three_cases[0]
    staff = sign_in(app, login_link(app, "--office", "5208"))
    staff.get(f"/console/cases/{own.id}")
    assert staff.get("/console/export.csv").status_code == 200
    admin = sign_in(app, login_link(app, "--admin"))
    page = admin.get("/console/audit").text
    assert "เปิดดูเรื่อง" in page and "ส่งออก CSV" in page and own.ref in page and "office:5208" in page


def test_the_whole_country_figures_for_the_admin(app, services, clock):
    for district, age in (("5208", 13), ("5001", 17), ("1001", 19)):
        make_case(services, clock, district=district, name=f"c{district}", age=age)
    admin = sign_in(app, login_link(app, "--admin"))
    page = admin.get("/console/figures").text
    assert 'id="stat-new">3<' in page and 'id="stat-compulsory">1<' in page
    assert all(f'data-code="{code}"' in page for code in ("52", "50", "10"))
    one = admin.get("/console/figures?province=52&district=5208").text
    assert 'id="stat-new">1<' in one
    assert admin.get("/console/figures?province=5x").status_code == 404
    assert admin.get("/console/figures?province=52&district=5001").status_code == 404


def test_erasure_blanks_the_transfer_reason_and_the_audit_keeps_no_search_text(app, services, clock, three_cases):
    from handlers.erasure import erase_user

    own = three_cases[0]
    link_group(services, "5201", "Cgroup5201" + "0" * 23)
    client = sign_in(app, login_link(app, "--office", "5208"))
    token = csrf_of(client.get(f"/console/cases/{own.id}").text)
    client.post(
        f"/console/cases/{own.id}/transfer",
        data={
            "csrf_token": token,
            "office": "5201",
            "reason": "น้องต้นเถินย้ายบ้าน",
        },
    )
    client.get("/console/export.csv?q=ต้นเถิน")
    with services.db.transaction() as tx:
        session = tx.session
        erase_user(session, own.line_user_id, clock.now(), services.settings)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        reasons = session.scalars(select(CaseTransfer.reason)).all()
        details = " ".join(d or "" for d in session.scalars(select(ConsoleAudit.detail)))
    assert reasons == ["(ลบข้อมูลแล้ว)"]
    assert "ต้นเถิน" not in details and "q=…" in details


def test_the_cookie_is_secure_behind_https(app, app_config):
    from bot import create_app

    secure = create_app({**app_config, "PUBLIC_URL": "https://rianto.dole.example"})
    path = urlsplit(login_link(secure, "--office", "5208")).path
    cookie = secure.test_client().get(path).headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    if secure.extensions["rianto"].db is not app.extensions["rianto"].db:
        secure.extensions["rianto"].db.dispose()


def test_staff_reopen_a_closed_case_from_the_console(app, services, three_cases):
    own = three_cases[0]
    client = sign_in(app, login_link(app, "--office", "5208"))
    token = csrf_of(client.get(f"/console/cases/{own.id}").text)
    client.post(
        f"/console/cases/{own.id}/action", data={"csrf_token": token, "action": "close", "reason": "unreachable"}
    )
    page = client.get(f"/console/cases/{own.id}").text
    assert 'data-action="reopen"' in page and 'data-action="accept"' not in page
    client.post(f"/console/cases/{own.id}/action", data={"csrf_token": token, "action": "reopen"})
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.get(Case, own.id).status == "new"
        steps = [
            (e.from_status, e.to_status) for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == own.id))
        ]
    assert steps[-2:] == [("new", "closed"), ("closed", "new")]
