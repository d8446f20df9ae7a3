"""Settings, the "You" screen (SPEC §4 accounts and settings): each change
checked end to end against the API, refusals shown next to their field with
nothing changed, devices, password, export and account deletion; clean
light and dark at 390 and 320 px."""
import json
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .accounts import WIDER_THAN_SCREEN, LOCAL_COUNTS, api_json, call, local_today
from .pages import PASSWORD
from .inspector import Inspector

NEW_PASSWORD = "another long enough password"


def open_settings(tab):
    tab.goto("/settings")
    expect(tab.page.get_by_role("heading", level=1, name="You")).to_be_visible()


def region(page, name):
    return page.get_by_role("region", name=name, exact=True)


def me(tab):
    return api_json(tab, "GET", "/api/me")


def register_elsewhere(rebound, email=None):
    """An account made from another browser context (this tab keeps its cookie)."""
    other = rebound.tab()
    email = email or rebound.new_email()
    call(other, "POST", "/api/auth/register", {"email": email, "password": PASSWORD}, expect_status=201)
    return email, other


def test_profile_goals_and_reminders_are_saved_to_the_account(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    open_settings(tab)

    profile = region(page, "Profile")
    profile.get_by_label("Your name").fill("Sam")
    profile.get_by_role("button", name="Save name").click()
    expect(profile.get_by_role("status")).to_have_text("Saved. Hello, Sam.")
    assert me(tab)["display_name"] == "Sam"

    goals = region(page, "Job search")
    goals.get_by_label("Weekly application goal").fill("3")
    goals.get_by_role("button", name="Save goals").click()
    expect(goals.get_by_role("status")).to_have_text("Saved.")
    assert me(tab)["settings"]["weekly_application_goal"] == 3

    reminders = region(page, "Reminders")
    reminders.get_by_label("Quiet from").fill("22:30")
    reminders.get_by_label("Quiet until").fill("07:15")
    reminders.get_by_role("switch", name="Ask for feedback").uncheck()
    reminders.get_by_label("At most a day").fill("1")
    reminders.get_by_label("At most a week").fill("4")
    detailed = reminders.get_by_role("switch", name="Name companies and people in notifications")
    expect(detailed).not_to_be_checked()  # off by default
    expect(reminders).to_contain_text("lock screens are public")
    detailed.check()
    reminders.get_by_role("button", name="Save reminders").click()
    expect(reminders.get_by_role("status")).to_contain_text("Saved.")
    settings = me(tab)["settings"]
    assert settings["quiet_start"] == "22:30" and settings["quiet_end"] == "07:15"
    assert settings["nudge_kinds"]["feedback"] is False and settings["nudge_kinds"]["apply"] is True
    assert settings["max_nudges_per_day"] == 1 and settings["max_nudges_per_week"] == 4
    assert settings["detailed_notifications"] is True

    # The screen shows the saved values after a reload; insights use the new goal.
    page.reload()
    expect(region(page, "Profile").get_by_label("Your name")).to_have_value("Sam")
    expect(region(page, "Reminders").get_by_role("switch", name="Ask for feedback")).not_to_be_checked()
    tab.goto("/insights")
    expect(page.locator(".stat", has_text="Applications this week")).to_contain_text("0 of 3")


def test_ghost_after_days_is_saved_and_moves_silence(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    if "ghost_after_days" not in me(tab)["settings"]:
        pytest.skip("this server has no ghost_after_days setting yet (backend/settings.py, SPEC §4)")
    today = local_today(me(tab)["timezone"])
    api_json(tab, "POST", "/api/applications",
             {"company": "Quiet Co", "applied_on": (today - timedelta(days=20)).isoformat()}, status=201)
    tab.wait_synced()
    open_settings(tab)
    goals = region(page, "Job search")
    field = goals.get_by_label("Days without news before an application counts as silent")
    field.fill("200")
    goals.get_by_role("button", name="Save goals").click()
    expect(goals.get_by_text("Use a whole number from 7 to 180.")).to_be_visible()
    field.fill("14")
    goals.get_by_role("button", name="Save goals").click()
    expect(goals.get_by_role("status")).to_have_text("Saved.")
    assert me(tab)["settings"]["ghost_after_days"] == 14
    assert api_json(tab, "GET", "/api/insights")["totals"]["silent"] == 1
    tab.goto("/insights")
    expect(page.locator("#insights-responses figcaption")).to_contain_text("1 went silent (no news after 14 days")


def test_a_changed_timezone_moves_this_week(rebound):
    # Monday 00:30 in Berlin is still Sunday in London: the week turns over
    # in one zone and not the other. The page's clock is fixed there.
    berlin = ZoneInfo("Europe/Berlin")
    today = datetime.now(berlin).date()
    monday = today - timedelta(days=today.weekday())
    moment = datetime.combine(monday, time(0, 30), berlin)
    sunday = (monday - timedelta(days=1)).isoformat()
    tab = rebound.tab(timezone_id="Europe/London")
    page = tab.page
    rebound.sign_up(tab)
    assert me(tab)["timezone"] == "Europe/London"  # from the device
    api_json(tab, "POST", "/api/applications", {"company": "Sunday Co", "applied_on": sunday}, status=201)
    page.clock.set_fixed_time(moment)
    page.reload()
    tab.wait_synced()
    tab.goto("/insights")
    this_week = page.locator(".stat", has_text="Applications this week")
    expect(this_week).to_contain_text("1 of 5")

    open_settings(tab)
    zone = region(page, "Time zone")
    expect(zone.get_by_label("Time zone")).to_have_value("Europe/London")
    zone.get_by_label("Time zone").fill("Europe/Berlin")
    zone.get_by_role("button", name="Save time zone").click()
    expect(zone.get_by_role("status")).to_have_text("Saved. Your time zone is Europe/Berlin.")
    assert me(tab)["timezone"] == "Europe/Berlin"

    tab.goto("/insights")
    expect(this_week).to_contain_text("0 of 5")
    page.locator("#insights-weeks").get_by_text("Show the numbers").click()
    last = page.locator("#insights-weeks tbody tr").last
    expect(last.locator("th")).to_have_text(page.evaluate(
        "async (d) => (await import('/js/ui.js')).showDate(d)", monday.isoformat()))


def test_a_changed_quiet_window_moves_a_planned_nudge(rebound):
    tab = rebound.tab(timezone_id="Europe/Berlin")
    page = tab.page
    rebound.sign_up(tab)
    zone = ZoneInfo(me(tab)["timezone"])
    api_json(tab, "POST", "/api/rejections", {"company": "Planner Co", "stage": "interview", "mood": 2}, status=201)
    before = [n for n in api_json(tab, "GET", "/api/nudges") if n["status"] == "scheduled"]
    assert before, "a low-mood rejection after an interview plans nudges"
    nudge = min(before, key=lambda n: n["due_at"])
    due = datetime.fromisoformat(nudge["due_at"]).astimezone(zone)
    start, end = (due - timedelta(hours=1)).strftime("%H:%M"), (due + timedelta(hours=1)).strftime("%H:%M")

    open_settings(tab)
    reminders = region(page, "Reminders")
    reminders.get_by_label("Quiet from").fill(start)
    reminders.get_by_label("Quiet until").fill(end)
    reminders.get_by_role("button", name="Save reminders").click()
    expect(reminders.get_by_role("status")).to_contain_text("Saved.")

    scheduled = [n for n in api_json(tab, "GET", "/api/nudges") if n["status"] == "scheduled"]
    after = [n for n in scheduled if n["id"] == nudge["id"]] or [n for n in scheduled if n["kind"] == nudge["kind"]]
    assert after, scheduled
    moved = datetime.fromisoformat(after[0]["due_at"]).astimezone(zone)
    assert moved != due
    assert moved.strftime("%H:%M") >= end or moved.date() > due.date(), (due, moved, start, end)
    assert not (start <= moved.strftime("%H:%M") < end), (moved, start, end)


def test_refusals_show_next_to_their_field_and_change_nothing(rebound):
    tab = rebound.tab()
    page = tab.page
    email = rebound.sign_up(tab)
    taken, _ = register_elsewhere(rebound)
    open_settings(tab)
    before = me(tab)

    account = region(page, "Sign-in email")
    account.get_by_label("New email").fill(rebound.new_email())
    account.get_by_label("Current password").fill("not my password at all")
    account.get_by_role("button", name="Change email").click()
    wrong = account.get_by_label("Current password")
    expect(wrong).to_have_attribute("aria-invalid", "true")
    expect(account.get_by_text("That isn’t your current password. Nothing was changed.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/settings$"))  # a wrong password never signs out

    account.get_by_label("New email").fill(taken)
    account.get_by_label("Current password").fill(PASSWORD)
    account.get_by_role("button", name="Change email").click()
    expect(account.get_by_text("Another account already uses this email.")).to_be_visible()
    expect(account.get_by_label("New email")).to_have_attribute("aria-invalid", "true")

    zone = region(page, "Time zone")
    zone.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    zone.get_by_role("button", name="Save time zone").click()
    expect(zone.get_by_text("Must be an IANA timezone name, such as Europe/Berlin.")).to_be_visible()
    expect(zone.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")

    # Too many password checks: the server's 429 and its Retry-After.
    page.route("**/api/me/password", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "120", "Content-Type": "application/json"},
        body=json.dumps({"error": {"status": 429, "code": "rate_limited", "message": "Too many requests."}})))
    password = region(page, "Password")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("status")).to_have_text(
        "Too many tries for now. Try again in 2 minutes; nothing was changed.")
    page.unroute("**/api/me/password")

    # Offline: said kindly, nothing sent.
    tab.wait_for_service_worker()
    tab.context.set_offline(True)
    profile = region(page, "Profile")
    profile.get_by_label("Your name").fill("Offline name")
    profile.get_by_role("button", name="Save name").click()
    expect(profile.get_by_role("status")).to_contain_text("You’re offline. Changes to your account need a connection")
    tab.context.set_offline(False)

    after = me(tab)
    assert after == before and after["email"] == email
    tab.errors[:] = [e for e in tab.errors if not re.search(r"status of (403|409|422|429)|ERR_INTERNET_DISCONNECTED", e)]
    assert not tab.errors


