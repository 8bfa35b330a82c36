"""What one statement costs the app's CPU, through the layers the webhook uses and below them:
the floor under `bench.profile_events`' phases (issue 10: where plain SQLAlchemy's time goes).

    python -m bench.statement_cost                       # SQLite file
    python -m bench.statement_cost --database-url postgresql://postgres@127.0.0.1:5432/postgres

For each way, the CPU milliseconds (this thread's) of one transaction holding one small indexed
read (`EXISTS` on the webhook backlog): the ORM session of a `Database.transaction()`, a
Core connection (`engine.begin()`), the webhook's `Database.transaction()` on its Core
connection (no session made), and the driver's own SQL text through SQLAlchemy's `exec_driver_sql` (the
least SQLAlchemy can do). Measuring only; nothing here is used by the app.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable

from sqlalchemy import exists, select


def _cost(fn: Callable[[], object], repeat: int) -> float:
    for _ in range(repeat // 10):
        fn()
    started = time.thread_time()
    for _ in range(repeat):
        fn()
    return (time.thread_time() - started) / repeat * 1000


def measure(url: str, repeat: int) -> list[tuple[str, float]]:
    from models import Database, WebhookBacklog, migrate

    db = Database(url)
    migrate(db)
    query = select(exists().where(WebhookBacklog.source_id == "U0"))

    def orm_empty() -> None:
        with db.transaction() as tx:
            tx.session.connection()

    def orm_one() -> None:
        with db.transaction() as tx:
            session = tx.session
            session.execute(query).scalar()

    def orm_two() -> None:
        with db.transaction() as tx:
            session = tx.session
            session.execute(query).scalar()
            session.execute(query).scalar()

    def core_one() -> None:
        with db.engine.begin() as connection:
            connection.execute(query).scalar()

    def core_two() -> None:
        with db.engine.begin() as connection:
            connection.execute(query).scalar()
            connection.execute(query).scalar()

    def unit_one() -> None:
        with db.transaction() as unit:
            unit.connection.execute(query).scalar()

    def driver_sql() -> None:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM webhook_backlog WHERE source_id = 'U0')").scalar()

    try:
        return [
            ("ORM session, no statement", _cost(orm_empty, repeat)),
            ("ORM session, one statement", _cost(orm_one, repeat)),
            ("ORM session, two statements", _cost(orm_two, repeat)),
            ("Core connection, one statement", _cost(core_one, repeat)),
            ("Core connection, two statements", _cost(core_two, repeat)),
            ("Database.transaction() (the webhook's), one statement", _cost(unit_one, repeat)),
            ("Core connection, driver SQL text", _cost(driver_sql, repeat)),
        ]
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.database_url:
        from tests.support.databases import scratch_postgres_database

        with scratch_postgres_database(args.database_url, "statement_cost") as url:
            results = measure(url, args.repeat)
    else:
        with tempfile.TemporaryDirectory() as folder:
            results = measure(f"sqlite:///{folder}/cost.sqlite3", args.repeat)
    print(f"{'PostgreSQL' if args.database_url else 'SQLite'}: CPU ms per transaction (this thread)")
    for label, ms in results:
        print(f"  {ms:6.3f}  {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
