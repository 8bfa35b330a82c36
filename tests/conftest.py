"""Shared fixtures: real databases (SQLite and PostgreSQL), the fake LINE server on loopback,
and an app built by `bot.create_app` pointed at both.

Databases: every test that asks for `db` or `app` runs once per backend.
- PostgreSQL (set `TEST_DATABASE_URL`; `.ci/run` does): the test session creates a database of
  its own on that server and migrates it once. A test then runs inside one transaction on one
  connection, rolled back at its end; the app's transactions are savepoints in it
  (`models.Database.on`, SQLAlchemy's "joining a session into an external transaction").
- SQLite: a copy of a database migrated once per session, a file of the test's own.
- A test that asks for `database_url` gets a database that really commits, so that other
  threads and processes (workers, gunicorn, concurrent transactions) see its data; on
  PostgreSQL it is emptied before and after the test.
Without `TEST_DATABASE_URL` the PostgreSQL half is skipped — except under CI, where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.fakeline import FakeLine, FakeLineServer
from models import Base, Database, migrate
from tests.support.clock import FakeClock
from tests.support.databases import admin_url_of, drop_later, scratch_name, scratch_postgres_database, wait_for_drops

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MESSAGING_SPEC = SHARED / "line-openapi" / "messaging-api.yml"
WEBHOOK_SPEC = SHARED / "line-openapi" / "webhook.yml"
WEBHOOK_FIXTURES = SHARED / "line-fixtures" / "webhook.json"

CHANNEL_SECRET = "test-channel-secret"
CHANNEL_TOKEN = "test-channel-token"
IN_CI = bool(os.environ.get("CI"))


def require_shared(path: Path) -> Path:
    """The file from ../shared, or a skip (a failure under CI) when it is absent."""
    if not path.exists():
        message = f"{path} is not present (../shared must sit beside the repository)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


# --- order: the longest tests first ------------------------------------------------------------

# Measured on the 2-core machine (fresh clone, both databases): each of these takes 10-60 s
# where most tests take milliseconds. pytest-xdist's worksteal hands each process a contiguous
# share of the collection and an idle one takes the far end of a busy one's queue; with the long
# tests first, the end of every queue is short tests, so no process is left alone with a long one
# while the other idles. Longest first; then any other test marked slow or browser; then the rest
# (in collection order).
LONG_FIRST = (
    "tests/bot/test_webhook.py::test_generated_webhook_payloads_never_give_5xx",
    "tests/e2e/test_console.py::",
    "tests/e2e/test_concurrency.py::",
    "tests/nlp/test_failure_classes.py::test_a_missing_kept_model_is_trained_at_load",
    "tests/e2e/test_simulator.py::",
    "tests/nlp/test_understand.py::test_fast_scorer_matches_scikit_learn",
)


def _rank(item: pytest.Item) -> float:
    for rank, prefix in enumerate(LONG_FIRST):
        if item.nodeid.startswith(prefix):
            return rank
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        return len(LONG_FIRST)
    return len(LONG_FIRST) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=_rank)  # stable: the order within a rank is the collection's


# --- databases ---------------------------------------------------------------------------

BACKENDS = ["sqlite", "postgresql"]


def _postgres_base_url() -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set under CI")
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    return base


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The session's PostgreSQL test database (migrated once)."""
    # Under pytest-xdist each worker process has one of its own (named after the worker).
    prefix = "rianto_test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
    with scratch_postgres_database(_postgres_base_url(), prefix) as url:
        yield url


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database of its own, for tests that run the app in other processes."""
    with scratch_postgres_database(_postgres_base_url(), "rianto_e2e", background_drop=True) as url:
        yield url


@pytest.fixture
def new_postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL database of its own that does not exist yet, for tests that give
    it to `tests.support.servers.init_db` (which creates it as `flask init-db` leaves one, from a
    template: no empty database made and dropped first). Dropped after the test if it exists."""
    admin_url = admin_url_of(_postgres_base_url())
    name = scratch_name("rianto_e2e")
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    drop_later(admin_url, name)


