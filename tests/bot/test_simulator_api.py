"""The simulator exists only in local mode, and builds events the real webhook accepts."""

from __future__ import annotations

import json

from bot.webhook import signature_for


def test_no_simulator_with_real_credentials(client):
    assert client.get("/").status_code == 404
    assert client.post("/sim/api/send", json={"chat": "U1"}).status_code == 404


def test_local_mode_serves_the_page_and_the_fake(tmp_path):
    from bot import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}", "LOCAL_MODE": "1", "TESTING": True})
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200 and "เยาวชน" in page.get_data(as_text=True)
    assert client.get("/_line/_fake/health").json == {"status": "ok"}
    assert client.get("/sim/api/places?province=52").json[7] == {"code": "5208", "name": "เถิน"}
    assert "อำเภอเถิน จังหวัดลำปาง" in client.get("/sim/api/address?district=5208").json["address"]


def test_simulator_events_are_accepted_by_the_webhook(line, client, app):
    from bot.simulator import build_event

    event = build_event(
        {"chat_type": "user", "chat": "Usim", "kind": "location", "address": "อำเภอเถิน จังหวัดลำปาง 52160"},
        line.fake.issue_reply_token("Usim"),
    )
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event]}).encode()
    response = client.post("/callback", data=body, headers={"X-Line-Signature": signature_for(body, line.secret)})
    assert response.status_code == 200
    assert len(line.fake.sent("Usim")) == 1


def test_linking_the_group_to_an_unknown_office_says_so_in_thai(tmp_path):
    from bot import create_app
    from models import Database, migrate

    url = f"sqlite:///{tmp_path / 'l.db'}"
    db = Database(url)
    migrate(db)
    db.dispose()
    app = create_app({"DATABASE_URL": url, "LOCAL_MODE": "1", "TESTING": True})
    response = app.test_client().post("/sim/api/link-group", json={"group": "Csim", "office": "9999"})
    assert response.status_code == 404
    assert "ไม่พบศูนย์รหัส" in response.json["error"] and "9999" in response.json["error"]
    assert app.test_client().post("/sim/api/link-group", json={"office": "5208"}).status_code == 400


def test_the_simulator_shows_the_rich_menu_of_the_users_state(tmp_path):
    """Local mode deploys the menus into its own fake on the first look, and serves their images."""
    from bot import create_app
    from models import Database, RichMenu, migrate

    url = f"sqlite:///{tmp_path / 'l.db'}"
    db = Database(url)
    migrate(db)
    db.dispose()
    app = create_app({"DATABASE_URL": url, "LOCAL_MODE": "1", "TESTING": True})
    client = app.test_client()
    assert client.get("/sim/api/richmenu").status_code == 400
    menu = client.get("/sim/api/richmenu?user=Usim1").json
    assert menu["name"] == "RianTo: no case yet" and menu["chatBarText"] == "เมนู"
    assert [a["action"]["data"] for a in menu["areas"]] == ["intent=enroll", "intent=ask_info", "intent=human"]
    image = client.get(menu["image"])
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data[:4] == b"\x89PNG"
    with app.extensions["rianto"].db.transaction(write=False) as tx:
        session = tx.session
        recorded = {row.name: row.rich_menu_id for row in session.query(RichMenu)}
    assert recorded["no_case"] == menu["richMenuId"]
    # A user linked to the case_open menu (as the worker does after a submission) sees it.
    token = app.extensions["rianto"].settings.LINE_CHANNEL_ACCESS_TOKEN
    linked = client.post(
        f"/_line/v2/bot/user/Usim2/richmenu/{recorded['case_open']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert linked.status_code == 200
    assert client.get("/sim/api/richmenu?user=Usim2").json["name"] == "RianTo: case open"
    assert client.get("/sim/api/richmenu?user=Usim1").json["richMenuId"] == recorded["no_case"]
    assert client.get("/sim/api/richmenu/richmenu-nope/image").status_code == 404


def test_the_page_loads_the_demo_directory_when_init_db_did_not(tmp_path):
    from bot import create_app
    from models import Database, Office, migrate

    url = f"sqlite:///{tmp_path / 'l.db'}"
    db = Database(url)
    migrate(db)
    with db.transaction() as tx:
        session = tx.session
        from models.directory import seed_offices

        seed_offices(session)
    db.dispose()
    app = create_app({"DATABASE_URL": url, "LOCAL_MODE": "1", "TESTING": True})
    assert app.test_client().get("/").status_code == 200
    with app.extensions["rianto"].db.transaction(write=False) as tx:
        session = tx.session
        thoen = session.get(Office, "5208")
        assert thoen.demo and thoen.phone == "00-000-5208"
