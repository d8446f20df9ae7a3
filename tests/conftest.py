"""Shared fixtures: every database test runs on SQLite and, when TEST_DATABASE_URL
is set, on PostgreSQL. The schema always comes from running the migrations."""
import os
import shutil

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url

from backend import create_app
from backend.extensions import db

from .helpers import ApiClient, postgres_database, sign_up

BACKENDS = ["sqlite", "postgresql"]


def pytest_report_header(config):
    lines = []
    if not os.environ.get("TEST_DATABASE_URL"):
        lines.append("TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED.")
    if not os.environ.get("TEST_REDIS_URL"):
        lines.append("TEST_REDIS_URL is not set: Redis tests are SKIPPED.")
    return lines


def _migrate(url):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": url})
    with app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file, made once per run; each SQLite test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own for this test run, migrated once, dropped at the end."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    with postgres_database(base, "rebound_test") as own:
        _migrate(own)
        yield own


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """This test's database, migrated and empty: a fresh copy of the SQLite template, or
    the run's PostgreSQL database with its tables emptied. Each test runs on both."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


def _empty_postgres(url):
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")]
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


@pytest.fixture
def make_app():
    """Builds apps: `make_app(database_url, **config)` is create_app in the testing profile
    (unless config sets REBOUND_ENV) on that database, with `config` on top. Every app
    made closes its database connections at teardown."""
    made = []

    def make(database_url, **config):
        app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url, **config})
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def unmigrated_app(request, tmp_path):
    """For migration tests: an app in the testing profile, inside its app context, on a
    database of its own that starts empty (not migrated), dropped afterwards."""
    if request.param == "sqlite":
        yield from _app_on(f"sqlite:///{tmp_path / 'migrations.db'}")
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    with postgres_database(base, "rebound_migration") as url:
        yield from _app_on(url)


def _app_on(url):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(make_app, database_url):
    """The app in the testing profile on this test's database."""
    return make_app(database_url)


@pytest.fixture
def client(app):
    """An API client of the app, signed out."""
    return ApiClient(app.test_client())


@pytest.fixture
def runner(app):
    """Runs the app's CLI commands: `runner.invoke(args=[...])`."""
    return app.test_cli_runner()


@pytest.fixture
def signed_in(app):
    """An API client signed in as a new user (`.user` and `.email` say who)."""
    return sign_up(app)


@pytest.fixture
def other_signed_in(app):
    """An API client signed in as a second user, whose records the first must never reach."""
    return sign_up(app)


@pytest.fixture
def db_state(app):
    """Every row of every table but those in `skip`, as {table: sorted rows}: to show
    that a refused request changed nothing (`added_rows` tells two of them apart)."""
    def snapshot(skip=()):
        with app.app_context():
            state = {}
            for table in db.metadata.sorted_tables:
                if table.name in skip:
                    continue
                rows = db.session.execute(table.select()).all()
                state[table.name] = sorted(tuple(map(repr, row)) for row in rows)
            return state
    return snapshot
