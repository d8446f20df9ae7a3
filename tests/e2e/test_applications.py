"""Strategy 7, keeping the momentum: applications by status, moved on in one
tap, a rejection logged from one, the weekly goal on Today, the ghosted
close-out with Undo, and the CSV import (with the files it refuses)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .accounts import api_json, call, local_today
from .inspector import Inspector

LOCAL_APPS = "async () => (await (await import('/js/store.js')).list('applications'))"
OUTBOX_COUNT = """async () => (await (await import('/js/store.js')).pendingCount())"""


def local_apps(tab):
    return tab.page.evaluate(LOCAL_APPS)


def server_apps(tab):
    return api_json(tab, "GET", "/api/applications?page_size=500")


def server_count(tab):
    response = call(tab, "GET", "/api/applications?page_size=1", expect_status=200)
    return int(re.search(r'"total":\s*(\d+)', response.headers["x-pagination"]).group(1))


def today_of(tab):
    return local_today(api_json(tab, "GET", "/api/me")["timezone"])


def set_settings(tab, **settings):
    """Changes the account's settings through the API; the app picks them up
    when it next starts online (its cached user is refreshed then)."""
    api_json(tab, "PATCH", "/api/me", {"settings": settings})
    with tab.page.expect_response(
        lambda r: r.url.endswith("/api/me") and r.request.method == "GET"
    ):
        tab.goto("/today")
    tab.page.wait_for_timeout(300)  # the refreshed user is written to the store after the answer
    tab.goto("/today")  # drawn with it


def add_application(tab, company, role=None, url=None):
    page = tab.page
    tab.goto("/applications")
    page.get_by_role("link", name="Add an application").click()
    page.get_by_label("Company").fill(company)
    if role:
        page.get_by_label("Role (optional)").fill(role)
    if url:
        page.get_by_label("Link to the job ad (optional)").fill(url)
    page.get_by_role("button", name="Save application").click()
    expect(page.get_by_role("heading", level=1, name="Applications")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(re.escape(company)))).to_be_visible()


def choose_csv(tab, content, name="applications.csv", mime="text/csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    tab.page.get_by_label("CSV file").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


# --- the list, adding, editing, one-tap status -------------------------------------


def test_add_move_on_and_edit_an_application(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/applications")
    expect(page.get_by_text("Nothing here yet")).to_be_visible()
    add_application(tab, "Northwind", role="Designer", url="jobs.example.com/42")
    expect(page.get_by_role("status").filter(has_text="Added Northwind.")).to_be_visible()
    applied = page.get_by_role("list", name="Applied (1)")
    expect(applied).to_contain_text("Designer · Applied today")

    page.get_by_role("button", name="Move Northwind to Screening").click()
    expect(page.get_by_role("list", name="Screening (1)")).to_contain_text(
        "In screening since today"
    )
    expect(page.get_by_role("list", name="Applied (1)")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Northwind")).click()
    expect(page.get_by_role("heading", level=1, name="Northwind")).to_be_visible()
    expect(page.get_by_role("radio", name="Screening", exact=True)).to_be_checked()
    expect(page.get_by_role("link", name="Open the job ad")).to_have_attribute(
        "href", "https://jobs.example.com/42"
    )
    page.get_by_role("radio", name="Interviewing", exact=True).check()  # one tap
    page.get_by_label("Role", exact=True).fill("Senior Designer")
    page.get_by_label("Notes").fill("Met Ana, the hiring manager.")
    page.locator("main h1").click()
    tab.wait_synced()
    [saved] = server_apps(tab)
    assert saved["company"] == "Northwind"
    assert saved["role"] == "Senior Designer"
    assert saved["status"] == "interviewing"
    assert saved["status_changed_on"] == today_of(tab).isoformat()
    assert saved["url"] == "https://jobs.example.com/42"
    assert saved["notes"] == "Met Ana, the hiring manager."
    assert saved["applied_on"] == today_of(tab).isoformat()
    assert not tab.errors


def test_status_age_reads_as_weeks_in_a_status(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    day = today_of(tab)
    api_json(
        tab,
        "POST",
        "/api/applications",
        {
            "company": "Globex",
            "role": "Analyst",
            "applied_on": (day - timedelta(days=21)).isoformat(),
        },
        201,
    )
    tab.goto("/applications")
    expect(page.get_by_role("list", name="Applied (1)")).to_contain_text(
        "Analyst · Applied 3 weeks ago"
    )
    # The words for every status, from the module the screens use.
    words = page.evaluate("""async () => {
      const { statusAge } = await import('/js/pipeline.js');
      const at = (status, status_changed_on) => statusAge(
        { status, status_changed_on, applied_on: '2026-10-01' }, '2026-12-02');
      return [at('screening', '2026-11-11'), at('interviewing', '2026-11-30'),
              at('offer', '2026-12-02'),
              at('ghosted', '2026-10-01'), at('applied', '2026-12-01')];
    }""")
    assert words == [
        "3 weeks in screening",
        "2 days interviewing",
        "With an offer since today",
        "Closed as no reply 2 months ago",
        "Applied 2 months ago",
    ]


def test_keyboard_alone_adds_and_moves_an_application(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/applications")
    page.get_by_role("link", name="Add an application").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Company")).to_be_visible()
    page.get_by_label("Company").focus()
    page.keyboard.type("Initech")
    page.keyboard.press("Tab")
    page.keyboard.type("Engineer")
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("list", name="Applied (1)")).to_contain_text("Initech")
    page.get_by_role("link", name=re.compile("Initech")).focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move Initech to Screening")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Screening (1)")).to_contain_text("Initech")


# --- bad input: a javascript: link ---------------------------------------------------


def test_javascript_link_is_refused_and_never_rendered(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    # The API refuses it.
    refused = call(
        tab,
        "POST",
        "/api/applications",
        {"company": "Evil", "url": "javascript:alert(1)"},
        expect_status=422,
    )
    assert "url" in refused.json()["error"]["fields"]
    assert server_apps(tab) == []

    # The add form: the message by the field, nothing saved.
    tab.goto("/applications/new")
    page.get_by_label("Company").fill("Hooli")
    page.get_by_label("Link to the job ad (optional)").fill("javascript:alert(document.cookie)")
    page.get_by_role("button", name="Save application").click()
    expect(
        page.get_by_text("That link can’t be saved: it must start with http:// or https://.")
    ).to_be_visible()
    expect(page.get_by_label("Link to the job ad (optional)")).to_be_focused()
    assert local_apps(tab) == []

    # The edit form: the saved link stays as it was.
    add_application(tab, "Hooli", url="https://hooli.example/jobs/1")
    tab.wait_synced()
    page.get_by_role("link", name=re.compile("Hooli")).click()
    link = page.get_by_label("Link to the job ad")
    link.fill("JavaScript:alert(1)")
    link.press("Tab")
    expect(
        page.get_by_text("That link can’t be saved: it must start with http:// or https://.")
    ).to_be_visible()
    page.wait_for_timeout(700)
    [app] = local_apps(tab)
    assert app["url"] == "https://hooli.example/jobs/1"
    assert page.evaluate(OUTBOX_COUNT) == 0
    [saved] = server_apps(tab)
    assert saved["url"] == "https://hooli.example/jobs/1"

    # A record whose store copy holds one anyway (written past the form): no link is rendered.
    page.evaluate("""async () => {
      const store = await import('/js/store.js');
      const [app] = await store.list('applications');
      await store.save('applications', app.id, { url: 'javascript:alert(1)' });
    }""")
    expect(page.get_by_role("alert")).to_contain_text("This change couldn’t be saved")
    expect(page.get_by_role("link", name="Open the job ad")).to_have_count(0)
    assert page.locator("a[href^='javascript' i]").count() == 0
    page.get_by_role("button", name="Discard my change").click()
    expect(page.get_by_role("link", name="Open the job ad")).to_have_attribute(
        "href", "https://hooli.example/jobs/1"
    )


def test_add_form_refuses_a_missing_company_and_a_date_out_of_range(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/applications/new")
    page.get_by_label("Role (optional)").fill("Cook")
    page.get_by_role("button", name="Save application").click()
    expect(page.get_by_text("Which company is it? That’s the only thing we need.")).to_be_visible()
    expect(page.get_by_label("Company")).to_be_focused()
    page.get_by_label("Company").fill("Bistro")
    page.get_by_label("Date applied").fill("1999-12-31")
    page.get_by_role("button", name="Save application").click()
    expect(page.get_by_text("Pick a date between 2000 and a year from now.")).to_be_visible()
    expect(page.get_by_text("Which company is it?")).to_have_count(0)
    assert local_apps(tab) == []
    assert page.evaluate(OUTBOX_COUNT) == 0
    # Fixed, it saves; an emptied company on the detail screen is not saved.
    page.get_by_label("Date applied").fill("2026-11-02")
    page.get_by_role("button", name="Save application").click()
    page.get_by_role("link", name=re.compile("Bistro")).click()
    tab.wait_synced()
    page.get_by_label("Company").fill("")
    page.get_by_label("Company").press("Tab")
    expect(page.get_by_text("Which company is it? That’s the only thing we need.")).to_be_visible()
    page.wait_for_timeout(700)
    assert [a["company"] for a in local_apps(tab)] == ["Bistro"]
    assert page.evaluate(OUTBOX_COUNT) == 0
    assert [(a["company"], a["applied_on"]) for a in server_apps(tab)] == [("Bistro", "2026-11-02")]


# --- a rejection from an application ---------------------------------------------------


def test_log_a_rejection_from_an_application(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    add_application(tab, "Tailspin", role="Data Analyst")
    page.get_by_role("link", name=re.compile("Tailspin")).click()
    page.get_by_role("link", name="Log a rejection for this").click()
    expect(page.get_by_label("Company")).to_have_value("Tailspin")
    expect(page.get_by_label("Role (optional)")).to_have_value("Data Analyst")
    expect(page.get_by_role("radio", name="Tailspin — Data Analyst")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Thank you for writing it down")).to_be_visible()
    [app] = local_apps(tab)
    assert app["status"] == "rejected"
    tab.wait_synced()
    [rejection] = api_json(tab, "GET", "/api/rejections")
    [saved] = server_apps(tab)
    assert rejection["application_id"] == saved["id"]
    assert rejection["company"] == "Tailspin" and rejection["role"] == "Data Analyst"
    assert saved["status"] == "rejected"


def test_log_flow_offers_applications_by_company_and_the_link_is_optional(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    add_application(tab, "Contoso", role="Writer")
    add_application(tab, "Fabrikam")
    tab.goto("/today")
    page.get_by_role("button", name="Log a rejection").click()
    expect(page.locator("#application-companies option")).to_have_count(2)
    page.get_by_label("Company").fill("cont")
    expect(page.get_by_role("radio", name="None of these")).to_be_checked()
    page.get_by_role("radio", name="Contoso — Writer").check()
    expect(page.get_by_label("Role (optional)")).to_have_value("Writer")
    page.get_by_label("Company").fill("Contoso")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Thank you for writing it down")).to_be_visible()

    # Not linked: a company typed with "None of these" left as it is.
    page.get_by_role("link", name="Back to Today").click()
    rebound.log_rejection(tab, "Fabrikam")
    tab.wait_synced()
    rejections = {r["company"]: r for r in api_json(tab, "GET", "/api/rejections")}
    apps = {a["company"]: a for a in server_apps(tab)}
    assert rejections["Contoso"]["application_id"] == apps["Contoso"]["id"]
    assert rejections["Fabrikam"]["application_id"] is None
    assert apps["Contoso"]["status"] == "rejected"
    assert apps["Fabrikam"]["status"] == "applied"


# --- the weekly goal on Today ----------------------------------------------------------


def test_weekly_goal_counts_this_week_in_the_users_timezone(rebound):
    # The device says UTC; the account lives in Kiritimati (UTC+14). On Sunday
    # 29 November 2026 at 12:00 UTC it is already Monday 30 there: a new week.
    tab = rebound.tab(timezone_id="UTC")
    page = tab.page
    rebound.sign_up(tab)
    api_json(tab, "PATCH", "/api/me", {"timezone": "Pacific/Kiritimati"})
    set_settings(tab, weekly_application_goal=3)
    for company, day in [
        ("Monday One", "2026-11-30"),
        ("Monday Two", "2026-11-30"),
        ("Last Friday", "2026-11-27"),
    ]:
        api_json(tab, "POST", "/api/applications", {"company": company, "applied_on": day}, 201)
    page.clock.install(time="2026-11-29T12:00:00Z")
    tab.goto("/today")
    goal = page.get_by_role("region", name="This week’s applications")
    expect(goal).to_contain_text("2 of 3 this week")
    expect(goal.get_by_role("progressbar")).to_have_attribute("value", "2")
    main_text = page.locator("main").inner_text().lower()
    assert "streak" not in main_text
    # Never red: no part of the card is drawn in the danger colour.
    colours = goal.evaluate("""(card) => {
      const danger = getComputedStyle(document.documentElement).getPropertyValue('--danger').trim();
      const probe = document.createElement('span');
      probe.style.color = danger; document.body.append(probe);
      const red = getComputedStyle(probe).color; probe.remove();
      return [...card.querySelectorAll('*')]
        .map((e) => getComputedStyle(e))
        .map((c) => [c.color, c.backgroundColor, c.accentColor])
        .flat().filter((c) => c === red);
    }""")
    assert colours == []
    # The same count from the module, for the device's own zone: one (the Friday), not two.
    assert page.evaluate("""async () => {
      const { sentThisWeek } = await import('/js/goal.js');
      const apps = (await (await import('/js/store.js')).list('applications'));
      return [await sentThisWeek(apps, 'Pacific/Kiritimati'), await sentThisWeek(apps, 'UTC')];
    }""") == [2, 1]


def test_weekly_goal_reached_and_goal_off(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    set_settings(tab, weekly_application_goal=1)
    add_application(tab, "Umbrella")
    page.get_by_role("link", name="Today", exact=True).click()
    expect(page.get_by_role("region", name="This week’s applications")).to_contain_text(
        "1 of 1 this week"
    )
    expect(
        page.get_by_text("That’s your goal for the week. Anything more is a bonus.")
    ).to_be_visible()
    set_settings(tab, weekly_application_goal=0)
    expect(page.get_by_role("button", name="Log a rejection")).to_be_visible()
    expect(page.get_by_role("region", name="This week’s applications")).to_have_count(0)


# --- ghosted close-out --------------------------------------------------------------------


def make_quiet_ones(tab):
    day = today_of(tab)
    for company, ago in [("Quiet One", 45), ("Quiet Two", 31), ("Fresh", 10)]:
        api_json(
            tab,
            "POST",
            "/api/applications",
            {"company": company, "applied_on": (day - timedelta(days=ago)).isoformat()},
            201,
        )


def test_quiet_applications_close_as_ghosted_with_undo_and_no_journal_entry(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    make_quiet_ones(tab)
    tab.goto("/applications")
    quiet = page.get_by_role("region", name="No news for a while")
    expect(quiet.get_by_role("listitem")).to_have_count(2)
    expect(quiet).to_contain_text("Quiet One")
    expect(quiet).not_to_contain_text("Fresh")

    # All at once, then Undo: nothing reaches the server.
    page.get_by_role("button", name="Close all 2 as no reply").click()
    expect(quiet).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status").filter(has_text="Brought back.")).to_be_visible()
    expect(
        page.get_by_role("region", name="No news for a while").get_by_role("listitem")
    ).to_have_count(2)
    page.wait_for_timeout(5_600)
    tab.wait_synced()
    assert sorted(a["status"] for a in server_apps(tab)) == ["applied", "applied", "applied"]

    # One, then the other, each in one tap; after the Undo time they are saved.
    page.get_by_role("button", name="Close Quiet One as no reply").click()
    expect(
        page.get_by_role("status").filter(has_text="Closed Quiet One as no reply.")
    ).to_be_visible()
    page.get_by_role("button", name="Close Quiet Two as no reply").click()
    expect(page.get_by_role("region", name="No news for a while")).to_have_count(0)
    page.locator("summary", has_text="No reply (2)").click()
    expect(page.get_by_role("list", name="No reply (2)")).to_contain_text(
        "Closed as no reply today"
    )
    page.wait_for_timeout(5_600)
    tab.wait_synced(timeout=20_000)
    statuses = {a["company"]: a["status"] for a in server_apps(tab)}
    assert statuses == {"Quiet One": "ghosted", "Quiet Two": "ghosted", "Fresh": "applied"}
    assert api_json(tab, "GET", "/api/rejections") == []


def test_ghost_after_days_comes_from_the_setting(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    make_quiet_ones(tab)
    set_settings(tab, ghost_after_days=40)
    tab.goto("/applications")
    quiet = page.get_by_role("region", name="No news for a while")
    expect(quiet).to_contain_text("40 days or more")
    expect(quiet.get_by_role("listitem")).to_have_count(1)
    expect(quiet).to_contain_text("Quiet One")
    expect(page.get_by_role("button", name="Close Quiet One as no reply")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Close all"))).to_have_count(0)

    # Seven days: all four are offered, three at once and one behind "Show 1 more".
    day = today_of(tab)
    api_json(tab, "POST", "/api/applications",
             {"company": "Week Old", "applied_on": (day - timedelta(days=8)).isoformat()}, 201)
    set_settings(tab, ghost_after_days=7)
    tab.goto("/applications")
    first_three = quiet.get_by_role("list", name="No news for a while")
    expect(first_three.get_by_role("listitem")).to_have_count(3)
    expect(page.get_by_role("button", name="Close Week Old as no reply")).to_be_hidden()
    page.locator("summary", has_text="Show 1 more").click()
    page.get_by_role("button", name="Close Week Old as no reply").click()
    expect(quiet).not_to_contain_text("Week Old")
    expect(page.get_by_role("button", name="Close all 3 as no reply")).to_be_visible()


# --- CSV import ----------------------------------------------------------------------------

MESSY_CSV = (
    "\ufeffEmployer,Title,Link,Stage,Date Applied,Notes,Salary\r\n"
    "Northwind,Designer,https://northwind.example/jobs/1,Interview,2026-11-03,"
    '"Met the team, liked them.\r\nSecond line",90k\r\n'
    '"Globex, Inc.",Analyst,,applied,03/11/2026,"She said ""soon""",\r\n'
    "Northwind,Designer,,,2026-11-03,repeated in the file,\r\n"
    "Already Here,Writer,,,2026-10-20,,\r\n"
    ",Nobody,,,2026-11-01,,\r\n"
    "Evil Corp,Hacker,javascript:alert(1),,2026-11-01,,\r\n"
    "Initech,Engineer,,,someday,,\r\n"
    "Hooli,PM,,Pending review,,,\r\n"
)


