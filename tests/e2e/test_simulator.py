"""The local-mode simulator in real headless Chromium (Debian's), against the real app under
gunicorn with its worker: a whole intake as a youth, then the office pane taking the case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.servers import clean_env, free_port, gunicorn, init_db, worker

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(params=["sqlite", "postgresql"])
def local_app(request, tmp_path: Path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sim.sqlite3'}"
    else:
        url = request.getfixturevalue("new_postgres_url")
    port = free_port()
    # Local mode (explicit), no LINE credentials at all.
    env = clean_env(DATABASE_URL=url, LOCAL_MODE="1", PUBLIC_URL=f"http://127.0.0.1:{port}", WORKER_POLL_SECONDS="0.2")
    init_db(env)
    with gunicorn(env, workers=1, threads=8, port=port) as base, worker(env):
        yield base


def _answered_after(before: int) -> str:
    """JS: the youth pane has a new message of its own and the bot's answer after `before` rows."""
    rows = "document.querySelectorAll('#youth-chat .row')"
    last_is_bot = "rows[rows.length - 1].classList.contains('bot')"
    return f"() => {{ const rows = {rows}; return rows.length > {before} + 1 && {last_is_bot}; }}"


def _bot_rows(page, pane: str) -> int:
    return page.locator(f"#{pane}-chat .row.bot").count()


# The page's `send` (a global function: the composer, the chips and the menu call it by name)
# returns once the webhook has handled the event, the page has polled for what the bot sent and
# has reloaded the rich menu. Counted here, so a test waits for a whole exchange to be shown (a
# reply's messages come in one poll) instead of sleeping a fixed time after its first message.
_TRACK_SENDS = """() => {
  if (window.__sends) return;
  const sends = (window.__sends = { pending: 0 });
  const original = window.send;
  window.send = (...args) => {
    sends.pending += 1;
    return original(...args).finally(() => { sends.pending -= 1; });
  };
}"""
_SENT = "window.__sends.pending === 0"


def _track_sends(page) -> None:
    page.evaluate(_TRACK_SENDS)


def _poll_now(page) -> None:
    """Everything the bot has sent so far shown: the page's own poll, once none is running."""
    page.evaluate("async () => { while (polling) await new Promise((r) => setTimeout(r, 20)); await poll(); }")


def _say(page, text: str, timeout: float = 15_000) -> None:
    _track_sends(page)
    before = page.locator("#youth-chat .row").count()
    page.fill("#youth-input", text)
    page.press("#youth-input", "Enter")
    # The answer shown, and the exchange over (the rest of a multi-message reply with it).
    page.wait_for_function(f"() => ({_answered_after(before)})() && {_SENT}", timeout=timeout)


def test_chat_send_a_message_and_tap_a_quick_reply(local_app, browser):
    page = browser.new_page()
    page.goto(local_app + "/")
    page.wait_for_selector("#youth-chat .row.bot", timeout=40_000)  # the welcome (follow event)
    _say(page, "สวัสดีค่ะ")
    assert "สวัสดี" in page.locator("#youth-chat .row.bot .bubble").last.inner_text()
    chips = page.locator("#youth-quick button")
    assert chips.count() >= 3
    before = _bot_rows(page, "youth")
    page.locator("#youth-quick button", has_text="อยากกลับไปเรียน").click()
    page.wait_for_function(f"document.querySelectorAll('#youth-chat .row.bot').length > {before}", timeout=15_000)
    assert "ยินยอม" in page.locator("#youth-chat .row.bot .bubble").last.inner_text()


