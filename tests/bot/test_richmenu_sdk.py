"""`RichMenuApi` on line-bot-sdk's `ApiClient`, as `SdkLineClient` is: each call against the fake
LINE (every request checked against messaging-api.yml by the fixture), the image to the data
host, one total deadline per call, and errors as the `handlers.ports` tree."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from bot import richmenu
from bot.line import LineRateLimited, LineRejected, LineServerError, LineTimeout, SdkLineClient
from handlers import menus
from tests.conftest import CHANNEL_TOKEN
from tests.support.servers import free_port

USER = "U" + "a" * 32


@pytest.fixture
def api(fake_line_url):
    client = richmenu.RichMenuApi(fake_line_url, fake_line_url, CHANNEL_TOKEN, timeout=2.0)
    yield client
    client.close()


def _made(api: richmenu.RichMenuApi, menu: str = menus.NO_CASE) -> str:
    body = richmenu.definition(menu)
    api.validate(body)
    rich_menu_id = api.create(body)
    api.upload_image(rich_menu_id, richmenu.draw(menu))
    return rich_menu_id


def test_each_call_does_what_it_says_on_the_fake_line(api, fake_line):
    assert api.default() is None
    rich_menu_id = _made(api)
    held = fake_line.rich_menus()[rich_menu_id]
    assert held["menu"] == richmenu.definition(menus.NO_CASE)  # Thai text and all, as sent
    assert held["image"][0] == "image/png" and held["image"][1] == richmenu.draw(menus.NO_CASE)
    assert api.exists(rich_menu_id) and not api.exists("richmenu-" + "0" * 32)

    api.set_default(rich_menu_id)
    assert api.default() == rich_menu_id == fake_line.default_rich_menu()
    api.link(USER, rich_menu_id)
    assert fake_line.linked_rich_menu(USER) == rich_menu_id
    users = [f"U{n:032x}" for n in range(richmenu.BULK_LINK_MAX + 1)]
    api.link_many(users, rich_menu_id)
    assert all(fake_line.linked_rich_menu(u) == rich_menu_id for u in users)
    bulk = [r for r in fake_line.requests() if r.path == "/v2/bot/richmenu/bulk/link"]
    assert [len(r.body["userIds"]) for r in bulk] == [richmenu.BULK_LINK_MAX, 1]

    api.delete(rich_menu_id)
    assert rich_menu_id not in fake_line.rich_menus() and not api.exists(rich_menu_id)
    with pytest.raises(LineRejected) as gone:
        api.delete(rich_menu_id)
    assert gone.value.status == 404
    # Every request carried the channel's token, the SDK's way.
    assert {r.headers.get("Authorization") for r in fake_line.requests()} == {f"Bearer {CHANNEL_TOKEN}"}


def test_the_image_goes_to_the_data_host_and_the_rest_to_the_api_host(api, fake_line, fake_line_url):
    rich_menu_id = api.create(richmenu.definition(menus.NO_CASE))
    unreachable = f"http://127.0.0.1:{free_port()}"
    data_only = richmenu.RichMenuApi(unreachable, fake_line_url, CHANNEL_TOKEN, timeout=1.0)
    try:
        data_only.upload_image(rich_menu_id, richmenu.draw(menus.NO_CASE))
        assert fake_line.rich_menus()[rich_menu_id]["image"] is not None
        with pytest.raises(LineTimeout) as caught:
            data_only.link(USER, rich_menu_id)
        assert not caught.value.maybe_delivered  # the connection was never made
    finally:
        data_only.close()


def test_line_errors_are_the_ports_exception_tree(api, fake_line):
    fake_line.fail_next(1, 400, body={"message": "invalid area"}, path_prefix="/v2/bot/richmenu/validate")
    with pytest.raises(LineRejected) as refused:
        api.validate(richmenu.definition(menus.NO_CASE))
    assert refused.value.status == 400 and "invalid area" in str(refused.value) and not refused.value.retryable
    fake_line.fail_next(1, 500, path_prefix="/v2/bot/richmenu")
    with pytest.raises(LineServerError) as failed:
        api.create(richmenu.definition(menus.NO_CASE))
    assert failed.value.retryable
    fake_line.fail_next(1, 429, body={"message": "Too many requests"}, path_prefix="/v2/bot/user/")
    with pytest.raises(LineRateLimited):
        api.link(USER, "richmenu-" + "0" * 32)
    # A host that does not offer validation: the deploy creates directly.
    fake_line.fail_next(1, 404, body={"message": "Not found"}, path_prefix="/v2/bot/richmenu/validate")
    api.validate(richmenu.definition(menus.NO_CASE))


def test_each_call_ends_by_its_deadline(api, fake_line):
    fake_line.set_delay(3.0, path_prefix="/v2/bot/user/")
    api.timeout = 0.5
    started = time.monotonic()
    with pytest.raises(LineTimeout) as caught:
        api.link(USER, "richmenu-" + "0" * 32)
    assert caught.value.retryable and time.monotonic() - started < 2.0
    fake_line.set_delay(0, path_prefix="/v2/bot/user/")


@pytest.fixture
def not_tls_url():
    """An https:// URL whose server speaks plain HTTP: every TLS handshake with it fails."""
    server = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    yield f"https://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_a_failed_tls_handshake_is_a_timeout_that_never_reached_line(not_tls_url):
    # The SDK reports it as an ApiException of status 0; it is no refusal by LINE: tried again later.
    api = richmenu.RichMenuApi(not_tls_url, not_tls_url, CHANNEL_TOKEN, timeout=1.0)
    client = SdkLineClient(not_tls_url, CHANNEL_TOKEN, timeout=1.0)
    try:
        for call in (lambda: api.link(USER, "richmenu-" + "0" * 32), lambda: client.push(USER, [], retry_key="k")):
            with pytest.raises(LineTimeout) as caught:
                call()
            assert caught.value.retryable and not caught.value.maybe_delivered
    finally:
        api.close()
        client.close()


def test_one_sdk_client_per_process_for_messages_and_rich_menus(app, services, fake_line):
    """The app's LINE client and its rich-menu calls share one `ApiClient`: one configuration
    (the token, `LINE_API_BASE_URL`), one pool, whose one connection to the API host both use."""
    api = services.line_api
    assert services.line.api is api and richmenu.RichMenuApi.of(services).api is api
    assert api.base_url == services.settings.LINE_API_BASE_URL
    services.line.push(USER, [{"type": "text", "text": "สวัสดีค่ะ"}], retry_key="5f0c2b9e-6d1a-4c3e-8b7f-1a2b3c4d5e6f")
    rich_menu_id = _made(richmenu.RichMenuApi.of(services))
    richmenu.RichMenuApi.of(services).link(USER, rich_menu_id)
    assert fake_line.linked_rich_menu(USER) == rich_menu_id
    pools = api.client.rest_client.pool_manager.pools
    assert len(pools) == 1  # the data host is the API host here: one pool for every call
    (pool,) = [pools[key] for key in list(pools.keys())]  # (the container has no iteration of its own)
    assert pool.num_connections == 1  # the push's connection was reused by the rich-menu calls
