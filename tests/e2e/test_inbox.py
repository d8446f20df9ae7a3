"""The inbox (issue 10, items 5 and 6): every reminder that arrived, newest
first, with Mark as read, Dismiss and Snooze reaching the server (offline
too); the bell's unread count; Today's next planned reminder in the user's
time zone; and every URL a nudge rule gives opening a real screen.

The nudges are the real planner's: a rejection logged through the API plans
them, and nudge_rows.deliver sends (or fails) some of them in the live
server's database as the dispatcher records it."""
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backend.nudges import rules
from backend.nudges.planner import Snapshot

from .accounts import WIDER_THAN_SCREEN, api_json
from .inspector import Inspector
from .nudge_rows import deliver

HOUR = 60
DAY = 24 * HOUR


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def when_text(at, zone, now=None):
    """nudges.js's whenText, for a moment within a week of now."""
    tz = ZoneInfo(zone)
    local, today = at.astimezone(tz), (now or datetime.now(timezone.utc)).astimezone(tz).date()
    days = (local.date() - today).days
    assert abs(days) < 7, "only the near words are checked here"
    named = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}.get(days, local.strftime("%A"))
    return f"{named} {local:%H:%M}"


def server_nudges(tab):
    return {n["id"]: n for n in tab.api("/api/nudges?page_size=500")}


def with_delivered_nudges(rebound, database_url, **tab_options):
    """A new account with a rejection at interview stage and a low mood (the
    planner plans every kind for it), of which three arrived: support an hour
    ago, feedback a day ago, break two days ago (its push failed)."""
    tab = rebound.tab(**tab_options)
    email = rebound.sign_up(tab)
    api_json(tab, "POST", "/api/rejections", {"company": "Acme", "stage": "interview", "mood": 2}, status=201)
    ids = deliver(database_url, email, [
        {"kind": "support", "status": "sent", "minutes_ago": HOUR},
        {"kind": "feedback", "status": "sent", "minutes_ago": DAY + 2 * HOUR},
        {"kind": "break", "status": "failed", "minutes_ago": 2 * DAY},
    ])
    tab.page.reload()  # the start of the app pulls what the server changed
    expect(tab.page.get_by_role("link", name="Reminders, 3 unread")).to_be_visible()
    return tab, ids


def arrived(page):
    return page.get_by_role("list", name="Your reminders").get_by_role("listitem")


def card(page, title):
    return arrived(page).filter(has=page.get_by_role("heading", name=title, exact=True))