def test_csv_import_previews_then_imports_only_on_confirm(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    api_json(
        tab,
        "POST",
        "/api/applications",
        {"company": "already here", "role": "writer", "applied_on": "2026-10-20"},
        201,
    )
    tab.goto("/applications")
    tab.wait_synced()
    page.get_by_role("link", name="Import from a spreadsheet (CSV)").click()
    expect(page.get_by_role("heading", level=1, name="Import applications")).to_be_visible()
    choose_csv(tab, MESSY_CSV)

    summary = page.get_by_role("list", name="What this file holds")
    expect(summary).to_contain_text("3 applications ready to import")
    expect(summary).to_contain_text("2 rows skipped: already in Rebound or repeated in the file")
    expect(summary).to_contain_text("3 rows skipped: each has a problem")
    expect(page.get_by_text("Not used: Salary.")).to_be_visible()
    problems = page.get_by_role("region", name="Rows with a problem")
    expect(problems).to_contain_text("No company.")
    expect(problems).to_contain_text("The link “javascript:alert(1)” can’t be kept")
    expect(problems).to_contain_text("The date “someday” can’t be read")
    # The line each is on, counting the line break inside quotes.
    expect(problems.locator("tbody tr td:first-child")).to_have_text(["7", "8", "9"])
    dupes = page.get_by_role("region", name="Skipped as duplicates")
    expect(dupes).to_contain_text("Repeated in this file")
    expect(dupes).to_contain_text("Already in Rebound")
    expect(page.get_by_role("region", name="Imported with a change")).to_contain_text(
        "“Pending review” isn’t a status Rebound knows"
    )

    # Nothing is written before the person confirms.
    assert len(local_apps(tab)) == 1
    assert page.evaluate(OUTBOX_COUNT) == 0
    page.get_by_role("button", name="Import 3 applications").click()
    expect(
        page.get_by_role("status").filter(has_text="Imported 3 applications.").first
    ).to_be_visible()
    tab.wait_synced()
    saved = {a["company"]: a for a in server_apps(tab)}
    assert sorted(saved) == ["Globex, Inc.", "Hooli", "Northwind", "already here"]
    assert saved["Northwind"]["notes"] == "Met the team, liked them.\r\nSecond line"
    assert saved["Northwind"]["status"] == "interviewing"
    assert saved["Northwind"]["url"] == "https://northwind.example/jobs/1"
    assert saved["Globex, Inc."]["notes"] == 'She said "soon"'
    assert saved["Globex, Inc."]["applied_on"] in ("2026-11-03", "2026-03-11")
    assert saved["Hooli"]["status"] == "applied"
    assert saved["Hooli"]["applied_on"] == today_of(tab).isoformat()

    # The same file again: everything is already there.
    page.get_by_role("link", name="See your applications").click()
    page.get_by_role("link", name="Import from a spreadsheet (CSV)").click()
    choose_csv(tab, MESSY_CSV)
    expect(page.get_by_role("button", name="Nothing to import")).to_be_disabled()


def test_csv_parser_handles_quotes_newlines_crlf_bom_and_semicolons(rebound):
    tab = rebound.tab()
    tab.goto("/")
    parsed = tab.page.evaluate('''async () => {
      const { parseCsv, decode, readDate, dayFirstIn, mapHeaders } =
        await import('/js/csv-import.js');
      const enc = (s) => new TextEncoder().encode(s);
      return {
        quotes: parseCsv('a,b\\r\\n"x, ""y""","line\\nbreak"\\r\\n\\r\\nlast,').rows,
        cr: parseCsv('a,b\\rc,d\\r').rows,
        semicolons: parseCsv('Company;Role\\n"A;B";C\\n').rows,
        tabs: parseCsv('Company\\tRole\\nA\\tB').rows,
        bom: decode(enc('\\ufeffCompany\\nA')),
        latin1: decode(new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x0a])),
        unclosed: (() => {
          try { parseCsv('a\\n"b,c\\nd'); return null; } catch (e) { return e.message; }
        })(),
        dates: [readDate('2026-11-03', true), readDate('2026/1/5', true),
                readDate('3/11/2026', true), readDate('3/11/2026', false), readDate('3 Nov 2026'),
                readDate('Nov 3, 2026'), readDate('3-Nov-26'),
                readDate('2026-11-03T10:00:00Z'), readDate(''), readDate('soon')],
        dayFirst: [dayFirstIn(['25/12/2026'], 'en-US'), dayFirstIn(['12/25/2026'], 'en-GB'),
                   dayFirstIn([], 'en-US'), dayFirstIn([], 'en-GB')],
        headers: mapHeaders(['Company Name', 'JOB_TITLE', 'url', 'Stage', 'Applied On', 'notes',
                             'Company', 'Extra']),
      };
    }''')
    assert parsed["quotes"] == [["a", "b"], ['x, "y"', "line\nbreak"], ["last", ""]]
    assert parsed["cr"] == [["a", "b"], ["c", "d"]]
    assert parsed["semicolons"] == [["Company", "Role"], ["A;B", "C"]]
    assert parsed["tabs"] == [["Company", "Role"], ["A", "B"]]
    assert parsed["bom"] == "Company\nA"
    assert parsed["latin1"] == "Café\n"
    assert (
        parsed["unclosed"]
        == "This file doesn’t read as CSV: a quote opened on line 2 is never closed."
    )
    assert parsed["dates"] == [
        "2026-11-03",
        "2026-01-05",
        "2026-11-03",
        "2026-03-11",
        "2026-11-03",
        "2026-11-03",
        None,
        "2026-11-03",
        "",
        None,
    ]
    assert parsed["dayFirst"] == [True, False, False, True]
    assert parsed["headers"]["names"] == {
        "company": "Company Name",
        "role": "JOB_TITLE",
        "url": "url",
        "status": "Stage",
        "applied_on": "Applied On",
        "notes": "notes",
    }
    assert parsed["headers"]["unused"] == ["Company", "Extra"]


BAD_FILES = [
    (
        "not CSV",
        "report.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)),
        "This looks like a spreadsheet file (such as .xlsx), not CSV.",
    ),
    (
        "not CSV",
        "photo.csv",
        "text/csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        "This file isn’t a CSV file.",
    ),
    ("empty", "empty.csv", "text/csv", b"", "This file is empty."),
    ("empty", "blank.csv", "text/csv", b"\r\n\r\n", "This file is empty."),
    (
        "header only",
        "header.csv",
        "text/csv",
        b"Company,Role\r\n",
        "This file has a header row but no applications under it.",
    ),
    (
        "no company column",
        "people.csv",
        "text/csv",
        b"Name,Phone\nAna,123\n",
        "There’s no company column. Name the column with the employer “Company” or “Employer”."
        " The columns in this file are: Name, Phone.",
    ),
    (
        "too many rows",
        "huge.csv",
        "text/csv",
        ("Company,Role\n" + "".join(f"Company {i},Role\n" for i in range(10_001))).encode(),
        "This file has 10,001 rows; Rebound imports up to 10,000 at a time.",
    ),
]


def test_bad_csv_files_are_refused_and_nothing_changes(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    add_application(tab, "Keep Me")
    tab.wait_synced()
    before_local = local_apps(tab)
    page.get_by_role("link", name="Import from a spreadsheet (CSV)").click()
    for why, name, mime, data, message in BAD_FILES:
        choose_csv(tab, data, name=name, mime=mime)
        alert = page.get_by_role("alert")
        expect(alert, why).to_contain_text("Nothing was imported.")
        expect(alert, why).to_contain_text(message)
        expect(page.get_by_role("button", name=re.compile("^Import")), why).to_have_count(0)
        expect(page.get_by_role("list", name="What this file holds"), why).to_have_count(0)
    assert local_apps(tab) == before_local
    assert page.evaluate(OUTBOX_COUNT) == 0
    assert [a["company"] for a in server_apps(tab)] == ["Keep Me"]
    # 10,000 rows exactly are fine (previewed, not imported here).
    choose_csv(tab, "Company\n" + "".join(f"Co {i}\n" for i in range(10_000)))
    expect(page.get_by_role("button", name="Import 10,000 applications")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("")


def test_keyboard_alone_imports_a_csv(rebound):
    tab = rebound.tab()
    page = tab.page
    # Playwright starts catching file choosers when the first listener is
    # added, without waiting for the browser to agree: a key pressed right
    # after can open the browser's own chooser (none in headless) instead.
    page.on("filechooser", lambda _: None)
    rebound.sign_up(tab)
    tab.goto("/applications/import")
    csv_input = page.get_by_label("CSV file")
    csv_input.focus()
    expect(csv_input).to_be_focused()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {"name": "a.csv", "mimeType": "text/csv", "buffer": b"Company\nKeyboard Co\n"}
    )
    expect(page.get_by_role("button", name="Import 1 application")).to_be_visible()
    button = page.get_by_role("button", name="Import 1 application")
    for _ in range(12):  # through the preview's scrollable tables
        page.keyboard.press("Tab")
        if button.evaluate("(b) => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".import .status-line")).to_have_text("Imported 1 application.")
    expect(page.get_by_role("link", name="See your applications")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Applied (1)")).to_contain_text("Keyboard Co")


HEARTBEAT = """() => {
  window.__beats = [];
  window.__beat = setInterval(() => window.__beats.push(performance.now()), 20);
}"""
LONGEST_GAP = """() => {
  clearInterval(window.__beat);
  const b = window.__beats;
  let gap = 0;
  for (let i = 1; i < b.length; i++) gap = Math.max(gap, b[i] - b[i - 1]);
  return { gap, beats: b.length };
}"""


def test_two_thousand_rows_import_without_freezing_the_page(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/applications/import")
    rows = "".join(
        f"Company {i},Role {i % 7},https://jobs.example/{i},applied,"
        f"2026-{1 + i % 11:02d}-{1 + i % 28:02d},Note {i}\n"
        for i in range(2_000)
    )
    choose_csv(tab, "company,role,url,status,applied on,notes\n" + rows)
    button = page.get_by_role("button", name="Import 2,000 applications")
    expect(button).to_be_visible()
    page.evaluate(HEARTBEAT)
    button.click()
    status = page.locator(".import .status-line")
    expect(status).to_have_text(
        re.compile(r"Importing… [\d,]+ of 2,000|Imported 2,000 applications\.")
    )
    expect(status).to_have_text("Imported 2,000 applications.", timeout=60_000)
    beats = page.evaluate(LONGEST_GAP)
    # The page kept answering while it wrote: timers ran all along, with no
    # stall longer than a chunk (a single 2,000-row write would stall for seconds).
    assert beats["gap"] < 1_500, beats
    assert beats["beats"] > 5, beats
    assert len(local_apps(tab)) == 2_000
    tab.wait_synced(timeout=120_000)
    assert server_count(tab) == 2_000
    page.get_by_role("link", name="See your applications").click()
    expect(page.get_by_role("heading", name="Applied (2000)")).to_be_visible()


def test_import_made_offline_reaches_a_second_device(rebound):
    first = rebound.tab()
    email = rebound.sign_up(first)
    second = rebound.tab()
    rebound.sign_in(second, email)
    first.goto("/applications/import")
    first.wait_for_service_worker()
    first.context.set_offline(True)
    choose_csv(
        first,
        "Company,Role,Date applied\nOffline One,Chef,2026-11-20\nOffline Two,Baker,2026-11-21\n",
    )
    first.page.get_by_role("button", name="Import 2 applications").click()
    expect(first.page.locator("#sync-status")).to_have_text("Offline — 2 changes waiting")
    assert server_count(second) == 0
    first.context.set_offline(False)
    first.page.evaluate("dispatchEvent(new Event('online'))")
    first.wait_synced()
    second.goto("/applications")
    applied = second.page.get_by_role("list", name="Applied (2)")
    expect(applied).to_contain_text("Offline One")
    expect(applied).to_contain_text("Offline Two")


# --- every new screen, light and dark --------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_application_screens_are_accessible_and_clean(rebound, axe_source, scheme):
    tab = rebound.tab(dark=scheme == "dark")
    page = tab.page
    look = Inspector(tab, axe_source, scheme)
    rebound.sign_up(tab)
    tab.goto("/applications")
    look.check("applications-empty")
    make_quiet_ones(tab)
    day = today_of(tab)
    for company, role, status in [
        ("Vandelay Industries", "Importer", "interviewing"),
        ("Soylent", "Chemist", "offer"),
        ("Massive Dynamic", "Researcher", "rejected"),
    ]:
        api_json(
            tab,
            "POST",
            "/api/applications",
            {
                "company": company,
                "role": role,
                "status": status,
                "url": "https://jobs.example/1",
                "applied_on": (day - timedelta(days=12)).isoformat(),
            },
            201,
        )
    tab.goto("/applications")
    expect(page.get_by_role("region", name="No news for a while")).to_be_visible()
    look.check("applications", sections=["#group-interviewing", "#group-applied"])
    page.locator("summary", has_text="Rejected (1)").click()
    page.get_by_role("button", name="Close Quiet One as no reply").click()
    look.check("applications-undo")
    page.get_by_role("link", name=re.compile("Vandelay")).click()
    look.check("application-detail", sections=["#h-details"])
    page.get_by_label("Link to the job ad").fill("javascript:void(0)")
    page.get_by_label("Link to the job ad").press("Tab")
    expect(page.get_by_text("That link can’t be saved")).to_be_visible()
    look.check("application-bad-link")
    tab.goto("/applications/new")
    look.check("application-new")
    tab.goto("/applications/import")
    look.check("import")
    choose_csv(tab, MESSY_CSV)
    expect(page.get_by_role("list", name="What this file holds")).to_be_visible()
    look.check("import-preview", sections=["#import-problems", "#import-ready"])
    choose_csv(tab, b"Name,Phone\nAna,1\n")
    expect(page.get_by_role("alert")).to_contain_text("no company column")
    look.check("import-refused")
    api_json(tab, "POST", "/api/applications", {"company": "Sent Today"}, 201)
    tab.goto("/today")
    expect(page.get_by_role("region", name="This week’s applications")).to_contain_text(
        "1 of 5 this week"
    )
    look.check("today-goal", sections=[".goal"])
    page.get_by_role("link", name="Today", exact=True).click()
    page.get_by_role("button", name="Log a rejection").click()
    page.get_by_label("Company").fill("Va")
    look.check("log-pick-application")
    assert not look.problems, "\n".join(look.problems)