def test_sign_out_one_device_and_all_others(rebound):
    phone, laptop, tablet = rebound.tab(), rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.sign_in(laptop, email)
    rebound.sign_in(tablet, email)
    # Name the tablet, so its row can be told apart.
    page = phone.page
    open_settings(phone)
    devices = page.get_by_role("list", name="Signed-in devices")
    expect(devices.get_by_role("listitem")).to_have_count(3)
    expect(devices.get_by_role("listitem").first).to_contain_text("This device")
    expect(devices.get_by_text("This device")).to_have_count(1)

    # One: the first other device in the list.
    devices.get_by_role("listitem").nth(1).get_by_role("button", name=re.compile(r"^Sign out ")).click()
    expect(devices.get_by_role("listitem")).to_have_count(2)
    ended = [t for t in (laptop, tablet) if call(t, "GET", "/api/me").status == 401]
    assert len(ended) == 1

    page.get_by_role("button", name="Sign out all other devices").click()
    expect(region(page, "Signed-in devices").get_by_role("status")).to_have_text("Your other device is signed out.")
    expect(devices.get_by_role("listitem")).to_have_count(1)
    for other in (laptop, tablet):
        assert call(other, "GET", "/api/me").status == 401  # really ended on the server
    assert call(phone, "GET", "/api/me").status == 200
    # The other browser notices on its next sync and asks to sign in again.
    survivor = next(t for t in (laptop, tablet) if t not in ended)
    survivor.page.reload()
    expect(survivor.page).to_have_url(re.compile(r"/signin\?again=1$"))


