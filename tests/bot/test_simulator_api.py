"""The simulator exists only in local mode, and builds events the real webhook accepts."""

from __future__ import annotations

import json

from bot.webhook import signature_for


def test_no_simulator_with_real_credentials(client):
    assert client.get("/").status_code == 404
    assert client.post("/sim/api/send", json={"chat": "U1"}).status_code == 404


def test_local_mode_serves_the_page_and_the_fake(tmp_path):
    from bot import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}", "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""})
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200 and "เยาวชน" in page.get_data(as_text=True)
    assert client.get("/_line/_fake/health").json == {"status": "ok"}
    assert client.get("/sim/api/places?province=52").json[7] == {"code": "5208", "name": "เถิน"}
    assert "อำเภอเถิน จังหวัดลำปาง" in client.get("/sim/api/address?district=5208").json["address"]


def test_simulator_events_are_accepted_by_the_webhook(line, client, app):
    from bot.simulator import build_event

    event = build_event({"chat_type": "user", "chat": "Usim", "kind": "location", "address": "อำเภอเถิน จังหวัดลำปาง 52160"}, line.fake.issue_reply_token("Usim"))
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event]}).encode()
    response = client.post("/callback", data=body, headers={"X-Line-Signature": signature_for(body, line.secret)})
    assert response.status_code == 200
    assert len(line.fake.sent("Usim")) == 1
