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
