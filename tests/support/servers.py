"""Real processes for end-to-end tests: gunicorn serving `bot:create_app()`, and workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """The current environment without our settings, plus `settings` (and a test SECRET_KEY,
    which production mode requires)."""
    ours = (
        "LINE_", "DATABASE_URL", "REFERRAL_", "ADMIN_GROUP", "PUBLIC_URL", "FLOOD_", "WORKER_", "OUTBOX_",
        "LOCAL_MODE", "SECRET_KEY", "PRIVACY_URL", "QUOTA_", "RETENTION_",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env["SECRET_KEY"] = "test-secret-key-" + "0" * 32
    env.update(settings)
    return env


def wait_healthy(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


def init_db(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "bot", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1, port: int | None = None) -> Iterator[str]:
    port = port or free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "bot:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process=process)
        yield url
    finally:
        _stop(process)


@contextmanager
def worker(env: dict[str, str]) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [str(BIN / "flask"), "--app", "bot", "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        _stop(process)
