"""Shared fixtures: real databases (SQLite and PostgreSQL), the fake LINE server on loopback,
and an app built by `bot.create_app` pointed at both.

PostgreSQL: set `TEST_DATABASE_URL` (`.ci/run` does). Each test session creates its own
database on that server, migrates it once, and truncates every table before each test.
Without `TEST_DATABASE_URL` the PostgreSQL half is skipped — except under CI, where it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FakeClock
from bot.fakeline import FakeLine, FakeLineServer
from models import Base, Database, migrate
from models.db import scratch_postgres_database

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
    """The session's PostgreSQL test database (migrated once; truncated per test)."""
    with scratch_postgres_database(_postgres_base_url(), "rianto_test") as url:
        yield url


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database of its own, for tests that run the app in other processes."""
    with scratch_postgres_database(_postgres_base_url(), "rianto_e2e") as url:
        yield url


@pytest.fixture(scope="session")
def _migrated_postgres(postgres_url: str) -> Iterator[Database]:
    db = Database(postgres_url)
    migrate(db)
    yield db
    db.dispose()


def _truncate(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each backend; the URL of it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
        db = Database(url)
        migrate(db)
        db.dispose()
        return url
    db = request.getfixturevalue("_migrated_postgres")
    _truncate(db)
    return db.url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
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
def app_config(database_url: str, fake_line_url: str, clock: FakeClock) -> dict:
    return {
        "DATABASE_URL": database_url,
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
    """What gunicorn.conf.py does in each web worker: the NLU trained before any webhook."""
    import nlp

    nlp.warm_up()


@pytest.fixture
def app(app_config: dict, _nlu_ready: None):
    from bot import create_app
    from models.directory import seed_offices

    application = create_app(app_config)
    services = application.extensions["rianto"]
    with services.db.transaction() as session:
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
