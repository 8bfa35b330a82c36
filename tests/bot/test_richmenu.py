"""Rich menus (DESIGN §2): `richmenu deploy` against the fake LINE, and each user's menu
following their state (switched on submission through the outbox)."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from bot import richmenu
from handlers import menus
from models import OutboxMessage, RichMenu
from tests.support.journeys import SKIPPING_INTAKE, linked_group

INTAKE = SKIPPING_INTAKE


def _deploy(app) -> str:
    result = app.test_cli_runner().invoke(args=["richmenu", "deploy"])
    assert result.exit_code == 0, result.output
    return result.output


def _recorded(services) -> dict[str, str]:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return {row.name: row.rich_menu_id for row in session.scalars(select(RichMenu))}


def test_the_images_are_thai_menus_of_the_size_line_requires():
    for menu in menus.MENUS:
        png = richmenu.draw(menu)
        image = Image.open(io.BytesIO(png))
        assert image.size == (2500, 843) and image.format == "PNG"
        assert len(png) < 1024 * 1024  # LINE's limit
        # Three panels, each of its own colour: the image is drawn, not blank.
        assert len({image.getpixel((x, 20)) for x in (50, 900, 1700)}) == 3
    labels = [b.label for b in menus.MENUS[menus.NO_CASE]]
    assert labels == ["สมัครเรียน", "ถามข้อมูล", "คุยกับเจ้าหน้าที่"]
    assert [b.label for b in menus.MENUS[menus.CASE_OPEN]] == ["เรื่องของฉัน", "คุยกับเจ้าหน้าที่", "ถามข้อมูล"]
    areas = richmenu.definition(menus.CASE_OPEN)["areas"]
    assert [a["action"]["data"] for a in areas] == ["intent=status", "intent=human", "intent=ask_info"]
    assert sum(a["bounds"]["width"] for a in areas) == 2500


def test_deploy_creates_both_menus_uploads_their_images_and_sets_the_default(app, services, fake_line):
    output = _deploy(app)
    held = fake_line.rich_menus()
    assert len(held) == 2
    recorded = _recorded(services)
    assert set(recorded) == {"no_case", "case_open"} and set(recorded.values()) == set(held)
    for rich_menu_id in recorded.values():
        content_type, data = held[rich_menu_id]["image"]
        assert content_type == "image/png" and Image.open(io.BytesIO(data)).size == (2500, 843)
        assert held[rich_menu_id]["menu"]["chatBarText"] == "เมนู"
    assert fake_line.default_rich_menu() == recorded["no_case"]
    assert f"default rich menu: {recorded['no_case']}" in output
    # Every call was one the Messaging API has (the fixture checks the spec after the test).
    paths = [r.path for r in fake_line.requests()]
    assert paths.count("/v2/bot/richmenu") == 2 and paths.count("/v2/bot/richmenu/validate") == 2
    assert sum(p.endswith("/content") for p in paths) == 2

    # Again: nothing changes on LINE.
    before = len(fake_line.requests())
    assert "unchanged" in _deploy(app)
    assert [r.method for r in fake_line.requests()[before:]] == ["GET", "GET", "GET"]
    assert _recorded(services) == recorded and len(fake_line.rich_menus()) == 2


def test_a_changed_menu_replaces_the_old_one_and_keeps_its_users(app, services, fake_line, line):
    _deploy(app)
    old = _recorded(services)
    linked_group(line, "5208")
    chat = line.user()
    for said in [*INTAKE, "ยืนยัน"]:
        chat.say(said)
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == old["case_open"]
    with services.db.transaction() as tx:
        session = tx.session
        session.get(RichMenu, "case_open").digest = "0" * 64  # as if the menu's design changed
    _deploy(app)
    new = _recorded(services)
    assert new["case_open"] != old["case_open"] and new["no_case"] == old["no_case"]
    assert old["case_open"] not in fake_line.rich_menus()
    assert fake_line.rich_menu_of(chat.user_id) == new["case_open"]


def test_the_menu_switches_when_a_case_is_submitted(app, services, fake_line, line):
    _deploy(app)
    recorded = _recorded(services)
    linked_group(line, "5208")
    chat = line.user()
    chat.follow()
    for said in INTAKE:
        chat.say(said)
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["no_case"]
    chat.say("ยืนยัน")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "richmenu")).all()
        assert [(r.to, r.messages) for r in rows] == [(chat.user_id, [{"type": "richmenu", "menu": "case_open"}])]
    # Linked after commit, by the worker, not inside the webhook.
    assert fake_line.linked_rich_menu(chat.user_id) is None
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["case_open"]


def test_a_link_before_any_deploy_is_not_an_error(app, services, fake_line, line):
    linked_group(line, "5208")
    chat = line.user()
    for said in [*INTAKE, "ยืนยัน"]:
        chat.say(said)
    report = line.run_worker()
    assert report.failed == 0
    assert fake_line.linked_rich_menu(chat.user_id) is None


def test_menu_taps_are_postbacks_the_dialogue_understands(app, line):
    from tests.support.line_events import base_event, user_source

    chat = line.user()
    for intent, expected in [("ask_info", "อยากทราบเรื่องไหน"), ("status", "ยังไม่มีเรื่อง"), ("enroll", "")]:
        event = base_event("postback", user_source(chat.user_id), postback={"data": f"intent={intent}"})
        replies = line.send(event)
        assert replies, intent
        assert expected in replies[0]["text"] or expected in replies[-1]["text"], (intent, replies)


def test_a_returning_follower_with_an_open_case_gets_the_case_menu(app, services, fake_line, line):
    _deploy(app)
    recorded = _recorded(services)
    linked_group(line, "5208")
    chat = line.user()
    for said in [*INTAKE, "ยืนยัน"]:
        chat.say(said)
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["case_open"]
    with fake_line._lock:  # as if LINE had lost the link
        fake_line._user_richmenus.pop(chat.user_id, None)
    assert fake_line.rich_menu_of(chat.user_id) == recorded["no_case"]
    chat.follow()
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["case_open"]
    # A new follower with no case gets no link call: the default menu is theirs.
    newcomer = line.user()
    newcomer.follow()
    line.run_worker()
    assert fake_line.linked_rich_menu(newcomer.user_id) is None


def test_a_menu_line_refuses_stops_the_deploy_with_its_reason(app, services, fake_line):
    fake_line.fail_next(1, 400, body={"message": "invalid area"}, path_prefix="/v2/bot/richmenu/validate")
    result = app.test_cli_runner().invoke(args=["richmenu", "deploy"])
    assert result.exit_code != 0 and "LINE refused the rich menu" in result.output and "invalid area" in result.output
    assert fake_line.rich_menus() == {} and _recorded(services) == {}
    # An upload refused: the half-made menu is deleted, nothing recorded.
    fake_line.fail_next(1, 400, body={"message": "bad image"}, path_prefix="/v2/bot/richmenu/richmenu-")
    result = app.test_cli_runner().invoke(args=["richmenu", "deploy"])
    assert result.exit_code != 0 and fake_line.rich_menus() == {} and _recorded(services) == {}
    # And the next deploy succeeds.
    _deploy(app)
    assert len(fake_line.rich_menus()) == 2


def test_the_menu_follows_closure_and_reopening(app, services, fake_line, line):
    from tests.support.journeys import postback_data, referral_cards

    _deploy(app)
    recorded = _recorded(services)
    group = linked_group(line, "5208")
    chat = line.user()
    for said in [*INTAKE, "ยืนยัน"]:
        chat.say(said)
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["case_open"]
    card = referral_cards(group)[-1]
    group.tap(postback_data(card, "รับเรื่อง"))
    group.tap(postback_data(card, "ปิดเรื่อง").replace("action=close", "action=close&reason=unreachable"))
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["no_case"]  # closed: the menu of no open case
    chat.say("ยังอยากเรียน")
    line.run_worker()
    assert fake_line.rich_menu_of(chat.user_id) == recorded["case_open"]  # reopened
