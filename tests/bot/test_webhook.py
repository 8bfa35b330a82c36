"""The web edge: signature, parsing, isolation, de-duplication, standby, health."""

from __future__ import annotations

import json
import re
import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from bot.webhook import MAX_INT_DIGITS
from models import Case, InboundEvent, OutboxMessage, WebhookBacklog
from tests.conftest import WEBHOOK_FIXTURES, WEBHOOK_SPEC, require_shared
from tests.support.line_events import (
    base_event,
    body_of,
    new_event_id,
    text_message,
    texts_of,
    user_source,
)


def count(services, model) -> int:
    with services.db.transaction(write=False) as tx:
        session = tx.session
        return session.scalar(select(func.count()).select_from(model))


# --- signature ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [None, "", "not-base64!", "c2lnbmF0dXJl", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ids=["missing", "empty", "garbage", "wrong", "wrong-length-ok"],
)
def test_missing_or_wrong_signature_is_400_and_stores_nothing(line, client, services, signature):
    event = base_event("message", user_source("U" + "a" * 32), message=text_message("สวัสดี"))
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    response = client.post("/callback", data=body_of([event]), headers=headers)
    assert response.status_code == 400
    assert count(services, InboundEvent) == 0
    assert line.fake.requests() == []


def test_an_oversized_body_is_413_unread_and_stores_nothing(line, client, services):
    from bot.webhook import MAX_BODY_BYTES, signature_for

    event = base_event("message", user_source("U" + "c" * 32), message=text_message("ก" * (MAX_BODY_BYTES // 2)))
    body = body_of([event])
    assert len(body) > MAX_BODY_BYTES
    response = client.post("/callback", data=body, headers={"X-Line-Signature": signature_for(body, line.secret)})
    assert response.status_code == 413 and response.get_json() == {"error": "body too large"}
    assert count(services, InboundEvent) == 0
    assert line.fake.requests() == []


def test_callback_answers_only_post(client, services):
    response = client.get("/callback")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert count(services, InboundEvent) == 0


def test_signature_is_checked_over_the_raw_bytes(line, services):
    event = base_event("message", user_source("U" + "b" * 32), message=text_message("สวัสดี"))
    body = body_of([event])
    reformatted = json.dumps(json.loads(body), indent=2, ensure_ascii=True).encode()
    from bot.webhook import signature_for

    # Signed over one serialisation, sent as another (same JSON value): rejected.
    response = line.post([], body=reformatted, signature=signature_for(body, line.secret))
    assert response.status_code == 400
    assert count(services, InboundEvent) == 0


def test_signature_with_another_channels_secret_is_rejected(line, services):
    event = base_event("follow", user_source("U" + "c" * 32))
    from bot.webhook import signature_for

    body = body_of([event])
    response = line.post([], body=body, signature=signature_for(body, "someone-elses-secret"))
    assert response.status_code == 400
    assert count(services, InboundEvent) == 0


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"destination": "U1"}', b'{"events": {}}', b"\xff\xfe\x00garbage"],
)
def test_malformed_body_with_a_valid_signature_is_400(line, services, body):
    response = line.post([], body=body)
    assert response.status_code == 400
    assert count(services, InboundEvent) == 0


def test_empty_event_list_is_200(line):
    response = line.post([])
    assert response.status_code == 200


# --- events ------------------------------------------------------------------------------


def test_a_greeting_gets_a_thai_reply(line):
    chat = line.user()
    messages = chat.say("สวัสดีครับ")
    assert "สวัสดี" in texts_of(messages)


def test_follow_gets_a_welcome_with_quick_replies(line):
    chat = line.user()
    messages = chat.follow()
    assert messages[-1].get("quickReply", {}).get("items"), "the welcome offers quick replies"


def test_redelivery_is_processed_once(line, services):
    user = "U" + uuid.uuid4().hex
    event = base_event("message", user_source(user), message=text_message("สวัสดีค่ะ"))
    event["replyToken"] = line.fake.issue_reply_token(user)
    assert line.post([event]).status_code == 200
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}, "replyToken": line.fake.issue_reply_token(user)}
    assert line.post([redelivered]).status_code == 200
    assert line.post([redelivered, redelivered]).status_code == 200
    assert len(line.fake.sent(user)) == 1
    with services.db.transaction(write=False) as tx:
        session = tx.session
        rows = session.scalars(
            select(InboundEvent).where(InboundEvent.webhook_event_id == event["webhookEventId"])
        ).all()
    assert len(rows) == 1 and rows[0].outcome == "handled"


