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

A transaction may be given a `lock_deadline` (the webhook's events: LINE wants its answer
within 2 s): then no wait for a lock lasts past it (each wait is bounded by the time left when
the transaction begins), and a wait that runs out raises `LockTimeout` with nothing written.
On PostgreSQL that is the server's `lock_timeout`; on SQLite a timed acquire of the file lock,
and SQLite's busy timeout. Other transactions (the worker, the console) keep their long waits.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
POOL_TIMEOUT_SECONDS = 1.0  # the longest wait for a pooled PostgreSQL connection (`make_engine`)
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A bounded transaction's lock wait is set in steps of this many milliseconds, rounded down:
# a pooled connection keeps its setting, and the webhook's events mostly want the same step,
# so the setting is changed (a round trip on PostgreSQL) only now and then, not per event.
LOCK_WAIT_STEP_MS = 100
# `Connection.info` key: the lock wait the pooled connection is set to (absent: the default).
_LOCK_WAIT = "rianto_lock_wait_ms"
_SQLITE_BUSY = 5  # SQLITE_BUSY, the primary result code of "database is locked"
_PG_LOCK_NOT_AVAILABLE = "55P03"  # lock_not_available: `lock_timeout` ran out


class LockTimeout(TimeoutError):
    """A transaction with a `lock_deadline` did not get a lock it waited for in time (another
    transaction held it), or no pooled connection was free within `POOL_TIMEOUT_SECONDS`; it
    was rolled back, nothing it did is stored."""


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
    # the worker's next cycle). A thread waits for a free connection `POOL_TIMEOUT_SECONDS` at
    # most: a transaction is milliseconds long and its lock waits are bounded, so a longer wait
    # means an overloaded process, and the webhook's event is better filed for later or left
    # to LINE's redelivery (`LockTimeout`) than kept past LINE's 2 s.
    return create_engine(
        parsed,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=POOL_TIMEOUT_SECONDS,
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
    def transaction(self, *, write: bool = True, lock_deadline: float | None = None) -> Iterator[Transaction]:
        """The one way into the database: a `Transaction`, committed when the block ends well
        (the ORM session's changes flushed first) and rolled back when it raises. With
        `write=False` it only reads: it is always rolled back, and on SQLite it neither waits
        for nor takes the write lock. Objects read through its session stay usable afterwards.
        On a joined database (`Database.on`) it is a savepoint; on SQLite writers queue behind
        each other.

        `lock_deadline` (a `time.monotonic()` value): each wait for a lock is bounded by the
        time left until it when the transaction begins (rounded down to `LOCK_WAIT_STEP_MS`; a
        lock is still tried once, however late), so a transaction that waits once (the
        webhook's: its chat's conversation, or SQLite's writer lock) waits no later than the
        deadline; a wait that runs out raises `LockTimeout`, the transaction rolled back. Without it, waits are the
        server's default (PostgreSQL: none) and SQLite's busy timeout."""
        try:
            with self._sqlite_writer(write, lock_deadline), self._begun(write, lock_deadline) as (connection, rollback):
                tx = Transaction(connection)
                try:
                    yield tx
                    if write:
                        tx.flush()
                finally:
                    tx.close()  # before a read's rollback, which would otherwise expire what was read
                    if not write:
                        rollback()
        except DBAPIError as exc:
            if lock_deadline is not None and _lock_wait_ran_out(exc):
                raise LockTimeout("a lock was not granted before the transaction's deadline") from exc
            raise
        except PoolTimeout as exc:  # every pooled connection busy for `POOL_TIMEOUT_SECONDS`
            if lock_deadline is not None:
                raise LockTimeout("no database connection was free before the transaction's deadline") from exc
            raise

    @contextmanager
    def _begun(self, write: bool, lock_deadline: float | None) -> Iterator[tuple[Connection, Callable[[], None]]]:
        """A connection in a new transaction (a savepoint on a joined database), its lock waits
        bounded by `lock_deadline` (see `transaction`), and how to roll it back early; leaving
        the block commits it unless it was rolled back or raised."""
        if self._joined is not None:
            with self._joined.begin_nested() as savepoint:
                if lock_deadline is not None and self.is_postgres:
                    # Inside the owner's transaction: a setting of the transaction (it lasts
                    # until the owner's transaction ends, as a test's does at its end).
                    self._joined.exec_driver_sql(f"SET LOCAL lock_timeout = {_wait_ms(lock_deadline, 1)}")
                yield self._joined, savepoint.rollback
            return
        with self.engine.connect() as connection:
            if not write:
                connection.execution_options(write=False)
            if lock_deadline is not None or _LOCK_WAIT in connection.info:
                _set_lock_wait(connection, lock_deadline)
            with connection.begin() as trans:
                yield connection, trans.rollback

    @contextmanager
    def _sqlite_writer(self, write: bool, lock_deadline: float | None = None) -> Iterator[None]:
        """On SQLite, queue writers (threads and processes alike) on a file lock beside the
        database. SQLite's own busy handler polls with sleeps of up to 100 ms, which gave
        half-second tails under load; a blocking lock wakes the next writer at once.

        Threads of one process queue on a lock of the process first (it wakes the next one at
        once, and takes a timeout), so only one of them at a time waits for the file lock.
        With `lock_deadline` neither wait lasts past it (`flock_until`), and `LockTimeout` is
        raised when the deadline has passed."""
        if self._lock_path is None or not write:
            yield
            return
        with _process_lock(self._lock_path, lock_deadline):
            if lock_deadline is None:
                fd = os.open(self._lock_path, os.O_CREAT | os.O_RDWR, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
            else:
                fd = flock_until(self._lock_path, lock_deadline)
            try:
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


# One lock per SQLite lock file, shared by the threads of this process (see `_sqlite_writer`).
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


@contextmanager
def _process_lock(path: str, deadline: float | None) -> Iterator[None]:
    lock = _PROCESS_LOCKS.get(path)
    if lock is None:
        with _PROCESS_LOCKS_GUARD:
            lock = _PROCESS_LOCKS.setdefault(path, threading.Lock())
    if deadline is None:
        lock.acquire()
    elif not lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise LockTimeout("another thread of this process kept the database's write lock past the deadline")
    try:
        yield
    finally:
        lock.release()


def flock_until(path: str, deadline: float) -> int:
    """A descriptor of `path` holding an exclusive `flock`, taken by `deadline` (`time.monotonic()`),
    or `LockTimeout`. A free lock is taken at once (even past the deadline). A held one is waited
    for by a thread of its own (`flock` has no timeout; polling it left a freed lock idle between
    tries and doubled the webhook's p99 in `make bench`), which wakes as soon as the holder lets
    go; a wait given up at the deadline leaves the descriptor to that thread, which lets the lock
    go as soon as it gets it."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    except BaseException:
        os.close(fd)
        raise
    wait = _FlockWait(fd)
    threading.Thread(target=wait.run, name="sqlite-writer-lock", daemon=True).start()
    if wait.granted_by(deadline):
        return fd
    raise LockTimeout("another process kept the database's write lock past the deadline")


class _FlockWait:
    """A blocking `flock` of `fd` in a thread of its own, that its caller may give up on. The
    descriptor is the caller's unless the caller gave up first; then it is the thread's to close."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.held = False
        self._guard = threading.Lock()
        self._finished = threading.Event()
        self._abandoned = False

    def run(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            self.held = True
        except OSError:
            log.exception("waiting for the SQLite writer lock failed")
        with self._guard:
            self._finished.set()
            abandoned = self._abandoned
        if abandoned:
            os.close(self.fd)  # given up on: closing the descriptor lets the lock go

    def granted_by(self, deadline: float) -> bool:
        finished = self._finished.wait(max(0.0, deadline - time.monotonic()))
        with self._guard:
            if not finished and not self._finished.is_set():
                self._abandoned = True
                return False
        if self.held:
            return True
        os.close(self.fd)
        return False


def _wait_ms(deadline: float, least: int) -> int:
    """Milliseconds from now to `deadline`, rounded down to `LOCK_WAIT_STEP_MS`, at least `least`."""
    left = int((deadline - time.monotonic()) * 1000)
    return max(least, left - left % LOCK_WAIT_STEP_MS)


def _set_lock_wait(connection: Connection, deadline: float | None) -> None:
    """Set the pooled connection's lock wait to what `deadline` leaves (None: the default), unless
    it is set so already (remembered in `connection.info`, which lives as long as the pooled
    connection). On PostgreSQL `lock_timeout` of the session, committed at once so that no later
    rollback undoes it (0 would mean no limit: at least 1 ms); on SQLite `busy_timeout` (0: fail
    at once), set on the driver's connection (through SQLAlchemy it would begin a transaction,
    whose "begin" takes the write lock)."""
    postgres = connection.dialect.name == "postgresql"
    wanted = None if deadline is None else _wait_ms(deadline, 1 if postgres else 0)
    if connection.info.get(_LOCK_WAIT) == wanted:
        return
    if postgres:
        connection.exec_driver_sql("SET lock_timeout TO DEFAULT" if wanted is None else f"SET lock_timeout = {wanted}")
        connection.commit()
    else:
        busy = SQLITE_BUSY_TIMEOUT_MS if wanted is None else wanted
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None
        dbapi_connection.execute(f"PRAGMA busy_timeout={busy}")
    if wanted is None:
        connection.info.pop(_LOCK_WAIT, None)
    else:
        connection.info[_LOCK_WAIT] = wanted


def _lock_wait_ran_out(exc: DBAPIError) -> bool:
    """Whether `exc` is a bounded lock wait running out: PostgreSQL's lock_not_available, SQLite's
    "database is locked"."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == _SQLITE_BUSY


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
