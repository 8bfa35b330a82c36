"""Two messages from one user at the same moment, from two processes, on PostgreSQL under a
real gunicorn with two worker processes: the conversation row lock applies them one after
the other, so no slot is lost."""

from __future__ import annotations

import json
import multiprocessing
import time
import urllib.request
import uuid

import pytest

from bot.webhook import signature_for
from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN
from tests.support.line_events import base_event, body_of, text_message, texts_of, user_source
from tests.support.servers import clean_env, gunicorn, init_db


def _post_together(url: str, body: bytes, barrier, results) -> None:
    barrier.wait(10)
    results.put(_post(url, body, 0))


def _post(url: str, body: bytes, at: float) -> int:
    delay = at - time.time()
    if delay > 0:
        time.sleep(delay)
    request = urllib.request.Request(
        url + "/callback",
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": signature_for(body, CHANNEL_SECRET)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def _say(url: str, fake, user: str, text: str) -> list[dict]:
    event = base_event("message", user_source(user), message=text_message(text))
    event["replyToken"] = fake.issue_reply_token(user)
    before = len(fake.sent(user))
    assert _post(url, body_of([event]), 0) == 200
    sent = fake.sent(user)[before:]
    assert len(sent) == 1, sent
    return sent[0].messages


@pytest.mark.slow
def test_two_simultaneous_messages_lose_no_slot(new_postgres_url, fake_line, fake_line_url):
    env = clean_env(
        DATABASE_URL=new_postgres_url,
        LINE_CHANNEL_SECRET=CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN=CHANNEL_TOKEN,
        LINE_API_BASE_URL=fake_line_url,
        FLOOD_BURST="100",  # this test talks faster than any person
    )
    init_db(env)
    users = ["U" + uuid.uuid4().hex for _ in range(10)]
    with gunicorn(env, workers=2, threads=2) as url:
        for user in users:
            _say(url, fake_line, user, "อยากกลับไปเรียนค่ะ")
            _say(url, fake_line, user, "ยินยอม")
            _say(url, fake_line, user, "ตัวเองค่ะ")
            _say(url, fake_line, user, "ชื่อฝน")
        # Now each is asked for their age. Send age and level at the same instant, from two
        # processes released by one barrier, one user at a time (two gunicorn workers, so the
        # two requests really are handled at once).
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        for user in users:
            barrier = context.Barrier(2)
            processes = []
            for text in ("อายุ 17 ค่ะ", "จบ ม.2 ค่ะ"):
                event = base_event("message", user_source(user), message=text_message(text))
                event["replyToken"] = fake_line.issue_reply_token(user)
                processes.append(context.Process(target=_post_together, args=(url, body_of([event]), barrier, results)))
            for process in processes:
                process.start()
            for process in processes:
                process.join(20)
        statuses = [results.get(timeout=5) for _ in range(2 * len(users))]
        assert statuses == [200] * (2 * len(users))
        for user in users:
            # Both details are kept: the next question is about location, not age or level,
            # and the summary (after the rest) lists 17 and ม.2.
            reply = _say(url, fake_line, user, "อยู่อำเภอเถิน จังหวัดลำปาง")
            for answer in ("ข้าม", "ยังไม่แน่ใจ", "ไม่มีเบอร์ ติดต่อทางไลน์"):
                if "17" in texts_of(reply) and "ม.2" in texts_of(reply):
                    break
                reply = _say(url, fake_line, user, answer)
            summary = texts_of(reply)
            assert "17" in summary and "ม.2" in summary, json.dumps(reply, ensure_ascii=False)
