"""Breaks (SPEC §1 strategy 5, §4 breaks): start one in two taps, Today's
banner and no application suggestion while it lasts, end it with an optional
mood, the history and "What helps you", one break at a time across devices,
offline. At 390x844 in a real Chromium, light and dark."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from .accounts import api_json, at, local_today
from .inspector import Inspector

# What Today says about applying: the week's goal, and an "apply" reminder.
GOAL = "This week’s applications"
APPLY_NUDGE = "Ready for one more?"


def weekend_end(today: date) -> date:
    """The coming Sunday (today on a Sunday), as the app plans "A weekend"."""
    return today + timedelta(days=(6 - today.weekday()) % 7)


def open_breaks(page):
    """From anywhere: the Support place, then "Take a break" (two taps from Today)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    page.get_by_role("link", name="Take a break").click()
    expect(page.get_by_role("heading", level=1, name="Breaks")).to_be_visible()


def breaks_of(tab):
    return api_json(tab, "GET", "/api/breaks")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_break_starts_in_two_taps_pauses_suggestions_and_ends_with_a_mood(
    rebound, axe_source, dark
):
    tab = rebound.tab(dark=dark)
    page = tab.page
    look = Inspector(tab, axe_source, "dark" if dark else "light")
    rebound.sign_up(tab)
    expect(page.get_by_role("region", name=GOAL)).to_be_visible()
    open_breaks(page)
    look.check("breaks-start")

    page.get_by_role("radio", name="A weekend", exact=True).check()
    page.get_by_role("checkbox", name="Walk", exact=True).check()
    page.get_by_role("radio", name="Low", exact=True).check()
    before = datetime.now(timezone.utc)
    page.get_by_role("button", name="Start my break").click()
    expect(page.get_by_role("heading", name=re.compile("^You’re on a break"))).to_be_visible()
    # One break at a time: while this one is on there is nothing to start another with.
    expect(page.get_by_role("button", name="Start my break")).to_have_count(0)
    look.check("breaks-current")
    tab.wait_synced()
    [saved] = breaks_of(tab)
    zone = api_json(tab, "GET", "/api/me")["timezone"]
    assert saved["planned_end_on"] == weekend_end(local_today(zone)).isoformat()
    assert (
        saved["activities"] == ["walk"] and saved["mood_before"] == 2 and saved["ended_at"] is None
    )
    started = datetime.fromisoformat(saved["started_at"])  # filled in by the app, at the tap
    assert before - timedelta(seconds=5) <= started <= datetime.now(timezone.utc)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    banner = page.get_by_role("region", name=re.compile("^On a break"))
    expect(banner).to_be_visible()
    expect(page.get_by_role("region", name=GOAL)).to_have_count(0)
    expect(page.get_by_text(APPLY_NUDGE)).to_have_count(0)
    look.check("today-on-a-break")

    banner.get_by_role("link", name="Your break").click()
    page.get_by_role("button", name="End my break").click()
    look.check("breaks-ending")
    page.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_role("button", name="End break").click()
    expect(page.get_by_role("button", name="Start my break")).to_be_visible()
    past = page.get_by_role("list", name="Your past breaks")
    expect(past).to_contain_text("Walk")
    expect(past).to_contain_text("Mood low → good")
    look.check("breaks-history")
    tab.wait_synced()
    [ended] = breaks_of(tab)
    assert ended["mood_after"] == 4 and ended["ended_at"] is not None

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_role("region", name=re.compile("^On a break"))).to_have_count(0)
    expect(page.get_by_role("region", name=GOAL)).to_be_visible()
    assert look.problems == []


