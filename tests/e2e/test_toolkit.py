"""The toolkit screens are built from: routes.js's access rule, ctx.watch,
the record field binders (binders.js) and the shared read models
(models.js). The pure parts run as modules in the page."""
import re

from playwright.sync_api import expect

MODELS = """async () => {
  const m = await import('/js/models.js');
  const ids = (list) => list.map((r) => r.id);
  const rejections = [
    { id: 'old', received_on: '2026-10-01', created_at: '2026-10-01T09:00:00Z' },
    { id: 'same-day-early', received_on: '2026-11-20', created_at: '2026-11-20T08:00:00Z' },
    { id: 'same-day-late', received_on: '2026-11-20', created_at: '2026-11-20T18:00:00Z' },
    { id: 'undated', created_at: '2026-11-25T08:00:00Z' },
  ];
  const now = Date.parse('2026-11-22T12:00:00Z');
  return {
    newest: ids(m.newestFirst('rejections', rejections)),
    untouched: ids(rejections)[0],
    within: ids(m.within('rejections', rejections, 4, now)),
    checkin: m.newest('checkins', [{ id: 'a', at: '2026-11-01T10:00:00Z' }, { id: 'b', at: '2026-11-02T10:00:00Z' }]).id,
    none: m.newest('checkins', []),
    lessons: [m.hasLesson({ lessons: ' x ' }), m.hasLesson({ lessons: '  ' }), m.hasLesson({})],
    active: m.activeBreak([{ id: 'done', started_at: '2026-11-01T10:00:00Z', ended_at: '2026-11-02T10:00:00Z' },
                           { id: 'going', started_at: '2026-11-10T10:00:00Z', ended_at: null }])?.id,
    noBreak: m.activeBreak([{ id: 'done', started_at: '2026-11-01T10:00:00Z', ended_at: '2026-11-02T10:00:00Z' }]),
    days: m.daysBetween('2026-03-28', '2026-03-30'),  // across a daylight-saving change in many zones
    age: m.applicationAge({ applied_on: '2026-10-01', status_changed_on: '2026-10-21' }, '2026-11-20'),
    ageApplied: m.applicationAge({ applied_on: '2026-10-01' }, '2026-11-20'),
  };
}"""

REDIRECTS = """async () => {
  const { ROUTES, redirectFor } = await import('/js/routes.js');
  const at = (path) => ROUTES.find((r) => r.path === path);
  const out = {};
  for (const [who, session] of [['out', { user: null }], ['in', { user: { id: 1 } }],
                                ['ended', { user: { id: 1 }, expired: true }]]) {
    out[who] = Object.fromEntries(['/', '/signin', '/help', '/reset-password', '/today', '/rejections/:id']
      .map((p) => [p, redirectFor(at(p), session)]));
    out[who].unknown = redirectFor(null, session);
  }
  return out;
}"""

# A screen of its own, added to the app's route table, that watches rejections
# with a slow draw and records how draws run.
WATCH_HARNESS = """async () => {
  const router = await import('/js/router.js');
  const { ROUTES } = await import('/js/routes.js');
  window.__draws = { started: 0, running: 0, most: 0 };
  const slowDraw = async () => {
    const d = window.__draws;
    d.started += 1; d.running += 1; d.most = Math.max(d.most, d.running);
    await new Promise((ok) => setTimeout(ok, 200));
    d.running -= 1;
  };
  router.setRoutes([{ path: '/watched', everyone: true, view: async (ctx) => {
    await ctx.watch(['rejections', 'checkins'], slowDraw);
    const el = document.createElement('h1');
    el.textContent = 'Watched';
    return el;
  } }, ...ROUTES]);
  await router.navigate('/watched');
}"""

# Store change events, all dispatched in one go (no page time between them).
CHANGES = """async (details) => {
  const store = await import('/js/store.js');
  for (const detail of details) store.events.dispatchEvent(new CustomEvent('change', { detail }));
}"""