def test_inbox_lists_arrivals_newest_first_and_marks_reach_the_server(rebound, live_database_url):
    tab, ids = with_delivered_nudges(rebound, live_database_url)
    page = tab.page
    zone = tab.api("/api/me")["timezone"]
    server = server_nudges(tab)
    badge = page.locator("#inbox-link .badge")
    expect(badge).to_have_text("3")
    expect(badge).to_have_attribute("aria-hidden", "true")  # the link's name says it

    page.get_by_role("link", name="Reminders, 3 unread").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_role("heading", level=1, name="Reminders")).to_be_focused()
    expect(page.get_by_role("link", name="Reminders, 3 unread")).to_have_attribute("aria-current", "page")
    items = arrived(page)
    expect(items).to_have_count(3)
    for i, kind in enumerate(["support", "feedback", "break"]):
        nudge = server[ids[kind]]
        item = items.nth(i)
        expect(item.get_by_role("heading", level=2)).to_have_text(nudge["title"])
        expect(item).to_contain_text(nudge["body"])
        expect(item.get_by_role("link", name=nudge["title"])).to_have_attribute("href", nudge["url"])
        expect(item.locator("time")).to_have_text(when_text(moment(nudge["sent_at"] or nudge["due_at"]), zone))
        expect(item.get_by_text("New", exact=True)).to_be_visible()
    # A failed push was never delivered, but the reminder still waits here; the
    # server cannot snooze it (SPEC §6), so it offers no snooze.
    expect(items.nth(2).get_by_role("button", name="Snooze")).to_have_count(0)
    expect(items.nth(0).get_by_role("button", name="Snooze")).to_have_count(1)
    # The rest are still to come, soonest first.
    coming = page.get_by_role("list", name="Coming up").get_by_role("listitem")
    ahead = sorted((n for n in server.values() if n["status"] == "scheduled"), key=lambda n: n["due_at"])
    assert ahead, "the planner planned more than the three that arrived"
    expect(coming).to_have_count(len(ahead))
    expect(coming.first.get_by_role("heading", level=3)).to_have_text(ahead[0]["title"])
    # One still to come can be skipped (dismissed before it is sent).
    expect(coming.first.get_by_role("button", name="Snooze")).to_have_count(0)
    coming.first.get_by_role("button", name="Skip this one").click()
    expect(coming).to_have_count(len(ahead) - 1)
    expect(page.get_by_role("link", name="Reminders, 3 unread")).to_be_visible()

    support, feedback = server[ids["support"]], server[ids["feedback"]]
    card(page, support["title"]).get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("link", name="Reminders, 2 unread")).to_be_visible()
    expect(badge).to_have_text("2")
    expect(card(page, support["title"]).get_by_role("button", name="Mark as read")).to_have_count(0)
    expect(card(page, support["title"]).get_by_text("New", exact=True)).to_have_count(0)

    card(page, feedback["title"]).get_by_role("button", name="Dismiss").click()
    expect(items).to_have_count(2)
    expect(page.get_by_role("link", name="Reminders, 1 unread")).to_be_visible()

    before = datetime.now(timezone.utc)
    card(page, support["title"]).get_by_label("Remind me again in").select_option("3")
    card(page, support["title"]).get_by_role("button", name="Snooze").click()
    expect(page.get_by_role("status").filter(has_text="Snoozed until")).to_be_visible()
    expect(items).to_have_count(1)
    expect(page.get_by_role("list", name="Coming up")).to_contain_text(support["title"])
    expect(page.get_by_role("link", name="Reminders, 1 unread")).to_be_visible()  # it was read

    tab.wait_synced()
    after = server_nudges(tab)
    assert after[ids["support"]]["read_at"]
    assert after[ids["feedback"]]["dismissed_at"]
    snoozed = after[ids["support"]]
    assert snoozed["status"] == "scheduled"
    assert moment(snoozed["due_at"]) >= before + timedelta(days=3) - timedelta(minutes=1)
    assert moment(snoozed["due_at"]) <= datetime.now(timezone.utc) + timedelta(days=4)
    assert not after[ids["break"]]["read_at"]
    assert after[ahead[0]["id"]]["dismissed_at"]

    # Opening a reminder's link marks it read, and lands on its screen.
    items.first.get_by_role("link", name=server[ids["break"]]["title"]).click()
    expect(page).not_to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_have_count(0)
    expect(page.get_by_role("link", name="Reminders", exact=True)).to_be_visible()
    expect(badge).to_be_hidden()
    tab.wait_synced()
    assert server_nudges(tab)[ids["break"]]["read_at"]
    assert not tab.errors