def test_changing_the_password_says_first_it_signs_out_other_devices(rebound):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.sign_in(laptop, email)
    page = phone.page
    open_settings(phone)
    password = region(page, "Password")
    expect(password).to_contain_text("Changing your password signs out every other device")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password").fill("short")
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_text("Use at least 10 characters.")).to_be_visible()
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("status")).to_have_text("Password changed. Your other devices are signed out.")
    assert call(laptop, "GET", "/api/me").status == 401
    assert call(phone, "GET", "/api/me").status == 200
    fresh = rebound.tab()
    assert call(fresh, "POST", "/api/auth/login", {"email": email, "password": PASSWORD}).status == 401
    assert call(fresh, "POST", "/api/auth/login", {"email": email, "password": NEW_PASSWORD}).status == 200


def test_export_downloads_the_account_as_a_dated_json_file(rebound):
    tab = rebound.tab(accept_downloads=True)
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Export Co", stage="Interview")
    tab.wait_synced()
    open_settings(tab)
    today = local_today(me(tab)["timezone"]).isoformat()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename == f"rebound-export-{today}.json"
    document = json.loads(open(download.value.path()).read())
    assert [r["company"] for r in document["rejections"]] == ["Export Co"]
    assert document["user"]["email"] == me(tab)["email"]
    expect(region(page, "Your data").get_by_role("status")).to_have_text(f"Downloaded rebound-export-{today}.json.")