def test_read_models(rebound):
    tab = rebound.tab()
    tab.goto("/")
    assert tab.page.evaluate(MODELS) == {
        "newest": ["same-day-late", "same-day-early", "old", "undated"],
        "untouched": "old",
        "within": ["same-day-early", "same-day-late", "undated"],
        "checkin": "b",
        "none": None,
        "lessons": [True, False, False],
        "active": "going",
        "noBreak": None,
        "days": 2,
        "age": 30,
        "ageApplied": 50,
    }


def test_routes_say_who_may_open_them(rebound):
    tab = rebound.tab()
    tab.goto("/")
    only_signed_in = {"/today": "/", "/rejections/:id": "/"}
    assert tab.page.evaluate(REDIRECTS) == {
        "out": {"/": None, "/signin": None, "/help": None, "/reset-password": None, **only_signed_in, "unknown": None},
        "in": {"/": "/today", "/signin": "/today", "/help": None, "/reset-password": None, "/today": None,
               "/rejections/:id": None, "unknown": None},
        "ended": {"/": "/today", "/signin": None, "/help": None, "/reset-password": None, "/today": None,
                  "/rejections/:id": None, "unknown": None},
    }


def test_watch_draws_on_its_entities_one_at_a_time_until_the_screen_is_left(rebound):
    tab = rebound.tab()
    page = tab.page
    tab.goto("/")
    page.evaluate(WATCH_HARNESS)
    expect(page.locator("main h1")).to_have_text("Watched")
    draws = lambda: page.evaluate("window.__draws")  # noqa: E731
    assert draws()["started"] == 1

    # A burst: the first starts a draw, the other four make one more after it.
    page.evaluate(CHANGES, [{"entity": "rejections", "id": "x"}] * 5)
    page.wait_for_function("() => window.__draws.started === 3 && window.__draws.running === 0")
    page.evaluate(CHANGES, [{"entity": "contacts"}, {"entity": "checkins"}])  # contacts: not watched
    page.wait_for_function("() => window.__draws.started === 4 && window.__draws.running === 0")
    page.evaluate(CHANGES, [{}])  # the store was wiped
    page.wait_for_function("() => window.__draws.started === 5 && window.__draws.running === 0")
    assert draws()["most"] == 1

    page.evaluate("async () => (await import('/js/router.js')).navigate('/help')")
    expect(page.locator("main h1")).to_have_text("Need to talk to someone?")
    page.evaluate(CHANGES, [{"entity": "rejections"}])
    page.wait_for_timeout(300)
    assert draws()["started"] == 5
    assert not tab.errors


def test_detail_fields_save_as_the_binders_say(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Binder Co", role="Analyst")
    page.get_by_role("link", name="Reflect on it").click()
    page.get_by_text("Edit details").click()
    tab.wait_synced()

    company = page.get_by_label("Company")
    company.fill("   ")
    company.press("Tab")
    expect(page.get_by_text("A company name is needed.")).to_be_visible()
    expect(company).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Role").fill("  Senior Analyst  ")
    page.get_by_label("Role").press("Tab")
    page.get_by_label("When did you hear?").fill("2026-11-02")
    page.get_by_label("When did you hear?").press("Tab")
    page.locator(".more-details").get_by_role("radio", name="Good", exact=True).check()
    page.locator(".more-details").get_by_role("checkbox", name="Hopeful", exact=True).check()
    company.fill(" Binder & Sons ")
    company.press("Tab")
    expect(page.get_by_text("A company name is needed.")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Binder & Sons")
    expect(page.locator(".detail .lead")).to_have_text(re.compile(r"^Senior Analyst · (Nov 2|2 Nov)"))
    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert (saved["company"], saved["role"], saved["received_on"]) == ("Binder & Sons", "Senior Analyst", "2026-11-02")
    assert (saved["mood"], saved["emotions"]) == (4, ["hopeful"])
    assert not tab.errors
