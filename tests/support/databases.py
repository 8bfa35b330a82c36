"""Scratch PostgreSQL databases, for the test suite and the benchmark.

Dropping a database costs PostgreSQL a forced checkpoint (`DROP DATABASE` waits for one, to
flush what every other database has written meanwhile): a few seconds each on a busy machine,
a minute over a suite that drops a couple of dozen. So the suite drops them in the background
(`drop_later`): the test that is done with one goes on at once, and the session waits for the
drops at its end (`wait_for_drops`)."""

from __future__ import annotations

import os
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


def admin_url_of(base_url: str) -> URL:
    return make_url(base_url).set(drivername="postgresql+psycopg")


def scratch_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def drop_database(admin_url: URL, name: str) -> None:
    """Ends the connections to `name` and drops it (if it is there)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


_drops: queue.Queue[tuple[URL, str] | None] = queue.Queue()
_dropper: list[threading.Thread] = []
_drop_errors: list[BaseException] = []


def _drop_in_turn() -> None:
    while (job := _drops.get()) is not None:
        try:
            drop_database(*job)
        except BaseException as exc:  # reported by wait_for_drops
            _drop_errors.append(exc)
        finally:
            _drops.task_done()
    _drops.task_done()


def drop_later(admin_url: URL, name: str) -> None:
    """Drops the database in this process's background thread, one after another."""
    if not _dropper:
        thread = threading.Thread(target=_drop_in_turn, name="drop-databases", daemon=True)
        thread.start()
        _dropper.append(thread)
    _drops.put((admin_url, name))


def wait_for_drops() -> None:
    """Returns once every database given to `drop_later` is dropped; raises the first failure."""
    _drops.join()
    if _drop_errors:
        raise _drop_errors[0]


@contextmanager
def scratch_postgres_database(base_url: str, prefix: str, *, background_drop: bool = False) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `base_url`, dropped afterwards (its
    connections ended first; with `background_drop`, by `drop_later`)."""
    admin_url = admin_url_of(base_url)
    name = scratch_name(prefix)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        if background_drop:
            drop_later(admin_url, name)
        else:
            drop_database(admin_url, name)
