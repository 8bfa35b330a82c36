"""Engine set-up for SQLite and PostgreSQL, sessions, and schema migration.

SQLite is used by several gunicorn workers at once, so it runs in WAL mode with a busy
timeout, and every write transaction starts with `BEGIN IMMEDIATE`: a transaction that takes
the write lock up front waits for it (busy timeout) instead of failing with "database is
locked" when it later tries to upgrade a read lock.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from models import hotpath

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
# At most this many connections stay open between units; no more than the pool's own size, so
# sessions still find connections in the pool (make_engine's pool_size).
KEPT_UNIT_CONNECTIONS = 4


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            # Errors would otherwise quote the bound values (names, phones) into the logs.
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # Let SQLAlchemy's "begin" event below emit BEGIN, not the driver.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
            # Straight to the driver: every event's transaction starts here.
            conn.connection.driver_connection.execute("BEGIN" if mode == "DEFERRED" else f"BEGIN {mode}")

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # No `pool_pre_ping`: it costs a round trip on every checkout. A connection found dead
    # (the server restarted) invalidates the pool, and callers retry once on a new one
    # (`handlers.events`; the worker's next cycle).
    # psycopg's automatic statement preparation is off (`prepare_threshold`): it follows every
    # rollback with DEALLOCATE ALL, which would also drop the statements `models.hotpath`
    # prepares for itself; what runs on every event is prepared there.
    return create_engine(
        parsed,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=10,
        connect_args={"connect_timeout": 5, "prepare_threshold": None},
    )


class Unit:
    """One write transaction: its connection, and an ORM session on it made on first use."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            # Joins the connection's transaction; `Database.unit` commits or rolls back.
            self._session = Session(bind=self.connection, expire_on_commit=False)
        return self._session

    def flush(self) -> None:
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


class Database:
    """An engine and its session factory. One per app (and per worker process)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Connections kept open between units (`unit`); list.pop and append are atomic.
        self._kept: list[Connection] = []
        event.listen(self.engine, "engine_disposed", lambda _engine: self._drop_kept())
        parsed = make_url(url)
        on_disk = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
        self._lock_path = f"{parsed.database}.writelock" if on_disk else None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, rolled back on error."""
        with self._sqlite_writer(), self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def unit(self) -> Iterator[Unit]:
        """A write transaction on one connection, for the webhook's hot path: Core statements
        on `unit.connection`, and an ORM session on the same transaction only if something
        asks for `unit.session` (most events don't, and making one costs). On PostgreSQL the
        transaction starts and commits on libpq directly (`models.hotpath.begin`).

        A unit that ends well leaves its connection open for the next one (up to
        `KEPT_UNIT_CONNECTIONS` of them): taking a connection from SQLAlchemy's pool and
        giving it back costs more than an event's BEGIN and COMMIT together. A unit that
        fails gives its connection back to the pool."""
        postgres = self.is_postgres
        with self._sqlite_writer():
            try:
                connection = self._kept.pop()
            except IndexError:
                connection = self.engine.connect()
            keep = False
            try:
                with connection.begin():
                    unit = Unit(connection)
                    try:
                        if postgres:
                            hotpath.begin(connection)
                        yield unit
                        unit.flush()
                        if postgres:
                            hotpath.commit(connection)
                    finally:
                        unit.close()
                keep = not connection.invalidated and len(self._kept) < KEPT_UNIT_CONNECTIONS
            finally:
                if keep:
                    self._kept.append(connection)
                else:
                    connection.close()

    def _drop_kept(self) -> None:
        """Invalidate (close) the connections kept between units (the engine's pool is being disposed of:
        after a lost server they are dead too)."""
        while self._kept:
            try:
                self._kept.pop().invalidate()
            except IndexError:
                return

    @contextmanager
    def _sqlite_writer(self) -> Iterator[None]:
        """On SQLite, queue writers (threads and processes alike) on a file lock beside the
        database. SQLite's own busy handler polls with sleeps of up to 100 ms, which gave
        half-second tails under load; a blocking lock wakes the next writer at once."""
        if self._lock_path is None:
            yield
            return
        fd = os.open(self._lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reads only (on SQLite it does not take the write lock)."""
        with self.sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                yield session
            finally:
                # Keep what was read usable after the session ends.
                session.expunge_all()
                session.rollback()

    def ping(self) -> bool:
        # Twice: the first try may only find that a pooled connection died (server restart).
        for _ in range(2):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(sqlite_begin="DEFERRED")
                    conn.execute(text("SELECT 1"))
                return True
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    return False
            except Exception:  # any other driver error means "not reachable"
                return False
        return False

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision`. Idempotent: running it again changes nothing."""
    cfg = alembic_config(db.url)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


@contextmanager
def scratch_postgres_database(base_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `base_url`, dropped afterwards (its
    connections ended first). For the test suite and the benchmark."""
    admin_url = make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