@pytest.fixture(scope="session", autouse=True)
def _databases_dropped() -> Iterator[None]:
    """The scratch databases dropped in the background (see tests.support.databases) are gone
    before the session ends."""
    yield
    wait_for_drops()


@pytest.fixture(scope="session")
def _migrated_postgres(postgres_url: str) -> Iterator[Database]:
    db = Database(postgres_url)
    migrate(db)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    migrate(db)
    db.dispose()
    return path


def _truncate(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _sqlite_copy(template: Path, folder: Path) -> str:
    path = folder / "test.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of each backend that really commits; the URL of it."""
    if backend == "sqlite":
        yield _sqlite_copy(request.getfixturevalue("_sqlite_template"), tmp_path)
        return
    db = request.getfixturevalue("_migrated_postgres")
    _truncate(db)
    yield db.url
    _truncate(db)


@pytest.fixture
def db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The test's database (see the module's notes): rolled back after the test on
    PostgreSQL, unless the test asked for `database_url` too."""
    if "database_url" in request.fixturenames:
        database = Database(request.getfixturevalue("database_url"))
    elif backend == "sqlite":
        database = Database(_sqlite_copy(request.getfixturevalue("_sqlite_template"), tmp_path))
    else:
        migrated: Database = request.getfixturevalue("_migrated_postgres")
        connection = migrated.engine.connect()
        outer = connection.begin()
        try:
            yield Database.on(connection)
        finally:
            outer.rollback()
            connection.close()
        return
    yield database
    database.dispose()


# --- the fake LINE platform ----------------------------------------------------------------


@pytest.fixture(scope="session")
def openapi_validator():
    """Validates every request the bot sends against LINE's messaging-api.yml."""
    from tests.support.openapi_check import make_validator

    return make_validator(require_shared(MESSAGING_SPEC))


@pytest.fixture(scope="session")
def _fake_line_server(openapi_validator) -> Iterator[FakeLineServer]:
    fake = FakeLine(access_token=CHANNEL_TOKEN, validator=openapi_validator)
    server = FakeLineServer(fake).start()
    yield server
    server.stop()


@pytest.fixture
def fake_line(_fake_line_server: FakeLineServer) -> Iterator[FakeLine]:
    fake = _fake_line_server.fake
    fake.clear()
    yield fake
    assert fake.violations() == [], "requests not valid against messaging-api.yml"


@pytest.fixture
def fake_line_url(_fake_line_server: FakeLineServer, fake_line: FakeLine) -> str:
    return _fake_line_server.base_url


# --- the app ---------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app_config(db: Database, fake_line_url: str, clock: FakeClock) -> dict:
    return {
        "DATABASE_URL": db.url,
        "DATABASE": db,
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
        "LINE_API_BASE_URL": fake_line_url,
        "LINE_TIMEOUT_SECONDS": 3.0,
        "TESTING": True,
        "CLOCK": clock,
        "FLOOD_BURST": 20,
    }


@pytest.fixture(scope="session")
def _nlu_ready() -> None:
    """What gunicorn.conf.py does in each web worker before any webhook: the handlers, the NLU,
    the knowledge base and the place tables loaded, the mappers set up, and what was built frozen
    for the garbage collector. Otherwise the first event of a test process that needs one of them
    loads it inside the webhook's time budget (and a full collection walks ~700 000 objects),
    which on a busy machine can pass the budget and defer that test's reply."""
    import gc

    from sqlalchemy.orm import configure_mappers

    import handlers

    handlers.warm_up()
    configure_mappers()
    gc.freeze()


@pytest.fixture
def app(app_config: dict, _nlu_ready: None):
    from bot import create_app
    from models.directory import seed_offices

    application = create_app(app_config)
    services = application.extensions["rianto"]
    with services.db.transaction() as tx:
        session = tx.session
        seed_offices(session)
    yield application
    services.db.dispose()


@pytest.fixture
def services(app):
    return app.extensions["rianto"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def line(client, fake_line, services):
    """Sends signed webhook events to the app, as LINE would."""
    from tests.support.line_events import LinePlatform

    return LinePlatform(client, fake_line, services, CHANNEL_SECRET)
