"""The event edge (handlers.events): each event isolated to the end, its reply included; no
answer given twice when LINE is slow; a staff tap apologised for when it could not be saved.
Over the real webhook and the fake LINE server, on both databases."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import select

from bot.line import SdkLineClient
from models import InboundEvent, OutboxMessage
from tests.conftest import CHANNEL_SECRET
from tests.support.line_events import LinePlatform, base_event, group_source, text_message, texts_of, user_source


def _message(line, user: str, said: str) -> dict:
    event = base_event("message", user_source(user), message=text_message(said))
    event["replyToken"] = line.fake.issue_reply_token(user)
    return event


def test_a_reply_that_reached_line_late_is_not_sent_again_by_push(line, services):
    """LINE takes 3 s to answer the reply: the webhook gives up waiting (its 2 s), but the
    request was sent and LINE delivers it. The reply API has no retry key, so a push on top
    would give the user the same answer twice: none is queued."""
    user = "U" + uuid.uuid4().hex
    line.fake.set_delay(3.0, "/v2/bot/message/reply")
    started = time.monotonic()
    assert line.post([_message(line, user, "สวัสดีค่ะ")]).status_code == 200
    assert time.monotonic() - started < 2.0
    assert line.fake.wait_for(lambda fake: len(fake.sent(user)) == 1, timeout=10)
    line.fake.set_delay(0.0, "/v2/bot/message/reply")
    with services.db.transaction(write=False) as tx:
        session = tx.session
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.to == user)).all() == []
    line.run_worker()
    (only,) = line.fake.sent(user)
    assert only.kind == "reply" and "สวัสดี" in texts_of(only.messages)


def test_a_reply_that_never_reached_line_comes_by_push(line, services, app_config):
    """LINE unreachable for the reply (connection refused): the answer is queued and pushed."""
    from bot import create_app

    unreachable = SdkLineClient("http://127.0.0.1:9", "token", timeout=0.5)
    app = create_app({**app_config, "LINE_CLIENT": unreachable})
    offline = LinePlatform(app.test_client(), line.fake, app.extensions["rianto"], CHANNEL_SECRET)
    user = "U" + uuid.uuid4().hex
    assert offline.post([_message(line, user, "สวัสดีค่ะ")]).status_code == 200
    with services.db.transaction(write=False) as tx:
        session = tx.session
        (row,) = session.scalars(select(OutboxMessage).where(OutboxMessage.to == user)).all()
    assert row.kind == "reply_fallback" and "สวัสดี" in texts_of(row.messages)


class _ReplyBreaksOnce:
    """The real client, whose first reply fails with an error no LINE error covers."""

    def __init__(self, real: SdkLineClient) -> None:
        self.real, self.broken = real, False

    def reply(self, token, messages, timeout=None):
        if not self.broken:
            self.broken = True
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return self.real.reply(token, messages, timeout=timeout)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_an_exception_in_one_events_reply_does_not_stop_the_next_event(line, services):
    services.line = _ReplyBreaksOnce(services.line)
    first, second = "U" + uuid.uuid4().hex, "U" + uuid.uuid4().hex
    assert line.post([_message(line, first, "สวัสดีค่ะ"), _message(line, second, "สวัสดีค่ะ")]).status_code == 200
    assert line.fake.sent(first) == []
    assert [s.kind for s in line.fake.sent(second)] == ["reply"]
    with services.db.transaction(write=False) as tx:
        session = tx.session
        outcomes = session.scalars(select(InboundEvent.outcome).order_by(InboundEvent.id)).all()
    assert outcomes == ["handled", "handled"]


def test_a_staff_tap_while_the_database_is_down_is_answered_with_an_apology(line, app_config):
    from bot import create_app

    app = create_app({**app_config, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "DATABASE": None})
    down = LinePlatform(app.test_client(), line.fake, app.extensions["rianto"], CHANNEL_SECRET)
    group, staff = "C" + uuid.uuid4().hex, "U" + uuid.uuid4().hex
    line.fake.set_profile(staff, "ครูนก")
    tap = base_event("postback", group_source(group, staff), postback={"data": "case=1&action=accept"})
    tap["replyToken"] = line.fake.issue_reply_token(group)
    assert down.post([tap]).status_code == 200
    (reply,) = line.fake.sent(group)
    assert reply.kind == "reply" and "กด" in texts_of(reply.messages) and "อีกครั้ง" in texts_of(reply.messages)
    # Group chatter is still never answered, database or not.
    chatter = base_event("message", group_source(group, staff), message=text_message("กินข้าวยัง"))
    chatter["replyToken"] = line.fake.issue_reply_token(group)
    assert down.post([chatter]).status_code == 200
    assert len(line.fake.sent(group)) == 1
