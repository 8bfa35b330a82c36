"""Real processes for end-to-end tests: gunicorn serving `bot:create_app()`, and workers."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

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
        "LINE_",
        "DATABASE_URL",
        "REFERRAL_",
        "ADMIN_GROUP",
        "PUBLIC_URL",
        "FLOOD_",
        "WORKER_",
        "OUTBOX_",
        "LOCAL_MODE",
        "SECRET_KEY",
        "PRIVACY_URL",
        "QUOTA_",
        "RETENTION_",
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


def _run_init_db(env: dict[str, str]) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "bot", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120
    )


# What `flask init-db` made, per kind of database and mode (init-db loads the demo directory in
# local mode and clears it otherwise; nothing else it writes depends on the settings): a SQLite
# file, or a PostgreSQL database used as a template. Dropped when the process exits.
_templates: dict[tuple[str, bool], str] = {}
_template_folder: list[Path] = []
_postgres_templates: list[tuple[URL, str]] = []


def _admin_url(url: URL) -> URL:
    """A database on the server of `url` to run CREATE/DROP DATABASE from (the suite's own)."""
    base = os.environ.get("TEST_DATABASE_URL")
    admin = make_url(base) if base else url.set(database="postgres")
    return admin.set(drivername="postgresql+psycopg")


def _terminate_and_drop(conn, name: str) -> None:
    conn.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": name},
    )
    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def _postgres_exists(url: URL) -> bool:
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            return found.first() is not None
    finally:
        admin.dispose()


def _is_empty(url: URL) -> bool:
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        return not path.exists() or path.stat().st_size == 0
    if not _postgres_exists(url):
        return True
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def init_db(env: dict[str, str]) -> None:
    """What `flask init-db` does to the empty database at env's DATABASE_URL.

    The command itself (the real one, in its own process) runs once per kind of database and
    mode per test session, on a database of its own; each call then gets a copy of that one:
    the SQLite file through SQLite's backup API, the PostgreSQL database recreated with
    `CREATE DATABASE … TEMPLATE` (made from it if it does not exist yet; an empty one is dropped
    first, which costs PostgreSQL a checkpoint). A database that is not empty gets the command
    itself."""
    url = make_url(env["DATABASE_URL"])
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql") or not _is_empty(url):
        _run_init_db(env)
        return
    key = (backend, env.get("LOCAL_MODE", "").strip().lower() in ("1", "true", "yes", "on"))
    if key not in _templates:
        _templates[key] = _make_template(env, url)
    if backend == "sqlite":
        source = sqlite3.connect(_templates[key])
        target = sqlite3.connect(url.database or "")
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    exists = _postgres_exists(url)
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if exists:
                _terminate_and_drop(conn, url.database or "")
            conn.execute(text(f'CREATE DATABASE "{url.database}" TEMPLATE "{_templates[key]}"'))
    finally:
        admin.dispose()


def _make_template(env: dict[str, str], url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        if not _template_folder:
            _template_folder.append(Path(tempfile.mkdtemp(prefix="rianto-init-db-")))
        path = _template_folder[0] / f"{uuid.uuid4().hex}.sqlite3"
        _run_init_db({**env, "DATABASE_URL": f"sqlite:///{path}"})
        return str(path)
    name = f"rianto_init_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_url = _admin_url(url)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    _postgres_templates.append((admin_url, name))
    _run_init_db({**env, "DATABASE_URL": url.set(database=name).render_as_string(hide_password=False)})
    return name


@atexit.register
def _drop_templates() -> None:
    for admin_url, name in _postgres_templates:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                _terminate_and_drop(conn, name)
        except Exception:  # the server may be gone at exit; a leftover scratch database is harmless
            pass
        finally:
            admin.dispose()
    for folder in _template_folder:
        shutil.rmtree(folder, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """Ends a server the test is done with, and what it started, at once (SIGKILL to its process
    group: no test looks at how it shuts down, and a graceful stop costs seconds per test)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1, port: int | None = None) -> Iterator[str]:
    port = port or free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "bot:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, for `_stop`
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout=90, process=process)  # a worker loads the NLU first: slow on a busy machine
        yield url
    finally:
        _stop(process)


@contextmanager
def worker(env: dict[str, str]) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [str(BIN / "flask"), "--app", "bot", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, for `_stop`
    )
    try:
        yield process
    finally:
        _stop(process)
