"""The webhook's hot path: recording an event, and locking, saving or deleting a
conversation. Every event runs these, so they are a handful of fixed SQL statements run on
the driver of the event's connection, inside the transaction SQLAlchemy manages.

Why not SQLAlchemy Core here: for these one-row statements its execution layer costs 5–20×
the statement itself (SQLite: ~100 µs against ~10 µs per statement; PostgreSQL: ~180 µs
against ~85 µs, measured in-process), and the webhook runs several per event. Values still
go through SQLAlchemy's own type processors for each column (the UTC datetimes, JSON), taken
once per dialect, so what is written here reads back through the ORM exactly as if the ORM
had written it. The table and column names come from `models.schema`; the statements are
checked against both backends by the test suite.

On SQLite the statements run on the DBAPI cursor. On PostgreSQL they go one level lower, to
psycopg's libpq wrapper (`psycopg.pq`): each is prepared once per connection under a name of
its own and then run with one blocking libpq call (the GIL released while it waits), its
values converted by psycopg's own adapters (`psycopg.adapt.Transformer`, set up from the
connection, so exactly as a cursor would). A cursor's `execute` spends ~50 µs of Python per
statement around a ~15 µs libpq call; with BEGIN and COMMIT (`begin`, `commit`, used by
`Database.unit`) that is four per event. psycopg's own automatic preparation is off on our
engines (`models.db`): it answers every rollback with DEALLOCATE ALL, which would drop these
statements too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from psycopg import pq
from psycopg.adapt import PyFormat, Transformer
from psycopg.errors import InFailedSqlTransaction, error_from_result
from sqlalchemy import Column, Connection, Dialect
from sqlalchemy.exc import DBAPIError

from models.schema import Conversation, InboundEvent

_events = InboundEvent.__table__
_conversations = Conversation.__table__
_EVENT_COLUMNS = ("webhook_event_id", "event_type", "source_type", "source_id", "mode", "outcome", "received_at")
_STATE_COLUMNS = ("id", "state", "flood_tokens", "flood_checked_at", "last_activity_at")


@dataclass
class ConversationRow:
    """One user's conversation as the handler sees it while the row is locked."""

    id: int
    state: dict[str, Any]
    flood_tokens: float
    flood_checked_at: datetime | None
    last_activity_at: datetime


def _identity(value: Any) -> Any:
    return value


def _bind(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any]:
    return column.type.dialect_impl(dialect).bind_processor(dialect) or _identity


def _result(column: Column[Any], dialect: Dialect, type_code: Any) -> Callable[[Any], Any]:
    return column.type.dialect_impl(dialect).result_processor(dialect, type_code) or _identity


@dataclass(frozen=True)
class _Statements:
    record_event: str
    # PostgreSQL only: the event recorded and its user's conversation locked by one statement.
    record_and_lock: str | None
    lock_conversation: str
    create_conversation: str
    save_conversation: str
    delete_conversation: str
    bind_event: tuple[Callable[[Any], Any], ...]
    bind_conversation: dict[str, Callable[[Any], Any]]
    # Result processors need the driver's column types: taken from the first result.
    read_conversation: list[Callable[[Any], Any]]


@lru_cache(maxsize=16)
def _statements(dialect: Dialect) -> _Statements:
    postgres = dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    state = f"{mark}::json" if postgres else mark

    def marks(n: int) -> str:
        return ", ".join([mark] * n)

    returning = ", ".join(_STATE_COLUMNS)
    c = _conversations.c
    record_event = (
        f"INSERT INTO {_events.name} ({', '.join(_EVENT_COLUMNS)}) VALUES ({marks(len(_EVENT_COLUMNS))}) "
        "ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id"
    )
    return _Statements(
        record_event=record_event,
        # No row: a redelivery (and no lock taken). A row whose conversation columns are null:
        # a new user. SQLite has no INSERT in WITH, and no round trips to save.
        record_and_lock=(
            f"WITH recorded AS ({record_event}) "
            f"SELECT {', '.join('c.' + name for name in _STATE_COLUMNS)} FROM recorded LEFT JOIN LATERAL "
            f"(SELECT {returning} FROM {_conversations.name} WHERE line_user_id = {mark} FOR UPDATE) AS c ON true"
        )
        if postgres
        else None,
        # SELECT … FOR UPDATE on PostgreSQL. SQLite has no row locks and needs none: its write
        # transaction is exclusive (`BEGIN IMMEDIATE`, see models.db).
        lock_conversation=(
            f"SELECT {returning} FROM {_conversations.name} WHERE line_user_id = {mark}" + (" FOR UPDATE" if postgres else "")
        ),
        # A new user's row. A concurrent first message of the same user conflicts here and then
        # waits on the lock above instead.
        create_conversation=(
            f"INSERT INTO {_conversations.name} (line_user_id, state, flood_tokens, flood_checked_at, last_activity_at, "
            f"created_at, updated_at) VALUES ({mark}, {state}, {marks(5)}) "
            f"ON CONFLICT (line_user_id) DO NOTHING RETURNING {returning}"
        ),
        save_conversation=(
            f"UPDATE {_conversations.name} SET state = {state}, flood_tokens = {mark}, flood_checked_at = {mark}, "
            f"last_activity_at = {mark}, updated_at = {mark} WHERE id = {mark}"
        ),
        delete_conversation=f"DELETE FROM {_conversations.name} WHERE id = {mark}",
        bind_event=tuple(_bind(_events.c[name], dialect) for name in _EVENT_COLUMNS),
        bind_conversation={"state": _bind(c.state, dialect), "when": _bind(c.last_activity_at, dialect), "tokens": _bind(c.flood_tokens, dialect)},
        read_conversation=[],
    )