def test_deleting_the_account_removes_the_rows_and_the_local_store(rebound):
    tab = rebound.tab()
    page = tab.page
    email = rebound.sign_up(tab)
    rebound.log_rejection(tab, "Gone Co", stage="Screening")
    tab.wait_synced()
    open_settings(tab)
    danger = region(page, "Delete your account")
    expect(danger).to_contain_text("It cannot be undone")
    danger.get_by_label("Your password").fill("not the password")
    danger.get_by_role("button", name="Delete my account").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete my account").click()
    expect(danger.get_by_text("That isn’t your current password. Nothing was changed.")).to_be_visible()
    assert call(tab, "GET", "/api/me").status == 200

    danger.get_by_label("Your password").fill(PASSWORD)
    danger.get_by_role("button", name="Delete my account").click()
    dialog = page.get_by_role("dialog", name="Delete everything?")
    dialog.get_by_role("button", name="Keep my account").click()
    assert call(tab, "GET", "/api/me").status == 200  # kept
    danger.get_by_role("button", name="Delete my account").click()
    dialog.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_role("button", name="Sign up")).to_be_visible()  # the welcome screen
    expect(page).to_have_url(re.compile(r"/$"))
    assert page.evaluate(LOCAL_COUNTS) == [0, 0, 0]
    assert call(tab, "GET", "/api/me").status == 401
    fresh = rebound.tab()
    assert call(fresh, "POST", "/api/auth/login", {"email": email, "password": PASSWORD}).status == 401


def test_keyboard_alone_changes_the_weekly_goal(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    open_settings(tab)
    goal = page.get_by_label("Weekly application goal")
    goal.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("7")
    page.keyboard.press("Enter")  # submits its form
    expect(region(page, "Job search").get_by_role("status")).to_have_text("Saved.")
    assert me(tab)["settings"]["weekly_application_goal"] == 7
    switch = page.get_by_role("switch", name="Take a break", exact=True)
    switch.focus()
    page.keyboard.press("Space")
    expect(switch).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("switch", name="Reach out to someone", exact=True)).to_be_focused()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_settings_are_accessible_light_and_dark(rebound, axe_source, scheme):
    tab = rebound.tab(dark=scheme == "dark")
    page = tab.page
    look = Inspector(tab, axe_source, scheme)
    email = rebound.sign_up(tab, name="Alex")
    other = rebound.tab()
    rebound.sign_in(other, email)
    open_settings(tab)
    expect(page.get_by_role("list", name="Signed-in devices").get_by_role("listitem")).to_have_count(2)
    look.check("settings", sections=["#device-notifications", "#devices"])
    region(page, "Time zone").get_by_label("Time zone").fill("Nowhere/Special")
    region(page, "Time zone").get_by_role("button", name="Save time zone").click()
    expect(region(page, "Time zone").get_by_text("Must be an IANA timezone name")).to_be_visible()
    tab.errors[:] = [e for e in tab.errors if "status of 422" not in e]
    look.check("settings-refused")
    page.set_viewport_size({"width": 320, "height": 700})
    look.check("settings-320", sections=["#devices"])
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        f"the screen scrolls sideways at 320 px: {page.evaluate(WIDER_THAN_SCREEN)}"
    page.set_viewport_size({"width": 390, "height": 844})
    region(page, "Delete your account").get_by_label("Your password").fill(PASSWORD)
    region(page, "Delete your account").get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("dialog", name="Delete everything?")).to_be_visible()
    look.check("settings-delete-dialog")
    page.get_by_role("button", name="Keep my account").click()
    assert not look.problems, "\n".join(look.problems)
