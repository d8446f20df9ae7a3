"""Helpers shared by the tests."""
import contextlib
import uuid

import psycopg
from sqlalchemy import make_url

PASSWORD = "correct horse battery"


class ApiClient:
    """The Flask test client speaking JSON with the CSRF header, as the PWA does."""

    def __init__(self, client):
        self.client = client

    def request(self, method, path, json=None, headers=None, **kwargs):
        all_headers = {"X-Requested-With": "rebound", **(headers or {})}
        return self.client.open(path, method=method, json=json, headers=all_headers, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, json=None, **kw):
        return self.request("DELETE", path, json=json, **kw)

    def register(self, email=None, password=PASSWORD, headers=None, **extra):
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.org"
        response = self.post("/api/auth/register", {"email": email, "password": password, **extra},
                             headers=headers)
        assert response.status_code == 201, response.get_json()
        self.email = email
        self.user = response.get_json()
        return self


def error_of(response, status, code):
    """Assert the JSON error envelope and return its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()["error"]
    assert body["status"] == status and body["code"] == code, body
    assert body["message"]
    assert ("fields" in body) == (status == 422), body
    return body


def sign_up(app, **extra):
    """A new account, signed in on an API client of its own (`extra` goes to register)."""
    return ApiClient(app.test_client()).register(**extra)


def added_rows(before, after):
    """{table: rows added} between two snapshots; fails if any row was changed or removed
    (outside version_counters, whose one row per user a write moves on)."""
    assert set(before) == set(after)
    added = {}
    for table in before:
        old, new = set(before[table]), set(after[table])
        if table == "version_counters":
            assert len(old) == len(new), table
            continue
        assert old <= new, f"{table}: rows changed or removed: {sorted(old - new)}"
        if new - old:
            added[table] = sorted(new - old)
    return added


@contextlib.contextmanager
def postgres_database(base_url, prefix):
    """A new, empty PostgreSQL database beside `base_url`'s, dropped afterwards: yields
    its SQLAlchemy URL (with `base_url`'s driver)."""
    url = make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