@dataclass
class _Prepared:
    """A statement prepared on one connection, and the adapters of its values."""

    name: bytes
    transformer: Any
    loaders_set: bool = False


class _Postgres:
    """The hot path's side of one PostgreSQL connection: its libpq handle, and the statements
    prepared on it so far, each with the adapters that convert its values. Lives and goes with
    the pooled connection (`Connection.info`, cleared when the connection is invalidated)."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.pgconn = driver.pgconn
        self.ok = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)
        self.text = PyFormat.TEXT
        self.prepared: dict[str, _Prepared] = {}

    def statement(self, sql: str) -> _Prepared:
        """The prepared statement for `sql` (`%s` placeholders), prepared on first use."""
        found = self.prepared.get(sql)
        if found is None:
            name = f"rianto_hot_{len(self.prepared)}".encode()
            numbered = sql.split("%s")
            text = numbered[0] + "".join(f"${n}{part}" for n, part in enumerate(numbered[1:], start=1))
            self.check(self.pgconn.prepare(name, text.encode()))
            found = self.prepared[sql] = _Prepared(name, Transformer(self.driver))
        return found

    def check(self, result: Any) -> Any:
        if result.status not in self.ok:
            raise error_from_result(result, encoding=self.driver.info.encoding)
        return result

    def run(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, Any]:
        """The statement run with `params`: (its first row, or None; the driver's result)."""
        statement = self.statement(sql)
        transformer = statement.transformer
        result = self.check(self.pgconn.exec_prepared(statement.name, transformer.dump_sequence(params, [self.text] * len(params))))
        if not result.ntuples:
            return None, result
        transformer.set_pgresult(result, set_loaders=not statement.loaders_set)  # the same types every time
        statement.loaders_set = True
        return transformer.load_row(0, tuple), result


def _postgres(connection: Connection) -> _Postgres:
    found = connection.info.get("hotpath_postgres")
    if found is None:
        found = connection.info["hotpath_postgres"] = _Postgres(connection.connection.driver_connection)  # type: ignore[union-attr]
    return found


def _cursor(connection: Connection) -> Any:
    """The DBAPI connection's cursor for these statements, made once: it lives and goes with
    the pooled connection (`Connection.info`), which only one thread has at a time."""
    cursor = connection.info.get("hotpath_cursor")
    if cursor is None:
        cursor = connection.info["hotpath_cursor"] = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    return cursor


@contextmanager
def _driver_errors(connection: Connection, sql: str, params: tuple[Any, ...], cursor: Any = None) -> Iterator[None]:
    """Driver errors come out as SQLAlchemy's (`DBAPIError` and its subclasses), as they would
    from `Connection.execute`; a connection found dead is invalidated with the rest of the pool
    (the server went away: the others are dead too), so a retry gets a fresh one."""
    try:
        yield
    except connection.dialect.loaded_dbapi.Error as exc:
        lost = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, cursor)
        if lost:
            connection.invalidate(exc)
            connection.engine.dispose(close=False)
        raise DBAPIError.instance(
            sql, params, exc, connection.dialect.loaded_dbapi.Error,
            hide_parameters=True, connection_invalidated=lost, dialect=connection.dialect,
        ) from exc


def _run(
    connection: Connection, sql: str, params: tuple[Any, ...], readers: list[Callable[[Any], Any]] | None = None, *, rows: bool = True
) -> tuple[Any, ...] | None:
    """One statement, in the connection's current transaction; the first row of its result
    (`rows`: the statement returns any), through `readers` when given (filled on first use
    from the driver's column types)."""
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        with _driver_errors(connection, sql, params):
            row, result = _postgres(connection).run(sql, params)
    else:
        cursor = _cursor(connection)
        with _driver_errors(connection, sql, params, cursor):
            cursor.execute(sql, params)
            row = cursor.fetchone() if rows else None
    if row is None or readers is None:
        return row
    if not readers:
        types = [result.ftype(i) for i in range(result.nfields)] if postgres else [d[1] for d in cursor.description]
        columns = _conversations.c
        readers.extend(_result(columns[name], connection.dialect, type_code) for name, type_code in zip(_STATE_COLUMNS, types))
    return tuple(read(value) for read, value in zip(readers, row))