def test_marks_made_offline_reach_the_server_after_reconnecting(rebound, live_database_url):
    tab, ids = with_delivered_nudges(rebound, live_database_url)
    page = tab.page
    server = server_nudges(tab)
    tab.wait_synced()
    tab.wait_for_service_worker()
    page.get_by_role("link", name="Reminders, 3 unread").click()
    expect(arrived(page)).to_have_count(3)

    tab.context.set_offline(True)
    support, feedback, broken = (server[ids[k]] for k in ("support", "feedback", "break"))
    card(page, broken["title"]).get_by_role("button", name="Mark as read").click()
    card(page, feedback["title"]).get_by_role("button", name="Dismiss").click()
    card(page, support["title"]).get_by_label("Remind me again in").select_option("7")
    card(page, support["title"]).get_by_role("button", name="Snooze").click()
    expect(page.locator("#sync-status")).to_have_text(re.compile(r"^Offline — 3 changes waiting$"))
    expect(arrived(page)).to_have_count(1)
    expect(page.get_by_role("link", name="Reminders", exact=True)).to_be_visible()  # nothing unread now
    expect(page.get_by_role("list", name="Coming up")).to_contain_text(support["title"])
    page.reload()  # offline: the worker's shell, the store's marks
    expect(arrived(page)).to_have_count(1)
    expect(page.get_by_role("link", name="Reminders", exact=True)).to_be_visible()

    tab.context.set_offline(False)
    tab.wait_synced()
    after = server_nudges(tab)
    assert after[ids["break"]]["read_at"]
    assert after[ids["feedback"]]["dismissed_at"]
    assert moment(after[ids["support"]]["due_at"]) >= datetime.now(timezone.utc) + timedelta(days=6)
    assert not after[ids["support"]]["read_at"]
    expect(arrived(page)).to_have_count(1)
    expect(page.get_by_role("link", name="Reminders", exact=True)).to_be_visible()


def test_the_inbox_works_from_the_keyboard(rebound, live_database_url):
    tab, ids = with_delivered_nudges(rebound, live_database_url)
    page = tab.page
    server = server_nudges(tab)
    support, feedback = server[ids["support"]], server[ids["feedback"]]
    for _ in range(3):  # "Skip to content", the brand, then the bell
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Reminders, 3 unread")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Reminders")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=support["title"])).to_be_focused()
    page.keyboard.press("Tab")
    read = card(page, support["title"]).get_by_role("button", name="Mark as read")
    expect(read).to_be_focused()
    page.keyboard.press("Enter")
    # The button is gone; focus stays on the same reminder.
    expect(card(page, support["title"]).get_by_role("button", name="Dismiss")).to_be_focused()
    expect(page.get_by_role("link", name="Reminders, 2 unread")).to_be_visible()
    page.keyboard.press("Tab")
    expect(card(page, support["title"]).get_by_label("Remind me again in")).to_be_focused()
    page.keyboard.press("ArrowDown")  # 2 days
    page.keyboard.press("Tab")
    expect(card(page, support["title"]).get_by_role("button", name="Snooze")).to_be_focused()
    page.keyboard.press("Enter")
    # The reminder moved to "Coming up"; focus goes to the next one in the list.
    expect(page.get_by_role("link", name=feedback["title"])).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(card(page, feedback["title"]).get_by_role("button", name="Dismiss")).to_be_focused()
    page.keyboard.press("Space")
    expect(card(page, feedback["title"])).to_have_count(0)
    expect(page.get_by_role("link", name=server[ids["break"]]["title"])).to_be_focused()

    tab.wait_synced()
    after = server_nudges(tab)
    assert after[ids["support"]]["read_at"]
    assert moment(after[ids["support"]]["due_at"]) >= datetime.now(timezone.utc) + timedelta(days=2) - timedelta(minutes=5)
    assert moment(after[ids["support"]]["due_at"]) < datetime.now(timezone.utc) + timedelta(days=3)
    assert after[ids["feedback"]]["dismissed_at"]


