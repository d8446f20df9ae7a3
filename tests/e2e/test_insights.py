"""Insights (SPEC §1 strategy 4, §4): the PWA's own insights module gives the
shared vectors' answers, the screen shows the server's numbers for the same
account, opens offline, shows a day's check-ins, and is clean light and dark."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .accounts import WIDER_THAN_SCREEN, api_json, make_demo_like_account
from .inspector import Inspector

VECTORS = sorted((Path(__file__).resolve().parents[1] / "vectors" / "insights").glob("*.json"))

RUN_VECTOR = """async (v) => {
  const { compute } = await import('/js/insights.js');
  return compute(v.records, v.today, v.timezone, v.weeks, v.goal, v.ghost_after_days);
}"""

# What the screen shows, read from the page: the totals and every table.
SCREEN = """() => {
  const tables = {};
  for (const card of document.querySelectorAll('.chart-card')) {
    const table = card.querySelector('table');
    if (table) tables[card.id.replace('insights-', '')] = [...table.tBodies[0].rows]
      .map((tr) => [...tr.cells].map((c) => c.textContent.trim()));
  }
  const stats = Object.fromEntries([...document.querySelectorAll('.stat')]
    .map((s) => [s.querySelector('dt').textContent, s.querySelector('.stat-value').textContent]));
  return { tables, stats };
}"""

SHOW_DATE = """async (days) => {
  const { showDate } = await import('/js/ui.js');
  return days.map(showDate);
}"""


def number(text):
    return float(text.replace(",", "").replace("+", "").replace("−", "-"))


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_the_js_insights_module_gives_every_shared_vector_its_expected_answer(rebound, path):
    tab = rebound.tab()
    tab.goto("/")
    vector = json.loads(path.read_text())
    got = tab.page.evaluate(RUN_VECTOR, vector)
    assert got == vector["expected"]  # numbers compare as numbers: 1 == 1.0


def test_a_record_made_here_and_not_synced_counts_with_the_servers_defaults(rebound):
    tab = rebound.tab()
    tab.goto("/")
    got = tab.page.evaluate("""async () => {
      const { compute } = await import('/js/insights.js');
      const made = '2026-11-30T09:00:00.000Z';
      return compute({
        applications: [{ id: 'a', company: 'Here Co', created_at: made }],
        rejections: [{ company: 'Also here', created_at: made, mood: 2 }],
        breaks: [], outreach: [], checkins: [{ mood: 4, created_at: made }],
      }, '2026-12-01', 'Europe/Berlin', 1, 5, 30);
    }""")
    assert got["weeks"] == [{"week_start": "2026-11-30", "applications": 1, "rejections": 1,
                             "interviews_reached": 0, "breaks": 0, "outreach": 0}]
    assert got["totals"]["attempts"] == 2 and got["goal"]["done_this_week"] == 1
    assert got["mood"] == [{"date": "2026-11-30", "mood": 3}]


def test_the_screen_shows_the_servers_numbers_for_the_same_account(rebound):
    tab = rebound.tab(timezone_id="Europe/Berlin")
    page = tab.page
    rebound.sign_up(tab, name="Alex")
    make_demo_like_account(tab)
    page.reload()  # a start pulls everything
    tab.wait_synced()
    tab.goto("/insights")
    expect(page.get_by_role("heading", level=2, name="Mood over time")).to_be_visible()
    shown = page.evaluate(SCREEN)
    server = api_json(tab, "GET", "/api/insights")
    contacts = {c["id"]: c["name"] for c in api_json(tab, "GET", "/api/contacts")}

    totals, goal = server["totals"], server["goal"]
    assert shown["stats"] == {
        "Total attempts": str(totals["attempts"]),
        "Applications this week": f"{goal['done_this_week']} of {goal['target']}",
        "Lessons learned": str(totals["lessons"]),
        "Breaks taken": str(totals["breaks"]),
        "Times you reached out": str(totals["outreach"]),
    }
    tables = shown["tables"]
    labels = page.evaluate(SHOW_DATE, [w["week_start"] for w in server["weeks"]])
    assert [[r[0], *map(number, r[1:])] for r in tables["weeks"]] == [
        [label, w["applications"], w["rejections"], w["interviews_reached"], w["breaks"], w["outreach"]]
        for label, w in zip(labels, server["weeks"])]
    funnel = server["funnel"]
    assert [number(r[1]) for r in tables["funnel"]] == [
        funnel[s] for s in ("application", "screening", "interview", "final_round", "offer")]
    assert [r[2] for r in tables["funnel"][1:]] == [
        f"{c['reached']} of {c['of']} ({int(100 * c['reached'] / c['of'] + 0.5)}%)"
        if c["of"] else f"{c['reached']} of 0 (—)" for c in server["conversion"]]
    heard, waiting, silent, median = (r[1] for r in tables["responses"])
    assert number(heard) == totals["responses"] and number(silent) == totals["silent"]
    assert number(waiting) == totals["attempts"] - totals["responses"] - totals["silent"]
    assert number(median) == server["days_to_response"]["median"]
    days = page.evaluate(SHOW_DATE, [m["date"] for m in server["mood"]])
    assert [[r[0], number(r[1])] for r in tables["mood"]] == [
        [d, m["mood"]] for d, m in zip(days, server["mood"])]
    names = {"activity": {"walk": "Walk", "nature": "Nature"}, "contact": contacts}
    assert [[r[0], number(r[1]), number(r[2])] for r in tables["helps"]] == [
        [names[x["kind"]][x["key"]], x["mean_change"], x["readings"]] for x in server["helps"]]
    assert server["helps"], "the account was made to have something that helps"
    assert len(server["mood"]) >= 10 and totals["attempts"] >= 10


def test_insights_open_offline_and_count_what_is_logged_offline(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Before Co", stage="Interview", mood="Low")
    tab.wait_synced()
    tab.wait_for_service_worker()
    tab.context.set_offline(True)
    page.goto(tab.base_url + "/insights")  # a deep link, offline
    expect(page.get_by_role("heading", level=1, name="The big picture")).to_be_visible()
    attempts = page.locator(".stat", has_text="Total attempts").locator(".stat-value")
    expect(attempts).to_have_text("1")
    page.goto(tab.base_url + "/today")
    rebound.log_rejection(tab, "Offline Co", stage="Screening", mood="Okay")
    page.goto(tab.base_url + "/insights")
    expect(attempts).to_have_text("2")
    expect(page.locator("#insights-funnel figcaption")).to_contain_text("Of 2 processes, 2 a screening, 1 an interview")
    tab.context.set_offline(False)
    tab.wait_synced()
    assert api_json(tab, "GET", "/api/insights")["totals"]["attempts"] == 2


def test_tapping_a_day_on_the_mood_chart_shows_what_was_logged(rebound):
    tab = rebound.tab(timezone_id="Europe/Berlin")
    page = tab.page
    rebound.sign_up(tab)
    make_demo_like_account(tab)
    page.reload()
    tab.wait_synced()
    tab.goto("/insights")
    history = page.get_by_role("region", name="Check-in history")
    expect(history).to_contain_text("Check-in 9")  # the latest day is shown first
    # Tap the far left of the chart: the oldest day in these 12 weeks.
    chart = page.locator("#insights-mood svg")
    chart.click(position={"x": 30, "y": chart.bounding_box()["height"] / 2})
    expect(history).to_contain_text("Check-in 0")
    expect(page.locator("#insights-mood .dot.picked")).to_have_count(1)
    # And with the keyboard: one day later, then back.
    later = history.get_by_role("button", name="Later day")
    later.focus()
    page.keyboard.press("Enter")
    expect(history).to_contain_text("Check-in 1")
    expect(history).to_contain_text("Reached out to Maya: Good (4) after")
    expect(later).to_be_focused()  # the redraw keeps the place
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(history).to_contain_text("Check-in 0")
    expect(page.get_by_role("status").filter(has_text="average mood")).to_have_count(1)


def test_the_numbers_toggle_and_the_range_work_with_the_keyboard(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    tab.goto("/insights")
    weeks = page.locator("#insights-weeks")
    weeks.get_by_text("Show the numbers").focus()
    page.keyboard.press("Enter")
    expect(weeks.locator("table tbody tr")).to_have_count(12)
    page.get_by_role("radio", name="4 weeks").focus()
    page.keyboard.press("Space")
    expect(weeks.locator("table tbody tr")).to_have_count(4)  # the table stays open after a redraw
    expect(weeks.locator("figcaption")).to_contain_text("In the last 4 weeks: 0 applications")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_insights_are_accessible_empty_and_full(rebound, axe_source, scheme):
    tab = rebound.tab(dark=scheme == "dark", timezone_id="Europe/Berlin")
    page = tab.page
    look = Inspector(tab, axe_source, scheme)
    rebound.sign_up(tab)
    tab.goto("/insights")
    look.check("insights-empty")
    make_demo_like_account(tab)
    page.reload()
    tab.wait_synced()
    tab.goto("/insights")
    for toggle in page.get_by_text("Show the numbers").all():
        toggle.click()
    look.check("insights", sections=["#insights-funnel", "#insights-responses", "#insights-mood", "#insights-helps"])
    page.set_viewport_size({"width": 320, "height": 700})
    look.check("insights-320", sections=["#insights-mood"])
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        f"the screen scrolls sideways at 320 px: {page.evaluate(WIDER_THAN_SCREEN)}"
    assert not look.problems, "\n".join(look.problems)


def test_insights_caption_names_the_figures_of_the_weeks_chart(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Caption Co", stage="Final round")
    tab.goto("/insights")
    chart = page.locator("#insights-weeks svg")
    expect(chart).to_have_attribute("role", "img")
    # The element its aria-labelledby names says the figures. Read in one step: the
    # screen draws again (with new ids) whenever a sync brings a change.
    figures = r"In the last 12 weeks: 0 applications and 1 rejection, 1 interview reached\."
    page.wait_for_function("""(pattern) => {
      const chart = document.querySelector('#insights-weeks svg');
      const caption = chart && document.getElementById(chart.getAttribute('aria-labelledby'));
      return !!caption && new RegExp(pattern).test(caption.textContent);
    }""", arg=figures, timeout=5_000)
    expect(chart).to_have_accessible_name(re.compile(figures))
