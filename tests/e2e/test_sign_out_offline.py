"""Signing out offline (issue 9, item 18): the local data goes at once, and the
server session — an HttpOnly cookie the page cannot delete — is ended by a
pending sign-out sent first thing when the app is next online."""
import re

from playwright.sync_api import expect

from .accounts import LOCAL_COUNTS
from .pages import PASSWORD

PENDING = "localStorage.getItem('rebound.pendingSignOut')"


def old_cookie_status(playwright_instance, base_url, cookies):
    """GET /api/me with a copy of the signed-out device's cookie, from outside the browser."""
    header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    request = playwright_instance.request.new_context(extra_http_headers={"Cookie": header})
    try:
        return request.get(base_url + "/api/me").status
    finally:
        request.dispose()


def sign_out_offline(rebound, tab):
    page = tab.page
    tab.wait_synced()
    tab.wait_for_service_worker()
    cookies = tab.context.cookies()
    tab.context.set_offline(True)
    page.get_by_role("link", name="You", exact=True).click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    dialog = page.get_by_role("dialog", name="Sign out while offline?")
    expect(dialog).to_contain_text("this device is signed out of your account as soon as Rebound next opens with a connection")
    dialog.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()
    assert page.evaluate(LOCAL_COUNTS) == [0, 0, 0]  # wiped at once, offline
    assert page.evaluate(PENDING) is not None
    return cookies


def test_an_offline_sign_out_is_sent_when_the_app_next_starts_online(rebound, playwright_instance):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Private Co")
    cookies = sign_out_offline(rebound, tab)
    # Still offline: the copied cookie still works on the server.
    assert old_cookie_status(playwright_instance, tab.base_url, cookies) == 200

    page.close()  # the app is closed, and the phone comes back online
    tab.context.set_offline(False)
    page = tab.context.new_page()
    logouts = []
    page.on("request", lambda r: r.url.endswith("/api/auth/logout") and logouts.append(r.method))
    page.goto(tab.base_url + "/")  # the app starts again, online
    page.wait_for_function(f"() => {PENDING} === null")
    assert logouts == ["POST"]
    assert old_cookie_status(playwright_instance, tab.base_url, cookies) == 401
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()


def test_reconnecting_with_the_app_open_sends_it_too(rebound, playwright_instance):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    cookies = sign_out_offline(rebound, tab)
    tab.context.set_offline(False)  # the `online` event
    page.wait_for_function(f"() => {PENDING} === null")
    assert old_cookie_status(playwright_instance, tab.base_url, cookies) == 401


def test_signing_in_again_first_ends_the_old_session(rebound, playwright_instance):
    tab = rebound.tab()
    page = tab.page
    email = rebound.sign_up(tab)
    cookies = sign_out_offline(rebound, tab)
    # Back online, but the first try on `online` does not get through (a
    # flaky connection): the sign-in sends the pending sign-out before it logs in.
    tries = []

    def first_fails(route):
        tries.append(route.request.url)
        route.abort() if len(tries) == 1 else route.continue_()

    page.route("**/api/auth/logout", first_fails)
    order = []
    page.on("request", lambda r: "/api/auth/" in r.url and order.append(r.url.rsplit("/", 1)[-1]))
    tab.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/today$"))
    assert order[-2:] == ["logout", "login"] and len(tries) == 2
    assert page.evaluate(PENDING) is None
    assert old_cookie_status(playwright_instance, tab.base_url, cookies) == 401
    assert page.request.get(tab.base_url + "/api/me").status == 200  # the new session is fine


def test_an_online_sign_out_ends_the_session_at_once_and_leaves_nothing_pending(rebound, playwright_instance):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.wait_synced()
    cookies = tab.context.cookies()
    page.get_by_role("link", name="You", exact=True).click()
    page.get_by_role("button", name="Sign out", exact=True).click()  # nothing waits: no dialog
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()
    assert page.evaluate(PENDING) is None
    assert old_cookie_status(playwright_instance, tab.base_url, cookies) == 401