def test_standby_events_are_recorded_not_answered(line, services):
    user = "U" + uuid.uuid4().hex
    event = base_event("message", user_source(user), message=text_message("สวัสดี"))
    event["mode"] = "standby"
    assert line.post([event]).status_code == 200
    assert line.fake.sent(user) == []
    with services.db.transaction(write=False) as tx:
        session = tx.session
        row = session.scalars(select(InboundEvent)).one()
    assert row.outcome == "standby" and row.webhook_event_id == event["webhookEventId"]


def test_unknown_event_and_message_types_get_200(line, services):
    user = "U" + uuid.uuid4().hex
    odd_event = base_event("somethingNew", user_source(user))
    odd_message = base_event("message", user_source(user), message={"id": "1", "type": "hologram"})
    odd_message["replyToken"] = line.fake.issue_reply_token(user)
    assert line.post([odd_event, odd_message]).status_code == 200
    # The odd message still gets a polite Thai answer; the odd event is recorded as ignored.
    replies = [s for s in line.fake.sent(user) if s.kind == "reply"]
    assert len(replies) == 1 and "ค่ะ" in texts_of(replies[0].messages)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        outcomes = dict(session.execute(select(InboundEvent.event_type, InboundEvent.outcome)).all())
    assert outcomes["somethingNew"] == "ignored"


def test_one_bad_event_does_not_stop_the_batch(line, services):
    good_user = "U" + uuid.uuid4().hex
    good = base_event("message", user_source(good_user), message=text_message("สวัสดีค่ะ"))
    good["replyToken"] = line.fake.issue_reply_token(good_user)
    events = [
        "not an object",
        {"type": "message"},
        {"webhookEventId": 5, "type": []},
        base_event("message", {"type": "user"}),
        good,
    ]
    assert line.post(events).status_code == 200
    assert len(line.fake.sent(good_user)) == 1


def test_a_crashing_handler_is_isolated_and_apologises(line, services, monkeypatch):
    """A crash inside one event's handling rolls that event back, apologises, and the next
    event in the same batch is handled normally."""
    import handlers.conversation as conversation

    real = conversation.understanding_of_message

    def explode_on(message, now):
        if message.get("text") == "boom":
            raise RuntimeError("simulated bug")
        return real(message, now)

    monkeypatch.setattr(conversation, "understanding_of_message", explode_on)
    first, second = "U" + uuid.uuid4().hex, "U" + uuid.uuid4().hex
    bad = base_event("message", user_source(first), message=text_message("boom"))
    bad["replyToken"] = line.fake.issue_reply_token(first)
    good = base_event("message", user_source(second), message=text_message("สวัสดีค่ะ"))
    good["replyToken"] = line.fake.issue_reply_token(second)
    assert line.post([bad, good]).status_code == 200
    assert "ขออภัย" in texts_of(line.fake.sent(first)[0].messages)
    assert "สวัสดี" in texts_of(line.fake.sent(second)[0].messages)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        outcomes = dict(session.execute(select(InboundEvent.webhook_event_id, InboundEvent.outcome)).all())
    assert outcomes == {bad["webhookEventId"]: "failed", good["webhookEventId"]: "handled"}


def test_group_chatter_is_not_answered(line):
    group = line.group()
    assert group.say("กินข้าวกันยัง") == []


def test_expired_reply_token_falls_back_to_the_outbox(line, services):
    chat = line.user()
    event = base_event("message", user_source(chat.user_id), message=text_message("สวัสดีค่ะ"))
    event["replyToken"] = "never-issued-token"
    assert line.post([event]).status_code == 200
    assert line.fake.sent(chat.user_id) == []
    with services.db.transaction(write=False) as tx:
        session = tx.session
        row = session.scalars(select(OutboxMessage)).one()
    assert row.kind == "reply_fallback" and row.to == chat.user_id
    assert [c["chatId"] for c in line.fake.loading_calls()] == [chat.user_id]
    report = line.run_worker()
    assert report.delivered == 1
    pushed = line.fake.sent(chat.user_id)
    assert [s.kind for s in pushed] == ["push"] and "สวัสดี" in texts_of(pushed[0].messages)


def test_webhook_answers_fast_when_line_is_slow(line, services):
    line.fake.set_delay(5.0)
    chat = line.user()
    event = base_event("message", user_source(chat.user_id), message=text_message("สวัสดีค่ะ"))
    event["replyToken"] = line.fake.issue_reply_token(chat.user_id)
    started = time.monotonic()
    response = line.post([event, base_event("follow", user_source("U" + uuid.uuid4().hex))])
    elapsed = time.monotonic() - started
    line.fake.set_delay(0.0)
    assert response.status_code == 200
    assert elapsed < 2.0, f"webhook took {elapsed:.2f}s"
    with services.db.transaction(write=False) as tx:
        session = tx.session
        queued = session.scalar(select(func.count()).select_from(OutboxMessage))
        deferred = session.scalar(select(func.count()).select_from(WebhookBacklog))
    assert queued + deferred >= 1, "what could not be done in time is queued (a reply) or left to the worker (an event)"