def test_ending_without_a_mood_is_fine_and_the_keyboard_does_it_all(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/breaks")
    page.get_by_role("radio", name="The rest of today", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Start my break").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="You’re on a break for the rest of today")
    ).to_be_visible()
    page.get_by_role("button", name="End my break").focus()
    page.keyboard.press("Enter")
    # The mood after is offered first, and focus moves there; skipping it is one key.
    expect(page.get_by_role("radio", name="Very low", exact=True)).to_be_focused()
    page.get_by_role("button", name="End break").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Start my break")).to_be_visible()
    tab.wait_synced()
    [saved] = breaks_of(tab)
    assert saved["ended_at"] and saved["mood_after"] is None
    assert (
        saved["planned_end_on"]
        == local_today(api_json(tab, "GET", "/api/me")["timezone"]).isoformat()
    )


def test_a_date_in_the_past_is_refused_next_to_the_field_and_nothing_starts(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/breaks")
    page.get_by_role("radio", name="Until a date", exact=True).check()
    until = page.get_by_label("Until (the last day of your break)")
    until.fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Start my break").click()
    expect(until).to_have_attribute("aria-invalid", "true")
    expect(until).to_have_accessible_description(
        re.compile("Pick a day from today to a year from now.")
    )
    expect(page.get_by_role("heading", name=re.compile("^You’re on a break"))).to_have_count(0)
    assert (
        page.evaluate("async () => (await (await import('/js/store.js')).list('breaks')).length")
        == 0
    )
    tab.wait_synced()
    assert breaks_of(tab) == []


@pytest.mark.parametrize("mood_input", ["before", "after"])
def test_a_very_low_mood_around_a_break_offers_someone_to_talk_to(rebound, mood_input):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/breaks")
    page.get_by_role("radio", name="A day", exact=True).check()
    if mood_input == "before":
        page.get_by_role("radio", name="Very low", exact=True).check()
    page.get_by_role("button", name="Start my break").click()
    if mood_input == "after":
        expect(page.get_by_role("complementary", name="Someone to talk to")).to_have_count(0)
        page.get_by_role("button", name="End my break").click()
        page.get_by_role("radio", name="Very low", exact=True).check()
        page.get_by_role("button", name="End break").click()
    offer = page.get_by_role("complementary", name="Someone to talk to")
    expect(offer).to_be_visible()
    offer.get_by_role("link", name="Talk to someone now").click()
    expect(page.get_by_role("link", name=re.compile("988 Suicide & Crisis Lifeline"))).to_be_visible()


def test_a_break_started_offline_reaches_another_device(rebound):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    phone.goto("/breaks")
    phone.wait_for_service_worker()
    phone.context.set_offline(True)
    phone.page.get_by_role("radio", name="A week", exact=True).check()
    phone.page.get_by_role("checkbox", name="Nature", exact=True).check()
    phone.page.get_by_role("button", name="Start my break").click()
    expect(phone.page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")
    # The status counts the change from the first moment; the screen shows the
    # break once its transaction has committed, so reload only after that.
    expect(
        phone.page.get_by_role("heading", name=re.compile("^You’re on a break until"))
    ).to_be_visible()
    phone.page.reload()  # offline, from the worker and the local store
    expect(
        phone.page.get_by_role("heading", name=re.compile("^You’re on a break until"))
    ).to_be_visible()
    phone.context.set_offline(False)
    phone.wait_synced()

    rebound.sign_in(laptop, email)
    laptop.wait_synced()
    expect(laptop.page.get_by_role("region", name=re.compile("^On a break until"))).to_be_visible()
    laptop.goto("/breaks")
    expect(
        laptop.page.get_by_role("heading", name=re.compile("^You’re on a break until"))
    ).to_contain_text(re.compile(r"until \w+"))
    expect(laptop.page.get_by_text("Nature")).to_be_visible()


def test_a_second_break_from_another_device_is_refused_kindly_and_nothing_is_lost(
    rebound, axe_source
):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.sign_in(laptop, email)
    for tab in (phone, laptop):
        tab.goto("/breaks")
    phone.wait_for_service_worker()
    phone.context.set_offline(True)
    phone.page.get_by_role("radio", name="A day", exact=True).check()
    phone.page.get_by_role("checkbox", name="Sleep", exact=True).check()
    phone.page.get_by_role("radio", name="Okay", exact=True).check()
    phone.page.get_by_role("button", name="Start my break").click()

    laptop.page.get_by_role("radio", name="A week", exact=True).check()
    laptop.page.get_by_role("checkbox", name="Walk", exact=True).check()
    laptop.page.get_by_role("button", name="Start my break").click()
    laptop.wait_synced()

    phone.context.set_offline(False)  # the server answers the phone's start with a 409
    notice = phone.page.get_by_role("status").filter(has_text="You’re already on a break")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_contain_text("Nothing is lost")
    expect(notice).to_contain_text("Sleep")
    expect(phone.page.get_by_role("button", name="Start my break")).to_have_count(0)
    look = Inspector(phone, axe_source, "light")
    look.check("breaks-refused-second")
    assert look.problems == []
    [only] = breaks_of(phone)
    assert only["activities"] == ["walk"]

    phone.page.get_by_role("button", name="Add these to the current break").click()
    expect(notice).to_have_count(0)
    phone.wait_synced()
    [merged] = breaks_of(phone)
    assert (
        merged["id"] == only["id"]
        and merged["activities"] == ["walk", "sleep"]
        and merged["mood_before"] == 3
    )


def test_what_helps_shows_an_activity_once_it_has_three_readings(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    zone = api_json(tab, "GET", "/api/me")["timezone"]
    today = local_today(zone)

    def past_break(days_ago, before, after):
        start = today - timedelta(days=days_ago)
        api_json(
            tab,
            "POST",
            "/api/breaks",
            {
                "started_at": at(start, 10, 0, zone),
                "ended_at": at(start, 16, 0, zone),
                "activities": ["walk"],
                "mood_before": before,
                "mood_after": after,
            },
            status=201,
        )

    past_break(9, 2, 4)
    past_break(6, 2, 3)
    tab.goto("/breaks")
    helps = page.get_by_role("region", name="What helps you")
    expect(helps).to_contain_text("It takes three of a kind")
    past_break(3, 3, 4)
    page.reload()
    tab.wait_synced()
    expect(helps.get_by_role("list", name="What helps you")).to_contain_text(
        "Walk: your mood went up by 1.3 on average (3 times)."
    )


def test_an_end_before_the_start_is_refused_shown_and_the_break_stays_on(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/breaks")
    page.get_by_role("radio", name="A day", exact=True).check()
    page.get_by_role("button", name="Start my break").click()
    tab.wait_synced()
    [started] = breaks_of(tab)
    # As another device with a clock behind would send it: an end an hour before the start.
    page.evaluate(
        """async (b) => {
      const store = await import('/js/store.js');
      const end = new Date(Date.parse(b.started_at) - 3600_000).toISOString();
      await store.save('breaks', b.id, { ended_at: end, mood_after: 4 });
    }""",
        started,
    )
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("A change to your break couldn’t be saved.", timeout=15_000)
    expect(alert).to_contain_text("A break cannot end before it starts.")
    tab.wait_synced()
    [unchanged] = breaks_of(tab)
    assert unchanged == started  # nothing else changed on the server

    alert.get_by_role("button", name="End it now").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    tab.wait_synced()
    [ended] = breaks_of(tab)
    assert ended["ended_at"] > ended["started_at"] and ended["mood_after"] == 4
