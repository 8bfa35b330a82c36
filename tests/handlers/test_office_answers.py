"""Office contact in every office answer (issue 13 item 6) and the submission card (item 4),
over the real webhook with the fake LINE (every request checked against messaging-api.yml)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers import offices
from models import Office
from models.directory import clear_demo_directory, import_csv, load_demo_directory
from tests.support.journeys import SKIPPING_INTAKE, linked_group
from tests.support.line_events import texts_of

INTAKE = SKIPPING_INTAKE


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOCAL_MODE": True}  # the simulator's mode, with the loopback fake LINE


@pytest.fixture
def demo(services):
    with services.db.transaction() as tx:
        session = tx.session
        return load_demo_directory(session)


def _buttons(card: dict) -> dict[str, dict]:
    return {b["action"]["label"]: b["action"] for b in card["contents"]["footer"]["contents"]}


def test_the_demo_directory_fills_every_office_once_and_is_marked(services, demo):
    assert demo == 928 + 77
    with services.db.transaction() as tx:
        session = tx.session
        assert load_demo_directory(session) == 0  # idempotent
        thoen = session.get(Office, "5208")
        assert thoen.demo and thoen.phone.startswith("00-")
        assert "ตัวอย่าง" in thoen.address and "ตัวอย่าง" in thoen.hours
        assert thoen.map_url.startswith("https://www.google.com/maps/search/?api=1&query=")
        assert "52160" in thoen.address
        # An office with a real value is never given demo values.
        session.get(Office, "5201").phone = "054-000-111"
        session.get(Office, "5201").demo = False


def test_an_import_replaces_demo_values_entirely(services, demo, tmp_path):
    csv_file = tmp_path / "offices.csv"
    csv_file.write_text("code,phone\n5208,054-291-000\n", encoding="utf-8")
    with services.db.transaction() as tx:
        session = tx.session
        report = import_csv(session, csv_file)
        assert report.updated == 1
        thoen = session.get(Office, "5208")
        assert not thoen.demo and thoen.phone == "054-291-000"
        assert thoen.address is None and thoen.hours is None and thoen.map_url is None
        assert clear_demo_directory(session) == 928 + 77 - 1
        assert session.scalar(select(Office.code).where(Office.demo.is_(True))) is None


def test_demo_values_are_never_shown_outside_local_mode(services, demo):
    with services.db.transaction(write=False) as tx:
        session = tx.session
        thoen = session.get(Office, "5208")
        hidden = offices.contact_text(thoen, local_mode=False)
        shown = offices.contact_text(thoen, local_mode=True)
    assert "00-000-5208" not in hidden and "ตัวอย่าง" not in hidden and "ยังไม่มีเบอร์โทร" in hidden
    assert "00-000-5208" in shown and "ข้อมูลตัวอย่าง" in shown and "google.com/maps" in shown


@pytest.mark.parametrize(
    "question",
    [
        "ศูนย์ที่อำเภอเถิน ลำปาง เปิดกี่โมงคะ",
        "ศูนย์ สกร. อำเภอเถิน ลำปาง อยู่ตรงไหน",
        "ขอเบอร์ศูนย์อำเภอเถิน ลำปางหน่อยค่ะ",
    ],
)
def test_office_questions_get_hours_address_map_and_phone(line, demo, question):
    reply = texts_of(line.user().say(question))
    assert "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in reply, reply
    for detail in ("00-000-5208", "08:30–16:30", "อำเภอเถิน จังหวัดลำปาง", "google.com/maps", "ข้อมูลตัวอย่าง"):
        assert detail in reply, (question, detail, reply)


def test_an_office_without_details_says_so_without_inventing_any(line):
    reply = texts_of(line.user().say("ขอเบอร์ศูนย์อำเภอเถิน ลำปางหน่อยค่ะ"))
    assert "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in reply
    assert "ยังไม่มีเบอร์โทร" in reply
    assert "ที่ให้ไว้" not in reply  # no "the number you gave": none was given


def test_the_submission_confirmation_is_one_card_with_call_map_and_documents(line, demo, fake_line):
    linked_group(line, "5208")
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    reply = chat.say("ยืนยัน")
    cards = [m for m in reply if m["type"] == "flex"]
    assert len(cards) == 1 and len(reply) <= 3
    card = cards[0]
    body = texts_of([card])
    assert card["altText"].startswith("ส่งเรื่องเรียบร้อยแล้วค่ะ เลขที่เรื่อง RT-")
    assert "ศูนย์ส่งเสริมการเรียนรู้ระดับอำเภอเถิน" in body and "2 วันทำการ" in body
    buttons = _buttons(card)
    assert buttons["โทรหาศูนย์"] == {"type": "uri", "label": "โทรหาศูนย์", "uri": "tel:000005208"}
    assert buttons["ดูแผนที่ศูนย์"]["uri"].startswith("https://www.google.com/maps/search/")
    assert buttons["เอกสารที่ต้องเตรียม"]["data"] == "intent=ask_documents"
    # The text beside the card is short.
    assert all(len(m["text"]) < 200 for m in reply if m["type"] == "text")
    # Tapping the documents button answers with the checklist.
    from tests.support.line_events import base_event, user_source

    answer = line.send(base_event("postback", user_source(chat.user_id), postback={"data": "intent=ask_documents"}))
    assert "ใบสมัคร" in texts_of(answer) and "ฉบับจริง" in texts_of(answer)
    assert fake_line.violations() == []


def test_without_contact_details_the_card_has_no_dead_buttons(line, fake_line):
    linked_group(line, "5208")
    chat = line.user()
    for said in INTAKE:
        chat.say(said)
    card = next(m for m in chat.say("ยืนยัน") if m["type"] == "flex")
    assert list(_buttons(card)) == ["เอกสารที่ต้องเตรียม"]
    assert "ยังไม่มีเบอร์โทร" in texts_of([card])


@pytest.mark.parametrize(
    "phone, uri",
    [
        ("054-291-000", "tel:054291000"),
        ("0 5429 1000 ต่อ 12", "tel:054291000"),
        ("+66 81 234 5678", "tel:0812345678"),
        ("081-234-5678, 054-291-000", "tel:0812345678"),
        ("ไม่มี", None),
        (None, None),
    ],
)
def test_tel_links(phone, uri):
    assert offices.tel_uri(phone) == uri
