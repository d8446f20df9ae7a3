"""The rejection detail in three sections a thumb can reach, with an editable
feedback email that has a recipient (issue 13)."""
import re
from urllib.parse import parse_qs, unquote, urlsplit

from playwright.sync_api import expect


def open_detail(rebound, **kwargs):
    tab = rebound.tab(**kwargs)
    rebound.sign_up(tab, name="Robin")
    rebound.log_rejection(tab, "Tailspin", role="Data Analyst", stage="Interview",
                          feelings="Gutted, honestly.")
    tab.page.get_by_role("link", name="Reflect on it").click()
    return tab, tab.page


def test_sections_in_order_each_reachable_from_the_top(rebound):
    tab, page = open_detail(rebound)
    # to_have_text waits for the detail screen; reading the headings at once could
    # still see the screen the click left (CI met it once).
    expect(page.locator("main h2")).to_have_text(["What happened and how I felt", "Reflect", "Ask for feedback"])
    # Your own words are in view in the first section, not behind "Edit details".
    expect(page.locator("#happened").get_by_label("How I feel")).to_have_value("Gutted, honestly.")
    expect(page.locator("#happened").get_by_label("How I feel")).to_be_visible()
    jump = page.get_by_role("navigation", name="On this page")
    for link, heading in [("Feedback", "Ask for feedback"), ("What happened", "What happened and how I felt"),
                          ("Reflect", "Reflect")]:
        jump.get_by_role("link", name=link).click()
        target = page.get_by_role("heading", level=2, name=heading, exact=True)
        expect(target).to_be_focused()
        expect(target).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"/rejections/[0-9a-f-]{36}#reflect$"))


def test_a_trap_question_opens_right_under_the_ticked_trap(rebound):
    tab, page = open_detail(rebound)
    trap = page.get_by_role("checkbox", name=re.compile("Mind reading"))
    question = page.get_by_text("What do you actually know about what they thought?")
    expect(question).to_be_hidden()
    trap.check()
    expect(question).to_be_visible()
    expect(question).to_be_in_viewport()
    item = page.locator(".trap-item", has=trap)
    expect(item).to_contain_text("What do you actually know")
    expect(page.get_by_text("What is the most likely outcome")).to_be_hidden()  # other traps stay closed
    trap.uncheck()
    expect(question).to_be_hidden()


def test_the_feedback_email_has_a_recipient_and_is_yours_to_change(rebound):
    tab, page = open_detail(rebound)
    to = page.get_by_label("Their email (optional)")
    to.fill("sam at tailspin")
    to.press("Tab")
    expect(page.get_by_text("That doesn’t look like an email address yet")).to_be_visible()
    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert saved["contact_email"] is None  # nothing was sent for the bad address
    to.fill("sam@tailspin.example")
    expect(page.get_by_text("That doesn’t look like an email address yet")).to_be_hidden()
    to.press("Tab")

    email = page.get_by_label("Feedback request email")
    expect(email).to_be_editable()
    email.fill("Subject: A quick question about the Data Analyst role\n\nHi Sam,\n\nCould you share a few words?\n\nRobin")
    mailto = page.get_by_role("link", name="Open in email app")
    expect(mailto).to_have_attribute("href", re.compile(r"^mailto:sam@tailspin\.example\?"))
    parts = urlsplit(mailto.get_attribute("href"))
    assert parts.scheme == "mailto" and unquote(parts.path) == "sam@tailspin.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["A quick question about the Data Analyst role"]
    assert query["body"] == ["Hi Sam,\n\nCould you share a few words?\n\nRobin"]

    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert saved["contact_email"] == "sam@tailspin.example"
    page.wait_for_timeout(500)  # the edited email is kept on this device
    page.reload()
    expect(page.get_by_label("Feedback request email")).to_have_value(re.compile("^Subject: A quick question"))
    expect(page.get_by_label("Their email (optional)")).to_have_value("sam@tailspin.example")
    page.get_by_role("button", name="Go back to the suggested email").click()
    expect(page.get_by_label("Feedback request email")).to_have_value(re.compile("Data Analyst role at Tailspin"))
    expect(page.get_by_role("button", name="Go back to the suggested email")).to_be_hidden()
    to.fill("")
    to.press("Tab")
    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert saved["contact_email"] is None
