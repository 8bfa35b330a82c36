"""The staff console in real headless Chromium (Debian's), against the real app under gunicorn
with its worker, on SQLite and PostgreSQL, with LINE replaced by the fake LINE server on
loopback: a group's `เข้าระบบ` (a signed webhook) gives the link; the office signs in, sees its
cases and no others, opens one, answers the thread, accepts, transfers it, reads the figures
(charts drawn), exports CSV and XLSX and reads them back. Another office gets 404 everywhere;
a reused link and a form without its CSRF token are refused.

Screenshots of the main pages at phone and desktop widths are saved under the test's tmp_path
and copied to tests/e2e/screenshots/ (ignored by git) for review."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.request
from datetime import UTC
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.webhook import signature_for
from handlers.staff import create_link_code
from models import Database
from tests.bot.console.support import new_case
from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN
from tests.support.line_events import base_event, body_of, group_source, text_message
from tests.support.servers import clean_env, free_port, gunicorn, init_db, worker

SHOTS = Path(__file__).resolve().parent / "screenshots"
GROUP_5208 = "C" + "5208" * 8
GROUP_5201 = "C" + "5201" * 8
STAFF = "U" + "a1" * 16
YOUTH = "U" + "b2" * 16
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(params=["sqlite", "postgresql"])
def console_app(request, tmp_path: Path, fake_line, fake_line_url: str):
    url = (
        f"sqlite:///{tmp_path / 'console.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("new_postgres_url")
    )
    port = free_port()
    env = clean_env(
        DATABASE_URL=url,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        LINE_CHANNEL_SECRET=CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN=CHANNEL_TOKEN,
        LINE_API_BASE_URL=fake_line_url,
        WORKER_POLL_SECONDS="0.2",
    )
    init_db(env)
    with gunicorn(env, workers=1, threads=8, port=port) as base, worker(env):
        yield base, url, env


def _post_event(base: str, fake, event: dict) -> None:
    chat = event["source"].get("groupId") or event["source"].get("userId")
    event = {**event, "replyToken": fake.issue_reply_token(chat)}
    body = body_of([event])
    request = urllib.request.Request(
        base + "/callback",
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": signature_for(body, CHANNEL_SECRET)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def _group_says(base: str, fake, group: str, said: str) -> str:
    before = len(fake.sent())
    _post_event(base, fake, base_event("message", group_source(group, STAFF), message=text_message(said)))
    assert fake.wait_for(lambda f: any(s.kind == "reply" and s.to == group for s in f.sent()[before:]), timeout=10)
    return " ".join(m.get("text", "") for s in fake.sent()[before:] if s.to == group for m in s.messages)


def _seed(url: str, env: dict) -> dict:
    """Two cases in Thoen (5208), one in Mueang Lampang (5201), both groups linked."""
    from bot.config import load

    settings = load(
        {
            "DATABASE_URL": url,
            **{
                k: env[k]
                for k in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SECRET_KEY", "LINE_API_BASE_URL")
            },
        }
    )
    db = Database(url)
    cases = {}
    from datetime import datetime

    now = datetime.now(UTC)
    with db.transaction() as tx:
        session = tx.session
        for key, district, name, user in (
            ("own", "5208", "ต้นข้าว", YOUTH),
            ("own2", "5208", "ฝน", None),
            ("other", "5201", "แก้วตา", None),
        ):
            slots = {
                "name": name,
                "age": 16,
                "grade": "m3",
                "grade_status": "completed",
                "province": "52",
                "district": district,
                "reason": "work",
            }
            case = new_case(session, slots, line_user_id=user or "U" + uuid4hex(), now=now, settings=settings)
            cases[key] = (case.id, case.ref)
        codes = {office: create_link_code(session, office, now) for office in ("5208", "5201")}
    db.dispose()
    return {"cases": cases, "codes": codes}


def uuid4hex() -> str:
    import uuid

    return uuid.uuid4().hex


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _login_link(env: dict, *args: str) -> str:
    """What the operator's `flask --app bot console login-link` prints last, for the server's
    database and address: the command run in this process (Click's runner, as the console's own
    tests do) rather than in a new Python that imports the whole app again (seconds each)."""
    from bot import create_app

    keys = ("DATABASE_URL", "PUBLIC_URL", "SECRET_KEY", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")
    keys += ("LINE_API_BASE_URL",)
    app = create_app({k: env[k] for k in keys})
    try:
        result = app.test_cli_runner().invoke(args=["console", "login-link", *args])
    finally:
        app.extensions["rianto"].db.dispose()
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _listed(page) -> set[str]:
    return set(page.locator("table.cases a").all_inner_texts())


def test_an_office_works_its_cases_in_the_console(console_app, browser, fake_line, tmp_path):
    base, url, env = console_app
    seeded = _seed(url, env)
    own_id, own_ref = seeded["cases"]["own"]
    other_id, other_ref = seeded["cases"]["other"]
    _group_says(base, fake_line, GROUP_5208, f"ลงทะเบียน {seeded['codes']['5208']}")
    _group_says(base, fake_line, GROUP_5201, f"ลงทะเบียน {seeded['codes']['5201']}")

    said = _group_says(base, fake_line, GROUP_5208, "เข้าระบบ")
    link = re.search(r"http://127\.0\.0\.1:\d+/console/login/\S+", said)
    assert link, said
    link = link.group(0)

    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(link)
    _shot(page, tmp_path, "console-sign-in-phone")
    page.click("#sign-in")
    page.wait_for_selector("table.cases")
    assert own_ref in _listed(page) and other_ref not in _listed(page)
    _shot(page, tmp_path, "console-list-phone")

    # The case page: details, timeline; answer the thread; accept.
    page.click(f"text={own_ref}")
    page.wait_for_selector("#timeline")
    assert "ต้นข้าว" in page.inner_text("main")
    _shot(page, tmp_path, "console-case-phone")
    if page.locator("#answer-text").count():
        page.fill("#answer-text", "สวัสดีค่ะ พรุ่งนี้เจ้าหน้าที่จะโทรหานะคะ")
        page.click("#answer")
        page.wait_for_selector(".flash")
        assert fake_line.wait_for(
            lambda f: (
                "พรุ่งนี้เจ้าหน้าที่จะโทรหา"
                in json.dumps(
                    [s.messages for s in f.sent(YOUTH)],
                    ensure_ascii=False,
                )
            ),
            timeout=15,
        )
        assert "พรุ่งนี้เจ้าหน้าที่จะโทรหา" in page.inner_text("#thread")
    page.click("button[data-action=accept]")
    page.wait_for_selector(".flash")
    assert "รับเรื่องแล้ว" in page.inner_text("#case-ref")
    assert fake_line.wait_for(
        lambda f: any(
            "รับเรื่อง" in json.dumps(s.messages, ensure_ascii=False) for s in f.sent(YOUTH) if s.kind == "push"
        ),
        timeout=15,
    )

    # Figures: charts drawn, numbers as tables.
    page.goto(base + "/console/figures")
    assert page.locator("#chart-funnel rect").count() >= 1
    assert page.locator("#chart-areas rect").count() >= 1
    assert page.inner_text("#stat-new") == "2"
    _shot(page, tmp_path, "console-figures-phone")

    # Exports, read back.
    page.goto(base + "/console/")
    with page.expect_download() as download:
        page.click("#export-csv")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["ref"] for r in rows} == {own_ref, seeded["cases"]["own2"][1]}
    assert {r["status"] for r in rows if r["ref"] == own_ref} == {"accepted"}
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    values = list(sheet.values)
    assert values[0][0] == "ref" and {v[0] for v in values[1:]} == {own_ref, seeded["cases"]["own2"][1]}

    # A form without its CSRF token is refused.
    refused = context.request.post(f"{base}/console/cases/{own_id}/action", form={"action": "enrolled"})
    assert refused.status == 400

    # Transfer to Mueang Lampang: gone from this office, the receiving group gets the card.
    page.goto(f"{base}/console/cases/{own_id}")
    page.fill("#transfer-office", "5201")
    page.fill("#transfer-reason", "ครอบครัวย้ายเข้าตัวเมือง")
    page.click("#transfer")
    page.wait_for_selector(".flash")
    assert own_ref not in _listed(page)
    assert fake_line.wait_for(
        lambda f: any(
            own_ref in json.dumps(s.messages, ensure_ascii=False) for s in f.sent(GROUP_5201) if s.kind == "push"
        ),
        timeout=15,
    )
    assert page.goto(f"{base}/console/cases/{own_id}").status == 404

    # Desktop width screenshots of the same pages.
    wide = context.new_page()
    wide.set_viewport_size(DESKTOP)
    for path, name in (
        ("/console/", "console-list-desktop"),
        (f"/console/cases/{seeded['cases']['own2'][0]}", "console-case-desktop"),
        ("/console/figures", "console-figures-desktop"),
    ):
        wide.goto(base + path)
        _shot(wide, tmp_path, name)

    # The link was single use.
    again = browser.new_context().new_page()
    assert again.goto(link).status == 403

    # The other office never sees this office's cases, nor by guessing.
    other = browser.new_context(viewport=DESKTOP)
    other_page = other.new_page()
    other_page.goto(_login_link(env, "--office", "5001"))
    other_page.click("#sign-in")
    other_page.wait_for_selector("main")
    still_own = seeded["cases"]["own2"]
    for path in (
        f"/console/cases/{still_own[0]}",
        f"/console/r/{still_own[1]}",
        f"/console/cases/{other_id}",
        "/console/audit",
    ):
        assert other_page.goto(base + path).status == 404, path
    other_page.goto(base + f"/console/?q={still_own[1]}")
    assert _listed(other_page) == set()
    exported = other.request.get(base + "/console/export.csv").text()
    assert still_own[1] not in exported and other_ref not in exported
    assert other.request.post(f"{base}/console/cases/{still_own[0]}/action", form={"action": "accept"}).status in (
        400,
        404,
    )

    # The admin sees the audit record of all this.
    admin = browser.new_context(viewport=DESKTOP).new_page()
    admin.goto(_login_link(env, "--admin"))
    admin.click("#sign-in")
    admin.goto(base + "/console/audit")
    record = admin.inner_text("#audit-table")
    assert "เปิดดูเรื่อง" in record and "ส่งออก CSV" in record and "ส่งออก XLSX" in record and "โอนเรื่อง" in record
    _shot(admin, tmp_path, "console-audit-desktop")


@pytest.fixture
def local_app(tmp_path: Path):
    port = free_port()
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'sim.sqlite3'}",
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        WORKER_POLL_SECONDS="0.2",
        LOCAL_MODE="1",
    )
    init_db(env)
    with gunicorn(env, workers=1, threads=8, port=port) as base, worker(env):
        yield base


def test_the_simulator_opens_the_console_as_the_group_office(local_app, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(local_app + "/")
    page.wait_for_selector("#youth-chat .row.bot", timeout=40_000)
    page.fill("#office-code", "5208")
    page.click("#link-group")
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('เชื่อมกลุ่มนี้')",
        timeout=15_000,
    )
    with page.context.expect_page() as opened:
        page.click("#open-console")
    console = opened.value
    console.wait_for_selector("h1")
    assert "/console/" in console.url
    assert "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in console.inner_text("h1")
    _shot(console, tmp_path, "console-from-simulator-desktop")