def test_today_shows_the_next_planned_reminder_in_the_users_time_zone(rebound):
    # The device is in New York, the account in Berlin: reminders are planned
    # in the account's zone, so that is the one Today speaks in.
    tab = rebound.tab(timezone_id="America/New_York")
    page = tab.page
    rebound.sign_up(tab)
    expect(page.get_by_role("heading", name="Your next reminder")).to_be_visible()
    expect(page.get_by_text("Nothing planned right now.")).to_be_visible()
    tab.goto("/settings")
    zone_form = page.get_by_role("region", name="Time zone", exact=True)
    zone_form.get_by_label("Time zone").fill("Europe/Berlin")
    zone_form.get_by_role("button", name="Save time zone").click()
    expect(zone_form.get_by_text("Saved. Your time zone is Europe/Berlin.")).to_be_visible()
    page.get_by_role("link", name="Today", exact=True).click()
    rebound.log_rejection(tab, "Acme", stage="Interview", mood="Low")
    tab.wait_synced()
    page.get_by_role("link", name="Back to Today").click()

    planned = sorted((n for n in tab.api("/api/nudges") if n["status"] == "scheduled"), key=lambda n: n["due_at"])
    assert planned, "the planner planned reminders for a rejection at interview stage"
    first = planned[0]
    next_card = page.locator(".next-nudge")
    expect(next_card.get_by_role("heading", level=3)).to_have_text(first["title"])
    expect(next_card).to_contain_text(first["body"])
    expect(next_card.locator("time")).to_have_text(when_text(moment(first["due_at"]), "Europe/Berlin"))
    assert when_text(moment(first["due_at"]), "Europe/Berlin") != when_text(moment(first["due_at"]), "America/New_York")
    # The suggestions Today used to work out for itself are gone: it names no
    # rejection and offers nothing the planner did not plan.
    main = page.locator("main")
    expect(main).not_to_contain_text("What to do next")
    expect(main).not_to_contain_text("one more application")
    expect(main.locator("a[href^='/rejections']")).to_have_count(0)
    page.get_by_role("link", name="All your reminders").click()
    expect(page.get_by_role("heading", level=1, name="Reminders")).to_be_visible()
    expect(page.get_by_role("list", name="Coming up").get_by_role("listitem").first).to_contain_text(first["title"])
    assert not tab.errors


def every_rule_url(rejection_id):
    """Each URL the rules table gives, from one history that sets off every rule."""
    now = datetime.now(timezone.utc)
    today = now.date()
    contact = {"id": "c1", "name": "Maya", "check_in_every_days": 7, "created_at": now - timedelta(days=30)}
    snap = Snapshot(
        timezone="UTC", settings={},
        rejections=[{"id": rejection_id, "company": "Acme", "stage": "interview", "received_on": today,
                     "mood": 1, "feedback_status": "not_requested", "lessons": None},
                    {"id": rejection_id, "company": "Acme", "stage": "interview", "received_on": today,
                     "mood": 1, "feedback_status": "requested", "feedback_requested_on": today - timedelta(days=3),
                     "lessons": None}],
        breaks=[{"id": "b1", "started_at": now - timedelta(days=20), "ended_at": now - timedelta(days=18)}],
        contacts=[contact], checkins=[{"at": now}])
    found = list(rules.candidates(snap, ZoneInfo("UTC"), now))
    assert {c.kind for c in found} == set(rules.PRIORITY), "the history sets off every kind of rule"
    return sorted({c.url for c in found})


