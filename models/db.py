"""Engines for SQLite and PostgreSQL, the one transaction API, and schema migration.

Every use of the database is one `Database.transaction()`: one transaction, begun on a Core
connection, committed when the block ends well and rolled back when it raises, with an ORM
session over that same transaction made only when someone asks for it. The webhook gives each
event one transaction (most 1:1 messages run only Core statements and never build a session).
`transaction(write=False)` only reads: it is rolled back at the end and, on SQLite, neither
waits for nor takes the write lock.

SQLite is used by several gunicorn workers at once, so it runs in WAL mode with a busy
timeout, and every write transaction starts with `BEGIN IMMEDIATE` (SQLAlchemy's documented
pysqlite recipe: the driver's own transaction handling is off and the "begin" event emits the
BEGIN): a transaction that takes the write lock up front waits for it instead of failing with
"database is locked" when it later upgrades a read lock. Writers also queue on a file lock
beside the database, which wakes the next writer at once where SQLite's busy handler polls.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000


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
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the "begin" event below emits BEGIN, not the driver
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("write", True)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # No `pool_pre_ping` (a round trip on every checkout): a connection found dead (the server
    # restarted) invalidates the pool, and callers retry once on a new one (`handlers.events`,
    # the worker's next cycle).
    return create_engine(
        parsed,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


class Transaction:
    """One transaction on a Core `connection`, with an ORM `session` over that same transaction
    made on first use (see `Database.transaction`).

    Most 1:1 messages run only prebuilt Core statements (record the event, lock and save the
    conversation: `models.inbound`); the same transaction through an ORM session costs about
    0.1 ms more CPU than on a Core connection (`bench.statement_cost`). When one is needed it joins
    the connection's transaction (SQLAlchemy's "joining a Session into an external
    transaction", `join_transaction_mode="rollback_only"`: its commit is the transaction's, its
    rollback rolls the transaction back)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The ORM session of the transaction (made now if it is the first use)."""
        if self._session is None:
            self._session = Session(bind=self.connection, expire_on_commit=False, join_transaction_mode="rollback_only")
        return self._session

    def flush(self) -> None:
        """Write the ORM session's pending changes into the transaction (no session: nothing to
        write). Core statements on `connection` do not autoflush: call this before one that
        must see, or come after, what went through the ORM."""
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        """End the ORM session: objects read stay usable, detached (the transaction is the
        owner's to end)."""
        if self._session is not None:
            self._session.close()


class Database:
    """The database of one process: an engine and its transactions.

    `Database(url)` makes an engine. `Database.on(connection)` works inside a transaction
    already open on `connection`: each `transaction()` is a savepoint in it, and nothing is
    committed unless the owner of the connection commits (tests roll it back after each
    test; see tests/conftest.py). Such a database is for one thread."""

    def __init__(self, url: str, *, engine: Engine | None = None, connection: Connection | None = None) -> None:
        self.url = url
        self.engine = engine or (connection.engine if connection is not None else make_engine(url))
        self._joined = connection
        parsed = make_url(url)
        on_disk = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
        self._lock_path = f"{parsed.database}.writelock" if on_disk and connection is None else None

    @classmethod
    def on(cls, connection: Connection) -> Database:
        """A database whose transactions are savepoints inside `connection`'s transaction."""
        return cls(connection.engine.url.render_as_string(hide_password=False), connection=connection)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Transaction]:
        """The one way into the database: a `Transaction`, committed when the block ends well
        (the ORM session's changes flushed first) and rolled back when it raises. With
        `write=False` it only reads: it is always rolled back, and on SQLite it neither waits
        for nor takes the write lock. Objects read through its session stay usable afterwards.
        On a joined database (`Database.on`) it is a savepoint; on SQLite writers queue behind
        each other."""
        with self._sqlite_writer(write), self._begun(write) as (connection, rollback):
            tx = Transaction(connection)
            try:
                yield tx
                if write:
                    tx.flush()
            finally:
                tx.close()  # before a read's rollback, which would otherwise expire what was read
                if not write:
                    rollback()

    @contextmanager
    def _begun(self, write: bool) -> Iterator[tuple[Connection, Callable[[], None]]]:
        """A connection in a new transaction (a savepoint on a joined database), and how to roll
        it back early; leaving the block commits it unless it was rolled back or raised."""
        if self._joined is not None:
            with self._joined.begin_nested() as savepoint:
                yield self._joined, savepoint.rollback
            return
        with self.engine.connect() as connection:
            if not write:
                connection.execution_options(write=False)
            with connection.begin() as trans:
                yield connection, trans.rollback

    @contextmanager
    def _sqlite_writer(self, write: bool) -> Iterator[None]:
        """On SQLite, queue writers (threads and processes alike) on a file lock beside the
        database. SQLite's own busy handler polls with sleeps of up to 100 ms, which gave
        half-second tails under load; a blocking lock wakes the next writer at once."""
        if self._lock_path is None or not write:
            yield
            return
        fd = os.open(self._lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def ping(self) -> bool:
        # Twice: the first try may only find that a pooled connection died (server restart).
        for _ in range(2):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(write=False)
                    conn.execute(text("SELECT 1"))
                return True
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    return False
            except Exception:  # any other driver error means "not reachable"
                return False
        return False

    def dispose(self) -> None:
        if self._joined is None:
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