def _open_both_panes(local_app, browser):
    """The simulator page, wide enough for both panes, once the youth's welcome is shown."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(local_app + "/")
    page.wait_for_selector("#youth-chat .row.bot", timeout=40_000)
    return page


def _link_office(page, code):
    page.fill("#office-code", code)
    page.click("#link-group")


def _linked_and_answered(local_app, browser):
    """Both panes open, the office group linked to Thoen (5208), and the youth's intake answered up
    to the contact question."""
    page = _open_both_panes(local_app, browser)
    _link_office(page, "5208")
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('เชื่อมกลุ่มนี้')",
        timeout=15_000,
    )
    for text in (
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ผมเอง ชื่อต้น อายุ 17 อยู่อำเภอเถิน ลำปาง ออกตอน ม.2",
        "ต้องทำงาน",
        "สายสามัญ",
    ):
        _say(page, text)
    return page


def test_whole_intake_then_the_office_takes_the_case(local_app, browser):
    page = _linked_and_answered(local_app, browser)
    page.locator("#youth-quick button", has_text="ติดต่อทางไลน์").click()
    page.wait_for_function("document.querySelector('#youth-chat').innerText.includes('ขอทวนข้อมูล')", timeout=15_000)
    page.locator("#youth-quick button", has_text="ยืนยัน").click()
    page.wait_for_function("document.querySelector('#youth-chat').innerText.includes('RT-')", timeout=15_000)
    # The worker pushes the referral card into the office pane.
    page.wait_for_selector("#office-chat .flex-bubble", timeout=20_000)
    card = page.locator("#office-chat .flex-bubble").last
    assert "RT-" in card.inner_text() and "ต้น" in card.inner_text()
    card.locator("button", has_text="รับเรื่อง").click()
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('คุณครูสมศรี รับเรื่อง RT-')", timeout=15_000
    )
    # The youth is told that staff accepted the case.
    page.wait_for_function("document.querySelector('#youth-chat').innerText.includes('รับเรื่อง RT-')", timeout=20_000)
    # Another staff member taps รับเรื่อง too: told who took it.
    page.select_option("#staff", label="ครูวิชัย")
    card.locator("button", has_text="รับเรื่อง").click()
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('คุณครูสมศรี รับไปแล้วเมื่อ')", timeout=15_000
    )
    page.select_option("#staff", label="ครูสมศรี")
    card.locator("button", has_text="ติดต่อแล้ว").click()
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('ติดต่อผู้สมัครแล้ว')",
        timeout=15_000,
    )
    card.locator("button", has_text="ลงทะเบียนเรียนแล้ว").click()
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('ลงทะเบียนเรียนแล้ว (โดยคุณครูสมศรี)')",
        timeout=15_000,
    )
    # The youth is told of the enrolment, and sees it in the status.
    page.wait_for_function("document.querySelector('#youth-chat').innerText.includes('ยินดีด้วยค่ะ')", timeout=20_000)
    _say(page, "เรื่องถึงไหนแล้ว")
    assert "ลงทะเบียนเรียนแล้ว" in page.locator("#youth-chat .row.bot .bubble").last.inner_text()


def test_office_pane_explains_a_wrong_office_code_and_shows_the_linked_office(local_app, browser):
    page = _open_both_panes(local_app, browser)
    _link_office(page, "9999")
    page.wait_for_function(
        "document.querySelector('#linked-office').innerText.includes('ไม่พบศูนย์รหัส')",
        timeout=15_000,
    )
    _link_office(page, "52")
    page.wait_for_function(
        "document.querySelector('#linked-office').innerText.includes('สำนักงานส่งเสริมการเรียนรู้ประจำจังหวัดลำปาง')",
        timeout=15_000,
    )
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('เชื่อมกลุ่มนี้')",
        timeout=15_000,
    )
    # Chatter in the group gets no answer; the group's own command does. (The webhook has
    # handled the chatter when the page's send is over: a poll after that shows any answer.)
    _track_sends(page)
    _poll_now(page)
    before = _bot_rows(page, "office")
    said = page.locator("#office-chat .row.me").count()
    page.fill("#office-input", "สวัสดีค่ะทุกคน")
    page.press("#office-input", "Enter")
    page.wait_for_function(f"() => document.querySelectorAll('#office-chat .row.me').length > {said} && {_SENT}")
    _poll_now(page)
    assert _bot_rows(page, "office") == before
    page.fill("#office-input", "เรื่องค้าง")
    page.press("#office-input", "Enter")
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('ไม่มีเรื่องค้าง')",
        timeout=15_000,
    )
    assert _bot_rows(page, "office") == before + 1


def _output_dir() -> Path:
    """Where the browser tests leave their screenshots: $TEST_OUTPUT_DIR, else test-output/."""
    folder = (
        Path(os.environ.get("TEST_OUTPUT_DIR") or Path(__file__).resolve().parents[2] / "test-output") / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _bangkok_times() -> set[str]:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("Asia/Bangkok"))
    return {(now + timedelta(minutes=d)).strftime("%H:%M") for d in (-1, 0, 1)}


def _menu_tap(page, label: str) -> None:
    _track_sends(page)
    before = page.locator("#youth-chat .row").count()
    page.locator(f"#richmenu-areas button[aria-label='{label}']").click()
    page.wait_for_function(f"() => ({_answered_after(before)})() && {_SENT}", timeout=15_000)


def test_rich_menu_sticker_and_thai_time(local_app, browser, request):
    # A browser in New York: bubble times must still be Thai time.
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, timezone_id="America/New_York", locale="th-TH")
    page.goto(local_app + "/")
    page.wait_for_selector("#youth-chat .row.bot", timeout=40_000)
    # The rich menu of a user with no case: its image (drawn by `richmenu deploy`) and three taps.
    page.wait_for_function(
        "() => { const img = document.querySelector('#richmenu-image');"
        " return !document.querySelector('#richmenu').hidden && img.complete && img.naturalWidth === 2500; }",
        timeout=20_000,
    )
    labels = page.locator("#richmenu-areas button").evaluate_all("(bs) => bs.map((b) => b.getAttribute('aria-label'))")
    assert labels == ["สมัครเรียน", "ถามข้อมูล", "คุยกับเจ้าหน้าที่"]
    assert page.locator("#richmenu-bar").inner_text().startswith("เมนู")
    # Bubble times: Thai time, "HH:MM น.".
    shown = page.locator("#youth-chat .row.bot .time").first.inner_text()
    assert shown.endswith("น.") and any(t in shown for t in _bangkok_times()), shown

    # A sticker: shown as sent, and the bot answers it.
    before = _bot_rows(page, "youth")
    page.click("#open-sticker")
    page.locator("#sticker-picker .sticker").first.click()
    page.wait_for_selector("#youth-chat .row.me .sticker-bubble", timeout=5_000)
    page.wait_for_function(f"document.querySelectorAll('#youth-chat .row.bot').length > {before}", timeout=15_000)
    # An image too.
    before = _bot_rows(page, "youth")
    page.click("#send-image")
    page.wait_for_selector("#youth-chat .row.me .image-bubble", timeout=5_000)
    page.wait_for_function(f"document.querySelectorAll('#youth-chat .row.bot').length > {before}", timeout=15_000)

    # Tapping สมัครเรียน on the menu starts the intake (a postback intent=enroll).
    _link_office(page, "5208")
    page.wait_for_function(
        "document.querySelector('#office-chat').innerText.includes('เชื่อมกลุ่มนี้')",
        timeout=15_000,
    )
    _menu_tap(page, "สมัครเรียน")
    assert "ยินยอม" in page.locator("#youth-chat").inner_text()
    for text in ["ยินยอม", "ผมเอง ชื่อต้น อายุ 17 อยู่อำเภอเถิน ลำปาง ออกตอน ม.2", "ต้องทำงาน", "สายสามัญ"]:
        _say(page, text)
    page.locator("#youth-quick button", has_text="ติดต่อทางไลน์").click()
    page.wait_for_function("document.querySelector('#youth-chat').innerText.includes('ขอทวนข้อมูล')", timeout=15_000)
    page.locator("#youth-quick button", has_text="ยืนยัน").click()
    # The confirmation card: reference, the office with its (demo) contact, call and map buttons.
    page.wait_for_selector("#youth-chat .flex-bubble", timeout=15_000)
    card = page.locator("#youth-chat .flex-bubble").last
    text = card.inner_text()
    assert "RT-" in text and "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in text and "ข้อมูลตัวอย่าง" in text
    assert card.locator("button", has_text="โทรหาศูนย์").count() == 1
    assert card.locator("button", has_text="ดูแผนที่ศูนย์").count() == 1
    # The worker links the user to the menu of a user with a case; the page shows it.
    page.wait_for_function(
        "() => (document.querySelector('#richmenu').dataset.menu || '').includes('case open')", timeout=20_000
    )
    labels = page.locator("#richmenu-areas button").evaluate_all("(bs) => bs.map((b) => b.getAttribute('aria-label'))")
    assert labels == ["เรื่องของฉัน", "คุยกับเจ้าหน้าที่", "ถามข้อมูล"]
    _menu_tap(page, "เรื่องของฉัน")
    assert "RT-" in page.locator("#youth-chat .row.bot").last.inner_text()
    page.screenshot(path=str(_output_dir() / f"simulator-richmenu-{request.node.callspec.id}.png"), full_page=True)


def test_a_thread_from_both_panes_with_a_quote_reply(local_app, browser, request):
    """The youth talks to the office through the bot; staff answer with LINE's quote-reply on
    the forwarded message (↩ ตอบกลับ sends quotedMessageId); each side sees the other's words."""
    page = _linked_and_answered(local_app, browser)
    page.locator("#youth-quick button", has_text="ติดต่อทางไลน์").click()
    page.wait_for_function("document.querySelector('#youth-chat').innerText.includes('ขอทวนข้อมูล')", timeout=15_000)
    page.locator("#youth-quick button", has_text="ยืนยัน").click()
    page.wait_for_selector("#office-chat .flex-bubble", timeout=20_000)
    _say(page, "คุยกับเจ้าหน้าที่")
    _say(page, "ต้องไปสมัครวันไหนครับ")
    # The forwarded message reaches the group pane (pushed by the worker).
    forwarded = page.locator("#office-chat .row.bot", has_text="ต้องไปสมัครวันไหนครับ")
    forwarded.wait_for(timeout=20_000)
    forwarded.locator(".quote-button").click()
    assert "ต้องไปสมัครวันไหนครับ" in page.locator("#quoting").inner_text()
    page.fill("#office-input", "มาวันจันทร์ได้เลยค่ะ")
    page.press("#office-input", "Enter")
    assert page.locator("#quoting").is_hidden()
    page.wait_for_function("document.querySelector('#office-chat').innerText.includes('ส่งถึง RT-')", timeout=15_000)
    # The youth pane gets the staff's answer, named by the office.
    page.wait_for_function(
        "document.querySelector('#youth-chat').innerText"
        ".includes('เจ้าหน้าที่ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน: มาวันจันทร์ได้เลยค่ะ')",
        timeout=20_000,
    )
    page.screenshot(path=str(_output_dir() / f"simulator-thread-{request.node.callspec.id}.png"), full_page=True)
