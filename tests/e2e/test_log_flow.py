"""The log flow loses nothing: Cancel, a draft offered back, a question before
leaving, a kind response that survives a reload, errors that clear (issue 13)."""
import re

from playwright.sync_api import expect


def start_log(tab, company, role=None):
    page = tab.page
    page.get_by_role("button", name="Log a rejection").first.click()
    page.get_by_label("Company").fill(company)
    if role:
        page.get_by_label("Role (optional)").fill(role)


def test_the_company_error_clears_as_soon_as_the_company_is_typed(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    page.get_by_role("button", name="Log a rejection").click()
    page.get_by_role("button", name="Next").click()
    error = page.get_by_text("Which company was it? That’s the only thing we need.")
    expect(error).to_be_visible()
    expect(page.get_by_label("Company")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Company").press_sequentially("Ac")
    expect(error).to_be_hidden()
    expect(page.get_by_label("Company")).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Company").fill("")  # no nagging while typing: it comes back on Next
    expect(error).to_be_hidden()
    page.get_by_role("button", name="Next").click()
    expect(error).to_be_visible()


def test_a_tab_tap_mid_flow_asks_first_and_keeps_the_draft(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    start_log(tab, "Initech", "Analyst")
    page.get_by_role("radio", name="Interview", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="Low", exact=True).check()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    dialog = page.get_by_role("dialog", name="Leave this log for now?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Keep going").click()
    expect(page).to_have_url(re.compile(r"/log$"))
    expect(page.get_by_role("radio", name="Low", exact=True)).to_be_checked()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    page.get_by_role("dialog").get_by_role("button", name="Leave").click()
    expect(page).to_have_url(re.compile(r"/today$"))

    page.reload()  # the draft is in the local store, not in memory
    page.get_by_role("button", name="Log a rejection").click()
    expect(page.get_by_text("Here’s what you started about Initech.")).to_be_visible()
    expect(page.get_by_role("heading", name="How it feels")).to_be_visible()  # the step it was on
    expect(page.get_by_role("radio", name="Low", exact=True)).to_be_checked()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Company")).to_have_value("Initech")
    expect(page.get_by_label("Role (optional)")).to_have_value("Analyst")
    expect(page.get_by_role("radio", name="Interview", exact=True)).to_be_checked()

    page.get_by_role("button", name="Start fresh").click()
    expect(page.get_by_label("Company")).to_have_value("")
    page.reload()
    expect(page.get_by_text("Here’s what you started")).to_have_count(0)


def test_cancel_asks_and_discards_the_draft(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    start_log(tab, "Umbrella")
    page.get_by_role("button", name="Cancel").click()
    dialog = page.get_by_role("dialog", name="Discard this log?")
    dialog.get_by_role("button", name="Keep going").click()
    expect(page.get_by_label("Company")).to_have_value("Umbrella")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("dialog").get_by_role("button", name="Discard").click()
    expect(page).to_have_url(re.compile(r"/rejections$"))
    page.get_by_role("button", name="Log a rejection").first.click()
    expect(page.get_by_label("Company")).to_have_value("")
    expect(page.get_by_text("Here’s what you started")).to_have_count(0)
    # An untouched flow leaves without a question.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page).to_have_url(re.compile(r"/today$"))
    assert tab.api("/api/rejections") == []


def test_the_kind_response_survives_a_reload(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Hooli", stage="Final round", mood="Very low")
    expect(page).to_have_url(re.compile(r"/log\?done=[0-9a-f-]{36}$"))
    response = page.locator("main .response")
    text = response.inner_text()
    assert "final round at Hooli" in text
    page.reload()
    expect(page.get_by_role("heading", name="Thank you for writing it down")).to_be_visible()
    expect(page.locator("main .response")).to_contain_text("final round at Hooli")
    expect(page.get_by_role("link", name="Reflect on it")).to_be_visible()
    expect(page.get_by_text("Saved", exact=True)).to_have_count(0)
    # Nothing asks before leaving a finished log, and no draft is offered.
    page.get_by_role("link", name="Back to Today").click()
    expect(page).to_have_url(re.compile(r"/today$"))
    page.get_by_role("button", name="Log a rejection").click()
    expect(page.get_by_text("Here’s what you started")).to_have_count(0)


def test_a_rate_limited_sign_up_says_how_long_to_wait(rebound):
    tab = rebound.tab()
    page = tab.page
    before = tab.api("/api/health")
    # The e2e server runs without limits; the server's 429 (as Flask-Limiter
    # answers it) is played back for this one request.
    page.route("**/api/auth/register", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "1620", "Content-Type": "application/json"},
        body='{"error": {"code": "rate_limited", "message": "Too many requests. Try again later."}}'))
    tab.goto("/signup")
    page.get_by_label("Email").fill(rebound.new_email())
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_have_text("Too many tries for now. Try again in about 27 minutes.")
    expect(page).to_have_url(re.compile(r"/signup$"))
    assert tab.api("/api/health") == before
    tab.errors[:] = [e for e in tab.errors if "status of 429" not in e]
