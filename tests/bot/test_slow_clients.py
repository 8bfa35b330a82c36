"""Slow clients against the shipped server settings (issue 12 §4): gunicorn as the Procfile runs
it (gunicorn.conf.py read from the repository), then deploy/nginx.conf in front of it, on
loopback. Clients trickle their headers or bodies a byte a second while a signed webhook must
still be answered within LINE's 2 s."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.webhook import signature_for
from tests.conftest import CHANNEL_SECRET, CHANNEL_TOKEN
from tests.support.line_events import base_event, body_of, user_source
from tests.support.servers import BIN, ROOT, clean_env, free_port, init_db, wait_healthy

pytestmark = pytest.mark.slow
SLOW_CLIENTS = 24


@pytest.fixture(scope="module")
def shipped_gunicorn(tmp_path_factory, _fake_line_server) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("slow")
    env = clean_env(
        DATABASE_URL=f"sqlite:///{folder / 'slow.sqlite3'}",
        LINE_CHANNEL_SECRET=CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN=CHANNEL_TOKEN,
        LINE_API_BASE_URL=_fake_line_server.base_url,
    )
    init_db(env)
    port = free_port()
    # The Procfile's command; only the address is given (gunicorn.conf.py does the rest).
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "bot:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout=90, process=process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class Trickler:
    """Connections that send a request a byte a second, reconnecting when dropped."""

    def __init__(self, host: str, port: int, count: int, *, headers_only: bool = False) -> None:
        self.address = (host, port)
        self.count = count
        self.headers_only = headers_only
        self.stop = threading.Event()
        self.dropped = 0
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def _run(self) -> None:
        head = b"POST /callback HTTP/1.1\r\nHost: x\r\nX-Line-Signature: AAAA\r\nContent-Length: 5000\r\n\r\n"
        while not self.stop.is_set():
            try:
                with socket.create_connection(self.address, timeout=3) as sock:
                    if self.headers_only:
                        data = head
                    else:
                        sock.sendall(head)
                        data = b"{" * 5000
                    for byte in data:
                        if self.stop.wait(1.0):
                            return
                        sock.sendall(bytes([byte]))
            except OSError:
                self.dropped += 1
                self.stop.wait(0.2)

    def __enter__(self) -> Trickler:
        for thread in self.threads:
            thread.start()
        time.sleep(1.5)  # every slow connection is in
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=5)


def _signed_webhook_seconds(url: str) -> float:
    body = body_of([base_event("follow", user_source("U" + "5" * 32))])
    request = urllib.request.Request(
        url + "/callback",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": signature_for(body, CHANNEL_SECRET)},
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    return time.monotonic() - started


def _answered_while(url: str, host: str, port: int, *, headers_only: bool) -> list[float]:
    with Trickler(host, port, SLOW_CLIENTS, headers_only=headers_only) as slow:
        times = []
        for _ in range(6):
            times.append(_signed_webhook_seconds(url))
            time.sleep(1.0)
        assert slow.threads  # still trickling throughout
    return times


@pytest.mark.parametrize("headers_only", [False, True], ids=["slow-body", "slow-headers"])
def test_slow_clients_do_not_stall_the_shipped_gunicorn(shipped_gunicorn, headers_only):
    port = int(shipped_gunicorn.rsplit(":", 1)[1])
    times = _answered_while(shipped_gunicorn, "127.0.0.1", port, headers_only=headers_only)
    assert max(times) < 2.0, times


def test_the_shipped_settings_are_threaded_bounded_and_sized_to_the_machine():
    import os

    settings: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), settings)
    assert settings["worker_class"] == "bot.gunicorn_worker.DeadlineThreadWorker"
    assert settings["workers"] >= max(2, len(os.sched_getaffinity(0))) and settings["threads"] >= 8
    assert settings["timeout"] <= 60 and settings["keepalive"] <= 15
    assert (ROOT / "Procfile").read_text().splitlines()[0] == "web: gunicorn 'bot:create_app()'"


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_config(folder: Path, listen: int, upstream: int) -> Path:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "listen 8080;" in text and "server 127.0.0.1:8000;" in text
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{listen};").replace(
        "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"
    )
    text = text.replace(
        "worker_processes auto;", f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;"
    )
    text = text.replace(
        "http {",
        f"http {{\n    access_log off;\n    client_body_temp_path {folder}/body;\n    proxy_temp_path {folder}/proxy;\n"
        f"    fastcgi_temp_path {folder}/fcgi;\n    uwsgi_temp_path {folder}/uwsgi;\n    scgi_temp_path {folder}/scgi;",
        1,
    )
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


def test_the_nginx_example_is_valid(tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (scripts/ensure-debian-packages installs nginx-light)")
    config = _nginx_config(tmp_path, free_port(), 8000)
    result = subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_nginx_in_front_takes_the_slow_clients(shipped_gunicorn, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (scripts/ensure-debian-packages installs nginx-light)")
    upstream = int(shipped_gunicorn.rsplit(":", 1)[1])
    listen = free_port()
    config = _nginx_config(tmp_path, listen, upstream)
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"], stderr=subprocess.DEVNULL
    )
    try:
        front = f"http://127.0.0.1:{listen}"
        wait_healthy(front, timeout=20, process=process)
        times = _answered_while(front, "127.0.0.1", listen, headers_only=False)
        assert max(times) < 2.0, times
    finally:
        process.terminate()
        process.wait(timeout=10)