# --- fixtures and generated payloads ----------------------------------------------------------


def test_sdk_sample_events_never_give_5xx(line):
    payload = json.loads(require_shared(WEBHOOK_FIXTURES).read_text(encoding="utf-8"))
    events = payload["events"]
    for event in events:
        event["webhookEventId"] = new_event_id()
    response = line.post(events)
    assert response.status_code == 200
    # Every event was looked at once; none twice.
    assert len({e["webhookEventId"] for e in events}) == len(events)


@pytest.fixture(scope="module")
def generated_callbacks():
    from tests.support.webhook_schema import callback_strategy

    return callback_strategy(str(require_shared(WEBHOOK_SPEC)))


def test_generated_webhook_payloads_never_give_5xx(line, generated_callbacks):
    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(generated_callbacks)
    def check(payload):
        body = json.dumps(payload).encode()
        response = line.post([], body=body)
        # Integers no LINE event carries (past MAX_INT_DIGITS) are refused as a whole body.
        too_long = any(
            len(n.lstrip("-")) > MAX_INT_DIGITS for n in re.findall(r"(?<![\w.\"])-?\d+(?![\w.\"])", body.decode())
        )
        assert response.status_code == (400 if too_long else 200), response.data

    check()


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(app_config, tmp_path):
    from bot import create_app

    app = create_app({**app_config, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "DATABASE": None})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_the_database_dropping_every_connection_loses_no_message(line, services, database_url):
    """A PostgreSQL restart, as the app sees it: every pooled connection is dead. The next
    message is still applied and answered (no apology), and health is still reported ok."""
    if not services.db.is_postgres:
        pytest.skip("SQLite has no server connections to lose")
    from sqlalchemy import create_engine, text

    chat = line.user()
    chat.say("อยากกลับไปเรียนค่ะ")
    chat.say("ยินยอม")
    # The app's pooled connections (only those: the suite's own must survive).
    pool = services.db.engine.pool
    held = [services.db.engine.connect() for _ in range(max(1, pool.checkedin()))]
    pids = [conn.execute(text("SELECT pg_backend_pid()")).scalar() for conn in held]
    for conn in held:
        conn.rollback()
        conn.close()
    admin = create_engine(services.db.engine.url)
    with admin.connect() as conn:
        dropped = conn.execute(
            text("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM unnest(CAST(:pids AS int[])) AS pid"),
            {"pids": pids},
        ).scalar()
    admin.dispose()
    assert dropped >= 1, "the app held no connection to drop"
    reply = texts_of(chat.say("ตัวเองค่ะ"))
    assert "ขัดข้อง" not in reply and "ชื่อ" in reply  # the role was taken; the name is asked next
    assert line.client.get("/healthz").status_code == 200


# --- bad inputs that JSON can carry (issue 12 §5-§7) ------------------------------------------


