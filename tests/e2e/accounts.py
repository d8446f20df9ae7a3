"""Helpers the insights and settings browser tests share: API calls made with
a tab's own session cookie, a demo-like account built through the API, and
what the local IndexedDB holds."""
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CSRF = {"X-Requested-With": "rebound", "Content-Type": "application/json"}

LOCAL_COUNTS = """async () => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open('rebound');
    r.onupgradeneeded = () => r.transaction.abort();
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ok(null);
  });
  if (!db) return null;
  try {
    const count = (name) => new Promise((ok) => {
      const r = db.transaction(name).objectStore(name).count();
      r.onsuccess = () => ok(r.result);
    });
    return [await count('records'), await count('outbox'), await count('meta')];
  } finally {
    db.close();
  }
}"""


def call(tab, method, path, body=None, expect_status=None):
    """One API request with the tab's cookies (and the CSRF header on writes)."""
    response = tab.page.request.fetch(
        tab.base_url + path, method=method, headers=CSRF if method != "GET" else {},
        data=json.dumps(body) if body is not None else None)
    if expect_status is not None:
        assert response.status == expect_status, (method, path, response.status, response.text())
    return response


def api_json(tab, method, path, body=None, status=200):
    response = call(tab, method, path, body, expect_status=status)
    return response.json() if response.status != 204 else None


def local_today(zone):
    return datetime.now(ZoneInfo(zone)).date()


def at(day: date, hour: int, minute: int, zone: str) -> str:
    """An ISO moment with offset: `day` at hour:minute in `zone`."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone)).isoformat()


def make_demo_like_account(tab):
    """About ten weeks of activity in every entity the insights read, dated
    relative to today in the account's timezone, written through the API."""
    me = api_json(tab, "GET", "/api/me")
    zone = me["timezone"]
    today = local_today(zone)
    day = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    post = lambda path, body: api_json(tab, "POST", path, body, status=201)  # noqa: E731

    apps = {}
    for name, ago, status in [("Northwind", 68, "applied"), ("Globex", 60, "screening"),
                              ("Initech", 52, "interviewing"), ("Hooli", 45, "applied"),
                              ("Vandelay", 33, "offer"), ("Aperture", 20, "applied"),
                              ("Soylent", 9, "applied"), ("Pied Piper", 2, "applied"),
                              ("Massive", 0, "ghosted")]:
        app = post("/api/applications", {"company": name, "applied_on": day(ago), "status": "applied"})
        if status != "applied":
            app = api_json(tab, "PATCH", f"/api/applications/{app['id']}", {"status": status})
        apps[name] = app
    # Rejections: two for tracked applications (one after an interview), two without one.
    post("/api/rejections", {"company": "Globex", "application_id": apps["Globex"]["id"],
                             "stage": "interview", "received_on": day(40), "mood": 2,
                             "lessons": "Ask about the team's roadmap early."})
    post("/api/rejections", {"company": "Hooli", "application_id": apps["Hooli"]["id"],
                             "stage": "application", "received_on": day(30), "mood": 3})
    post("/api/rejections", {"company": "Lumon", "stage": "final_round", "received_on": day(25),
                             "mood": 1, "lessons": "Prepare a failure story."})
    post("/api/rejections", {"company": "Bluth Co", "received_on": day(5), "mood": 4})

    for n, (ago, mood) in enumerate([(63, 3), (50, 2), (41, 2), (29, 3), (22, 4), (15, 3),
                                     (8, 4), (3, 5), (1, 3), (0, 4)]):
        post("/api/checkins", {"at": at(today - timedelta(days=ago), 9, n, zone), "mood": mood,
                               "note": f"Check-in {n}"})
    for ago, before, after in [(48, 2, 4), (27, 1, 3), (12, 3, 4)]:
        started = today - timedelta(days=ago)
        post("/api/breaks", {"started_at": at(started, 10, 0, zone),
                             "ended_at": at(started + timedelta(days=1), 18, 0, zone),
                             "activities": ["walk", "nature"], "mood_before": before,
                             "mood_after": after})
    maya = post("/api/contacts", {"name": "Maya", "relationship": "friend", "channel": "sms",
                                  "handle": "+44 7700 900123"})
    sam = post("/api/contacts", {"name": "Sam", "relationship": "peer", "channel": "other"})
    for ago, mood in [(50, 4), (29, 4), (15, 5), (8, 4)]:
        post("/api/outreach", {"contact_id": maya["id"], "at": at(today - timedelta(days=ago), 20, 0, zone),
                               "mood_after": mood})
    post("/api/outreach", {"contact_id": sam["id"], "at": at(today - timedelta(days=3), 12, 0, zone),
                           "mood_after": 4})
    return me


# Elements that reach past the right edge, or whose text spills out of them
# (the page would scroll sideways).
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter((e) => (e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
      || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth))
    && !e.closest('.table-wrap') && getComputedStyle(e).position !== 'fixed')
  .slice(0, 6)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px "${(e.textContent || '').slice(0, 30)}"`)"""
