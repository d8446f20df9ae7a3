"""A forgotten password (SPEC §4): "Forgot your password?" on Sign in, the
mail at a real SMTP sink (tests/mail_sink.py), the link from it, a new
password, and what a used link, no connection and no mail server look like."""
import re

import pytest
from playwright.sync_api import expect

from .pages import PASSWORD

NEW_PASSWORD = "a fresh new password"
SENT = "If an account uses that email, a link is on its way. It works for an hour."


@pytest.fixture
def inbox(mail_inbox):
    if mail_inbox is None:
        pytest.skip("a given server (REBOUND_E2E_BASE_URL) mails somewhere else")
    return mail_inbox


def ask_for_link(page, email):
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text(SENT)).to_be_visible()


def set_new_password(page, password):
    page.get_by_label("New password").fill(password)
    page.get_by_role("button", name="Set new password").click()


def test_a_forgotten_password_is_reset_from_the_emailed_link(rebound, inbox, live_server):
    tab = rebound.tab()
    page = tab.page
    email = rebound.sign_up(tab)
    rebound.sign_out(tab)

    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    ask_for_link(page, email)

    link = rebound.reset_link(inbox, email)
    assert link.startswith(f"{live_server}/reset-password#token=")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    # The token leaves the address bar, and so the history entry (replaceState).
    assert page.url == f"{live_server}/reset-password"
    expect(page.get_by_label("New password")).to_have_attribute("autocomplete", "new-password")

    set_new_password(page, "too short")
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    set_new_password(page, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")
    expect(page.get_by_text("every device that was signed in has been signed out")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/signin$"))

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/signin$"))

    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/today$"))
    # The browser logs the refused sign-in (401); nothing else went wrong.
    assert [e for e in tab.errors if "status of 401" not in e] == []


def test_a_used_link_says_so_and_offers_a_new_one(rebound, inbox):
    tab = rebound.tab()
    page = tab.page
    email = rebound.sign_up(tab)
    rebound.log_rejection(tab, "Kept Co")
    tab.wait_synced()
    tab.goto("/forgot-password")  # signed in on this device: it works here too
    ask_for_link(page, email)
    link = rebound.reset_link(inbox, email)

    page.goto(link)
    set_new_password(page, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")
    # This device's session ended with every other: as after a 401, the
    # status says so and the data stays until someone signs in.
    expect(page.locator("#sync-status")).to_have_text("Signed out — sign in to sync")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You were signed out on this device.")).to_be_visible()

    page.goto(link)
    set_new_password(page, "yet another password")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    expect(page.get_by_text("has expired or was already used")).to_be_visible()
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page).to_have_url(re.compile(r"/forgot-password$"))

    rebound.sign_in(tab, email, password=NEW_PASSWORD)
    page.get_by_role("link", name="Journal", exact=True).click()
    expect(page.get_by_text("Kept Co")).to_be_visible()


def test_without_the_link_the_screen_sends_you_to_ask_for_one(rebound):
    tab = rebound.tab()
    tab.goto("/reset-password")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Open the link from your email")
    tab.page.get_by_role("link", name="Ask for a new link").click()
    expect(tab.page.get_by_role("button", name="Send reset link")).to_be_visible()


def test_asking_offline_says_it_needs_a_connection(rebound):
    tab = rebound.tab()
    tab.goto("/forgot-password")
    tab.context.set_offline(True)
    tab.page.get_by_label("Email").fill(rebound.new_email())
    tab.page.get_by_role("button", name="Send reset link").click()
    expect(tab.page.get_by_role("alert")).to_contain_text("needs a connection")
    expect(tab.page.get_by_text(SENT)).to_have_count(0)


def test_without_a_mail_server_the_servers_message_shows(rebound):
    tab = rebound.tab()
    message = ("Password reset by email is not set up on this server; "
               "whoever runs it can set a new password for you.")
    tab.page.route("**/api/auth/reset", lambda route: route.fulfill(
        status=404, json={"error": {"status": 404, "code": "not_found", "message": message}}))
    tab.goto("/forgot-password")
    tab.page.get_by_label("Email").fill(rebound.new_email())
    tab.page.get_by_role("button", name="Send reset link").click()
    expect(tab.page.get_by_role("alert")).to_have_text(message)
    expect(tab.page.get_by_text(SENT)).to_have_count(0)


def test_both_screens_open_offline_from_the_shell(rebound):
    tab = rebound.tab()
    tab.goto("/signin")
    tab.wait_for_service_worker()
    tab.context.set_offline(True)
    for path, heading in [("/forgot-password", "Forgot your password?"),
                          ("/reset-password#token=abc", "Choose a new password")]:
        response = tab.page.goto(tab.base_url + path)
        assert response.from_service_worker
        expect(tab.page.get_by_role("heading", level=1)).to_have_text(heading)
    tab.page.get_by_label("New password").fill("a long enough new password")
    tab.page.get_by_role("button", name="Set new password").click()
    expect(tab.page.get_by_role("alert")).to_contain_text("needs a connection")
