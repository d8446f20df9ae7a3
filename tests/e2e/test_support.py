"""The bottom bar and the support circle (SPEC §1 strategy 6, §4 contacts and
outreach, §7 crisis resources), in a phone-sized Chromium."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .accounts import api_json, at, local_today
from .inspector import Inspector

PLACES = [
    ("Today", "/today"),
    ("Journal", "/rejections"),
    ("Applications", "/applications"),
    ("Support", "/support"),
    ("You", "/settings"),
]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_bottom_bar_holds_five_places_and_marks_the_current_one(rebound, axe_source, dark):
    tab = rebound.tab(dark=dark)
    page = tab.page
    rebound.sign_up(tab)
    bar = page.get_by_role("navigation", name="Main")
    links = bar.get_by_role("link")
    expect(links).to_have_count(5)
    for i, (name, path) in enumerate(PLACES):
        expect(links.nth(i)).to_have_accessible_name(name)
        expect(links.nth(i)).to_have_attribute("href", path)
    # One thumb at 390 px: each place is wide and tall enough, all on one row.
    boxes = [links.nth(i).bounding_box() for i in range(5)]
    assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes}) == 1 and boxes[-1]["x"] + boxes[-1]["width"] <= 390
    expect(bar.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    Inspector(tab, axe_source, "dark" if dark else "light").check("nav-today")

    bar.get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", level=1, name="Rejections")).to_be_visible()
    expect(bar.get_by_role("link", name="Journal")).to_have_attribute("aria-current", "page")
    expect(bar.locator("[aria-current]")).to_have_count(1)
    # Lessons are one tap from the Journal, and still part of it.
    page.get_by_role("link", name="Lessons", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Lessons")).to_be_visible()
    expect(bar.get_by_role("link", name="Journal")).to_have_attribute("aria-current", "page")

    # The keyboard reaches the bar and opens a place with Enter.
    bar.get_by_role("link", name="You").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/settings$"))
    expect(bar.get_by_role("link", name="You")).to_have_attribute("aria-current", "page")
    expect(bar.get_by_role("link", name="Journal")).not_to_have_attribute("aria-current", "page")


# The phone's own apps are not there in a headless browser: note what would
# have opened, as the OS would take over the tap.
OUTSIDE_LINKS = """
window.__opened = [];
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (a && /^(sms|tel|mailto):/.test(a.getAttribute('href'))) {
    e.preventDefault();
    window.__opened.push(a.getAttribute('href'));
  }
}, true);
"""
SHARE_STUB = (
    "window.__shared = []; navigator.share = async (data) => { window.__shared.push(data); };"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
FIRST = "I got a no today — got time to talk?"


def contacts_of(tab):
    return api_json(tab, "GET", "/api/contacts")


def add_contact(rebound, tab, name, relationship=None, channel=None, handle=None, every=None):
    page = tab.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    page.get_by_role("link", name="Add someone").click()
    page.get_by_label("Name").fill(name)
    if relationship:
        page.get_by_role("group", name="Who are they to you?").get_by_role(
            "radio", name=relationship, exact=True
        ).check()
    if channel:
        page.get_by_role("group", name="Best way to reach them").get_by_role(
            "radio", name=channel, exact=True
        ).check()
    if handle:
        page.get_by_label("Phone number or email (optional)").fill(handle)
    if every:
        page.get_by_label("Check in every … days (optional)").fill(str(every))
    page.get_by_role("button", name="Add to my circle").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def reach_out(page, name):
    page.get_by_role("button", name=f"Reach out to {name}").click()
    return page.get_by_role("dialog", name=f"Reach out to {name}")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_contacts_are_added_edited_and_removed_with_undo(rebound, axe_source, dark):
    tab = rebound.tab(dark=dark)
    page = tab.page
    look = Inspector(tab, axe_source, "dark" if dark else "light")
    rebound.sign_up(tab)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    expect(page.get_by_text("Nobody here yet")).to_be_visible()
    expect(
        page.get_by_role("region", name="Need to talk to someone now?").get_by_role(
            "link", name=re.compile("988 Suicide & Crisis Lifeline")
        )
    ).to_have_attribute("href", "tel:988")
    look.check("support-empty", sections=["#crisis"])
    page.get_by_role("link", name="Add someone").click()
    look.check("support-add")
    add_contact(rebound, tab, "Maya", "Friend", "Text", "+44 7700 900123", 7)
    look.check("contact", sections=["#details"])

    page.get_by_label("Notes (optional)").fill("Best after 6pm.")
    page.get_by_role("radio", name="Mentor", exact=True).check()
    page.get_by_label("Check in every … days (optional)").fill("14")
    page.locator("main h1").click()
    tab.wait_synced()
    [maya] = contacts_of(tab)
    assert (
        maya["name"],
        maya["relationship"],
        maya["channel"],
        maya["handle"],
        maya["check_in_every_days"],
        maya["notes"],
    ) == ("Maya", "mentor", "sms", "+44 7700 900123", 14, "Best after 6pm.")

    page.get_by_role("link", name="← Support").click()
    circle = page.get_by_role("list", name="Your support circle")
    expect(circle).to_contain_text("Maya")
    expect(circle).to_contain_text("Mentor · Text")
    expect(circle).to_contain_text("No reach-outs logged yet. A good time to check in.")
    look.check("support-circle")

    circle.get_by_role("link", name="Maya", exact=True).click()
    page.get_by_role("button", name="Remove from my circle").click()
    expect(page.get_by_text("Nobody here yet")).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    look.check("support-undo")
    page.get_by_role("button", name="Undo").click()
    expect(circle).to_contain_text("Maya")
    page.wait_for_timeout(5500)  # past the hold: the delete would have gone by now
    tab.wait_synced()
    assert [c["name"] for c in contacts_of(tab)] == ["Maya"]

    circle.get_by_role("link", name="Maya", exact=True).click()
    page.get_by_role("button", name="Remove from my circle").click()
    page.wait_for_timeout(5500)
    tab.wait_synced()
    assert contacts_of(tab) == []
    assert look.problems == []


def test_an_email_channel_with_a_phone_number_shows_the_servers_message_and_saves_nothing(
    rebound, axe_source
):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    add_contact(rebound, tab, "Sam", "Peer", "Email", "+1 555 010 2030")
    handle = page.get_by_label("Phone number or email (optional)")
    expect(handle).to_have_accessible_description(
        re.compile("For email, use an email address."), timeout=15_000
    )
    expect(handle).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("This isn’t saved yet.")
    expect(page.get_by_role("alert")).to_contain_text(
        "Phone number or email (optional): For email, use an email address."
    )
    look = Inspector(tab, axe_source, "light")
    look.check("contact-refused")
    assert look.problems == []
    tab.wait_synced()
    assert contacts_of(tab) == []  # the server holds nothing
    page.get_by_role("link", name="← Support").click()
    expect(page.get_by_role("list", name="Your support circle")).to_contain_text(
        "Not saved — open to fix"
    )

    # Fixed: the whole contact reaches the server, nothing else changed.
    page.get_by_role("link", name="Sam", exact=True).click()
    handle.fill("sam@example.com")
    page.locator("main h1").click()
    expect(page.get_by_role("alert")).to_have_count(0, timeout=15_000)
    expect(handle).not_to_have_attribute("aria-invalid", "true")
    tab.wait_synced()
    [sam] = contacts_of(tab)
    assert (sam["name"], sam["relationship"], sam["channel"], sam["handle"]) == (
        "Sam",
        "peer",
        "email",
        "sam@example.com",
    )


def test_a_name_is_needed_and_the_check_in_rhythm_is_a_number_of_days(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/support/new")
    page.get_by_role("button", name="Add to my circle").click()
    name = page.get_by_label("Name")
    expect(name).to_have_accessible_description(re.compile("A name is all that’s needed"))
    expect(name).to_be_focused()
    name.fill("Ola")
    every = page.get_by_label("Check in every … days (optional)")
    every.fill("400")
    page.get_by_role("button", name="Add to my circle").click()
    expect(every).to_have_accessible_description(
        re.compile("A whole number of days, from 1 to 365.")
    )
    expect(page.get_by_role("heading", level=1, name="Add someone")).to_be_visible()
    assert (
        page.evaluate("async () => (await (await import('/js/store.js')).list('contacts')).length")
        == 0
    )
    tab.wait_synced()
    assert contacts_of(tab) == []


@pytest.mark.parametrize("agent,separator", [(ANDROID, "?"), (IPHONE, "&")], ids=["android", "ios"])
def test_reaching_out_opens_the_right_app_with_the_message_and_logs_it_on_return(
    rebound, agent, separator
):
    tab = rebound.tab(user_agent=agent)
    page = tab.page
    page.context.add_init_script(OUTSIDE_LINKS)
    rebound.sign_up(tab)
    add_contact(rebound, tab, "Maya", "Friend", "Text", "+44 7700 900123", 7)
    dialog = reach_out(page, "Maya")
    message = dialog.get_by_label("Your message")
    expect(message).to_have_value(FIRST)
    text = dialog.get_by_role("link", name="Text Maya")
    expect(text).to_have_attribute(
        "href",
        f"sms:+447700900123{separator}body=I%20got%20a%20no%20today%20%E2%80%94%20got%20time%20to%20talk%3F",
    )
    dialog.get_by_role("radio", name=re.compile("^No news")).check()
    expect(message).to_have_value(re.compile("^No news, just thinking of you"))
    message.fill("Coffee & a walk on Friday?\nMy treat.")
    expect(text).to_have_attribute(
        "href",
        f"sms:+447700900123{separator}body=Coffee%20%26%20a%20walk%20on%20Friday%3F%0AMy%20treat.",
    )
    text.click()
    expect(dialog).to_have_count(0)
    assert page.evaluate("window.__opened") == [
        f"sms:+447700900123{separator}body=Coffee%20%26%20a%20walk%20on%20Friday%3F%0AMy%20treat."
    ]
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back in Rebound
    offer = page.get_by_role("region", name="Did you reach Maya?")
    expect(offer).to_be_visible()
    offer.get_by_role("radio", name="Good", exact=True).check()
    offer.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Logged. Good on you for reaching out to Maya.")).to_be_visible()
    expect(page.get_by_role("list", name="Your reach-outs")).to_contain_text(
        "Text · Felt good after"
    )
    expect(page.get_by_text("Last reached today. Next check-in in 7 days.")).to_be_visible()
    tab.wait_synced()
    [maya] = contacts_of(tab)
    [logged] = api_json(tab, "GET", "/api/outreach")
    assert (logged["contact_id"], logged["channel"], logged["mood_after"]) == (maya["id"], "sms", 4)


def test_call_and_email_links_are_encoded_and_not_now_logs_nothing(rebound, axe_source):
    tab = rebound.tab()
    page = tab.page
    page.context.add_init_script(OUTSIDE_LINKS)
    rebound.sign_up(tab)
    add_contact(rebound, tab, "Dad", "Family", "Call", "+49 30 1234-5678")
    dialog = reach_out(page, "Dad")
    expect(dialog.get_by_role("link", name="Call Dad")).to_have_attribute(
        "href", "tel:+493012345678"
    )
    dialog.get_by_role("button", name="Close").click()

    add_contact(rebound, tab, "Rosa", "Mentor", "Email", "rosa+jobs@example.com")
    dialog = reach_out(page, "Rosa")
    look = Inspector(tab, axe_source, "light")
    look.check("reach-out-composer")
    dialog.get_by_label("Your message").fill("Hi Rosa,\nGot a minute this week?")
    email = dialog.get_by_role("link", name="Email Rosa")
    expect(email).to_have_attribute(
        "href",
        "mailto:rosa%2Bjobs@example.com?subject=Got%20a%20minute%3F&body=Hi%20Rosa%2C%0D%0AGot%20a%20minute%20this%20week%3F",
    )
    email.click()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    offer = page.get_by_role("region", name="Did you reach Rosa?")
    expect(offer).to_be_visible()
    look.check("reach-out-return")
    offer.get_by_role("button", name="Not now").click()
    expect(offer).to_have_count(0)
    page.reload()  # a dismissed offer does not come back
    expect(page.get_by_role("heading", level=1, name="Rosa")).to_be_visible()
    expect(page.get_by_role("region", name="Did you reach Rosa?")).to_have_count(0)
    tab.wait_synced()
    assert api_json(tab, "GET", "/api/outreach") == []
    assert look.problems == []


def test_share_how_im_doing_sends_counts_and_a_mood_never_a_company(rebound):
    tab = rebound.tab()
    page = tab.page
    page.context.add_init_script(SHARE_STUB)
    rebound.sign_up(tab)
    zone = api_json(tab, "GET", "/api/me")["timezone"]
    api_json(
        tab,
        "POST",
        "/api/applications",
        {"company": "Secret Corp", "role": "Analyst", "applied_on": local_today(zone).isoformat()},
        status=201,
    )
    page.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Thanks for checking in. Glad to hear it.")).to_be_visible()
    page.reload()
    tab.wait_synced()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    update = page.get_by_label("Your update")
    expect(update).to_have_value(
        "This week I’ve sent 1 application. I’m feeling good. Thanks for being there."
    )
    update.fill("1 application out this week. Feeling good! Pizza soon?")
    page.get_by_role("button", name="Share how I’m doing").click()
    expect(page.get_by_text("Sent.")).to_be_visible()
    assert page.evaluate("window.__shared") == [
        {"text": "1 application out this week. Feeling good! Pizza soon?"}
    ]
    assert "Secret Corp" not in update.input_value()


def test_without_the_web_share_api_there_is_no_share_button(rebound):
    tab = rebound.tab()
    rebound.sign_up(tab)
    tab.page.evaluate("delete Navigator.prototype.share")
    tab.goto("/support")
    expect(tab.page.get_by_role("heading", level=1, name="Support")).to_be_visible()
    assert tab.page.evaluate("'share' in navigator") is False
    expect(tab.page.get_by_role("button", name="Share how I’m doing")).to_have_count(0)


def test_a_contact_added_offline_reaches_another_device(rebound):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    phone.goto("/support")
    phone.wait_for_service_worker()
    phone.context.set_offline(True)
    add_contact(rebound, phone, "Priya", "Coach", "Email", "priya@example.com", 10)
    phone.page.get_by_role("link", name="← Support").click()
    expect(phone.page.get_by_role("list", name="Your support circle")).to_contain_text("Priya")
    expect(phone.page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")
    phone.context.set_offline(False)
    phone.wait_synced()

    rebound.sign_in(laptop, email)
    laptop.wait_synced()
    laptop.page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    circle = laptop.page.get_by_role("list", name="Your support circle")
    expect(circle).to_contain_text("Priya")
    expect(circle).to_contain_text("Coach · Email")


def test_one_rule_for_crisis_resources_a_mood_of_one_anywhere(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    offer = page.get_by_role("complementary", name="Someone to talk to")
    page.get_by_role("radio", name="Low", exact=True).check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Thanks for checking in. Go gently today.")).to_be_visible()
    expect(offer).to_have_count(0)
    page.get_by_role("radio", name="Very low", exact=True).check()
    page.get_by_role("button", name="Save check-in").click()
    expect(offer).to_be_visible()
    expect(offer.get_by_role("link", name="Talk to someone now")).to_have_attribute("href", "/help")
    words = offer.text_content()

    rebound.log_rejection(tab, "Low Co", mood="Low")
    expect(offer).to_have_count(0)
    page.get_by_role("link", name="Back to Today").click()
    rebound.log_rejection(tab, "Hard Co", mood="Very low")
    expect(offer).to_have_text(words)  # the same offer, the same words

    add_contact(rebound, tab, "Jo", "Friend", "Other")
    reach_out(page, "Jo").get_by_role("button", name="I reached out another way").click()
    back = page.get_by_role("region", name="Did you reach Jo?")
    back.get_by_role("radio", name="Very low", exact=True).check()
    back.get_by_role("button", name="Log it").click()
    expect(offer).to_have_text(words)


def test_the_journey_from_a_hard_no_to_a_break_and_a_friend(rebound, axe_source):
    tab = rebound.tab()
    page = tab.page
    page.context.add_init_script(OUTSIDE_LINKS)
    look = Inspector(tab, axe_source, "light")
    rebound.sign_up(tab)
    bar = page.get_by_role("navigation", name="Main")

    rebound.log_rejection(tab, "Initech", stage="Final round", mood="Very low", emotions=["Sad"])
    offer = page.get_by_role("complementary", name="Someone to talk to")
    expect(offer).to_be_visible()
    look.check("journey-crisis-offered")

    bar.get_by_role("link", name="Support").click()
    page.get_by_role("link", name="Take a break").click()
    page.get_by_role("radio", name="A day", exact=True).check()
    page.get_by_role("checkbox", name="Friends", exact=True).check()
    page.get_by_role("button", name="Start my break").click()
    expect(page.get_by_role("heading", name="You’re on a break until tomorrow")).to_be_visible()

    bar.get_by_role("link", name="Today").click()
    expect(page.get_by_role("region", name="On a break until tomorrow")).to_be_visible()
    expect(page.get_by_role("region", name="This week’s applications")).to_have_count(0)
    expect(page.get_by_text("Ready for one more?")).to_have_count(0)
    look.check("journey-today-on-break")

    page.get_by_role("link", name="Your break").click()
    page.get_by_role("button", name="End my break").click()
    page.get_by_role("radio", name="Okay", exact=True).check()
    page.get_by_role("button", name="End break").click()
    expect(page.get_by_role("list", name="Your past breaks")).to_contain_text(
        "Friends · Mood after: okay"
    )

    add_contact(rebound, tab, "Maya", "Friend", "Text", "07700 900123", 7)
    dialog = reach_out(page, "Maya")
    dialog.get_by_role("link", name="Text Maya").click()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    back = page.get_by_role("region", name="Did you reach Maya?")
    back.get_by_role("radio", name="Good", exact=True).check()
    back.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("list", name="Your reach-outs")).to_contain_text("Felt good after")
    look.check("journey-outreach-logged")
    assert page.evaluate("window.__opened") == [
        "sms:07700900123?body=I%20got%20a%20no%20today%20%E2%80%94%20got%20time%20to%20talk%3F"
    ]

    tab.wait_synced()
    [rejection] = api_json(tab, "GET", "/api/rejections")
    [rest] = api_json(tab, "GET", "/api/breaks")
    [maya] = api_json(tab, "GET", "/api/contacts")
    [talk] = api_json(tab, "GET", "/api/outreach")
    assert rejection["mood"] == 1
    assert rest["ended_at"] and rest["mood_after"] == 3 and rest["activities"] == ["friends"]
    assert (talk["contact_id"], talk["mood_after"], talk["channel"]) == (maya["id"], 4, "sms")
    assert look.problems == []


def test_a_refused_new_contact_can_be_discarded(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    add_contact(rebound, tab, "Lee", None, "Text", "not a number")
    handle = page.get_by_label("Phone number or email (optional)")
    expect(handle).to_have_accessible_description(
        re.compile("Use a phone number: an optional \\+ and 7 to 15 digits."), timeout=15_000
    )
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_role("heading", level=1, name="Support")).to_be_visible()
    expect(page.get_by_text("Nobody here yet")).to_be_visible()
    assert (
        page.evaluate("async () => (await (await import('/js/store.js')).list('contacts')).length")
        == 0
    )
    tab.wait_synced()
    assert contacts_of(tab) == []


def test_what_helps_names_a_person_once_three_reach_outs_lifted_the_mood(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    zone = api_json(tab, "GET", "/api/me")["timezone"]
    today = local_today(zone)
    maya = api_json(
        tab, "POST", "/api/contacts", {"name": "Maya", "relationship": "friend"}, status=201
    )
    for ago in (6, 4, 2):
        day = today - timedelta(days=ago)
        api_json(tab, "POST", "/api/checkins", {"at": at(day, 9, 0, zone), "mood": 2}, status=201)
        api_json(
            tab,
            "POST",
            "/api/outreach",
            {"contact_id": maya["id"], "at": at(day, 19, 0, zone), "mood_after": 4},
            status=201,
        )
    tab.goto("/support")
    tab.wait_synced()
    expect(page.get_by_role("list", name="What helps you")).to_contain_text(
        "Talking to Maya: your mood went up by 2 on average (3 times)."
    )
