"""The LINE client against the fake LINE server: what each kind of failure raises (the
documented exception tree in `bot.line`), and that every call honours its timeout."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from bot.line import (
    LineApi,
    LineConflict,
    LineQuotaExceeded,
    LineRateLimited,
    LineRejected,
    LineServerError,
    LineTimeout,
    SdkLineClient,
)
from tests.conftest import CHANNEL_TOKEN
from tests.support.servers import free_port

HELLO = [
    {
        "type": "text",
        "text": "สวัสดีค่ะ",
        "quickReply": {
            "items": [{"type": "action", "action": {"type": "message", "label": "ถามข้อมูล", "text": "ถามข้อมูล"}}]
        },
    }
]
USER = "U" + "c" * 32


@pytest.fixture
def client(fake_line_url):
    line = SdkLineClient(fake_line_url, CHANNEL_TOKEN, timeout=2.0)
    yield line
    line.close()


def test_a_reply_reaches_the_chat_of_its_token(client, fake_line):
    client.reply(fake_line.issue_reply_token(USER), HELLO)
    (sent,) = fake_line.sent(USER)
    assert sent.kind == "reply" and sent.messages == HELLO


def test_a_used_or_unknown_reply_token_is_rejected(client, fake_line):
    token = fake_line.issue_reply_token(USER)
    client.reply(token, HELLO)
    with pytest.raises(LineRejected) as used:
        client.reply(token, HELLO)
    assert used.value.status == 400 and not used.value.retryable
    with pytest.raises(LineRejected):
        client.reply("f" * 32, HELLO)


@pytest.mark.parametrize(
    ("status", "body", "raised", "retryable"),
    [
        (500, None, LineServerError, True),
        (503, None, LineServerError, True),
        (429, {"message": "The API rate limit has been exceeded. Try again later."}, LineRateLimited, True),
        (429, {"message": "You have reached your monthly limit."}, LineQuotaExceeded, False),
        (401, {"message": "Authentication failed"}, LineRejected, False),
    ],
    ids=["500", "503", "rate-limit", "monthly-quota", "401"],
)
def test_error_statuses_map_to_the_exception_tree(client, fake_line, status, body, raised, retryable):
    for call in (
        lambda: client.reply(fake_line.issue_reply_token(USER), HELLO),
        lambda: client.push(USER, HELLO, retry_key="3b241101-e2bb-4255-8caf-4136c566a962"),
    ):
        fake_line.fail_next(1, status, body=body)
        with pytest.raises(raised) as caught:
            call()
        assert caught.value.retryable is retryable and caught.value.status == status


def test_a_retry_key_already_accepted_is_a_conflict(client, fake_line):
    key = "8f14e45f-ceea-467d-a5a8-a2a5e8f1c0de"
    client.push(USER, HELLO, retry_key=key)
    with pytest.raises(LineConflict):
        client.push(USER, HELLO, retry_key=key)
    assert len(fake_line.sent(USER)) == 1


def test_a_slow_api_times_out_within_the_given_budget(client, fake_line):
    fake_line.set_delay(3.0)
    started = time.monotonic()
    with pytest.raises(LineTimeout) as caught:
        client.reply(fake_line.issue_reply_token(USER), HELLO, timeout=0.5)
    assert caught.value.retryable
    assert time.monotonic() - started < 2.0
    fake_line.set_delay(0)


def test_an_unreachable_api_is_a_timeout_not_a_crash():
    line = SdkLineClient(f"http://127.0.0.1:{free_port()}", CHANNEL_TOKEN, timeout=1.0)
    with pytest.raises(LineTimeout):
        line.reply("f" * 32, HELLO)
    with pytest.raises(LineTimeout):
        line.push(USER, HELLO, retry_key="0b7e5c8a-8f0e-4c3a-9d2e-2f1a5b6c7d8e")


def test_staff_names_are_looked_up_once_and_failures_tried_again(client, fake_line):
    group, staff = "C" + "d" * 32, "U" + "e" * 32
    fake_line.fail_next(1, 500, path_prefix="/v2/bot/group")
    assert client.group_member_name(group, staff) is None  # LINE failed: no name, nothing kept
    fake_line.set_profile(staff, "ครูแอน")
    assert client.group_member_name(group, staff) == "ครูแอน"
    asked = len([r for r in fake_line.requests() if r.path.startswith("/v2/bot/group")])
    assert client.group_member_name(group, staff) == "ครูแอน"
    assert len([r for r in fake_line.requests() if r.path.startswith("/v2/bot/group")]) == asked


@pytest.fixture
def trickling_url():
    """A server that answers 200 at once, then its body a byte every 0.15 s (about 6 s in all):
    each read gets a byte well within any socket timeout."""
    server = socket.create_server(("127.0.0.1", 0))

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            body = b'{"sentMessages": []}' + b" " * 20
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            try:
                conn.sendall(head)
                for index in range(len(body)):
                    conn.sendall(body[index : index + 1])
                    time.sleep(0.15)
            except OSError:
                return

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_an_answer_trickling_in_does_not_keep_a_call_past_its_deadline(trickling_url, fake_line_url, fake_line):
    api = LineApi(trickling_url, CHANNEL_TOKEN)
    line = SdkLineClient(api=api, timeout=0.6)
    try:
        started = time.monotonic()
        with pytest.raises(LineTimeout) as caught:
            line.push(USER, HELLO, retry_key="0b7e5c8a-8f0e-4c3a-9d2e-2f1a5b6c7d8e")
        assert time.monotonic() - started < 1.2, "the call ended at its deadline, not with the answer"
        assert caught.value.retryable and caught.value.maybe_delivered
        # The client goes on: its next calls work, and the timers of calls that ended in time
        # cut nothing short afterwards.
        api.base_url = fake_line_url
        line.reply(fake_line.issue_reply_token(USER), HELLO)
        assert fake_line.sent(USER)[-1].messages == HELLO
        time.sleep(0.7)  # past the deadline the call would have had: nothing happens to the pool
        line.push(USER, HELLO, retry_key="1b7e5c8a-8f0e-4c3a-9d2e-2f1a5b6c7d8e")
        assert len(fake_line.sent(USER)) == 2
    finally:
        api.close()
