"""The fake LINE platform itself: what the other tests rely on it to do."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

from tests.conftest import CHANNEL_TOKEN


def _push(base_url: str, to: str) -> int:
    request = urllib.request.Request(
        f"{base_url}/v2/bot/message/push",
        data=json.dumps({"to": to, "messages": [{"type": "text", "text": "สวัสดีค่ะ"}]}).encode(),
        headers={"Authorization": f"Bearer {CHANNEL_TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_request_that_outlives_a_clear_does_not_land_in_the_next_record(fake_line, fake_line_url):
    # A scripted delay can outlast the test that set it; the next test must start empty.
    fake_line.set_delay(0.5, "/v2/bot/message/push")
    statuses: list[int] = []
    worker = threading.Thread(target=lambda: statuses.append(_push(fake_line_url, "U" + "1" * 32)))
    worker.start()
    time.sleep(0.1)
    fake_line.clear()
    worker.join(timeout=5)
    assert statuses and statuses[0] >= 500
    assert fake_line.requests() == [] and fake_line.sent() == []


def test_a_request_within_one_record_is_kept(fake_line, fake_line_url):
    fake_line.set_delay(0.2, "/v2/bot/message/push")
    assert _push(fake_line_url, "U" + "2" * 32) == 200
    assert [r.path for r in fake_line.requests()] == ["/v2/bot/message/push"]
    assert [s.to for s in fake_line.sent()] == ["U" + "2" * 32]


def _post(base_url: str, path: str, body: dict, **headers: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base_url}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {CHANNEL_TOKEN}", "Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


TWO = [{"type": "text", "text": "หนึ่ง"}, {"type": "text", "text": "สอง"}]


def test_reply_and_push_answer_with_the_ids_of_the_messages_sent(fake_line, fake_line_url):
    token = fake_line.issue_reply_token("U" + "3" * 32)
    status, replied = _post(fake_line_url, "/v2/bot/message/reply", {"replyToken": token, "messages": TWO})
    assert status == 200 and len(replied["sentMessages"]) == 2
    status, pushed = _post(fake_line_url, "/v2/bot/message/push", {"to": "C" + "4" * 32, "messages": TWO[:1]})
    assert status == 200 and len(pushed["sentMessages"]) == 1
    ids = [m["id"] for m in replied["sentMessages"] + pushed["sentMessages"]]
    assert all(i.isdigit() and len(i) == 18 for i in ids) and len(set(ids)) == 3
    assert all(m["quoteToken"] for m in replied["sentMessages"] + pushed["sentMessages"])
    # The fake remembers which message carried which id: a quote-reply can be traced back.
    reply, push = fake_line.sent()
    assert reply.sent_ids == replied["sentMessages"] and push.sent_ids == pushed["sentMessages"]
    found = fake_line.sent_message(replied["sentMessages"][1]["id"])
    assert found is not None and found[0].kind == "reply" and found[0].messages[found[1]]["text"] == "สอง"
    assert fake_line.sent_message("123") is None
    assert push.as_json()["ids"] == [pushed["sentMessages"][0]["id"]]


def test_a_repeated_retry_key_gets_the_ids_of_the_first_delivery(fake_line, fake_line_url):
    key = "0b6cde2f-1f43-4c2a-9d59-9a2b1f0c1a11"
    body = {"to": "C" + "5" * 32, "messages": TWO}
    status, first = _post(fake_line_url, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    assert status == 200
    status, again = _post(fake_line_url, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    assert status == 409 and again["sentMessages"] == first["sentMessages"]
    assert len(fake_line.sent()) == 1


def test_a_quote_reply_from_the_simulator_reaches_the_webhook_as_line_sends_it(line, client):
    from jsonschema import Draft7Validator

    from bot.simulator import build_event
    from tests.conftest import WEBHOOK_SPEC
    from tests.support.openapi_schema import schema_for

    token = line.fake.issue_reply_token("C" + "6" * 32)
    event = build_event(
        {
            "chat_type": "group",
            "chat": "C" + "6" * 32,
            "kind": "text",
            "text": "ได้ค่ะ",
            "quotedMessageId": "412345678901234567",
        },
        token,
    )
    assert event["message"]["quotedMessageId"] == "412345678901234567"
    validator = Draft7Validator(schema_for(str(WEBHOOK_SPEC), "Event"))
    assert [e.message for e in validator.iter_errors(event)] == []
    for kind in ("sticker", "image"):
        other = build_event({"chat_type": "user", "chat": "U" + "7" * 32, "kind": kind}, "t")
        assert [e.message for e in validator.iter_errors(other)] == [], kind
    ignored = build_event(
        {"chat_type": "group", "chat": "C1", "kind": "text", "text": "x", "quotedMessageId": "abc"}, "t"
    )
    assert "quotedMessageId" not in ignored["message"]
    assert line.post([event]).status_code == 200