def _signed(line, raw: bytes):
    return line.post([], body=raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"destination":"U0","events":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"destination":"U0","events":[{"type":"message","timestamp":' + b"9" * 5000 + b"}]}",
        b'{"destination":"U0","events":[{"type":"message","timestamp":NaN}]}',
        b'{"destination":"U0","events":[{"a":1e999}]}',
        b'{"destination":"U0","events":[' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"]}",
    ],
    ids=["nested-100000", "int-5000-digits", "nan", "infinite", "nested-40"],
)
def test_bodies_json_cannot_hold_safely_are_400_never_500(line, services, raw):
    response = _signed(line, raw)
    assert response.status_code == 400
    assert count(services, InboundEvent) == 0


def test_a_lone_surrogate_is_cleaned_and_the_next_event_still_handled(line, services):
    first, second = line.user(), line.user()
    events = [
        {
            **base_event("message", user_source(first.user_id), message=text_message("ฝน__SURROGATE__")),
            "replyToken": line.fake.issue_reply_token(first.user_id),
        },
        {
            **base_event("message", user_source(second.user_id), message=text_message("สวัสดีค่ะ")),
            "replyToken": line.fake.issue_reply_token(second.user_id),
        },
    ]
    raw = body_of(events).replace(b"__SURROGATE__", b"\\ud800")
    response = _signed(line, raw)
    assert response.status_code == 200
    replied = {s.to for s in line.fake.sent() if s.kind == "reply"}
    assert replied == {first.user_id, second.user_id}


NAME_WITH_CONTROLS = "สม\u0000ชาย\u202e\u0007"


def test_nul_and_direction_overrides_never_reach_the_database(line, services):
    chat = line.user()
    for said in [
        "อยากกลับไปเรียน",
        "ยินยอม",
        f"ชื่อ{NAME_WITH_CONTROLS} อายุ 17 ออกตอน ม.2 อยู่เถิน ลำปาง",
        "ต้องทำงาน",
        "สายสามัญ",
        "0812345678",
    ]:
        chat.say(said)
    confirm = chat.say("ยืนยัน")
    assert "RT-" in texts_of(confirm), texts_of(confirm)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        (case,) = session.scalars(select(Case))
    assert case.name is not None and "\x00" not in case.name and "\u202e" not in case.name and "\x07" not in case.name
    assert "สม" in case.name


def test_text_cleaning_keeps_what_people_write():
    from bot.textclean import clean, clean_text

    assert clean_text("ลูก\r\nอายุ 15\tปี 👨‍👩‍👧") == "ลูก\nอายุ 15\tปี 👨‍👩‍👧"
    assert clean_text("\u202eabc\u2066x\u2069\ufeff\x00\x1b[31m") == "abcx[31m"
    assert clean({"k\x00": ["a\ud800b", 1, None, {"n": "\u200fx"}]}) == {"k": ["ab", 1, None, {"n": "x"}]}


# --- batches of any size (issue 12 §9) ---------------------------------------------------------


def test_a_batch_of_1000_events_is_answered_within_2_seconds_and_none_is_lost(line, services):
    from bot.worker import drain

    users = ["U" + uuid.uuid4().hex for _ in range(1000)]
    events = [base_event("unfollow", user_source(u)) for u in users]
    started = time.monotonic()
    response = line.post(events)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 2.0, f"answered after {elapsed:.2f}s"
    # Answered: every event is handled or recorded for the worker.
    assert count(services, InboundEvent) + count(services, WebhookBacklog) == 1000
    drain(services, timeout=120)
    assert count(services, WebhookBacklog) == 0
    with services.db.transaction(write=False) as tx:
        session = tx.session
        recorded = set(session.scalars(select(InboundEvent.source_id)))
    assert recorded == set(users)
    # Redelivered, the same batch changes nothing.
    line.post(events)
    drain(services, timeout=120)
    assert count(services, InboundEvent) == 1000


def test_events_left_to_the_worker_are_answered_by_it(line, services, monkeypatch):
    from bot import webhook
    from bot.worker import drain

    monkeypatch.setattr(webhook, "DEFER_AFTER_SECONDS", 0.0)  # everything goes to the backlog
    chat = line.user()
    event = {
        **base_event("message", user_source(chat.user_id), message=text_message("สวัสดีค่ะ")),
        "replyToken": line.fake.issue_reply_token(chat.user_id),
    }
    assert line.post([event]).status_code == 200
    assert count(services, WebhookBacklog) == 1 and line.fake.sent(chat.user_id) == []
    drain(services)
    assert count(services, WebhookBacklog) == 0
    assert "สวัสดี" in texts_of(line.fake.sent(chat.user_id)[0].messages)


def test_staff_names_from_line_are_cleaned(line, services):
    from tests.support.journeys import QUICK_INTAKE, linked_group, postback_data, referral_cards

    group = linked_group(line, "5208")
    line.fake.set_profile("Ustaff0000000000000000000000000001", "สม\u202eศรี\u0000")
    chat = line.user()
    for said in QUICK_INTAKE:
        chat.say(said)
    line.run_worker()
    (card,) = referral_cards(group)
    reply = texts_of(group.tap(postback_data(card, "รับเรื่อง")))
    assert "สมศรี" in reply and "\u202e" not in reply


def test_a_users_new_event_waits_behind_their_events_in_the_backlog(line, services, monkeypatch):
    from bot import webhook
    from bot.worker import drain

    chat = line.user()

    def message(said: str) -> dict:
        return {
            **base_event("message", user_source(chat.user_id), message=text_message(said)),
            "replyToken": line.fake.issue_reply_token(chat.user_id),
        }

    monkeypatch.setattr(webhook, "DEFER_AFTER_SECONDS", 0.0)
    assert line.post([message("อยากกลับไปเรียน")]).status_code == 200
    monkeypatch.undo()
    other = line.user()
    assert line.post([message("ยินยอม"), base_event("follow", user_source(other.user_id))]).status_code == 200
    # The other user is answered at once; this user's second message queues behind the first.
    assert count(services, WebhookBacklog) == 2
    drain(services)
    with services.db.transaction(write=False) as tx:
        session = tx.session
        order = list(
            session.scalars(
                select(InboundEvent.source_id).where(InboundEvent.source_id == chat.user_id).order_by(InboundEvent.id)
            )
        )
    assert len(order) == 2
    replies = [texts_of(s.messages) for s in line.fake.sent(chat.user_id)]
    assert len(replies) == 2 and "ยินยอม" in replies[0]