def test_every_nudge_url_opens_a_real_screen(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rejection = api_json(tab, "POST", "/api/rejections", {"company": "Acme", "stage": "interview"}, status=201)
    urls = every_rule_url(rejection["id"])
    shapes = {re.sub(r"[0-9a-f-]{36}", "<id>", u) for u in urls}
    assert {"/rejections/<id>", "/support", "/breaks", "/applications", "/today", "/insights"} <= shapes
    tab.wait_synced()
    for url in urls:
        tab.goto(url)
        expect(page.get_by_role("heading", level=1, name="Page not found")).to_have_count(0)
        expect(page.get_by_role("heading", level=1, name="Something went wrong")).to_have_count(0)
        route = page.evaluate("async () => (await import('/js/router.js')).here()?.path")
        assert route not in (None, "*"), f"{url} landed on {page.url}, which no route has"
        assert route not in ("/", "/signin"), f"{url} sent a signed-in person away: {page.url}"
    tab.goto("/nowhere-at-all")  # and the check can tell: an unknown path is not a screen
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    assert not tab.errors


def test_an_empty_inbox_says_so_kindly(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    page.get_by_role("link", name="Reminders", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Reminders")).to_be_visible()
    expect(page.get_by_text("Nothing here yet")).to_be_visible()
    expect(page.get_by_text("When Rebound sends you a gentle reminder, it waits for you here.")).to_be_visible()
    expect(page.get_by_role("list", name="Your reminders")).to_have_count(0)
    expect(page.get_by_role("list", name="Coming up")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_inbox_and_today_are_accessible_light_and_dark(rebound, live_database_url, axe_source, scheme):
    empty = rebound.tab(dark=scheme == "dark")
    look_empty = Inspector(empty, axe_source, scheme)
    rebound.sign_up(empty)
    empty.page.get_by_role("link", name="Reminders", exact=True).click()
    look_empty.check("inbox-empty")

    tab, _ids = with_delivered_nudges(rebound, live_database_url, dark=scheme == "dark")
    page = tab.page
    look = Inspector(tab, axe_source, scheme)
    look.check("today-next-reminder", sections=[".next-nudge"])
    page.get_by_role("link", name="Reminders, 3 unread").click()
    expect(arrived(page)).to_have_count(3)
    look.check("inbox", sections=["#coming-up"])
    page.set_viewport_size({"width": 320, "height": 700})
    look.check("inbox-320")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        f"the inbox scrolls sideways at 320 px: {page.evaluate(WIDER_THAN_SCREEN)}"
    assert not look.problems + look_empty.problems, "\n".join(look.problems + look_empty.problems)


def test_nudge_words_for_a_moment(rebound):
    """whenText: near days by name, the time in the given zone, 24-hour."""
    tab = rebound.tab()
    tab.goto("/help")
    now = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)  # a Wednesday
    cases = {
        "2026-12-02T17:00:00Z": "Today 18:00",       # Berlin is UTC+1 in winter
        "2026-12-02T23:30:00Z": "Tomorrow 00:30",    # after midnight there
        "2026-12-01T09:00:00Z": "Yesterday 10:00",
        "2026-12-03T09:00:00Z": "Tomorrow 10:00",
        "2026-12-04T09:00:00Z": "Friday 10:00",
        "2026-11-27T09:00:00Z": "Friday 10:00",
        "2026-12-20T09:00:00Z": "December 20, 10:00",
        "2027-01-20T09:00:00Z": "January 20, 2027, 10:00",
    }
    got = tab.page.evaluate("""async ([now, moments]) => {
      const { whenText } = await import('/js/nudges.js');
      return moments.map((m) => whenText(Date.parse(m), Date.parse(now), 'Europe/Berlin'));
    }""", [now.isoformat(), list(cases)])
    assert dict(zip(cases, got)) == cases
    for at, want in cases.items():
        if abs((moment(at).date() - date(2026, 12, 2)).days) < 7:
            assert when_text(moment(at), "Europe/Berlin", now) == want  # this file's own copy agrees


def test_a_mark_the_server_refuses_is_shown_and_can_be_let_go(rebound, live_database_url):
    tab, ids = with_delivered_nudges(rebound, live_database_url)
    page = tab.page
    title = server_nudges(tab)[ids["support"]]["title"]
    page.get_by_role("link", name="Reminders, 3 unread").click()
    # A mark the screen would never send, straight into the app's own store module.
    page.evaluate("(id) => import('/js/store.js').then((store) => store.save('nudges', id, { read: false }))", ids["support"])
    alert = card(page, title).get_by_role("alert")
    expect(alert).to_contain_text("That didn’t go through")
    tab.errors.clear()
    alert.get_by_role("button", name="OK").click()
    expect(card(page, title).get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("link", name="Reminders, 3 unread")).to_be_visible()
    tab.wait_synced()
    assert not server_nudges(tab)[ids["support"]]["read_at"]


def test_a_reminder_arriving_while_the_inbox_is_open_shows_at_once(rebound, live_database_url):
    tab, ids = with_delivered_nudges(rebound, live_database_url)
    page = tab.page
    page.get_by_role("link", name="Reminders, 3 unread").click()
    expect(arrived(page)).to_have_count(3)
    email = tab.api("/api/me")["email"]
    [reflect] = deliver(live_database_url, email, [{"kind": "reflect", "status": "sent", "minutes_ago": 1}]).values()
    page.evaluate("import('/js/sync.js').then((sync) => sync.syncNow())")  # as the next minute's sync would
    expect(page.get_by_role("link", name="Reminders, 4 unread")).to_be_visible()
    expect(arrived(page)).to_have_count(4)
    expect(arrived(page).first.get_by_role("heading", level=2)).to_have_text(server_nudges(tab)[reflect]["title"])
    assert not tab.errors


READ_MODELS = """async () => {
  const m = await import('/js/nudges.js');
  const now = Date.parse('2026-12-02T12:00:00Z');
  const n = (id, fields) => ({ id, created_at: '2026-11-01T00:00:00Z', ...fields });
  const all = [
    n('sent', { status: 'sent', due_at: '2026-12-02T10:00:00Z', sent_at: '2026-12-02T10:00:05Z' }),
    n('failed', { status: 'failed', due_at: '2026-12-01T10:00:00Z' }),
    n('due', { status: 'scheduled', due_at: '2026-12-02T11:00:00Z' }),  // the worker has not got to it
    n('cancelled', { status: 'cancelled', due_at: '2026-12-01T09:00:00Z' }),
    n('read', { status: 'sent', due_at: '2026-11-30T10:00:00Z', sent_at: '2026-11-30T10:00:00Z', read_at: '2026-11-30T11:00:00Z' }),
    n('read-here', { status: 'sent', due_at: '2026-11-29T10:00:00Z', sent_at: '2026-11-29T10:00:00Z', read: true }),
    n('refused', { status: 'sent', due_at: '2026-11-28T10:00:00Z', sent_at: '2026-11-28T10:00:00Z', read: true,
                   _rejected: [{ fields: { read: true }, error: { code: 'validation_error' } }] }),
    n('dismissed', { status: 'sent', due_at: '2026-11-27T10:00:00Z', sent_at: '2026-11-27T10:00:00Z', dismissed: true }),
    n('snoozing', { status: 'sent', due_at: '2026-11-26T10:00:00Z', sent_at: '2026-11-26T10:00:00Z', snooze_days: 2 }),
    n('again', { status: 'sent', due_at: '2026-11-25T10:00:00Z', sent_at: '2026-11-25T10:00:00Z', read_at: '2026-11-20T11:00:00Z' }),
    n('later', { status: 'scheduled', due_at: '2026-12-05T10:00:00Z' }),
    n('soon', { status: 'scheduled', due_at: '2026-12-03T10:00:00Z' }),
  ];
  return {
    inbox: m.inbox(all, now).map((x) => x.id),
    unread: m.unreadCount(all, now),
    planned: m.planned(all, now).map((x) => x.id),
    next: m.nextPlanned(all, now).id,
    none: m.nextPlanned([], now),
    snoozedUntil: new Date(m.dueAt(all.find((x) => x.id === 'snoozing'), now)).toISOString(),
    snoozeable: all.filter(m.canSnooze).map((x) => x.id),
  };
}"""


def test_nudge_read_models(rebound):
    """nudges.js: what arrived, what is planned, what counts as unread."""
    tab = rebound.tab()
    tab.goto("/help")
    got = tab.page.evaluate(READ_MODELS)
    # Newest first by when it arrived; cancelled, dismissed and snoozing ones are not there.
    assert got["inbox"] == ["due", "sent", "failed", "read", "read-here", "refused", "again"]
    # due, sent, failed, the one whose read mark was refused, and one read before
    # it was snoozed and sent again
    assert got["unread"] == 5
    # Soonest first; a snooze on its way counts from now (it was due before): 2 days on.
    assert got["planned"] == ["soon", "snoozing", "later"]
    assert got["next"] == "soon"
    assert got["none"] is None
    assert got["snoozedUntil"] == "2026-12-04T12:00:00.000Z"
    assert "failed" not in got["snoozeable"] and "cancelled" not in got["snoozeable"]