def begin(connection: Connection) -> None:
    """PostgreSQL: start the connection's transaction now, on libpq (see the module's notes).
    SQLAlchemy's transaction on `connection` must already be open; it ends it as usual, and
    a driver that finds the transaction under way does not start another."""
    _command(connection, b"BEGIN")


def commit(connection: Connection) -> None:
    """PostgreSQL: commit the transaction started by `begin`; SQLAlchemy's own commit that
    follows finds nothing left to do. A transaction that failed is not committed: raises."""
    result = _command(connection, b"COMMIT")
    if result.command_status != b"COMMIT":  # PostgreSQL answers a failed one with ROLLBACK
        with _driver_errors(connection, "COMMIT", ()):
            raise InFailedSqlTransaction("the transaction had failed and was rolled back")


def _command(connection: Connection, command: bytes) -> Any:
    postgres = _postgres(connection)
    with _driver_errors(connection, command.decode(), ()):
        return postgres.check(postgres.pgconn.exec_(command))


def _event_params(statements: _Statements, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(bind(values[name]) for bind, name in zip(statements.bind_event, _EVENT_COLUMNS))


def record_event(connection: Connection, **values: Any) -> bool:
    """Insert an `inbound_events` row; False when its `webhook_event_id` is already there
    (a redelivery). The unique constraint decides, so concurrent redeliveries are safe."""
    statements = _statements(connection.dialect)
    return _run(connection, statements.record_event, _event_params(statements, values)) is not None


def record_event_and_lock(
    connection: Connection, user_id: str, *, now: datetime, flood_tokens: float, **values: Any
) -> ConversationRow | None:
    """`record_event`, then `lock_conversation` of the sender when the event is new: the
    user's conversation, locked; None for a redelivery (nothing locked). On PostgreSQL the
    two are one statement, one round trip to the server instead of two."""
    statements = _statements(connection.dialect)
    if statements.record_and_lock is None:
        if not record_event(connection, **values):
            return None
        return lock_conversation(connection, user_id, now=now, flood_tokens=flood_tokens)
    # The same columns as `lock_conversation`'s, so the same readers.
    raw = _run(connection, statements.record_and_lock, (*_event_params(statements, values), user_id), statements.read_conversation)
    if raw is None:
        return None
    if raw[0] is None:  # a new user: no conversation row yet
        return _create_and_lock(connection, statements, user_id, now=now, flood_tokens=flood_tokens)
    return _row(raw)


def _row(raw: tuple[Any, ...]) -> ConversationRow:
    row_id, state, tokens, checked, active = raw
    return ConversationRow(id=row_id, state=dict(state or {}), flood_tokens=tokens, flood_checked_at=checked, last_activity_at=active)


def lock_conversation(connection: Connection, user_id: str, *, now: datetime, flood_tokens: float) -> ConversationRow:
    """The user's conversation, created when new, locked until the transaction ends."""
    statements = _statements(connection.dialect)
    raw = _run(connection, statements.lock_conversation, (user_id,), statements.read_conversation)
    if raw is None:
        return _create_and_lock(connection, statements, user_id, now=now, flood_tokens=flood_tokens)
    return _row(raw)


def _create_and_lock(connection: Connection, statements: _Statements, user_id: str, *, now: datetime, flood_tokens: float) -> ConversationRow:
    """A new user's conversation row, made (and so locked) by this transaction."""
    bind = statements.bind_conversation
    when = bind["when"](now)
    raw = _run(
        connection,
        statements.create_conversation,
        (user_id, bind["state"]({}), bind["tokens"](flood_tokens), when, when, when, when),
        statements.read_conversation,
    )
    if raw is None:  # created by a concurrent transaction a moment ago: wait for its lock
        raw = _run(connection, statements.lock_conversation, (user_id,), statements.read_conversation)
        assert raw is not None
    return _row(raw)


def save_conversation(connection: Connection, row: ConversationRow, *, now: datetime) -> None:
    statements = _statements(connection.dialect)
    bind = statements.bind_conversation
    _run(
        connection,
        statements.save_conversation,
        (
            bind["state"](row.state),
            bind["tokens"](row.flood_tokens),
            bind["when"](row.flood_checked_at),
            bind["when"](row.last_activity_at),
            bind["when"](now),
            row.id,
        ),
        rows=False,
    )


def delete_conversation(connection: Connection, row: ConversationRow) -> None:
    _run(connection, _statements(connection.dialect).delete_conversation, (row.id,), rows=False)
