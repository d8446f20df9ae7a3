"""docs/operations.md, rotating SECRET_KEY: with the old key in SECRET_KEY_FALLBACKS
nobody is signed out; without it, every cookie stops working."""
from tests.helpers import ApiClient


def test_a_new_secret_key_with_the_old_as_fallback_keeps_people_signed_in(make_app, database_url):
    old = make_app(database_url, SECRET_KEY="old " * 8)
    phone = ApiClient(old.test_client()).register()
    cookie = phone.client.get_cookie("rebound_session").value
    rotated = make_app(database_url, SECRET_KEY="new " * 8, SECRET_KEY_FALLBACKS=["old " * 8])
    client = ApiClient(rotated.test_client())
    client.client.set_cookie("rebound_session", cookie)
    assert client.get("/api/me").status_code == 200
    changed = make_app(database_url, SECRET_KEY="new " * 8)
    client = ApiClient(changed.test_client())
    client.client.set_cookie("rebound_session", cookie)
    assert client.get("/api/me").status_code == 401
